//! From what the build files ask for ([`Want`]) to attributes, and from attributes to the two
//! input lists. Resolution goes through the hostpkgs resolver [`Index`]; on top of it this module
//! knows what never becomes an input — the C library and compiler runtime (`-lm`, `<stdio.h>`),
//! the tools every stdenv already has (`sed`, `make`), platform-only names (`-lws2_32`,
//! `<windows.h>`) — and the few spelling differences between what builds say and what the index
//! records (`yacc` is provided by bison, `openssl-sys` links the `openssl` module).
//!
//! Placement follows docs/engine.md: commands → `nativeBuildInputs`; pkg-config modules → the
//! library in `buildInputs` plus `pkg-config` in `nativeBuildInputs`; headers and `-l` libraries →
//! `buildInputs`; the build system's own tools (cmake, meson + ninja, autoreconfHook) →
//! `nativeBuildInputs`.

use std::collections::{BTreeSet, HashSet};

use crate::build_system::Found;
use crate::{BuildSystem, Dependency, Index, Want};

/// What a want resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Provided by the C library, the compiler or stdenv, or only meaningful on another
    /// platform: not a dependency at all.
    Skip,
    /// The attribute that provides it.
    Attr(String),
    /// A real dependency the index does not know.
    Unresolved,
}

/// Libraries that glibc, libgcc or libstdc++ provide, or that exist only on other systems.
const LIBC_LIBRARIES: &[&str] = &[
    "c",
    "m",
    "dl",
    "pthread",
    "pthreads",
    "rt",
    "util",
    "crypt",
    "resolv",
    "anl",
    "mvec",
    "BrokenLocale",
    "gcc",
    "gcc_s",
    "stdc++",
    "supc++",
    "atomic",
    "gomp",
    "dld",
    "svld",
    "intl",
    "iconv",
    "socket",
    "network",
    "execinfo",
    "kvm",
    "devstat",
    "kstat",
    "prop",
    "malloc",
    "cposix",
    "posix4",
    "compat",
    "thr",
    "c_r",
    "root",
    "be",
    "ws2_32",
    "wsock32",
    "winmm",
    "gdi32",
    "user32",
    "kernel32",
    "shell32",
    "ole32",
    "oleaut32",
    "advapi32",
    "comctl32",
    "comdlg32",
    "iphlpapi",
    "psapi",
    "bcrypt",
    "userenv",
    "dbghelp",
    "shlwapi",
    "proc",
    "perfstat",
    "sendfile",
    "xnet",
    "ucb",
    "nsl_s",
    "inet",
    "bsd-compat",
];

/// Functions glibc has, so `AC_SEARCH_LIBS(fn, …)` needs no library on Linux.
pub(crate) const GLIBC_FUNCTIONS: &[&str] = &[
    "flock",
    "clock_gettime",
    "clock_nanosleep",
    "nanosleep",
    "dlopen",
    "dlsym",
    "socket",
    "connect",
    "gethostbyname",
    "gethostbyname_r",
    "gethostbyaddr",
    "getaddrinfo",
    "getnameinfo",
    "inet_ntoa",
    "inet_aton",
    "inet_pton",
    "inet_ntop",
    "strerror",
    "sched_yield",
    "sem_init",
    "sem_open",
    "shm_open",
    "shm_unlink",
    "pthread_create",
    "pthread_mutex_lock",
    "backtrace",
    "forkpty",
    "openpty",
    "login_tty",
    "dn_expand",
    "res_query",
    "res_search",
    "res_9_query",
    "__res_query",
    "getopt_long",
    "iconv_open",
    "gettext",
    "ngettext",
    "dgettext",
    "bindtextdomain",
    "timer_create",
    "aio_read",
    "mq_open",
    "setsockopt",
    "gethostent",
    "hstrerror",
    "fdatasync",
    "posix_spawn",
    "sys_signame",
    "fmod",
    "ceil",
    "floor",
    "sqrt",
    "pow",
    "exp",
    "log",
    "sin",
    "cos",
    "round",
    "lrint",
    "sys_siglist",
    "crypt",
    "getspnam",
    "clock_getres",
    "sched_setaffinity",
    "pthread_setname_np",
    "dladdr",
    "if_nametoindex",
];

