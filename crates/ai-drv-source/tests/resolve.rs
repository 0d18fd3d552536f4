//! Resolving requests against registries and forges served from a local HTTP server: archives
//! built here, a sparse index and `.crate`, a PyPI simple-JSON page and sdist, an npm packument
//! and tarball, a `Sources.xz` and orig tarball, and forge tag and archive endpoints. Every hash is
//! checked against ai-drv-hash run on the files the test built, not on what the resolver saw.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;

use ai_drv_config::{Config, Env};
use ai_drv_hash::Algorithm;
use ai_drv_request::{Forge, Registry, Request};
use ai_drv_source::{resolve, Fetch, Meta, NoProgress, ResolveError, Source};

// ---------------------------------------------------------------------------------------------
// A local server with fixed routes

#[derive(Clone)]
struct Route {
    body: Vec<u8>,
    content_type: String,
}

/// Serves registered paths (path and query, exactly as requested); anything else is a 404.
/// Records each request's path and Accept header.
struct Server {
    server: Arc<tiny_http::Server>,
    base: String,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    log: Arc<Mutex<Vec<(String, String)>>>,
}

impl Server {
    fn start() -> Server {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let base = format!("http://{}", server.server_addr().to_ip().unwrap());
        let routes: Arc<Mutex<HashMap<String, Route>>> = Arc::default();
        let log: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
        let (s, r, l) = (server.clone(), routes.clone(), log.clone());
        thread::spawn(move || {
            for request in s.incoming_requests() {
                let accept = request
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("Accept"))
                    .map(|h| h.value.to_string())
                    .unwrap_or_default();
                l.lock().unwrap().push((request.url().to_string(), accept));
                let route = r.lock().unwrap().get(request.url()).cloned();
                let response = match route {
                    Some(route) => tiny_http::Response::from_data(route.body).with_header(
                        tiny_http::Header::from_bytes("Content-Type", route.content_type).unwrap(),
                    ),
                    None => {
                        tiny_http::Response::from_data(b"not here".to_vec()).with_status_code(404)
                    }
                };
                let _ = request.respond(response);
            }
        });
        Server {
            server,
            base,
            routes,
            log,
        }
    }

    fn route(&self, path: &str, body: impl Into<Vec<u8>>, content_type: &str) {
        self.routes.lock().unwrap().insert(
            path.to_string(),
            Route {
                body: body.into(),
                content_type: content_type.to_string(),
            },
        );
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests_to(&self, path: &str) -> Vec<String> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, accept)| accept.clone())
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

// ---------------------------------------------------------------------------------------------
// Archives built from real trees

/// A source tree on disk: `<dir>/<top>/…`, with the archive made from it.
struct Tree {
    dir: tempfile::TempDir,
    top: String,
}

