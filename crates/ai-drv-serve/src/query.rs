//! Reading the query string: the `req` and `hash` parameters, percent-decoded the way the
//! original Flask server (werkzeug) decoded them, without allocating when nothing is escaped.
//!
//! Done by hand rather than with `serde_urlencoded`/`form_urlencoded` because those decode
//! invalid UTF-8 lossily (`%FF` becomes U+FFFD), and a prompt that is not UTF-8 must be refused,
//! not silently changed; and because the hot path (`/hash?req=` ~370 times per prompt) only ever
//! needs one parameter, which a scan finds without building a map.

use std::borrow::Cow;

use base64::Engine as _;
use percent_encoding::percent_decode;

/// The raw (still escaped) value of the first `name=` parameter of `query`, if any.
/// A parameter given without `=` counts as present with an empty value.
pub(crate) fn param<'q>(query: &'q str, name: &str) -> Option<&'q str> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then_some(value)
    })
}

/// Percent-decodes a query value. `+` means a space, as in werkzeug (the original server) and
/// HTML forms; nixpkgs' `lib.escapeURL` escapes a literal `+` as `%2B`, so its prompts arrive
/// unchanged. Malformed escapes (`%G1`, a lone `%`) are kept literally, as werkzeug keeps them.
pub(crate) fn decode(raw: &str) -> Cow<'_, [u8]> {
    if raw.contains('+') {
        let spaced = raw.replace('+', " ");
        Cow::Owned(percent_decode(spaced.as_bytes()).collect())
    } else {
        percent_decode(raw.as_bytes()).into()
    }
}

/// Why a prompt was refused; each maps to a status and one line for the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PromptError {
    Missing,
    NotUtf8,
    TooLong { len: usize, max: usize },
    Empty,
}

/// A prompt as it arrived (decoded) and its normalised form, the single-flight key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Prompt<'q> {
    pub request: Cow<'q, str>,
    pub key: Cow<'q, str>,
}

/// Decodes and checks a prompt: UTF-8, at most `max` bytes, not blank.
pub(crate) fn prompt(raw: Option<&str>, max: usize) -> Result<Prompt<'_>, PromptError> {
    let raw = raw.ok_or(PromptError::Missing)?;
    let request: Cow<'_, str> = match decode(raw) {
        Cow::Borrowed(bytes) => {
            Cow::Borrowed(std::str::from_utf8(bytes).map_err(|_| PromptError::NotUtf8)?)
        }
        Cow::Owned(bytes) => {
            Cow::Owned(String::from_utf8(bytes).map_err(|_| PromptError::NotUtf8)?)
        }
    };
    if request.len() > max {
        return Err(PromptError::TooLong {
            len: request.len(),
            max,
        });
    }
    if request.trim().is_empty() {
        return Err(PromptError::Empty);
    }
    let key = if is_normalised(&request) {
        match &request {
            Cow::Borrowed(s) => Cow::Borrowed(*s),
            Cow::Owned(s) => Cow::Owned(s.clone()),
        }
    } else {
        Cow::Owned(ai_drv_store::normalise(&request))
    };
    Ok(Prompt { request, key })
}

/// Whether `ai_drv_store::normalise` would leave `s` unchanged (saves an allocation per
/// request for the common, already-tidy prompt).
fn is_normalised(s: &str) -> bool {
    let mut previous_space = true; // a leading space is not normalised
    for c in s.chars() {
        if c.is_whitespace() {
            if c != ' ' || previous_space {
                return false;
            }
            previous_space = true;
        } else {
            previous_space = false;
        }
    }
    !previous_space
}

/// Why a hash was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HashError {
    Missing,
    Malformed,
}

/// Reads a SHA-256 given as the 44-character standard base64 that `/hash` answers, or in the
/// SRI form `sha256-…`, percent-decoded. Base64 never contains a space, so a space (from an
/// unescaped `+`, see [`decode`]) is read back as `+`: a hash pasted without escaping works.
pub(crate) fn hash(raw: Option<&str>) -> Result<[u8; 32], HashError> {
    let raw = raw.ok_or(HashError::Missing)?;
    let decoded = percent_decode(raw.as_bytes()).collect::<Vec<u8>>();
    let text = std::str::from_utf8(&decoded).map_err(|_| HashError::Malformed)?;
    digest(text)
}

