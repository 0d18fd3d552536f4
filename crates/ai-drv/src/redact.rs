//! The last line of defence for API keys in logs: every line the log writes is scrubbed of the
//! values of the process's key variables. ai-drv's own code never logs a key, but dependencies
//! do log at trace level what servers send back (genai logs a failed response's body), and some
//! servers echo the key in their error message. No crate does this scrubbing for a
//! `tracing_subscriber` writer, so it is written here; it is small.

use std::io::Write;
use std::sync::Arc;

/// Key values to hide: those of variables named `*_API_KEY`, `*_TOKEN` or `*_SECRET` (a
/// variable named by `api-key-env` in the config is expected to follow that convention).
#[derive(Clone, Default)]
pub struct Secrets(Arc<Vec<String>>);

impl Secrets {
    pub fn from_env() -> Secrets {
        Secrets::from_pairs(std::env::vars())
    }

    pub fn from_pairs(vars: impl IntoIterator<Item = (String, String)>) -> Secrets {
        let mut values: Vec<String> = vars
            .into_iter()
            .filter(|(k, v)| {
                let k = k.to_ascii_uppercase();
                (k.ends_with("_API_KEY") || k.ends_with("_TOKEN") || k.ends_with("_SECRET"))
                    && v.len() >= 8
            })
            .map(|(_, v)| v)
            .collect();
        // Longest first, so that a key containing another is hidden whole.
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        values.dedup();
        Secrets(Arc::new(values))
    }

    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in self.0.iter() {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), "***");
            }
        }
        out
    }
}

/// A writer that scrubs what it writes. The fmt layer writes each event with one `write_all`,
/// so a key is never split across two writes.
pub struct Writer<W: Write> {
    inner: W,
    secrets: Secrets,
}

impl<W: Write> Writer<W> {
    pub fn new(inner: W, secrets: Secrets) -> Writer<W> {
        Writer { inner, secrets }
    }
}

impl<W: Write> Write for Writer<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.secrets.0.is_empty() {
            return self.inner.write(buf);
        }
        let text = String::from_utf8_lossy(buf);
        self.inner.write_all(self.secrets.scrub(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_scrubbed_from_what_is_written() {
        let secrets = Secrets::from_pairs([
            ("OPENAI_API_KEY".into(), "sk-abcdefgh12345".into()),
            ("HOME".into(), "/root/abcdefgh".into()),
            ("SHORT_TOKEN".into(), "abc".into()),
        ]);
        let mut out = Vec::new();
        let mut w = Writer::new(&mut out, secrets);
        w.write_all(b"body: {\"error\": \"bad key sk-abcdefgh12345\"} in /root/abcdefgh abc\n")
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "body: {\"error\": \"bad key ***\"} in /root/abcdefgh abc\n"
        );
    }
}