/// Commands every build environment has (stdenv's tools, the compiler, coreutils), commands that
/// only fetch or inspect and are never needed to build from a tarball, and other platforms' tools.
const STDENV_COMMANDS: &[&str] = &[
    "sh",
    "bash",
    "cc",
    "gcc",
    "g++",
    "c++",
    "cpp",
    "cxx",
    "ld",
    "ar",
    "as",
    "nm",
    "ranlib",
    "strip",
    "objcopy",
    "objdump",
    "readelf",
    "size",
    "strings",
    "make",
    "gmake",
    "sed",
    "gsed",
    "awk",
    "gawk",
    "mawk",
    "nawk",
    "grep",
    "egrep",
    "fgrep",
    "find",
    "xargs",
    "install",
    "ginstall",
    "ln",
    "cp",
    "mv",
    "rm",
    "mkdir",
    "rmdir",
    "chmod",
    "chown",
    "cat",
    "echo",
    "printf",
    "test",
    "true",
    "false",
    "tr",
    "sort",
    "uniq",
    "head",
    "tail",
    "wc",
    "cut",
    "date",
    "touch",
    "env",
    "expr",
    "basename",
    "dirname",
    "tar",
    "gtar",
    "gzip",
    "gunzip",
    "zcat",
    "bzip2",
    "xz",
    "patch",
    "diff",
    "cmp",
    "file",
    "uname",
    "id",
    "pwd",
    "tee",
    "mktemp",
    "sleep",
    "ls",
    "stat",
    "realpath",
    "readlink",
    "od",
    "md5sum",
    "sha256sum",
    "sha1sum",
    "sum",
    "cksum",
    "dlltool",
    "lipo",
    "otool",
    "otool64",
    "nmedit",
    "dsymutil",
    "mt",
    "windres",
    "link",
    "git",
    "hg",
    "svn",
    "cvs",
    "ccache",
    "distcc",
    "valgrind",
    "gdb",
    "lcov",
    "gcov",
    "gcovr",
    "genhtml",
    "clang-format",
    "clang-tidy",
    "cppcheck",
    "iwyu",
    "include-what-you-use",
    "ctags",
    "etags",
    "cscope",
    "sudo",
    "rpmbuild",
    "rpm",
    "dpkg",
    "dpkg-buildpackage",
    "curl",
    "wget",
    "hostname",
    "whoami",
    "which",
    "nproc",
    "getconf",
    "ldconfig",
    "chrpath",
    "mkdir_p",
    "ls-files",
    "sw_vers",
    "xcrun",
    "xcodebuild",
    "codesign",
    "hdiutil",
    "lldb",
    "makensis",
    "install-info",
    "pkg-config-wrapper",
];

/// Attributes stdenv already provides: a command they provide is no input.
const STDENV_ATTRS: &[&str] = &[
    "bash",
    "dash",
    "coreutils",
    "findutils",
    "diffutils",
    "gnused",
    "gnugrep",
    "gawk",
    "gnutar",
    "gzip",
    "bzip2",
    "xz",
    "gnumake",
    "gnupatch",
    "patch",
    "gcc",
    "binutils",
    "file",
    "glibc",
    "libc",
    "stdenv",
];

