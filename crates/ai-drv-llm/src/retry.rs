//! When to try a failed call again, and how long to wait first.
//!
//! Exponential backoff with jitter (`backoff · 2^n`, at most 20 s, then between half and all of
//! that), unless the server said how long to wait: `retry-after-ms`, or `retry-after` in seconds
//! or as an HTTP date, at most 60 s.

use std::time::{Duration, SystemTime};

/// The longest wait computed from our own backoff.
pub const BACKOFF_CAP: Duration = Duration::from_secs(20);
/// The longest wait a server can ask for; beyond it ai-drv would rather fail and say so.
pub const RETRY_AFTER_CAP: Duration = Duration::from_secs(60);

/// The delay before retry number `retry` (0 for the first), with `unit` in 0..1 as the jitter.
pub fn backoff(base: Duration, retry: u32, unit: f64) -> Duration {
    let full = base
        .saturating_mul(2u32.saturating_pow(retry.min(16)))
        .min(BACKOFF_CAP);
    // Half fixed, half random: spreads retries of concurrent callers without ever retrying at once.
    full.mul_f64(0.5 + 0.5 * unit.clamp(0.0, 1.0))
}

/// A number in 0..1 that differs between calls and processes. Jitter only needs to be
/// unpredictable across callers, not secure: the standard library's randomly keyed hasher is
/// enough, and saves a dependency.
pub fn jitter_unit() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The wait a server asked for, from `retry-after-ms` and `retry-after` header values.
pub fn server_delay(
    retry_after_ms: Option<&str>,
    retry_after: Option<&str>,
    now: SystemTime,
) -> Option<Duration> {
    let from_ms = retry_after_ms
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|ms| ms.is_finite() && *ms >= 0.0)
        .map(|ms| Duration::from_secs_f64(ms.min(RETRY_AFTER_CAP.as_secs_f64() * 1000.0) / 1000.0));
    let from_header = || {
        let v = retry_after?.trim();
        if let Ok(secs) = v.parse::<f64>() {
            return (secs.is_finite() && secs >= 0.0)
                .then(|| Duration::from_secs_f64(secs.min(RETRY_AFTER_CAP.as_secs_f64())));
        }
        let at = httpdate::parse_http_date(v).ok()?;
        Some(at.duration_since(now).unwrap_or(Duration::ZERO))
    };
    from_ms.or_else(from_header).map(|d| d.min(RETRY_AFTER_CAP))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_a_cap() {
        let base = Duration::from_millis(500);
        assert_eq!(backoff(base, 0, 1.0), Duration::from_millis(500));
        assert_eq!(backoff(base, 0, 0.0), Duration::from_millis(250));
        assert_eq!(backoff(base, 3, 1.0), Duration::from_secs(4));
        assert_eq!(backoff(base, 10, 1.0), BACKOFF_CAP);
        assert_eq!(backoff(base, 40, 0.0), BACKOFF_CAP / 2);
        let u = jitter_unit();
        assert!((0.0..1.0).contains(&u), "{u}");
    }

    #[test]
    fn server_delays() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let d = |ms, s| server_delay(ms, s, now);
        assert_eq!(d(None, Some("1")), Some(Duration::from_secs(1)));
        assert_eq!(d(None, Some(" 2.5 ")), Some(Duration::from_millis(2500)));
        assert_eq!(d(Some("150"), Some("9")), Some(Duration::from_millis(150)));
        assert_eq!(d(None, Some("3600")), Some(RETRY_AFTER_CAP));
        assert_eq!(d(Some("9999999"), None), Some(RETRY_AFTER_CAP));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(7));
        assert_eq!(d(None, Some(&date)), Some(Duration::from_secs(7)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(7));
        assert_eq!(d(None, Some(&past)), Some(Duration::ZERO));
        assert_eq!(d(None, Some("soon")), None);
        assert_eq!(d(Some("-1"), None), None);
        assert_eq!(d(None, None), None);
    }
}
