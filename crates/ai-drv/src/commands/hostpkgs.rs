//! `ai-drv hostpkgs`: maintain hostpkgs, the nixpkgs-compatible package set built from Debian's
//! binary packages. `generate` turns `packages.toml` and Debian's index files into the pinned
//! table (`pins.json`) and the resolver index (`resolver.json`) that the Nix code reads.

use std::path::{Path, PathBuf};

use ai_drv_config::{Config, Registry};
use ai_drv_hostpkgs::debian::{index_files, SUITE};
use ai_drv_hostpkgs::generate::{generate, Generated};
use ai_drv_hostpkgs::spec::Spec;
use clap::{Args, Subcommand};
use serde_json::json;

use crate::engine_setup::write_atomically;
use crate::error::{CliError, Result};
use crate::printer::Printer;

/// Maintain hostpkgs, the package set built from Debian's binary packages.
#[derive(Debug, Args)]
pub struct HostpkgsArgs {
    #[command(subcommand)]
    pub action: HostpkgsAction,
}

#[derive(Debug, Subcommand)]
pub enum HostpkgsAction {
    /// Regenerate pins.json and resolver.json from packages.toml and Debian's index files.
    ///
    /// Without --packages and --contents, the index files are taken from ai-drv's cache
    /// (`<state dir>/debian-index/`), downloaded from the configured Debian mirror when missing.
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The Packages index (`dists/bookworm/main/binary-amd64/Packages.xz`).
    #[arg(long, value_name = "FILE")]
    pub packages: Option<PathBuf>,
    /// A Contents index (`Contents-amd64.gz`, `Contents-all.gz`); repeat for each.
    #[arg(long, value_name = "FILE")]
    pub contents: Vec<PathBuf>,
    /// The hostpkgs directory: reads packages.toml, writes pins.json and resolver.json.
    #[arg(long, value_name = "DIR", default_value = "nix/hostpkgs")]
    pub dir: PathBuf,
    /// Download the cached index files again.
    #[arg(long)]
    pub refresh: bool,
}

pub fn run(args: HostpkgsArgs, printer: &Printer) -> Result<()> {
    match args.action {
        HostpkgsAction::Generate(args) => run_generate(args, printer),
    }
}

fn run_generate(args: GenerateArgs, printer: &Printer) -> Result<()> {
    let spec = Spec::read_dir(&args.dir).map_err(|e| {
        CliError::usage(e).hint("run from the top of the ai-drv repository, or pass --dir")
    })?;

    let mut cache = IndexCache {
        refresh: args.refresh,
        printer,
        config: None,
    };
    let packages = match args.packages {
        Some(p) => p,
        None => cache.get(0)?,
    };
    let contents = if args.contents.is_empty() {
        (1..index_files().len())
            .map(|i| cache.get(i))
            .collect::<Result<Vec<_>>>()?
    } else {
        args.contents
    };

    let read = |path: &Path| {
        std::fs::read(path).map_err(|e| CliError::usage(format!("{}: {e}", path.display())))
    };
    let packages_bytes = read(&packages)?;
    let contents_bytes = contents
        .iter()
        .map(|p| read(p))
        .collect::<Result<Vec<_>>>()?;
    printer.status(&format!(
        "reading {} and {} Contents file(s)",
        packages.display(),
        contents.len()
    ));
    let Generated {
        pins_json,
        resolver_json,
    } = generate(
        &spec,
        &packages_bytes,
        contents_bytes.iter().map(Vec::as_slice),
    )
    .map_err(|e| {
        CliError::failed(e).hint(format!(
            "fix {} and run `ai-drv hostpkgs generate` again",
            args.dir.join(ai_drv_hostpkgs::spec::FILE_NAME).display()
        ))
    })?;

    let pins_path = args.dir.join("pins.json");
    let resolver_path = args.dir.join("resolver.json");
    write_atomically(&pins_path, &pins_json)?;
    write_atomically(&resolver_path, &resolver_json)?;

    let pins: serde_json::Value = serde_json::from_str(&pins_json)
        .map_err(|e| CliError::failed(format!("generated pins.json does not parse: {e}")))?;
    let count = |key: &str| pins[key].as_object().map_or(0, |m| m.len());
    printer.status(&format!(
        "wrote {} ({} attributes, {} .debs, {} bytes) and {} ({} bytes)",
        pins_path.display(),
        count("attrs"),
        count("debs"),
        pins_json.len(),
        resolver_path.display(),
        resolver_json.len()
    ));
    printer.data(
        &format!("{}\n{}", pins_path.display(), resolver_path.display()),
        &json!({
            "pins": pins_path,
            "resolver": resolver_path,
            "attrs": count("attrs"),
            "debs": count("debs"),
            "index_sha256": pins["index"]["sha256"],
            "pins_bytes": pins_json.len(),
            "resolver_bytes": resolver_json.len(),
        }),
    );
    Ok(())
}

/// The index files in `<state dir>/debian-index/`: each is downloaded from the configured Debian
/// mirror when it is missing (or always, with `refresh`).
struct IndexCache<'a> {
    refresh: bool,
    printer: &'a Printer,
    config: Option<(Config, PathBuf)>,
}

impl IndexCache<'_> {
    /// The path of [`index_files`]`()[i]`, downloaded if need be.
    fn get(&mut self, i: usize) -> Result<PathBuf> {
        let (config, dir) = match &self.config {
            Some(c) => c,
            None => {
                let config = Config::load()?;
                let dir = config.state_dir().join("debian-index");
                self.config.insert((config, dir))
            }
        };
        let (remote, name) = index_files()[i];
        let dest = dir.join(name);
        if !self.refresh && dest.exists() {
            return Ok(dest);
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::usage(format!("cannot create {}: {e}", dir.display())))?;
        let url = config
            .endpoint(Registry::Debian)?
            .join(&format!("dists/{SUITE}/{remote}"))
            .map_err(|e| CliError::usage(format!("bad Debian mirror URL: {e}")))?;
        self.printer.status(&format!("downloading {url}"));
        super::runtime()?
            .block_on(ai_drv_source::download(
                &url,
                &dest,
                &ai_drv_source::NoProgress,
            ))
            .map_err(|e| {
                CliError::usage(e).hint(
                    "pass the index files with --packages and --contents, or configure the Debian mirror (`ai-drv doctor` shows it)",
                )
            })?;
        Ok(dest)
    }
}