impl Tree {
    /// `files`: (relative path, contents, executable).
    fn new(top: &str, files: &[(&str, &str, bool)]) -> Tree {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        for (path, contents, exec) in files {
            let full = dir.path().join(top).join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, contents).unwrap();
            let mode = if *exec { 0o755 } else { 0o644 };
            std::fs::set_permissions(&full, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        Tree {
            dir,
            top: top.to_string(),
        }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join(&self.top)
    }

    fn tar_gz(&self) -> Vec<u8> {
        let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let mut builder = tar::Builder::new(gz);
        builder.append_dir_all(&self.top, self.root()).unwrap();
        builder.into_inner().unwrap().finish().unwrap()
    }

    fn zip(&self) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default().unix_permissions(0o644);
        for entry in walk(&self.root()) {
            let rel = entry.strip_prefix(self.dir.path()).unwrap();
            zip.start_file(rel.to_str().unwrap(), options).unwrap();
            zip.write_all(&std::fs::read(&entry).unwrap()).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    /// The NAR hash of the tree as built, independent of any unpacking.
    fn nar_sri(&self) -> String {
        ai_drv_hash::hash_path(Algorithm::Sha256, &self.root())
            .unwrap()
            .to_sri()
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            out.extend(walk(&e));
        } else {
            out.push(e);
        }
    }
    out
}

fn flat_sri(bytes: &[u8]) -> String {
    ai_drv_hash::hash_bytes(Algorithm::Sha256, bytes).to_sri()
}

fn xz(text: &str) -> Vec<u8> {
    let mut encoder = liblzma::write::XzEncoder::new(Vec::new(), 6);
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Configuration pointing every endpoint at the server

struct Setup {
    _state: tempfile::TempDir,
    state_dir: PathBuf,
    config: Config,
}

fn setup(server: &Server, extra: &[(&str, &str)]) -> Setup {
    let state = tempfile::tempdir().unwrap();
    let state_dir = state.path().join("state");
    let config_file = state.path().join("no-config.toml");
    let home = state.path().join("home");
    let urls = [
        ("AI_DRV_DEBIAN_MIRROR", server.url("/debian")),
        ("AI_DRV_CRATES_INDEX", server.url("/index/")),
        ("AI_DRV_PYPI_INDEX", server.url("/simple")),
        ("AI_DRV_NPM_REGISTRY", server.url("/npm/")),
        ("AI_DRV_FORGE_GITHUB", server.url("/gh")),
        ("AI_DRV_FORGE_GITLAB", server.url("/gl")),
        ("AI_DRV_FORGE_CODEBERG", server.url("/cb")),
    ];
    let mut pairs: Vec<(&str, &str)> = vec![
        ("AI_DRV_CONFIG", config_file.to_str().unwrap()),
        ("AI_DRV_STATE_DIR", state_dir.to_str().unwrap()),
        ("HOME", home.to_str().unwrap()),
    ];
    pairs.extend(urls.iter().map(|(k, v)| (*k, v.as_str())));
    pairs.extend_from_slice(extra);
    let config = Config::load_with(Env::from_pairs(pairs)).unwrap();
    Setup {
        _state: state,
        state_dir,
        config,
    }
}

async fn run(setup: &Setup, input: &str) -> Result<Source, ResolveError> {
    let request = ai_drv_request::parse(input).unwrap();
    resolve(&setup.config, &request, &NoProgress).await
}

// ---------------------------------------------------------------------------------------------
// Archive URLs

#[tokio::test]
async fn archive_url_is_hashed_flat_and_unpacked() {
    let server = Server::start();
    let tree = Tree::new(
        "hello-2.10",
        &[
            ("configure", "#!/bin/sh\necho configured\n", true),
            ("src/hello.c", "int main(void) { return 0; }\n", false),
        ],
    );
    let archive = tree.tar_gz();
    server.route("/dl/hello-2.10.tar.gz", archive.clone(), "application/gzip");
    let s = setup(&server, &[]);
    let url = server.url("/dl/hello-2.10.tar.gz");

    let source = run(&s, &url).await.unwrap();
    assert_eq!(source.fetch, Fetch::Url { url: url.clone() });
    assert_eq!(
        (source.pname.as_str(), source.version.as_str()),
        ("hello", "2.10")
    );
    assert_eq!(source.hash, flat_sri(&archive));
    assert_eq!(source.chosen, format!("hello@2.10 → {url}"));
    assert!(source.alternatives.is_empty());
    // The tree is the archive's single top directory, with the execute bit kept.
    assert_eq!(
        std::fs::read_to_string(source.tree.join("src/hello.c")).unwrap(),
        "int main(void) { return 0; }\n"
    );
    assert_eq!(
        ai_drv_hash::hash_path(Algorithm::Sha256, &source.tree)
            .unwrap()
            .to_sri(),
        tree.nar_sri()
    );
    // The tree lives as long as the Source (and its clones).
    let tree_path = source.tree.clone();
    let copy = source.clone();
    drop(source);
    assert!(tree_path.join("configure").exists());
    drop(copy);
    assert!(!tree_path.exists());
}

#[tokio::test]
async fn mirror_debian_url_resolves_through_the_configured_mirror() {
    let server = Server::start();
    let tree = Tree::new("sl-5.02", &[("sl.c", "/* sl */\n", false)]);
    let archive = tree.tar_gz();
    server.route(
        "/debian/pool/main/s/sl/sl_5.02.orig.tar.gz",
        archive.clone(),
        "application/gzip",
    );
    let s = setup(&server, &[]);
    let url = "mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz";
    let source = run(&s, url).await.unwrap();
    assert_eq!(source.fetch, Fetch::Url { url: url.into() });
    assert_eq!(
        (source.pname.as_str(), source.version.as_str()),
        ("sl", "5.02")
    );
    assert_eq!(source.hash, flat_sri(&archive));
    assert!(source.tree.join("sl.c").is_file());
}

#[tokio::test]
async fn zip_url_is_fetchzip_with_the_tree_hash() {
    let server = Server::start();
    let tree = Tree::new(
        "tool-1.4",
        &[("README", "tool\n", false), ("lib/a.txt", "a\n", false)],
    );
    server.route("/dl/tool-1.4.zip", tree.zip(), "application/zip");
    let s = setup(&server, &[]);
    let url = server.url("/dl/tool-1.4.zip");
    let source = run(&s, &url).await.unwrap();
    assert_eq!(source.fetch, Fetch::Zip { url });
    assert_eq!(
        (source.pname.as_str(), source.version.as_str()),
        ("tool", "1.4")
    );
    assert_eq!(source.hash, tree.nar_sri());
}

#[tokio::test]
async fn versionless_file_name_takes_name_and_version_from_the_top_directory() {
    let server = Server::start();
    let tree = Tree::new("widget-0.9.1", &[("main.c", "x\n", false)]);
    let archive = tree.tar_gz();
    server.route("/get/latest.tar.gz", archive.clone(), "application/gzip");
    let s = setup(&server, &[]);
    let source = run(&s, &server.url("/get/latest.tar.gz")).await.unwrap();
    assert_eq!(
        (source.pname.as_str(), source.version.as_str()),
        ("widget", "0.9.1")
    );
    assert_eq!(source.hash, flat_sri(&archive));
}

#[tokio::test]
async fn html_page_is_not_a_source_archive() {
    let server = Server::start();
    server.route(
        "/dl/x-1.0.tar.gz",
        "<!DOCTYPE html><html><body>Sign in</body></html>",
        "text/html",
    );
    let s = setup(&server, &[]);
    let url = server.url("/dl/x-1.0.tar.gz");
    let err = run(&s, &url).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{url} is not a source archive (an HTML page of 48 bytes); give a .tar.gz/.tar.xz/.zip URL"
        )
    );
}

