//! The parser: Nix's output, line by line, into [`Diagnosis`] values.
//!
//! Each recogniser looks at one line (and may read ahead for the lines Nix prints with it, such as
//! `got:` or the `at file:line:col:` position). Text is expected free of ANSI escapes; the Nix
//! driver strips them.

use crate::{Diagnosis, IfdCause, Location};

re!(
    FOD_MISMATCH,
    r"hash mismatch in fixed-output derivation '([^']+)'"
);
re!(
    URL_MISMATCH,
    r"hash mismatch in file downloaded from '([^']+)'"
);
re!(SPECIFIED, r"^\s*(?:specified|wanted):\s*(\S+)");
re!(GOT, r"^\s*got:\s*(\S+)");
re!(
    BUILDER_FAILED,
    r"builder for '([^']+)' failed(?: with exit code (-?\d+))?"
);
re!(CANNOT_BUILD, r"Cannot build '([^']+)'\.");
re!(
    REASON_BUILDER,
    r"^\s*Reason: builder failed(?: with exit code (-?\d+))?"
);
re!(REASON_DEPS, r"^\s*Reason: (\d+) dependenc(?:y|ies) failed");
re!(
    DEPS_FAILED,
    r"(\d+) dependencies of derivation '([^']+)' failed to build"
);
re!(LAST_LINES, r"(?i:last) \d+ log lines:");
re!(LOG_LINE, r"^\s*> ?(.*)$");
re!(BUILDING, r"^building '([^']+)'");
re!(UNDEFINED, r"undefined variable '([^']+)'");
re!(ATTR_MISSING, r"attribute '([^']+)' missing");
re!(
    ATTR_PATH,
    r"attribute '([^']+)' in selection path '[^']*' not found"
);
// Nix's own message, and hostpkgs' callPackage, which names the argument the set lacks.
re!(
    ARG_MISSING,
    r"called without required argument '([^']+)'|requires argument `([^`]+)`, which \S+ does not provide"
);
re!(INF_REC, r"infinite recursion encountered");
re!(SYNTAX, r"syntax error, (.+)$");
re!(
    IFD_DISABLED,
    r"cannot build '([^']+)' during evaluation because the option 'allow-import-from-derivation' is disabled"
);
re!(
    IFD_READONLY,
    r"^\s*error: path '(/[^']+\.drv)' is not valid"
);
re!(DOWNLOAD, r"unable to download '([^']+)': (.+)$");
re!(HTTP_STATUS, r"HTTP error (\d{3})");
re!(CURL_TRYING, r"^trying (\S+)");
re!(CURL_ERROR, r"^curl: \((\d+)\) (.+)$");
re!(CURL_STATUS, r"returned error: (\d{3})|HTTP/\S+ (\d{3})");
re!(ERROR, r"^\s*error: (.*\S)\s*$");
re!(AT, r"^\s*at (.+):(\d+):(\d+):\s*$");

/// How many streamed log lines to keep for a builder failure (as many as Nix 2.29 quotes).
const LOG_TAIL: usize = 25;

/// Lines Nix itself prints around builds, not part of any build log.
fn is_nix_chatter(line: &str) -> bool {
    line.starts_with("these ")
        || line.starts_with("this derivation")
        || line.starts_with("this path")
        || line.starts_with("building '")
        || line.starts_with("copying path")
        || line.starts_with("warning: ")
        || line.starts_with("error: ")
        || line.starts_with("(use '--show-trace'")
        || (line.starts_with("  /nix/store/") && !line.contains(' '))
}