/// Headers of the C and C++ standard libraries, glibc, the compiler and other platforms, which no
/// attribute provides (the index leaves them out because glibc is part of the build root).
const SYSTEM_HEADERS: &[&str] = &[
    "alloca.h",
    "argp.h",
    "argz.h",
    "ar.h",
    "assert.h",
    "byteswap.h",
    "complex.h",
    "cpio.h",
    "ctype.h",
    "dirent.h",
    "dlfcn.h",
    "elf.h",
    "endian.h",
    "envz.h",
    "err.h",
    "errno.h",
    "error.h",
    "execinfo.h",
    "fcntl.h",
    "features.h",
    "fenv.h",
    "float.h",
    "fmtmsg.h",
    "fnmatch.h",
    "fpu_control.h",
    "fstab.h",
    "fts.h",
    "ftw.h",
    "gconv.h",
    "getopt.h",
    "glob.h",
    "grp.h",
    "gshadow.h",
    "iconv.h",
    "ieee754.h",
    "ifaddrs.h",
    "inttypes.h",
    "iso646.h",
    "langinfo.h",
    "lastlog.h",
    "libgen.h",
    "libintl.h",
    "libio.h",
    "limits.h",
    "link.h",
    "locale.h",
    "malloc.h",
    "math.h",
    "mcheck.h",
    "memory.h",
    "mntent.h",
    "monetary.h",
    "mqueue.h",
    "netdb.h",
    "nl_types.h",
    "nss.h",
    "obstack.h",
    "paths.h",
    "poll.h",
    "printf.h",
    "pthread.h",
    "pty.h",
    "pwd.h",
    "re_comp.h",
    "regex.h",
    "regexp.h",
    "resolv.h",
    "sched.h",
    "search.h",
    "semaphore.h",
    "setjmp.h",
    "sgtty.h",
    "shadow.h",
    "signal.h",
    "spawn.h",
    "stab.h",
    "stdalign.h",
    "stdarg.h",
    "stdatomic.h",
    "stdbool.h",
    "stddef.h",
    "stdint.h",
    "stdio.h",
    "stdio_ext.h",
    "stdlib.h",
    "stdnoreturn.h",
    "string.h",
    "strings.h",
    "stropts.h",
    "syscall.h",
    "sysexits.h",
    "syslog.h",
    "tar.h",
    "termio.h",
    "termios.h",
    "tgmath.h",
    "thread_db.h",
    "threads.h",
    "time.h",
    "uchar.h",
    "ucontext.h",
    "ulimit.h",
    "unistd.h",
    "utime.h",
    "utmp.h",
    "utmpx.h",
    "values.h",
    "varargs.h",
    "wait.h",
    "wchar.h",
    "wctype.h",
    "wordexp.h",
    "xlocale.h",
    "aio.h",
    "cpuid.h",
    "omp.h",
    "unwind.h",
    "backtrace.h",
    "quadmath.h",
    "mm_malloc.h",
    "vfork.h",
    "stdckdint.h",
    "crypt.h",
    "util.h",
    "kstat.h",
    "libproc.h",
    "io.h",
    "direct.h",
    "conio.h",
    "process.h",
    "windows.h",
    "winsock.h",
    "winsock2.h",
    "ws2tcpip.h",
    "wincrypt.h",
    "shlobj.h",
    "tchar.h",
    "dos.h",
    "share.h",
    "memcheck.h",
    "config.h",
    "dbghelp.h",
    "psapi.h",
    "iphlpapi.h",
    "winioctl.h",
    "objbase.h",
    "shellapi.h",
    "port.h",
    "afunix.h",
    "ndir.h",
    "bitstring.h",
    "ucred.h",
    "procfs.h",
    "kvm.h",
    "libutil.h",
    "termcap.h",
];

/// Directory prefixes of system headers (kernel, libc internals, other operating systems).
const SYSTEM_HEADER_DIRS: &[&str] = &[
    "sys/",
    "linux/",
    "asm/",
    "asm-generic/",
    "net/",
    "netinet/",
    "netinet6/",
    "arpa/",
    "bits/",
    "gnu/",
    "netpacket/",
    "netash/",
    "netax25/",
    "netipx/",
    "netrom/",
    "netrose/",
    "neteconet/",
    "scsi/",
    "mtd/",
    "rdma/",
    "sound/",
    "video/",
    "xen/",
    "mach/",
    "machine/",
    "libkern/",
    "CoreFoundation/",
    "CoreServices/",
    "Carbon/",
    "IOKit/",
    "Cocoa/",
    "AppKit/",
    "Foundation/",
    "os/",
    "dispatch/",
    "android/",
    "emscripten/",
    "minix/",
    "vm/",
    "uvm/",
    "protocols/",
    "rpc/",
    "rpcsvc/",
    "x86intrin",
    "immintrin",
    "emmintrin",
    "xmmintrin",
    "pmmintrin",
    "tmmintrin",
    "smmintrin",
    "nmmintrin",
    "wmmintrin",
    "avxintrin",
    "avx2intrin",
    "arm_neon",
    "arm_acle",
    "altivec",
    "intrin.h",
    "cpuid",
    "__",
];