#[tokio::test]
async fn missing_archive_is_a_404_with_advice() {
    let server = Server::start();
    let s = setup(&server, &[]);
    let url = server.url("/dl/gone-1.0.tar.gz");
    let err = run(&s, &url).await.unwrap_err();
    assert!(matches!(err, ResolveError::NotFound { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("{url} was not found (HTTP 404); check the URL")
    );
}

#[tokio::test]
async fn unreachable_host_says_so() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = Server::start();
    let s = setup(&server, &[]);
    let url = format!("http://127.0.0.1:{port}/x-1.0.tar.gz");
    let err = run(&s, &url).await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, ResolveError::Unreachable { .. }), "{err:?}");
    assert!(text.starts_with(&format!("cannot reach {url}: ")), "{text}");
    assert!(text.to_lowercase().contains("refused"), "{text}");
    assert!(!text.contains('\n'));
}

// ---------------------------------------------------------------------------------------------
// crates

fn serve_crate(server: &Server, name: &str, version: &str) -> Tree {
    let tree = Tree::new(
        &format!("{name}-{version}"),
        &[
            (
                "Cargo.toml",
                &format!(
                    "[package]\nname = \"{name}\"\nversion = \"{version}\"\nedition = \"2021\"\ndescription = \"Steam locomotive for {name}\"\nrepository = \"https://example.invalid/{name}\"\nlicense = \"MIT OR Apache-2.0\"\n"
                ),
                false,
            ),
            ("src/main.rs", "fn main() {}\n", false),
        ],
    );
    server.route(
        &format!("/crates-dl/{name}/{version}/download"),
        tree.tar_gz(),
        "application/gzip",
    );
    tree
}

fn index_line(name: &str, version: &str, yanked: bool) -> String {
    format!(
        r#"{{"name":"{name}","vers":"{version}","deps":[],"cksum":"00","features":{{}},"yanked":{yanked}}}"#
    )
}