/// Parses everything Nix printed (stdout and stderr, interleaved or not) into diagnoses, in order.
pub fn parse(output: &str) -> Vec<Diagnosis> {
    let lines: Vec<&str> = output.lines().collect();
    let mut found = Vec::new();
    // Streamed build log since the last `building '…'` line (Nix 2.8's nix-build).
    let mut streamed: Vec<&str> = Vec::new();
    let mut curl_url: Option<&str> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if BUILDING.is_match(line) {
            streamed.clear();
            i += 1;
            continue;
        }
        if line.starts_with("warning: ") {
            i += 1;
            continue;
        }
        if let Some(c) = CURL_TRYING.captures(line) {
            curl_url = c.get(1).map(|m| m.as_str());
        }
        let consumed = recognise(&lines, i, &streamed, &mut curl_url, &mut found);
        if consumed == 0 {
            if !is_nix_chatter(line) && !line.trim().is_empty() {
                streamed.push(line);
                if streamed.len() > LOG_TAIL {
                    streamed.remove(0);
                }
            }
            i += 1;
        } else {
            i += consumed;
        }
    }
    found
}

/// Tries every recogniser at line `i`; returns how many lines it consumed (0 = none matched).
fn recognise<'a>(
    lines: &[&'a str],
    i: usize,
    streamed: &[&str],
    curl_url: &mut Option<&'a str>,
    found: &mut Vec<Diagnosis>,
) -> usize {
    let line = lines[i];
    let ahead = |n: usize| lines.iter().skip(i + 1).take(n).copied();

    if let Some(c) = FOD_MISMATCH
        .captures(line)
        .map(|c| (Some(c[1].to_string()), None))
        .or_else(|| {
            URL_MISMATCH
                .captures(line)
                .map(|c| (None, Some(c[1].to_string())))
        })
    {
        let specified = ahead(3).find_map(|l| SPECIFIED.captures(l).map(|c| c[1].to_string()));
        let got = ahead(3).find_map(|l| GOT.captures(l).map(|c| c[1].to_string()));
        if let (Some(specified), Some(got)) = (specified, got) {
            found.push(Diagnosis::HashMismatch {
                derivation: c.0,
                url: c.1,
                specified,
                got,
            });
            return 3;
        }
    }

    if let Some(c) = BUILDER_FAILED.captures(line) {
        let derivation = c[1].to_string();
        let exit_code = c.get(2).and_then(|m| m.as_str().parse().ok());
        let (quoted, used) = quoted_log(lines, i + 1);
        let log_tail = if quoted.is_empty() {
            streamed.iter().map(|s| s.to_string()).collect()
        } else {
            quoted
        };
        found.push(Diagnosis::BuilderFailed {
            derivation,
            exit_code,
            log_tail,
        });
        return 1 + used;
    }

    if let Some(c) = CANNOT_BUILD.captures(line) {
        let derivation = c[1].to_string();
        if let Some(r) = ahead(2).find_map(|l| REASON_DEPS.captures(l)) {
            found.push(Diagnosis::DependenciesFailed {
                derivation,
                count: r[1].parse().unwrap_or(1),
            });
            return 2;
        }
        if let Some(r) = ahead(2).find_map(|l| REASON_BUILDER.captures(l)) {
            let exit_code = r.get(1).and_then(|m| m.as_str().parse().ok());
            let (log_tail, used) = quoted_log(lines, i + 1);
            found.push(Diagnosis::BuilderFailed {
                derivation,
                exit_code,
                log_tail,
            });
            return 1 + used;
        }
    }

    if let Some(c) = DEPS_FAILED.captures(line) {
        found.push(Diagnosis::DependenciesFailed {
            derivation: c[2].to_string(),
            count: c[1].parse().unwrap_or(1),
        });
        return 1;
    }

    if let Some(c) = DOWNLOAD.captures(line) {
        let reason = c[2].trim().to_string();
        found.push(Diagnosis::DownloadFailed {
            url: c[1].to_string(),
            status: HTTP_STATUS
                .captures(&reason)
                .and_then(|s| s[1].parse().ok()),
            reason,
        });
        return 1;
    }

    if let Some(c) = CURL_ERROR.captures(line) {
        if let Some(url) = curl_url.take() {
            let reason = c[2].trim().to_string();
            let status = CURL_STATUS.captures(&reason).and_then(|s| {
                s.get(1)
                    .or_else(|| s.get(2))
                    .and_then(|m| m.as_str().parse().ok())
            });
            found.push(Diagnosis::DownloadFailed {
                url: url.to_string(),
                status,
                reason: format!("curl: ({}) {reason}", &c[1]),
            });
            return 1;
        }
    }

    if let Some(c) = IFD_DISABLED.captures(line) {
        found.push(Diagnosis::IfdDisabled {
            derivation: c[1].to_string(),
            cause: IfdCause::Disabled,
        });
        return 1;
    }
    if let Some(c) = IFD_READONLY.captures(line) {
        found.push(Diagnosis::IfdDisabled {
            derivation: c[1].to_string(),
            cause: IfdCause::ReadOnlyEvaluation,
        });
        return 1;
    }

    // Evaluation errors: the message line, then (maybe) its position.
    let Some(message) = ERROR.captures(line).map(|c| c[1].to_string()) else {
        return 0;
    };
    let location = location_after(lines, i + 1);
    let diagnosis = if let Some(c) = SYNTAX.captures(&message) {
        Diagnosis::SyntaxError {
            message: c[1].to_string(),
            location,
        }
    } else if let Some(c) = UNDEFINED.captures(&message) {
        Diagnosis::UndefinedVariable {
            name: c[1].to_string(),
            location,
        }
    } else if let Some(name) = ARG_MISSING
        .captures(&message)
        .and_then(|c| c.get(1).or_else(|| c.get(2)))
    {
        Diagnosis::MissingArgument {
            name: name.as_str().to_string(),
            location,
        }
    } else if let Some(c) = ATTR_MISSING
        .captures(&message)
        .or_else(|| ATTR_PATH.captures(&message))
    {
        Diagnosis::MissingAttribute {
            name: c[1].to_string(),
            location,
        }
    } else if INF_REC.is_match(&message) {
        Diagnosis::InfiniteRecursion { location }
    } else if message == "build of" || message.starts_with("build of '") {
        // Nix 2.3's summary line after a builder failure: already diagnosed.
        return 1;
    } else if message.starts_with("cannot download ") && message.ends_with("from any mirror") {
        // nixpkgs' fetchurl summary after the curl error: already diagnosed.
        return 1;
    } else {
        Diagnosis::EvalError { message, location }
    };
    found.push(diagnosis);
    1
}

