//! The machine's own package-manager configuration, read as each tool reads it.

pub mod apt;
pub mod cargo;
pub mod npm;
pub mod pip;

/// `key = value` lookup in an INI-style file (pip.conf, .npmrc). Hand-written: it is a few lines,
/// and these files are read for one key each, where a full INI crate would add nothing.
pub(crate) fn ini_value(text: &str, sections: &[&str], key: &str) -> Option<String> {
    let mut section = String::new();
    let mut found = None;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_string();
            continue;
        }
        let in_section = sections.is_empty() || sections.contains(&section.as_str());
        if let Some((k, v)) = line.split_once('=') {
            if in_section && k.trim() == key {
                found = Some(v.trim().trim_matches('"').to_string());
            }
        }
    }
    found.filter(|v| !v.is_empty())
}

/// Runs a tool and returns its first line of output, if it ran and said something.
pub(crate) fn ask(program: &str, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().next()?.trim().to_string();
    (!line.is_empty() && line != "undefined").then_some(line)
}
