//! Unpacking archives as `nix-prefetch-url --unpack` and `fetchzip` see them: tar (plain, gzip,
//! xz, bzip2, zstd) and zip, recognised by their content rather than their name, with symlinks and
//! execute bits kept (they are part of the NAR hash) and entries that would escape refused.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// The kinds of archive ai-drv unpacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    Tar,
    TarGz,
    TarXz,
    TarBz2,
    TarZst,
    Zip,
}

impl ArchiveKind {
    /// Recognises an archive by its first bytes.
    pub fn sniff(head: &[u8]) -> Option<ArchiveKind> {
        if head.starts_with(&[0x1f, 0x8b]) {
            Some(ArchiveKind::TarGz)
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
            Some(ArchiveKind::TarXz)
        } else if head.starts_with(b"BZh") {
            Some(ArchiveKind::TarBz2)
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(ArchiveKind::TarZst)
        } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
            Some(ArchiveKind::Zip)
        } else if head.len() >= 262 && &head[257..262] == b"ustar" {
            Some(ArchiveKind::Tar)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ArchiveKind::Tar => "tar",
            ArchiveKind::TarGz => "tar.gz",
            ArchiveKind::TarXz => "tar.xz",
            ArchiveKind::TarBz2 => "tar.bz2",
            ArchiveKind::TarZst => "tar.zst",
            ArchiveKind::Zip => "zip",
        }
    }
}

/// Why an archive could not be unpacked.
#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    #[error("{path}: not an archive ai-drv can unpack (tar, tar.gz, tar.xz, tar.bz2, tar.zst or zip); drop --unpack to hash the file as it is")]
    Unknown { path: PathBuf },
    #[error("{path}: corrupt {kind} archive: {reason}")]
    Corrupt {
        path: PathBuf,
        kind: &'static str,
        reason: String,
    },
    #[error("{path}: the archive is empty")]
    Empty { path: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Unpacks `archive` into the (existing, empty) directory `dest`.
pub fn unpack(archive: &Path, dest: &Path) -> Result<ArchiveKind, UnpackError> {
    let io = |source| UnpackError::Io {
        path: archive.to_path_buf(),
        source,
    };
    let mut file = fs_err::File::open(archive).map_err(io)?;
    let mut head = [0u8; 512];
    let n = read_up_to(&mut file, &mut head).map_err(io)?;
    let kind = ArchiveKind::sniff(&head[..n]).ok_or_else(|| UnpackError::Unknown {
        path: archive.to_path_buf(),
    })?;
    let corrupt = |reason: String| UnpackError::Corrupt {
        path: archive.to_path_buf(),
        kind: kind.name(),
        reason,
    };
    let file = BufReader::new(fs_err::File::open(archive).map_err(io)?.into_parts().0);
    match kind {
        ArchiveKind::Zip => {
            let mut zip = zip::ZipArchive::new(file).map_err(|e| corrupt(e.to_string()))?;
            zip.extract(dest).map_err(|e| corrupt(e.to_string()))?;
        }
        ArchiveKind::Tar => untar(file, dest).map_err(corrupt)?,
        ArchiveKind::TarGz => {
            untar(flate2::read::MultiGzDecoder::new(file), dest).map_err(corrupt)?
        }
        ArchiveKind::TarXz => untar(liblzma::read::XzDecoder::new(file), dest).map_err(corrupt)?,
        ArchiveKind::TarBz2 => {
            untar(bzip2::read::MultiBzDecoder::new(file), dest).map_err(corrupt)?
        }
        ArchiveKind::TarZst => {
            let decoder =
                zstd::stream::read::Decoder::new(file).map_err(|e| corrupt(e.to_string()))?;
            untar(decoder, dest).map_err(corrupt)?
        }
    }
    Ok(kind)
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn untar(reader: impl Read, dest: &Path) -> Result<(), String> {
    let mut archive = tar::Archive::new(reader);
    archive.set_preserve_permissions(true);
    archive.set_preserve_mtime(false);
    archive.set_unpack_xattrs(false);
    archive.set_overwrite(true);
    let mut entries = 0usize;
    for entry in archive.entries().map_err(|e| e.to_string())? {
        let mut entry = entry.map_err(|e| e.to_string())?;
        // Devices and FIFOs cannot be part of a Nix store path; Nix's unpacker skips them too.
        use tar::EntryType::*;
        if matches!(
            entry.header().entry_type(),
            Char | Block | Fifo | XGlobalHeader | XHeader
        ) {
            continue;
        }
        entry.unpack_in(dest).map_err(|e| e.to_string())?;
        entries += 1;
    }
    // A truncated compressed stream can end "cleanly" for tar; an empty result is suspicious.
    if entries == 0 {
        return Err("no entries".into());
    }
    make_dirs_writable(dest).map_err(|e| e.to_string())
}

/// Archives may hold read-only directories; make them owner-writable so the tree can be cleaned
/// up (Nix canonicalises permissions in the store anyway; only execute bits reach the NAR).
fn make_dirs_writable(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::symlink_metadata(dir)?;
    if meta.is_dir() {
        let mode = meta.permissions().mode();
        if mode & 0o700 != 0o700 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode | 0o700))?;
        }
        for entry in std::fs::read_dir(dir)? {
            make_dirs_writable(&entry?.path())?;
        }
    }
    Ok(())
}

/// What `nix-prefetch-url --unpack` hashes: the single top-level entry if there is exactly one,
/// else the whole directory.
pub fn strip_single_top(dir: &Path) -> Result<PathBuf, UnpackError> {
    let entries: Vec<PathBuf> = fs_err::read_dir(dir)
        .map_err(|source| UnpackError::Io {
            path: dir.to_path_buf(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    match entries.as_slice() {
        [] => Err(UnpackError::Empty {
            path: dir.to_path_buf(),
        }),
        [only] => Ok(only.clone()),
        _ => Ok(dir.to_path_buf()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(
            ArchiveKind::sniff(&[0x1f, 0x8b, 8]),
            Some(ArchiveKind::TarGz)
        );
        assert_eq!(
            ArchiveKind::sniff(b"PK\x03\x04rest"),
            Some(ArchiveKind::Zip)
        );
        assert_eq!(ArchiveKind::sniff(b"BZh91AY"), Some(ArchiveKind::TarBz2));
        assert_eq!(ArchiveKind::sniff(b"<html>"), None);
    }

    #[test]
    fn html_error_page_is_not_an_archive() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("x.tar.gz");
        std::fs::write(&f, "<html>404</html>").unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let err = unpack(&f, &out).unwrap_err();
        assert!(matches!(err, UnpackError::Unknown { .. }));
        assert!(!err.to_string().contains('\n'));
    }
}