#[tokio::test]
async fn crate_from_the_sparse_index() {
    let server = Server::start();
    server.route(
        "/index/config.json",
        format!(
            r#"{{"dl":"{}","api":"{}"}}"#,
            server.url("/crates-dl"),
            server.url("/api")
        ),
        "application/json",
    );
    let lines = [
        index_line("locomo", "0.1.0", false),
        index_line("locomo", "0.3.0", true),
        index_line("locomo", "0.2.0", false),
        index_line("locomo", "0.4.0-beta.1", false),
    ]
    .join("\n");
    server.route("/index/lo/co/locomo", lines, "text/plain");
    let newest = serve_crate(&server, "locomo", "0.2.0");
    let older = serve_crate(&server, "locomo", "0.1.0");
    let s = setup(&server, &[]);

    // Newest non-yanked, non-prerelease.
    let source = run(&s, "crate:locomo").await.unwrap();
    assert_eq!(
        source.fetch,
        Fetch::Crate {
            pname: "locomo".into(),
            version: "0.2.0".into()
        }
    );
    assert_eq!(
        (source.pname.as_str(), source.version.as_str()),
        ("locomo", "0.2.0")
    );
    assert_eq!(source.hash, newest.nar_sri());
    assert_eq!(
        source.meta,
        Meta {
            description: Some("Steam locomotive for locomo".into()),
            homepage: Some("https://example.invalid/locomo".into()),
            license: Some("MIT OR Apache-2.0".into()),
        }
    );
    assert_eq!(
        source.chosen,
        format!(
            "crate:locomo@0.2.0 → {}",
            server.url("/crates-dl/locomo/0.2.0/download")
        )
    );

    let source = run(&s, "crate:locomo@0.1.0").await.unwrap();
    assert_eq!(source.version, "0.1.0");
    assert_eq!(source.hash, older.nar_sri());

    let err = run(&s, "crate:locomo@9.9.9").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "crate locomo has no version 9.9.9 (newest: 0.4.0-beta.1, 0.2.0, 0.1.0); pick one of those or leave the version out"
    );

    let err = run(&s, "crate:nope").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "no crate named nope in the crates registry; check the spelling"
    );
}

#[tokio::test]
async fn crate_download_endpoint_overrides_the_index_config() {
    let server = Server::start();
    server.route(
        "/index/2/sl",
        index_line("sl", "0.1.0", false),
        "text/plain",
    );
    let tree = serve_crate(&server, "sl", "0.1.0");
    let dl = server.url("/crates-dl");
    let s = setup(&server, &[("AI_DRV_CRATES_DOWNLOAD", dl.as_str())]);
    let source = run(&s, "crate:sl").await.unwrap();
    assert_eq!(source.hash, tree.nar_sri());
    // No config.json was needed.
    assert!(server.requests_to("/index/config.json").is_empty());
}

// ---------------------------------------------------------------------------------------------
// PyPI

#[tokio::test]
async fn pypi_sdist_from_the_simple_json_index() {
    let server = Server::start();
    let tree = Tree::new(
        "pyfiglet-1.0.2",
        &[
            (
                "PKG-INFO",
                "Metadata-Version: 2.1\nName: pyfiglet\nVersion: 1.0.2\nSummary: Pure-python FIGlet implementation\nHome-page: https://example.invalid/pyfiglet\nLicense: MIT\n\nLong text.\n",
                false,
            ),
            ("setup.py", "from setuptools import setup\nsetup()\n", false),
        ],
    );
    let sdist = tree.tar_gz();
    server.route(
        "/files/pyfiglet-1.0.2.tar.gz",
        sdist.clone(),
        "application/gzip",
    );
    let page = r#"{"meta":{"api-version":"1.1"},"name":"pyfiglet","versions":["0.9","1.0.2","1.1.0b1"],"files":[
        {"filename":"pyfiglet-0.9.tar.gz","url":"../../files/pyfiglet-0.9.tar.gz","hashes":{},"yanked":"broken"},
        {"filename":"pyfiglet-1.0.2-py3-none-any.whl","url":"../../files/pyfiglet-1.0.2-py3-none-any.whl","hashes":{}},
        {"filename":"pyfiglet-1.0.2.tar.gz","url":"../../files/pyfiglet-1.0.2.tar.gz#sha256=00","hashes":{"sha256":"00"},"yanked":false},
        {"filename":"pyfiglet-1.1.0b1.tar.gz","url":"../../files/pyfiglet-1.1.0b1.tar.gz","hashes":{}}
    ]}"#;
    server.route(
        "/simple/pyfiglet/",
        page,
        "application/vnd.pypi.simple.v1+json",
    );
    let s = setup(&server, &[]);

    let source = run(&s, "pypi:PyFiglet").await.unwrap();
    assert_eq!(
        source.fetch,
        Fetch::Pypi {
            pname: "pyfiglet".into(),
            version: "1.0.2".into()
        }
    );
    assert_eq!(source.hash, flat_sri(&sdist));
    assert_eq!(
        source.meta,
        Meta {
            description: Some("Pure-python FIGlet implementation".into()),
            homepage: Some("https://example.invalid/pyfiglet".into()),
            license: Some("MIT".into()),
        }
    );
    assert!(source.tree.join("setup.py").is_file());
    // The JSON form of the simple API was asked for.
    let accepts = server.requests_to("/simple/pyfiglet/");
    assert!(
        accepts
            .iter()
            .all(|a| a.starts_with("application/vnd.pypi.simple.v1+json")),
        "{accepts:?}"
    );

    let err = run(&s, "pypi:pyfiglet@2.0").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "PyPI project pyfiglet has no version 2.0 (newest: 1.1.0b1, 1.0.2); pick one of those or leave the version out"
    );
    let err = run(&s, "pypi:nope").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "no project named nope in the PyPI index; check the spelling"
    );
}

