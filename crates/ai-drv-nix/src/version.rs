//! The installed Nix's version, and what follows from it.

use serde::Serialize;

/// A Nix version as `nix --version` prints it (`nix (Nix) 2.8.0`, `nix (Lix, like Nix) 2.91.1`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NixVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
    /// `Nix`, `Lix`, `Determinate Nix`…
    pub flavour: String,
}

impl NixVersion {
    pub fn new(major: u32, minor: u32, patch: u32) -> NixVersion {
        NixVersion {
            major,
            minor,
            patch,
            flavour: "Nix".into(),
        }
    }

    /// Parses the first line of `nix --version`.
    pub fn parse(text: &str) -> Option<NixVersion> {
        let line = text.lines().next()?.trim();
        let flavour = line
            .split_once('(')
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(inside, _)| {
                inside
                    .split(',')
                    .next()
                    .unwrap_or(inside)
                    .trim()
                    .to_string()
            })
            .unwrap_or_else(|| "Nix".into());
        let version = line.rsplit(' ').next()?;
        let mut parts = version
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .map(|p| p.parse::<u32>().ok());
        let major = parts.next()??;
        let minor = parts.next()??;
        let patch = parts.next().flatten().unwrap_or(0);
        Some(NixVersion {
            major,
            minor,
            patch,
            flavour,
        })
    }

    fn at_least(&self, major: u32, minor: u32) -> bool {
        // Lix restarted its numbering at 2.90 from the Nix 2.18 code base.
        let (m, n) = if self.flavour == "Lix" {
            (2, 18)
        } else {
            (self.major, self.minor)
        };
        (m, n) >= (major, minor)
    }

    /// What this version can do that ai-drv adapts to.
    pub fn capabilities(&self) -> Capabilities {
        Capabilities {
            experimental_features_option: self.at_least(2, 4),
            print_out_paths: self.at_least(2, 9),
            prefetch_file_unpack: self.at_least(2, 20),
            hash_convert: self.at_least(2, 20),
            new_build_failure_format: self.at_least(2, 29) && self.flavour != "Lix",
        }
    }
}

impl std::fmt::Display for NixVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}.{}.{}",
            self.flavour, self.major, self.minor, self.patch
        )
    }
}

/// Differences between Nix versions that change the argument vectors ai-drv builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    /// `--extra-experimental-features` exists (2.4+); `nix` subcommands need `nix-command` there.
    pub experimental_features_option: bool,
    /// `nix build --print-out-paths` (2.9+); before, out paths come from `--json`.
    pub print_out_paths: bool,
    /// `nix store prefetch-file --unpack` (2.20+).
    pub prefetch_file_unpack: bool,
    /// `nix hash convert` (2.20+).
    pub hash_convert: bool,
    /// Build failures read `Cannot build '…'. Reason: …` (2.29+).
    pub new_build_failure_format: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_version_lines() {
        let v = NixVersion::parse("nix (Nix) 2.8.0\n").unwrap();
        assert_eq!((v.major, v.minor, v.patch), (2, 8, 0));
        assert!(!v.capabilities().print_out_paths);
        assert!(v.capabilities().experimental_features_option);

        let v = NixVersion::parse("nix-env (Nix) 2.3.17").unwrap();
        assert!(!v.capabilities().experimental_features_option);

        let v = NixVersion::parse("nix (Nix) 2.31.2").unwrap();
        let c = v.capabilities();
        assert!(c.print_out_paths && c.prefetch_file_unpack && c.new_build_failure_format);

        let v = NixVersion::parse("nix (Lix, like Nix) 2.91.1").unwrap();
        assert_eq!(v.flavour, "Lix");
        assert!(v.capabilities().print_out_paths);
        assert!(!v.capabilities().new_build_failure_format);

        let v = NixVersion::parse("nix (Determinate Nix 3.6.2) 2.29.0").unwrap();
        assert_eq!(v.flavour, "Determinate Nix 3.6.2");
        assert_eq!((v.minor, v.patch), (29, 0));

        assert!(NixVersion::parse("").is_none());
        assert!(NixVersion::parse("bash: nix: command not found").is_none());
    }
}