/// Libraries and tools whose build-time name differs from the one the index records.
const COMMAND_ALIASES: &[(&str, &str)] = &[
    ("yacc", "bison"),
    ("byacc", "bison"),
    ("lex", "flex"),
    ("python", "python3"),
    ("python2", "python3"),
    ("perl5", "perl"),
    ("gmsgfmt", "msgfmt"),
    ("gxgettext", "xgettext"),
    ("pkgconf", "pkg-config"),
    ("asciidoctor", "asciidoctor"),
];

/// `*-sys` crates → the pkg-config module (or, with a leading `-l`, the library) they link.
const CRATE_SYS: &[(&str, &str)] = &[
    ("openssl-sys", "openssl"),
    ("libgit2-sys", "libgit2"),
    ("libssh2-sys", "libssh2"),
    ("libz-sys", "zlib"),
    ("curl-sys", "libcurl"),
    ("libsqlite3-sys", "sqlite3"),
    ("zstd-sys", "libzstd"),
    ("bzip2-sys", "-lbz2"),
    ("lzma-sys", "liblzma"),
    ("liblzma-sys", "liblzma"),
    ("pcre2-sys", "libpcre2-8"),
    ("libdbus-sys", "dbus-1"),
    ("freetype-sys", "freetype2"),
    ("servo-fontconfig-sys", "fontconfig"),
    ("yeslogic-fontconfig-sys", "fontconfig"),
    ("fontconfig-sys", "fontconfig"),
    ("expat-sys", "expat"),
    ("libudev-sys", "libudev"),
    ("libusb1-sys", "libusb-1.0"),
    ("alsa-sys", "alsa"),
    ("libpulse-sys", "libpulse"),
    ("glib-sys", "glib-2.0"),
    ("gobject-sys", "gobject-2.0"),
    ("gio-sys", "gio-2.0"),
    ("gtk-sys", "gtk+-3.0"),
    ("gdk-sys", "gdk-3.0"),
    ("gtk4-sys", "gtk4"),
    ("gdk4-sys", "gtk4"),
    ("cairo-sys-rs", "cairo"),
    ("pango-sys", "pango"),
    ("gdk-pixbuf-sys", "gdk-pixbuf-2.0"),
    ("libadwaita-sys", "libadwaita-1"),
    ("onig_sys", "oniguruma"),
    ("libsodium-sys", "libsodium"),
    ("libsodium-sys-stable", "libsodium"),
    ("libseccomp-sys", "libseccomp"),
    ("libnghttp2-sys", "libnghttp2"),
    ("wayland-sys", "wayland-client"),
    ("libspa-sys", "libspa-0.2"),
    ("pipewire-sys", "libpipewire-0.3"),
    ("zmq-sys", "libzmq"),
    ("libffi-sys", "libffi"),
    ("pq-sys", "libpq"),
    ("x11-dl", "x11"),
    ("xcb", "xcb"),
    ("libxml2-sys", "libxml-2.0"),
    ("libarchive3-sys", "libarchive"),
    ("libpcap-sys", "libpcap"),
    ("libelf-sys", "libelf"),
    ("libbpf-sys", "libbpf"),
    ("libcap-sys", "libcap"),
    ("libsystemd-sys", "libsystemd"),
    ("libseat-sys", "libseat"),
    ("libinput-sys", "libinput"),
    ("xkbcommon-sys", "xkbcommon"),
    ("hidapi-sys", "hidapi-hidraw"),
    ("libheif-sys", "libheif"),
    ("sdl2-sys", "sdl2"),
    ("lua-src", "-"),
];

