//! `format`/`format_with`: the formatter's output when it works, the text unchanged when the
//! formatter is missing, fails or prints nothing. Formatters here are small shell scripts.

use ai_drv_draft::{format, format_with};
use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

const TEXT: &str = "{ stdenv }:\n\nstdenv.mkDerivation { pname = \"x\"; }\n";

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

// One test function: a script written while another test thread forks could fail to run
// ("text file busy"), which would look like a failing formatter.
#[test]
fn formatter_output_or_the_text_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");

    let upper = script(dir.path(), "upper", "tr a-z A-Z");
    assert_eq!(
        format_with(upper.as_os_str(), TEXT),
        "{ STDENV }:\n\nSTDENV.MKDERIVATION { PNAME = \"X\"; }\n"
    );

    // Larger than a pipe buffer: written while the formatter's output is read.
    let cat = script(dir.path(), "cat", "cat");
    let text = "# padding line for a text larger than a pipe buffer\n".repeat(10_000);
    assert_eq!(format_with(cat.as_os_str(), &text), text);

    let fails = script(dir.path(), "fails", "cat; echo 'error: syntax' >&2; exit 1");
    assert_eq!(format_with(fails.as_os_str(), TEXT), TEXT);

    let silent = script(dir.path(), "silent", "cat >/dev/null");
    assert_eq!(format_with(silent.as_os_str(), TEXT), TEXT);

    assert_eq!(
        format_with(OsStr::new("/nonexistent/ai-drv-test/nixfmt"), TEXT),
        TEXT
    );

    let nixfmt_on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join("nixfmt").is_file()))
        .unwrap_or(false);
    if !nixfmt_on_path {
        assert_eq!(format(TEXT), TEXT);
    }
}