/// The log lines Nix quotes after a failure, and how many lines were consumed after `start`.
///
/// Nix 2.3 ends the failure line itself with `last N log lines:` and indents the lines by two
/// spaces; later versions put the header on a line of its own (2.29 after `Reason:` and `Output
/// paths:`) and quote the lines with `> `.
fn quoted_log(lines: &[&str], start: usize) -> (Vec<String>, usize) {
    let inline_header = start > 0 && LAST_LINES.is_match(lines[start - 1]);
    let first = if inline_header {
        start
    } else {
        match (start..lines.len().min(start + 6)).find(|&j| LAST_LINES.is_match(lines[j])) {
            Some(h) => h + 1,
            None => return (Vec::new(), 0),
        }
    };
    let mut out = Vec::new();
    let mut i = first;
    while i < lines.len() {
        let quoted = if inline_header {
            lines[i].strip_prefix("  ").map(str::to_string)
        } else {
            LOG_LINE.captures(lines[i]).map(|c| c[1].to_string())
        };
        match quoted {
            Some(text) => out.push(text),
            None => break,
        }
        i += 1;
    }
    (out, i - start)
}

/// The `at FILE:LINE:COL:` that Nix prints within a few lines after an error message.
fn location_after(lines: &[&str], start: usize) -> Option<Location> {
    lines
        .iter()
        .skip(start)
        .take(4)
        .take_while(|l| l.trim().is_empty() || l.starts_with(' '))
        .find_map(|l| AT.captures(l))
        .map(|c| Location {
            file: c[1].to_string(),
            line: c[2].parse().unwrap_or(0),
            column: c[3].parse().unwrap_or(0),
        })
}