/// `*-sys` crates that link nothing from the system on Linux (bindings to the kernel or to other
/// platforms, or crates that always build their bundled C code).
const CRATE_SYS_NOTHING: &[&str] = &[
    "windows-sys",
    "js-sys",
    "web-sys",
    "linux-raw-sys",
    "core-foundation-sys",
    "security-framework-sys",
    "io-kit-sys",
    "objc-sys",
    "fsevent-sys",
    "kqueue-sys",
    "mach-sys",
    "inotify-sys",
    "libmimalloc-sys",
    "tikv-jemalloc-sys",
    "jemalloc-sys",
    "android_log-sys",
    "ndk-sys",
    "winapi-sys",
    "errno-dragonfly",
    "wasi-sys",
    "mach2",
    "system-configuration-sys",
    "coreaudio-sys",
    "IOKit-sys",
    "cocoa-foundation",
    "dispatch-sys",
    "libloading",
    "bindgen",
    "clang-sys",
    "oboe-sys",
    "hermit-sys",
    "libredox",
    "psm",
    "compiler_builtins",
    "ring",
    "aws-lc-sys",
    "aws-lc-fips-sys",
    "rdkafka-sys",
    "lz4-sys",
    "libmimalloc",
    "snmalloc-sys",
    "blake3",
    "minimp3-sys",
    "libfuzzer-sys",
    "cty",
];

/// Resolves one want.
pub fn resolve(want: &Want, index: &Index) -> Resolution {
    match want {
        Want::PkgConfig(module) => found(
            index
                .pkgconfig(module)
                .or_else(|| index.pkgconfig(&module.to_ascii_lowercase())),
        ),
        Want::Header(header) => match index.header(header) {
            Some(attr) if is_libc_attr(attr) => Resolution::Skip,
            Some(attr) => Resolution::Attr(attr.to_string()),
            None if is_system_header(header) => Resolution::Skip,
            None => Resolution::Unresolved,
        },
        Want::Library(name) => {
            let name = name
                .strip_prefix("lib")
                .filter(|_| index.library(name).is_none())
                .unwrap_or(name);
            if LIBC_LIBRARIES.contains(&name) {
                return Resolution::Skip;
            }
            match index.library(name) {
                Some(attr) if is_libc_attr(attr) => Resolution::Skip,
                other => found(other),
            }
        }
        Want::Command(name) => {
            if STDENV_COMMANDS.contains(&name.as_str()) {
                return Resolution::Skip;
            }
            let attr = index.command(name).or_else(|| {
                COMMAND_ALIASES
                    .iter()
                    .find(|(alias, _)| alias == name)
                    .and_then(|(_, real)| index.command(real))
            });
            match attr {
                Some(attr) if STDENV_ATTRS.contains(&attr) => Resolution::Skip,
                other => found(other),
            }
        }
        Want::CrateSys(name) => resolve_crate_sys(name, index),
        Want::Python(name) => Resolution::Attr(format!("python3Packages.{name}")),
    }
}

fn found(attr: Option<&str>) -> Resolution {
    match attr {
        Some(attr) if is_libc_attr(attr) => Resolution::Skip,
        Some(attr) => Resolution::Attr(attr.to_string()),
        None => Resolution::Unresolved,
    }
}

fn is_libc_attr(attr: &str) -> bool {
    matches!(attr, "glibc" | "libc" | "stdenv.cc.libc")
}

/// Whether a header is the C library's, the compiler's or another platform's.
pub fn is_system_header(header: &str) -> bool {
    // C++ standard headers have no extension (`<vector>`, `<cstdio>`).
    !header.contains('.')
        || SYSTEM_HEADERS.contains(&header)
        || SYSTEM_HEADER_DIRS.iter().any(|p| header.starts_with(p))
}

fn resolve_crate_sys(name: &str, index: &Index) -> Resolution {
    if CRATE_SYS_NOTHING.contains(&name)
        || name.starts_with("windows")
        || name.starts_with("winapi")
    {
        return Resolution::Skip;
    }
    if let Some((_, target)) = CRATE_SYS.iter().find(|(crate_name, _)| *crate_name == name) {
        if *target == "-" {
            return Resolution::Skip;
        }
        let attr = match target.strip_prefix("-l") {
            Some(lib) => index.library(lib),
            None => index.pkgconfig(target),
        };
        return found(attr);
    }
    // Most `foo-sys` crates link libfoo and find it through pkg-config as `foo` or `libfoo`.
    let base = name
        .trim_end_matches("-sys")
        .trim_end_matches("_sys")
        .trim_end_matches("-sys-rs");
    let short = base.strip_prefix("lib").unwrap_or(base);
    let attr = index
        .pkgconfig(base)
        .or_else(|| index.pkgconfig(short))
        .or_else(|| index.pkgconfig(&format!("lib{short}")))
        .or_else(|| index.library(short));
    found(attr)
}

