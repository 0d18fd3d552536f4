#!/usr/bin/env python3
"""A loopback stand-in for `ai-drv serve`, for the mkAIDerivation tests.

It speaks the endpoints the Nix library uses, for the prompts named in a JSON map
(normalised prompt -> fixture file), and records every request it gets:

  GET /hash?req=<prompt>   standard base64 of the SHA-256 of the text, 44 bytes, no newline
  GET /drv?hash=<base64>   the text whose SHA-256 that is (404 with a one-line reason if unknown)
  GET /drv?req=<prompt>    the text, after keep-alive comment lines like the real server's
  GET /files/<name>        a file from FILES_DIR (sources for recursive mode)

`@NONCE@` in a fixture is replaced by the run's nonce, so every run has texts (and builds) that
are not in the Nix store yet.

Usage: server.py FIXTURE_DIR PROMPTS_JSON NONCE PORT_FILE LOG_FILE [FILES_DIR]
The port (bound on 127.0.0.1, chosen by the kernel) is written to PORT_FILE once listening.
"""

import base64
import hashlib
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote_to_bytes


def normalise(prompt):
    # Python's str.split() splits on the same Unicode whitespace as Rust's split_whitespace
    # for the characters the tests use.
    return " ".join(prompt.split())


class Fixtures:
    def __init__(self, directory, prompts_file, nonce):
        self.directory = directory
        with open(prompts_file, encoding="utf-8") as f:
            prompts = json.load(f)
        self.by_prompt = {}
        self.by_hash = {}
        for prompt, name in prompts.items():
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                text = f.read().replace("@NONCE@", nonce).encode("utf-8")
            digest = base64.b64encode(hashlib.sha256(text).digest()).decode("ascii")
            self.by_prompt[normalise(prompt)] = (digest, text)
            self.by_hash[digest] = text


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def query(self):
        if "?" not in self.path:
            return {}
        out = {}
        for pair in self.path.split("?", 1)[1].split("&"):
            key, _, value = pair.partition("=")
            # Percent-decoding only: `+` is a literal plus (escapeURL sends spaces as %20).
            out[key] = unquote_to_bytes(value).decode("utf-8", errors="replace")
        return out

    def send(self, status, body, content_type="text/plain; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        fixtures = self.server.fixtures
        with open(self.server.log_file, "a", encoding="utf-8") as log:
            log.write(self.path + "\n")
        route = self.path.split("?", 1)[0]
        q = self.query()
        if route == "/hash" and "req" in q:
            found = fixtures.by_prompt.get(normalise(q["req"]))
            if found is None:
                return self.send(404, b"unknown prompt\n")
            return self.send(200, found[0].encode("ascii"))
        if route == "/drv" and "hash" in q:
            text = fixtures.by_hash.get(q["hash"])
            if text is None:
                return self.send(404, b"no derivation with this hash; ask /hash?req= first\n")
            return self.send(200, text)
        if route == "/drv" and "req" in q:
            found = fixtures.by_prompt.get(normalise(q["req"]))
            if found is None:
                return self.send(404, b"unknown prompt\n")
            keepalive = b"# ai-drv: working on it\n# ai-drv: still working\n"
            return self.send(200, keepalive + found[1])
        if route.startswith("/files/"):
            name = os.path.basename(route[len("/files/"):])
            path = os.path.join(self.server.files_dir or "/nonexistent", name)
            if self.server.files_dir and os.path.isfile(path):
                with open(path, "rb") as f:
                    return self.send(200, f.read(), "application/octet-stream")
        return self.send(404, b"not found\n")


def main():
    directory, prompts_file, nonce, port_file, log_file = sys.argv[1:6]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.fixtures = Fixtures(directory, prompts_file, nonce)
    server.log_file = log_file
    server.files_dir = sys.argv[6] if len(sys.argv) > 6 else None
    with open(port_file + ".tmp", "w", encoding="ascii") as f:
        f.write(str(server.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
