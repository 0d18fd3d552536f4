//! The text forms of a hash: SRI, nix32, base16, base64 — printing and parsing them as Nix does.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use crate::{Algorithm, Hash};

/// How a hash is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `sha256-<base64>`, what nixpkgs writes in `hash = …`.
    Sri,
    /// Nix's base-32 (alphabet without e, o, u, t; Nix's own bit order), what `nix-prefetch-url` prints.
    Nix32,
    /// Lower-case hexadecimal.
    Base16,
    /// Standard base64 with padding, no prefix.
    Base64,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sri" => Ok(Format::Sri),
            "nix32" | "base32" => Ok(Format::Nix32),
            "base16" | "hex" => Ok(Format::Base16),
            "base64" => Ok(Format::Base64),
            _ => Err(format!(
                "unknown hash format '{s}': use sri, nix32, base16 or base64"
            )),
        }
    }
}

/// Why a string is not a hash Nix would accept.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseHashError {
    #[error("unknown hash algorithm '{0}' (Nix accepts sha1, sha256, sha512)")]
    UnknownAlgorithm(String),
    #[error("hash '{0}' has no algorithm: write it as SRI (sha256-…) or prefix it (sha256:…)")]
    MissingAlgorithm(String),
    #[error("hash '{hash}' has the wrong length for {algorithm} in any encoding")]
    BadLength { hash: String, algorithm: Algorithm },
    #[error("hash '{hash}' is not valid {encoding}")]
    BadEncoding {
        hash: String,
        encoding: &'static str,
    },
}

fn nix32_len(size: usize) -> usize {
    (size * 8 - 1) / 5 + 1
}

fn base64_len(size: usize) -> usize {
    size.div_ceil(3) * 4
}

impl Hash {
    pub fn format(&self, format: Format) -> String {
        match format {
            Format::Sri => self.to_sri(),
            Format::Nix32 => self.to_nix32(),
            Format::Base16 => self.to_base16(),
            Format::Base64 => self.to_base64(),
        }
    }

    /// `sha256-<base64>`.
    pub fn to_sri(&self) -> String {
        format!("{}-{}", self.algorithm(), self.to_base64())
    }

    /// Nix's base-32 without prefix.
    pub fn to_nix32(&self) -> String {
        nix_base32::to_nix_base32(self.digest())
    }

    pub fn to_base16(&self) -> String {
        self.digest().iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.digest())
    }

    /// Parses any form Nix accepts: SRI (`sha256-…`), prefixed (`sha256:<base16|nix32|base64>`),
    /// or a bare digest when `default` names the algorithm (as `outputHashAlgo` or `sha256 = …` do).
    pub fn parse(s: &str, default: Option<Algorithm>) -> Result<Hash, ParseHashError> {
        let s = s.trim();
        if let Some((algo, rest)) = s.split_once(':') {
            let algorithm = Algorithm::from_name(algo)
                .ok_or_else(|| ParseHashError::UnknownAlgorithm(algo.to_string()))?;
            return decode_any(rest, algorithm, s);
        }
        if let Some((algo, rest)) = s.split_once('-') {
            if let Some(algorithm) = Algorithm::from_name(algo) {
                if rest.len() != base64_len(algorithm.size()) {
                    return Err(ParseHashError::BadLength {
                        hash: s.to_string(),
                        algorithm,
                    });
                }
                return decode_base64(rest, algorithm, s);
            }
        }
        match default {
            Some(algorithm) => decode_any(s, algorithm, s),
            None => Err(ParseHashError::MissingAlgorithm(s.to_string())),
        }
    }
}

impl std::str::FromStr for Hash {
    type Err = ParseHashError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Hash::parse(s, None)
    }
}