/// Resolves what the rules found. Of alternatives, the first that resolves is taken, else the
/// first (unresolved); none when any is provided by the system. Duplicates keep their first
/// evidence.
pub(crate) fn resolve_all(found: &[Found], index: &Index) -> Vec<Dependency> {
    let mut out: Vec<Dependency> = Vec::new();
    let mut seen: HashSet<Want> = HashSet::new();
    for item in found {
        let mut chosen: Option<(Want, Option<String>)> = None;
        for want in &item.alternatives {
            match resolve(want, index) {
                // Alternatives are satisfied by any one of them: one the system already
                // provides means nothing is needed.
                Resolution::Skip => {
                    chosen = None;
                    break;
                }
                Resolution::Attr(attr) => {
                    chosen = Some((want.clone(), Some(attr)));
                    break;
                }
                Resolution::Unresolved => {
                    if chosen.is_none() {
                        chosen = Some((want.clone(), None));
                    }
                }
            }
        }
        let Some((want, attr)) = chosen else {
            continue;
        };
        if !seen.insert(want.clone()) {
            continue;
        }
        // `foo-config` scripts belong to the library they describe (`buildInputs`).
        let native = item.native.unwrap_or_else(|| match &want {
            Want::Command(name) => !name.ends_with("-config") || name == "pkg-config",
            _ => false,
        });
        out.push(Dependency {
            native,
            want,
            attr,
            evidence: item.evidence.clone(),
        });
    }
    out
}

