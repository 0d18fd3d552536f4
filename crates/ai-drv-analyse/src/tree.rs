//! One walk over the source tree: every file's path (relative, `/`-separated) and size, so the
//! rules can ask "does X exist" and "which files are named Y" without touching the disk again,
//! and read only the few files they need. Version-control and dependency-cache directories are
//! never entered, and files over [`MAX_FILE`] are never read, which keeps a whole analysis of a
//! few-megabyte tree in the low milliseconds.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// Files larger than this are not read (generated data, test corpora, binaries).
pub const MAX_FILE: u64 = 1 << 20;

/// Directories that never hold the project's own build files.
const SKIP_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".bzr",
    "CVS",
    "node_modules",
    "__pycache__",
    ".tox",
    ".venv",
    ".mypy_cache",
    "autom4te.cache",
];

/// Directories whose files are tests, examples or bundled third-party code: read for build
/// files that the build itself uses, but not as evidence of what the project's code includes.
const AUXILIARY_DIRS: &[&str] = &[
    "test",
    "tests",
    "testdata",
    "test-data",
    "testsuite",
    "t",
    "example",
    "examples",
    "bench",
    "benches",
    "benchmark",
    "benchmarks",
    "fuzz",
    "fuzzing",
    "ossfuzz",
    "doc",
    "docs",
    "contrib",
    "third_party",
    "thirdparty",
    "third-party",
    "vendor",
    "external",
    "deps",
    "subprojects",
];

#[derive(Debug, Clone)]
pub struct Entry {
    /// Relative to the tree root, `/`-separated.
    pub rel: String,
    pub size: u64,
}

#[derive(Debug, Clone)]
pub struct Tree {
    root: PathBuf,
    files: Vec<Entry>,
    set: HashSet<String>,
    dirs: BTreeSet<String>,
}

impl Tree {
    /// Walks `root`. Unreadable entries are skipped; symlinks are not followed.
    pub fn walk(root: &Path) -> Tree {
        let mut files = Vec::new();
        let mut dirs = BTreeSet::new();
        let walker = walkdir::WalkDir::new(root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !(e.file_type().is_dir()
                        && SKIP_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
            });
        for entry in walker.flatten() {
            let Ok(rel) = entry.path().strip_prefix(root) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel.is_empty() {
                continue;
            }
            if entry.file_type().is_dir() {
                dirs.insert(rel);
            } else if entry.file_type().is_file() {
                let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                files.push(Entry { rel, size });
            }
        }
        let set = files.iter().map(|e| e.rel.clone()).collect();
        Tree {
            root: root.to_path_buf(),
            files,
            set,
            dirs,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn files(&self) -> &[Entry] {
        &self.files
    }

    /// Whether a file exists at `rel`.
    pub fn exists(&self, rel: &str) -> bool {
        self.set.contains(rel)
    }

    pub fn is_dir(&self, rel: &str) -> bool {
        self.dirs.contains(rel)
    }

    /// Immediate subdirectories of `dir` (`""` for the root), by name.
    pub fn subdirs(&self, dir: &str) -> Vec<String> {
        let prefix = join(dir, "");
        self.dirs
            .iter()
            .filter_map(|d| d.strip_prefix(prefix.as_str()))
            .filter(|rest| !rest.is_empty() && !rest.contains('/'))
            .map(str::to_string)
            .collect()
    }

    /// Files directly in `dir` (`""` for the root), as relative paths.
    pub fn files_in(&self, dir: &str) -> impl Iterator<Item = &Entry> + '_ {
        let prefix = join(dir, "");
        self.files.iter().filter(move |e| {
            e.rel
                .strip_prefix(prefix.as_str())
                .is_some_and(|rest| !rest.contains('/'))
        })
    }

    /// Files anywhere under `dir` (`""` for the whole tree).
    pub fn files_under<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        let prefix = join(dir, "");
        self.files
            .iter()
            .filter(move |e| e.rel.starts_with(prefix.as_str()))
    }

    /// Files under `dir` whose file name is exactly `name`.
    pub fn named<'a>(
        &'a self,
        dir: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Entry> + 'a {
        self.files_under(dir)
            .filter(move |e| file_name(&e.rel) == name)
    }

    /// The text of a file no larger than [`MAX_FILE`], invalid UTF-8 replaced.
    pub fn read(&self, rel: &str) -> Option<String> {
        self.read_limited(rel, MAX_FILE)
    }

    /// The text of a file no larger than `limit` bytes.
    pub fn read_limited(&self, rel: &str, limit: u64) -> Option<String> {
        let path = self.root.join(rel);
        let meta = fs_err::metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > limit {
            return None;
        }
        let bytes = fs_err::read(&path).ok()?;
        Some(match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }

    /// The first `n` bytes of a file of any size, as text.
    pub fn head(&self, rel: &str, n: usize) -> Option<String> {
        use std::io::Read;
        let file = fs_err::File::open(self.root.join(rel)).ok()?;
        let mut buf = Vec::with_capacity(n);
        file.take(n as u64).read_to_end(&mut buf).ok()?;
        Some(String::from_utf8_lossy(&buf).into_owned())
    }
}

/// `dir/name`, or `name` at the root; with an empty `name`, the prefix for paths under `dir`.
pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

pub fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// The directory part of a relative path (`""` at the root).
pub fn parent(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

/// Whether `rel` lies in a tests/examples/vendored directory.
pub fn is_auxiliary(rel: &str) -> bool {
    let dir = parent(rel);
    !dir.is_empty()
        && dir
            .split('/')
            .any(|c| AUXILIARY_DIRS.contains(&c.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_lists_files_and_skips_vcs_dirs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs_err::create_dir_all(root.join(".git/objects")).unwrap();
        fs_err::write(root.join(".git/config"), "x").unwrap();
        fs_err::create_dir_all(root.join("src/sub")).unwrap();
        fs_err::write(root.join("src/a.c"), "int a;").unwrap();
        fs_err::write(root.join("src/sub/b.h"), "").unwrap();
        fs_err::write(root.join("Makefile"), "all:").unwrap();
        let tree = Tree::walk(root);
        let rels: Vec<&str> = tree.files().iter().map(|e| e.rel.as_str()).collect();
        assert_eq!(rels, ["Makefile", "src/a.c", "src/sub/b.h"]);
        assert_eq!(tree.subdirs(""), ["src"]);
        assert_eq!(tree.subdirs("src"), ["sub"]);
        let in_src: Vec<&str> = tree.files_in("src").map(|e| e.rel.as_str()).collect();
        assert_eq!(in_src, ["src/a.c"]);
        assert_eq!(tree.read("src/a.c").as_deref(), Some("int a;"));
        assert!(tree.exists("src/sub/b.h"));
        assert!(!tree.exists(".git/config"));
    }

    #[test]
    fn auxiliary_dirs() {
        assert!(is_auxiliary("tests/data/x.c"));
        assert!(is_auxiliary("lib/third_party/zlib/zlib.h"));
        assert!(!is_auxiliary("src/main.c"));
        assert!(!is_auxiliary("test.c"));
    }
}