/// Picks the encoding from the length, as Nix does: the three lengths never coincide.
fn decode_any(text: &str, algorithm: Algorithm, whole: &str) -> Result<Hash, ParseHashError> {
    let size = algorithm.size();
    let bad = |encoding| ParseHashError::BadEncoding {
        hash: whole.to_string(),
        encoding,
    };
    let n = text.len();
    let digest = if n == size * 2 {
        if !text.is_ascii() {
            return Err(bad("base16"));
        }
        (0..n)
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16))
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|_| bad("base16"))?
    } else if n == nix32_len(size) {
        let digest = nix_base32::from_nix_base32(text).ok_or(bad("nix32"))?;
        if digest.len() != size {
            return Err(bad("nix32"));
        }
        digest
    } else if n == base64_len(size) {
        return decode_base64(text, algorithm, whole);
    } else {
        return Err(ParseHashError::BadLength {
            hash: whole.to_string(),
            algorithm,
        });
    };
    Hash::from_digest(algorithm, &digest).ok_or(bad("base16"))
}

fn decode_base64(text: &str, algorithm: Algorithm, whole: &str) -> Result<Hash, ParseHashError> {
    let bad = || ParseHashError::BadEncoding {
        hash: whole.to_string(),
        encoding: "base64",
    };
    let digest = STANDARD.decode(text).map_err(|_| bad())?;
    Hash::from_digest(algorithm, &digest).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash_bytes;

    // `echo hello > f; nix hash file --type sha256 --base32 f` etc. on Nix 2.8.
    const HELLO_SRI: &str = "sha256-WJG1tSLV3whtD/CxEPvZ0hu0/HFjrzTQgoai6Eb2vgM=";
    const HELLO_NIX32: &str = "00xyyr3fi8l6hb839bv3f7yb86yjv7xi1cgh1xnhipym4asvb4aq";

    #[test]
    fn all_forms_of_one_hash() {
        let h = hash_bytes(Algorithm::Sha256, b"hello\n");
        assert_eq!(h.to_sri(), HELLO_SRI);
        assert_eq!(h.to_nix32(), HELLO_NIX32);
        for f in [Format::Sri, Format::Nix32, Format::Base16, Format::Base64] {
            let text = h.format(f);
            let parsed = Hash::parse(&text, Some(Algorithm::Sha256)).unwrap();
            assert_eq!(parsed, h, "{f:?}");
            let prefixed = format!(
                "sha256:{}",
                if f == Format::Sri {
                    h.to_base64()
                } else {
                    text
                }
            );
            assert_eq!(Hash::parse(&prefixed, None).unwrap(), h);
        }
    }

    #[test]
    fn rejects_what_nix_rejects() {
        assert!(matches!(
            Hash::parse(HELLO_NIX32, None),
            Err(ParseHashError::MissingAlgorithm(_))
        ));
        assert!(matches!(
            Hash::parse("md5:abc", None),
            Err(ParseHashError::UnknownAlgorithm(_))
        ));
        assert!(matches!(
            Hash::parse("sha256-AAAA", None),
            Err(ParseHashError::BadLength { .. })
        ));
        // 'e' is not in Nix's base-32 alphabet.
        let bad = format!("sha256:e{}", &HELLO_NIX32[1..]);
        assert!(matches!(
            Hash::parse(&bad, None),
            Err(ParseHashError::BadEncoding { .. })
        ));
        // A leading digit that would overflow 256 bits.
        let overflow = format!("sha256:z{}", &HELLO_NIX32[1..]);
        assert!(Hash::parse(&overflow, None).is_err());
    }

    #[test]
    fn sha1_and_sha512_lengths() {
        for a in [Algorithm::Sha1, Algorithm::Sha512] {
            let h = hash_bytes(a, b"x");
            for f in [Format::Sri, Format::Nix32, Format::Base16] {
                let text = h.format(f);
                assert_eq!(Hash::parse(&text, Some(a)).unwrap(), h);
            }
        }
    }

    #[test]
    fn fake_hash_is_all_zero() {
        let h = Hash::parse("sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", None).unwrap();
        assert!(h.digest().iter().all(|b| *b == 0));
        assert_eq!(h.to_nix32(), "0".repeat(52));
    }
}
