//! Store paths of fixed-output results: where `fetchurl`, `fetchzip` and `nix-prefetch-url` put a
//! file or tree with a given hash, computed without asking Nix.

use crate::{hash_bytes, Algorithm, Hash};

/// The store directory every Nix that ai-drv drives uses.
pub const STORE_DIR: &str = "/nix/store";

/// A name Nix would not accept for a store path.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StorePathError {
    #[error("store path name '{0}' is invalid: use 1–211 characters from A–Z a–z 0–9 + - . _ ? =, not starting with '.'")]
    InvalidName(String),
}

/// Checks a store path name the way Nix does.
pub fn validate_name(name: &str) -> Result<(), StorePathError> {
    let ok = !name.is_empty()
        && name.len() <= 211
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-._?=".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(StorePathError::InvalidName(name.to_string()))
    }
}

/// The store path of a fixed-output result: `recursive` for NAR hashes (`fetchzip`, `--unpack`),
/// flat otherwise (`fetchurl`).
pub fn fixed_output_path(
    name: &str,
    hash: &Hash,
    recursive: bool,
) -> Result<String, StorePathError> {
    validate_name(name)?;
    if recursive && hash.algorithm() == Algorithm::Sha256 {
        return Ok(make_store_path("source", hash, name));
    }
    let inner = format!(
        "fixed:out:{}{}:{}:",
        if recursive { "r:" } else { "" },
        hash.algorithm(),
        hash.to_base16()
    );
    let inner = hash_bytes(Algorithm::Sha256, inner.as_bytes());
    Ok(make_store_path("output:out", &inner, name))
}

fn make_store_path(kind: &str, hash: &Hash, name: &str) -> String {
    let fingerprint = format!(
        "{kind}:{}:{}:{STORE_DIR}:{name}",
        hash.algorithm(),
        hash.to_base16()
    );
    let digest = hash_bytes(Algorithm::Sha256, fingerprint.as_bytes());
    // Nix folds the 32-byte digest to 20 bytes by XOR.
    let mut folded = [0u8; 20];
    for (i, b) in digest.digest().iter().enumerate() {
        folded[i % 20] ^= b;
    }
    format!("{STORE_DIR}/{}-{name}", nix_base32::to_nix_base32(&folded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(validate_name("hello-2.10.tar.gz").is_ok());
        assert!(validate_name(".hidden").is_err());
        assert!(validate_name("a b").is_err());
        assert!(validate_name("").is_err());
    }
}
