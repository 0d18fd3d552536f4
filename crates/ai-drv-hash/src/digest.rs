//! Hash algorithms Nix accepts for fixed outputs, and a [`Hash`] value that knows its algorithm.

use std::io::{self, Read};
use std::path::Path;

use sha1::Digest as _;

/// A hash algorithm Nix accepts in fixed-output derivations and SRI strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

impl Algorithm {
    /// All algorithms, in the order Nix lists them.
    pub const ALL: [Algorithm; 3] = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512];

    /// The name Nix uses (`sha256`), also the SRI prefix.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "sha1",
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }

    /// Digest length in bytes.
    pub fn size(self) -> usize {
        match self {
            Algorithm::Sha1 => 20,
            Algorithm::Sha256 => 32,
            Algorithm::Sha512 => 64,
        }
    }

    /// Parses a name as Nix spells it (`sha256`).
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.name() == name)
    }
}

impl std::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Algorithm {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Algorithm::from_name(s)
            .ok_or_else(|| format!("unknown hash algorithm '{s}': use sha1, sha256 or sha512"))
    }
}

/// A digest together with its algorithm. Its text forms live in [`crate::Format`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Hash {
    algorithm: Algorithm,
    digest: Vec<u8>,
}

impl Hash {
    /// Wraps a digest; `None` when its length does not fit the algorithm.
    pub fn from_digest(algorithm: Algorithm, digest: &[u8]) -> Option<Hash> {
        (digest.len() == algorithm.size()).then(|| Hash {
            algorithm,
            digest: digest.to_vec(),
        })
    }

    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    pub fn digest(&self) -> &[u8] {
        &self.digest
    }
}

impl std::fmt::Debug for Hash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Hash({})", self.to_sri())
    }
}

impl std::fmt::Display for Hash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_sri())
    }
}

/// Incremental hashing with any [`Algorithm`]; also an [`io::Write`] sink.
#[derive(Clone)]
pub enum Hasher {
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
    Sha512(sha2::Sha512),
}

impl Hasher {
    pub fn new(algorithm: Algorithm) -> Hasher {
        match algorithm {
            Algorithm::Sha1 => Hasher::Sha1(sha1::Sha1::new()),
            Algorithm::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            Algorithm::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
        }
    }

    pub fn finish(self) -> Hash {
        let (algorithm, digest) = match self {
            Hasher::Sha1(h) => (Algorithm::Sha1, h.finalize().to_vec()),
            Hasher::Sha256(h) => (Algorithm::Sha256, h.finalize().to_vec()),
            Hasher::Sha512(h) => (Algorithm::Sha512, h.finalize().to_vec()),
        };
        Hash { algorithm, digest }
    }
}

impl io::Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Hash of a byte string.
pub fn hash_bytes(algorithm: Algorithm, data: &[u8]) -> Hash {
    let mut h = Hasher::new(algorithm);
    h.update(data);
    h.finish()
}

/// Flat hash of a file's contents, as `nix hash file` and `fetchurl` compute it.
pub fn hash_file(algorithm: Algorithm, path: &Path) -> io::Result<Hash> {
    let mut file = fs_err::File::open(path)?;
    let mut h = Hasher::new(algorithm);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        let h = hash_bytes(Algorithm::Sha256, b"hello\n");
        assert_eq!(
            h.to_base16(),
            "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
        );
        assert_eq!(hash_bytes(Algorithm::Sha1, b"").digest().len(), 20);
        assert_eq!(hash_bytes(Algorithm::Sha512, b"").digest().len(), 64);
    }

    #[test]
    fn from_digest_checks_length() {
        assert!(Hash::from_digest(Algorithm::Sha256, &[0; 31]).is_none());
        assert!(Hash::from_digest(Algorithm::Sha256, &[0; 32]).is_some());
    }
}
