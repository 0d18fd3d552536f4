//! NAR serialisation of a file-system tree, and the NAR hash Nix derives from it.
//!
//! Written here rather than taken from a crate: the published NAR crates require UTF-8 file names
//! (Nix archives any byte string) and build the archive as a reader, while ai-drv wants to stream a
//! tree straight into a hasher. The format itself is small and fixed (Nix's `archive.cc`).

use std::ffi::OsStr;
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::{Algorithm, Hash, Hasher};

/// Why a tree could not be archived.
#[derive(Debug, thiserror::Error)]
pub enum NarError {
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error("{0}: not a regular file, directory or symlink; Nix cannot archive it")]
    UnsupportedFileType(PathBuf),
}

/// Writes the NAR serialisation of `path` (file, directory or symlink; not followed) to `out`.
pub fn write_nar(path: &Path, out: &mut dyn Write) -> Result<(), NarError> {
    write_str(out, b"nix-archive-1")?;
    write_node(path, out)
}

/// NAR hash of `path`, as `nix hash path` and recursive fixed-output derivations compute it.
pub fn hash_path(algorithm: Algorithm, path: &Path) -> Result<Hash, NarError> {
    let mut hasher = io::BufWriter::with_capacity(64 * 1024, Hasher::new(algorithm));
    write_nar(path, &mut hasher)?;
    let hasher = hasher.into_inner().map_err(|e| e.into_error())?;
    Ok(hasher.finish())
}

fn write_node(path: &Path, out: &mut dyn Write) -> Result<(), NarError> {
    let meta = fs_err::symlink_metadata(path)?;
    let kind = meta.file_type();
    write_str(out, b"(")?;
    write_str(out, b"type")?;
    if kind.is_symlink() {
        let target = fs_err::read_link(path)?;
        write_str(out, b"symlink")?;
        write_str(out, b"target")?;
        write_str(out, target.as_os_str().as_bytes())?;
    } else if kind.is_file() {
        write_str(out, b"regular")?;
        // Nix records only the owner's execute bit.
        if meta.permissions().mode() & 0o100 != 0 {
            write_str(out, b"executable")?;
            write_str(out, b"")?;
        }
        write_str(out, b"contents")?;
        let mut file = fs_err::File::open(path)?;
        write_len(out, meta.len())?;
        let copied = io::copy(&mut (&mut file).take(meta.len()), out)?;
        if copied != meta.len() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("{}: file changed while being archived", path.display()),
            )
            .into());
        }
        write_padding(out, meta.len())?;
    } else if kind.is_dir() {
        write_str(out, b"directory")?;
        let mut names: Vec<std::ffi::OsString> = fs_err::read_dir(path)?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<Result<_, _>>()?;
        // Nix sorts entries by their raw bytes.
        names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        for name in names {
            write_str(out, b"entry")?;
            write_str(out, b"(")?;
            write_str(out, b"name")?;
            write_str(out, OsStr::new(&name).as_bytes())?;
            write_str(out, b"node")?;
            write_node(&path.join(&name), out)?;
            write_str(out, b")")?;
        }
    } else {
        return Err(NarError::UnsupportedFileType(path.to_path_buf()));
    }
    write_str(out, b")")?;
    Ok(())
}

fn write_len(out: &mut dyn Write, len: u64) -> io::Result<()> {
    out.write_all(&len.to_le_bytes())
}

fn write_padding(out: &mut dyn Write, len: u64) -> io::Result<()> {
    let pad = (8 - (len % 8) as usize) % 8;
    out.write_all(&[0u8; 8][..pad])
}

fn write_str(out: &mut dyn Write, s: &[u8]) -> io::Result<()> {
    write_len(out, s.len() as u64)?;
    out.write_all(s)?;
    write_padding(out, s.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_file_layout() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("f");
        std::fs::write(&f, b"abc").unwrap();
        let mut nar = Vec::new();
        write_nar(&f, &mut nar).unwrap();
        // 13-byte magic padded to 16, then "(" "type" "regular" "contents" len abc+pad ")".
        assert_eq!(nar.len(), 8 + 16 + 16 + 8 + 16 + 16 + 8 + 8 + 8 + 8 + 8);
        assert_eq!(&nar[8..21], b"nix-archive-1");
    }

    #[test]
    fn fifo_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("p");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        assert!(matches!(
            hash_path(Algorithm::Sha256, dir.path()),
            Err(NarError::UnsupportedFileType(_))
        ));
    }
}