// ---------------------------------------------------------------------------------------------
// npm

#[tokio::test]
async fn npm_tarball_from_the_packument() {
    let server = Server::start();
    let tree = Tree::new(
        "package",
        &[
            (
                "package.json",
                r#"{"name":"left-pad","version":"1.3.0"}"#,
                false,
            ),
            ("index.js", "module.exports = leftPad;\n", false),
        ],
    );
    let tgz = tree.tar_gz();
    server.route(
        "/npm/left-pad/-/left-pad-1.3.0.tgz",
        tgz.clone(),
        "application/octet-stream",
    );
    let packument = format!(
        r#"{{"name":"left-pad","dist-tags":{{"latest":"1.3.0"}},"description":"String left pad","license":"WTFPL",
        "versions":{{
          "1.1.0":{{"name":"left-pad","version":"1.1.0","dist":{{"tarball":"{0}/npm/left-pad/-/left-pad-1.1.0.tgz"}}}},
          "1.3.0":{{"name":"left-pad","version":"1.3.0","homepage":"https://example.invalid/left-pad","license":{{"type":"WTFPL"}},
                   "dist":{{"tarball":"{0}/npm/left-pad/-/left-pad-1.3.0.tgz","shasum":"00"}}}}
        }}}}"#,
        server.base
    );
    server.route("/npm/left-pad", packument, "application/json");
    let s = setup(&server, &[]);

    let source = run(&s, "npm:left-pad").await.unwrap();
    let tarball = server.url("/npm/left-pad/-/left-pad-1.3.0.tgz");
    assert_eq!(source.fetch, Fetch::Npm { url: tarball });
    assert_eq!(
        (source.pname.as_str(), source.version.as_str()),
        ("left-pad", "1.3.0")
    );
    assert_eq!(source.hash, flat_sri(&tgz));
    assert_eq!(
        source.meta,
        Meta {
            description: Some("String left pad".into()),
            homepage: Some("https://example.invalid/left-pad".into()),
            license: Some("WTFPL".into()),
        }
    );
    assert!(source.tree.join("index.js").is_file());

    let err = run(&s, "npm:left-pad@2.0.0").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "npm package left-pad has no version 2.0.0 (newest: 1.3.0, 1.1.0); pick one of those or leave the version out"
    );
}

#[tokio::test]
async fn npm_scoped_package() {
    let server = Server::start();
    let tree = Tree::new("package", &[("index.js", "export {};\n", false)]);
    let tgz = tree.tar_gz();
    server.route(
        "/npm/@acme/thing/-/thing-0.2.0.tgz",
        tgz.clone(),
        "application/octet-stream",
    );
    server.route(
        "/npm/@acme%2fthing",
        format!(
            r#"{{"name":"@acme/thing","dist-tags":{{"latest":"0.2.0"}},"versions":{{"0.2.0":{{"dist":{{"tarball":"{}/npm/@acme/thing/-/thing-0.2.0.tgz"}}}}}}}}"#,
            server.base
        ),
        "application/json",
    );
    let s = setup(&server, &[]);
    let source = run(&s, "npm:@acme/thing").await.unwrap();
    assert_eq!(
        (source.pname.as_str(), source.version.as_str()),
        ("acme-thing", "0.2.0")
    );
    assert_eq!(source.hash, flat_sri(&tgz));
}

// ---------------------------------------------------------------------------------------------
// Debian

const SOURCES: &str = "\
Package: sl
Binary: sl
Version: 3.03-17
Directory: pool/main/s/sl
Files:
 00000000000000000000000000000000 100 sl_3.03-17.dsc
 00000000000000000000000000000000 200 sl_3.03.orig.tar.gz