/// The final `(nativeBuildInputs, buildInputs)`: sorted and deduplicated.
pub fn place(
    build_system: &BuildSystem,
    dependencies: &[Dependency],
) -> (Vec<String>, Vec<String>) {
    let mut native = BTreeSet::new();
    let mut build = BTreeSet::new();
    match build_system {
        BuildSystem::Autotools { configure: false } => {
            native.insert("autoreconfHook".to_string());
        }
        BuildSystem::CMake => {
            native.insert("cmake".to_string());
        }
        BuildSystem::Meson => {
            native.insert("meson".to_string());
            native.insert("ninja".to_string());
        }
        _ => {}
    }
    for dep in dependencies {
        // Build systems that run pkg-config need it whether or not the module resolved.
        let uses_pkg_config = match &dep.want {
            Want::PkgConfig(_) => true,
            Want::CrateSys(_) => dep.attr.is_some(),
            _ => false,
        };
        if uses_pkg_config {
            native.insert("pkg-config".to_string());
        }
        let Some(attr) = &dep.attr else { continue };
        if matches!(dep.want, Want::Python(_)) {
            // Python dependencies go to the Python builder's own lists (`Analysis::python`).
            continue;
        }
        if dep.native {
            native.insert(attr.clone());
        } else {
            build.insert(attr.clone());
        }
    }
    (native.into_iter().collect(), build.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn index() -> Index {
        let m = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        Index::from_maps(
            m(&[
                ("openssl", "openssl"),
                ("libgit2", "libgit2"),
                ("zlib", "zlib"),
            ]),
            m(&[("curses.h", "ncurses"), ("gnu/libc-version.h", "glibc")]),
            m(&[("ncursesw", "ncurses"), ("bz2", "bzip2"), ("z", "zlib")]),
            m(&[
                ("bison", "bison"),
                ("flex", "flex"),
                ("lex", "flex"),
                ("sh", "dash"),
                ("gawk", "gawk"),
                ("pkg-config", "pkg-config"),
            ]),
        )
    }

    #[test]
    fn skips_libc_and_stdenv() {
        let index = index();
        assert_eq!(
            resolve(&Want::Library("m".into()), &index),
            Resolution::Skip
        );
        assert_eq!(
            resolve(&Want::Library("pthread".into()), &index),
            Resolution::Skip
        );
        assert_eq!(
            resolve(&Want::Header("stdio.h".into()), &index),
            Resolution::Skip
        );
        assert_eq!(
            resolve(&Want::Header("sys/socket.h".into()), &index),
            Resolution::Skip
        );
        assert_eq!(
            resolve(&Want::Header("vector".into()), &index),
            Resolution::Skip
        );
        assert_eq!(
            resolve(&Want::Header("gnu/libc-version.h".into()), &index),
            Resolution::Skip
        );
        assert_eq!(
            resolve(&Want::Command("sh".into()), &index),
            Resolution::Skip
        );
        assert_eq!(
            resolve(&Want::Command("gawk".into()), &index),
            Resolution::Skip
        );
        assert_eq!(
            resolve(&Want::Command("git".into()), &index),
            Resolution::Skip
        );
    }

    #[test]
    fn resolves_through_index_and_aliases() {
        let index = index();
        let attr = |s: &str| Resolution::Attr(s.to_string());
        assert_eq!(
            resolve(&Want::Header("curses.h".into()), &index),
            attr("ncurses")
        );
        assert_eq!(
            resolve(&Want::Library("ncursesw".into()), &index),
            attr("ncurses")
        );
        assert_eq!(resolve(&Want::Library("libz".into()), &index), attr("zlib"));
        assert_eq!(
            resolve(&Want::Command("yacc".into()), &index),
            attr("bison")
        );
        assert_eq!(resolve(&Want::Command("lex".into()), &index), attr("flex"));
        assert_eq!(
            resolve(&Want::CrateSys("openssl-sys".into()), &index),
            attr("openssl")
        );
        assert_eq!(
            resolve(&Want::CrateSys("libgit2-sys".into()), &index),
            attr("libgit2")
        );
        assert_eq!(
            resolve(&Want::CrateSys("bzip2-sys".into()), &index),
            attr("bzip2")
        );
        assert_eq!(
            resolve(&Want::CrateSys("windows-sys".into()), &index),
            Resolution::Skip
        );
        assert_eq!(
            resolve(&Want::CrateSys("libfoo-sys".into()), &index),
            Resolution::Unresolved
        );
        assert_eq!(
            resolve(&Want::Header("foo/bar.h".into()), &index),
            Resolution::Unresolved
        );
        assert_eq!(
            resolve(&Want::Python("requests".into()), &index),
            attr("python3Packages.requests")
        );
    }

    #[test]
    fn alternatives_take_the_first_resolved() {
        let index = index();
        let found = [
            Found::any(
                vec![
                    Want::Library("termcap".into()),
                    Want::Library("ncursesw".into()),
                ],
                "configure.ac: AC_SEARCH_LIBS",
            ),
            Found::any(
                vec![Want::Library("dl".into())],
                "configure.ac: AC_SEARCH_LIBS",
            ),
            Found::one(Want::Library("ncursesw".into()), "Makefile: LIBS"),
        ];
        let deps = resolve_all(&found, &index);
        assert_eq!(
            deps,
            [Dependency {
                want: Want::Library("ncursesw".into()),
                attr: Some("ncurses".into()),
                native: false,
                evidence: "configure.ac: AC_SEARCH_LIBS".into(),
            }]
        );
    }

    #[test]
    fn placement_rules() {
        let deps = [
            Dependency {
                want: Want::PkgConfig("zlib".into()),
                attr: Some("zlib".into()),
                native: false,
                evidence: String::new(),
            },
            Dependency {
                want: Want::Command("bison".into()),
                attr: Some("bison".into()),
                native: true,
                evidence: String::new(),
            },
            Dependency {
                want: Want::Header("curses.h".into()),
                attr: Some("ncurses".into()),
                native: false,
                evidence: String::new(),
            },
            Dependency {
                want: Want::Library("foo".into()),
                attr: None,
                native: false,
                evidence: String::new(),
            },
        ];
        let (native, build) = place(&BuildSystem::Meson, &deps);
        assert_eq!(native, ["bison", "meson", "ninja", "pkg-config"]);
        assert_eq!(build, ["ncurses", "zlib"]);
        let (native, _) = place(&BuildSystem::Autotools { configure: false }, &deps[1..]);
        assert_eq!(native, ["autoreconfHook", "bison"]);
    }
}
