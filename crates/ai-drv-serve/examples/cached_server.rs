//! A server with one prompt already answered, for load tests of the cached paths
//! (`/hash?req=` and `/drv?hash=`) without the packaging engine:
//!
//! ```sh
//! cargo run --release -p ai-drv-serve --example cached_server -- /tmp/bench.sqlite 127.0.0.1:5000
//! wrk -t2 -c64 -d10s --latency 'http://127.0.0.1:5000/hash?req=sl'
//! ```
//!
//! It prints the two URLs to load, then serves until Ctrl-C.

use std::sync::Arc;

use ai_drv_serve::{Generator, Options, Server};
use ai_drv_store::{AttemptRecord, Finished, NewDerivation, Store};

/// Answers every request with a small fixed callPackage function naming it.
struct Fixed;

impl Generator for Fixed {
    fn generate(&self, request: &str, _progress: &dyn Fn(&AttemptRecord)) -> Finished {
        let name = request.replace(['"', '\\', '$'], "_");
        Finished::Succeeded {
            derivation: NewDerivation {
                text: format!(
                    "{{ lib, stdenv, fetchurl }}:\n\nstdenv.mkDerivation {{\n  pname = \"bench\";\n  version = \"1.0\";\n  meta.description = \"{name}\";\n}}\n"
                ),
                pname: Some("bench".to_owned()),
                version: Some("1.0".to_owned()),
                out_path: None,
                check: serde_json::Value::Null,
            },
            attempts: Vec::new(),
            report: serde_json::Value::Null,
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let store_path = args.next().ok_or("usage: cached_server STORE [ADDR]")?;
    let listen = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:5000".to_owned())
        .parse()?;
    let store = Arc::new(Store::open(std::path::Path::new(&store_path))?);
    let server = Server::bind(
        Options {
            listen,
            ..Options::default()
        },
        store,
        Arc::new(Fixed),
    )
    .await?;
    let addr = server.local_addr();
    let running = tokio::spawn(server.run(async {
        let _ = tokio::signal::ctrl_c().await;
    }));
    // Warm the prompt through the server itself.
    let hash = reqwest_free_get(addr, "/hash?req=sl").await?;
    let escaped = hash
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    println!("http://{addr}/hash?req=sl");
    println!("http://{addr}/drv?hash={escaped}");
    running.await??;
    Ok(())
}

/// One HTTP/1.0 GET over a plain socket (the example needs no HTTP client).
async fn reqwest_free_get(
    addr: std::net::SocketAddr,
    path: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream
        .write_all(format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes())
        .await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .ok_or("no HTTP body")?;
    Ok(body)
}