Package: rust-locomo
Binary: locomo, librust-locomo-dev
Version: 1.1.0-2
Directory: pool/main/r/rust-locomo
Files:
 00000000000000000000000000000000 100 rust-locomo_1.1.0-2.dsc
 00000000000000000000000000000000 200 rust-locomo_1.1.0.orig.tar.gz

Package: sl
Binary: sl
Version: 5.02-1
Directory: pool/main/s/sl
Homepage: https://example.invalid/sl
Files:
 00000000000000000000000000000000 100 sl_5.02-1.dsc
 00000000000000000000000000000000 200 sl_5.02.orig.tar.gz
 00000000000000000000000000000000 300 sl_5.02-1.debian.tar.xz
";

/// Serves the index and two orig tarballs; returns the sl tree, its tarball, and the locomo tree.
fn serve_debian(server: &Server) -> (Tree, Vec<u8>, Tree) {
    server.route(
        "/debian/dists/bookworm/main/source/Sources.xz",
        xz(SOURCES),
        "application/x-xz",
    );
    let sl = Tree::new("sl-5.02", &[("sl.c", "/* sl 5.02 */\n", false)]);
    let sl_tarball = sl.tar_gz();
    server.route(
        "/debian/pool/main/s/sl/sl_5.02.orig.tar.gz",
        sl_tarball.clone(),
        "application/gzip",
    );
    let locomo = Tree::new("locomo-1.1.0", &[("Cargo.toml", "[package]\n", false)]);
    server.route(
        "/debian/pool/main/r/rust-locomo/rust-locomo_1.1.0.orig.tar.gz",
        locomo.tar_gz(),
        "application/gzip",
    );
    (sl, sl_tarball, locomo)
}

#[tokio::test]
async fn debian_source_package_from_the_sources_index() {
    let server = Server::start();
    let (sl, sl_tarball, _) = serve_debian(&server);
    let s = setup(&server, &[]);

    let source = run(&s, "debian:sl").await.unwrap();
    let url = "mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz";
    assert_eq!(source.fetch, Fetch::Url { url: url.into() });
    assert_eq!(
        (source.pname.as_str(), source.version.as_str()),
        ("sl", "5.02")
    );
    assert_eq!(source.hash, flat_sri(&sl_tarball));
    assert_eq!(source.chosen, format!("debian:sl@5.02 → {url}"));
    assert_eq!(
        source.meta.homepage.as_deref(),
        Some("https://example.invalid/sl")
    );
    assert_eq!(
        ai_drv_hash::hash_path(Algorithm::Sha256, &source.tree)
            .unwrap()
            .to_sri(),
        sl.nar_sri()
    );

    // The index is cached in the state directory and not downloaded again.
    assert!(s.state_dir.join("debian-index/Sources.xz").is_file());
    let older = run(&s, "debian:sl@3.03").await;
    // 3.03's tarball is not served: the plan was made from the cached index, the download 404s.
    assert!(
        matches!(older, Err(ResolveError::NotFound { .. })),
        "{older:?}"
    );
    assert_eq!(
        server
            .requests_to("/debian/dists/bookworm/main/source/Sources.xz")
            .len(),
        1
    );

    let err = run(&s, "debian:sl@9.9").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "Debian package sl (bookworm) has no version 9.9 (newest: 5.02-1, 3.03-17); pick one of those or leave the version out"
    );
    let err = run(&s, "debian:nope").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "no source or binary package named nope in Debian bookworm; check the spelling"
    );
}

#[tokio::test]
async fn debian_binary_name_finds_its_source() {
    let server = Server::start();
    let (_, _, locomo) = serve_debian(&server);
    let s = setup(&server, &[]);
    let source = run(&s, "debian:locomo").await.unwrap();
    assert_eq!(
        source.fetch,
        Fetch::Url {
            url: "mirror://debian/pool/main/r/rust-locomo/rust-locomo_1.1.0.orig.tar.gz".into()
        }
    );
    // Asked for by its binary's name: that name, not "rust-locomo", is the pname.
    assert_eq!(
        (source.pname.as_str(), source.version.as_str()),
        ("locomo", "1.1.0")
    );
    assert_eq!(
        ai_drv_hash::hash_path(Algorithm::Sha256, &source.tree)
            .unwrap()
            .to_sri(),
        locomo.nar_sri()
    );
}