/// Reads a SHA-256 from base64 or SRI text (a space standing for `+`).
pub(crate) fn digest(text: &str) -> Result<[u8; 32], HashError> {
    let text = text.trim_matches(|c| c == '\n' || c == '\r');
    let text = text.strip_prefix("sha256-").unwrap_or(text);
    if text.len() != 44 {
        return Err(HashError::Malformed);
    }
    let mut b64 = [0u8; 44];
    for (slot, byte) in b64.iter_mut().zip(text.bytes()) {
        *slot = if byte == b' ' { b'+' } else { byte };
    }
    let mut out = [0u8; 32];
    match base64::engine::general_purpose::STANDARD.decode_slice(b64, &mut out) {
        Ok(32) => Ok(out),
        _ => Err(HashError::Malformed),
    }
}

/// The 44-character standard base64 of a digest (the store's key and the `/hash` answer).
pub(crate) fn base64(digest: &[u8; 32]) -> String {
    base64::engine::general_purpose::STANDARD.encode(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_parameter() {
        assert_eq!(param("a=1&req=x%20y&req=z", "req"), Some("x%20y"));
        assert_eq!(param("req", "req"), Some(""));
        assert_eq!(param("request=1", "req"), None);
        assert_eq!(param("", "req"), None);
    }

    #[test]
    fn decodes_like_werkzeug() {
        assert_eq!(&*decode("a+b%2Bc%20d"), b"a b+c d");
        assert_eq!(&*decode("100%"), b"100%");
        assert_eq!(&*decode("%G1"), b"%G1");
        assert!(matches!(decode("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn checks_prompts() {
        let p = prompt(
            Some("Generate%20a%20derivation%20for%20building%20%60sl%60"),
            100,
        )
        .unwrap();
        assert_eq!(p.request, "Generate a derivation for building `sl`");
        assert_eq!(p.key, "Generate a derivation for building `sl`");
        let p = prompt(Some("%20%20sl%0A%09now%20"), 100).unwrap();
        assert_eq!(p.request, "  sl\n\tnow ");
        assert_eq!(p.key, "sl now");
        assert_eq!(prompt(None, 10), Err(PromptError::Missing));
        assert_eq!(prompt(Some(""), 10), Err(PromptError::Empty));
        assert_eq!(prompt(Some("+%20%09"), 10), Err(PromptError::Empty));
        assert_eq!(prompt(Some("%FF"), 10), Err(PromptError::NotUtf8));
        assert_eq!(
            prompt(Some("abcdefghijk"), 10),
            Err(PromptError::TooLong { len: 11, max: 10 })
        );
        // The limit is on the decoded bytes: three escaped characters are three bytes.
        assert!(prompt(Some("%41%42%43"), 3).is_ok());
    }

    #[test]
    fn knows_normalised_text() {
        assert!(is_normalised("a b c"));
        assert!(!is_normalised(" a"));
        assert!(!is_normalised("a "));
        assert!(!is_normalised("a  b"));
        assert!(!is_normalised("a\tb"));
        assert!(!is_normalised(""));
    }

    #[test]
    fn reads_hashes() {
        let digest = [0xfbu8; 32];
        let b64 = base64(&digest);
        assert_eq!(b64.len(), 44);
        let escaped = b64
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D");
        assert_eq!(hash(Some(&escaped)), Ok(digest));
        assert_eq!(hash(Some(&format!("sha256-{escaped}"))), Ok(digest));
        // An unescaped `+` arrives as a space after form decoding, or as itself here.
        assert_eq!(hash(Some(&b64)), Ok(digest));
        assert_eq!(digest_of_spaced(&b64), Ok(digest));
        assert_eq!(hash(None), Err(HashError::Missing));
        assert_eq!(hash(Some("abc")), Err(HashError::Malformed));
        assert_eq!(hash(Some(&"!".repeat(44))), Err(HashError::Malformed));
        assert_eq!(hash(Some("%FF")), Err(HashError::Malformed));
        // base64 of 33 bytes is 44 chars without padding: not a SHA-256.
        assert_eq!(hash(Some(&"A".repeat(44))), Err(HashError::Malformed));
    }

    fn digest_of_spaced(b64: &str) -> Result<[u8; 32], HashError> {
        digest(&b64.replace('+', " "))
    }
}