#[tokio::test]
async fn debian_suite_comes_from_the_environment() {
    let server = Server::start();
    server.route(
        "/debian/dists/trixie/main/source/Sources.xz",
        xz(SOURCES),
        "application/x-xz",
    );
    let sl = Tree::new("sl-5.02", &[("sl.c", "x\n", false)]);
    server.route(
        "/debian/pool/main/s/sl/sl_5.02.orig.tar.gz",
        sl.tar_gz(),
        "application/gzip",
    );
    let s = setup(&server, &[("AI_DRV_DEBIAN_SUITE", "trixie")]);
    let source = run(&s, "debian:sl").await.unwrap();
    assert_eq!(source.version, "5.02");
    assert_eq!(
        server
            .requests_to("/debian/dists/bookworm/main/source/Sources.xz")
            .len(),
        0
    );
}

// ---------------------------------------------------------------------------------------------
// Plain words

#[tokio::test]
async fn words_take_the_first_registry_hit_and_list_the_others() {
    let server = Server::start();
    serve_debian(&server);
    server.route(
        "/index/config.json",
        format!(r#"{{"dl":"{}"}}"#, server.url("/crates-dl")),
        "application/json",
    );
    server.route(
        "/index/2/sl",
        index_line("sl", "0.1.0", false),
        "text/plain",
    );
    serve_crate(&server, "sl", "0.1.0");
    let s = setup(&server, &[]);

    let source = run(&s, "Generate a derivation for building `sl`")
        .await
        .unwrap();
    assert_eq!(
        source.fetch,
        Fetch::Url {
            url: "mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz".into()
        }
    );
    assert_eq!(source.alternatives, ["crate:sl@0.1.0"]);
    assert_eq!(
        source.chosen,
        "debian:sl@5.02 → mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz"
    );

    // A version Debian lacks falls through to the registry that has it.
    let source = run(&s, "package sl version 0.1.0").await.unwrap();
    assert_eq!(
        source.fetch,
        Fetch::Crate {
            pname: "sl".into(),
            version: "0.1.0".into()
        }
    );
    assert!(source.alternatives.is_empty());
}

#[tokio::test]
async fn words_naming_nothing_known() {
    let server = Server::start();
    serve_debian(&server);
    let s = setup(&server, &[]);
    let err = run(&s, "nix derivation for zzyzx 1.0").await.unwrap_err();
    assert!(matches!(err, ResolveError::NothingFound { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "nothing named zzyzx@1.0 was found in the Debian archive, the crates registry, PyPI or npm; check the spelling, or give a reference such as crate:NAME or a source URL"
    );

    let empty = Request::Words {
        text: "please".into(),
        names: vec![],
    };
    let err = resolve(&s.config, &empty, &NoProgress).await.unwrap_err();
    assert!(err
        .to_string()
        .starts_with("no package name found in the request; name it in backticks"));
}

// ---------------------------------------------------------------------------------------------
// Forges

#[tokio::test]
async fn github_latest_tag_and_archive() {
    let server = Server::start();
    server.route(
        "/gh/api/v3/repos/acme/rocket/tags?per_page=100",
        r#"[{"name":"v1.10.0-rc1"},{"name":"v1.9.0"},{"name":"v1.10.0"},{"name":"v1.2.0"}]"#,
        "application/json",
    );
    let tree = Tree::new(
        "rocket-1.10.0",
        &[
            ("Makefile", "all:\n", false),
            ("run.sh", "#!/bin/sh\n", true),
        ],
    );
    server.route(
        "/gh/acme/rocket/archive/v1.10.0.tar.gz",
        tree.tar_gz(),
        "application/gzip",
    );
    let s = setup(&server, &[]);

    let source = run(&s, "https://github.com/acme/rocket").await.unwrap();
    assert_eq!(
        source.fetch,
        Fetch::GitHub {
            owner: "acme".into(),
            repo: "rocket".into(),
            rev: "v1.10.0".into()
        }
    );
    assert_eq!(
        (source.pname.as_str(), source.version.as_str()),
        ("rocket", "1.10.0")
    );
    assert_eq!(source.hash, tree.nar_sri());
    assert_eq!(
        source.chosen,
        format!(
            "github:acme/rocket@v1.10.0 → {}",
            server.url("/gh/acme/rocket/archive/v1.10.0.tar.gz")
        )
    );

    // A named revision needs no API call.
    let other = Tree::new("rocket-1.2.0", &[("Makefile", "old:\n", false)]);
    server.route(
        "/gh/acme/rocket/archive/v1.2.0.tar.gz",
        other.tar_gz(),
        "application/gzip",
    );
    let before = server
        .requests_to("/gh/api/v3/repos/acme/rocket/tags?per_page=100")
        .len();
    let source = run(&s, "https://github.com/acme/rocket/releases/tag/v1.2.0")
        .await
        .unwrap();
    assert_eq!(source.version, "1.2.0");
    assert_eq!(source.hash, other.nar_sri());
    assert_eq!(
        server
            .requests_to("/gh/api/v3/repos/acme/rocket/tags?per_page=100")
            .len(),
        before
    );

    let err = run(&s, "https://github.com/acme/missing")
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "no repository named acme/missing in GitHub; check the spelling"
    );
}

#[tokio::test]
async fn gitlab_latest_tag_and_archive() {
    let server = Server::start();
    server.route(
        "/gl/api/v4/projects/acme%2Fdrill/repository/tags?per_page=100",
        r#"[{"name":"v2.0"},{"name":"v1.5"}]"#,
        "application/json",
    );
    let tree = Tree::new(
        "drill-v2.0",
        &[("meson.build", "project('drill')\n", false)],
    );
    server.route(
        "/gl/acme/drill/-/archive/v2.0/drill-v2.0.tar.gz",
        tree.tar_gz(),
        "application/gzip",
    );
    let s = setup(&server, &[]);
    let request = Request::Forge {
        forge: Forge::GitLab,
        owner: "acme".into(),
        repo: "drill".into(),
        rev: None,
    };
    let source = resolve(&s.config, &request, &NoProgress).await.unwrap();
    assert_eq!(
        source.fetch,
        Fetch::GitLab {
            owner: "acme".into(),
            repo: "drill".into(),
            rev: "v2.0".into()
        }
    );
    assert_eq!(
        (source.pname.as_str(), source.version.as_str()),
        ("drill", "2.0")
    );
    assert_eq!(source.hash, tree.nar_sri());
}

#[tokio::test]
async fn codeberg_latest_tag_and_archive() {
    let server = Server::start();
    server.route(
        "/cb/api/v1/repos/acme/foot/tags?limit=50",
        r#"[{"name":"1.16.2"},{"name":"1.9.0"}]"#,
        "application/json",
    );
    let tree = Tree::new("foot", &[("meson.build", "project('foot')\n", false)]);
    server.route(
        "/cb/acme/foot/archive/1.16.2.tar.gz",
        tree.tar_gz(),
        "application/gzip",
    );
    let s = setup(&server, &[]);
    let source = run(&s, "https://codeberg.org/acme/foot").await.unwrap();
    assert_eq!(
        source.fetch,
        Fetch::Gitea {
            domain: "codeberg.org".into(),
            owner: "acme".into(),
            repo: "foot".into(),
            rev: "1.16.2".into()
        }
    );
    assert_eq!(
        (source.pname.as_str(), source.version.as_str()),
        ("foot", "1.16.2")
    );
    assert_eq!(source.hash, tree.nar_sri());

    server.route(
        "/cb/api/v1/repos/acme/bare/tags?limit=50",
        "[]",
        "application/json",
    );
    let err = run(&s, "codeberg:acme/bare").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "codeberg:acme/bare has no tags; name a revision, e.g. codeberg:acme/bare@COMMIT"
    );
}

#[test]
fn registry_prefixes_match_the_request_crate() {
    // The alternatives' labels are references the request parser reads back.
    for (label, registry) in [
        ("crate:sl@0.1.0", Registry::Crate),
        ("pypi:pyfiglet@1.0.2", Registry::Pypi),
        ("npm:left-pad@1.3.0", Registry::Npm),
        ("debian:sl@5.02", Registry::Debian),
    ] {
        match ai_drv_request::parse(label).unwrap() {
            Request::Registry { registry: r, .. } => assert_eq!(r, registry),
            other => panic!("{label}: {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The real configured Debian mirror

#[tokio::test]
#[ignore = "downloads the Debian Sources index from the machine's configured mirror"]
async fn real_debian_sl() {
    let config = Config::load().unwrap();
    let request = ai_drv_request::parse("debian:sl").unwrap();
    let source = resolve(&config, &request, &NoProgress).await.unwrap();
    assert_eq!(source.pname, "sl");
    assert_eq!(
        source.fetch,
        Fetch::Url {
            url: format!(
                "mirror://debian/pool/main/s/sl/sl_{}.orig.tar.gz",
                source.version
            )
        }
    );
    assert!(source.hash.starts_with("sha256-"));
    assert!(source.tree.join("sl.c").is_file());
}
