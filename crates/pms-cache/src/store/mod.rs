//! The two backends behind one set of primitives: read an entry with its generations,
//! write an entry, create and bump generations, delete, scan-delete.

pub(crate) mod local;
pub mod redis;

use crate::CacheError;
use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

/// How long a generation counter lives after its last bump: longer than any entry, so an
/// entry never outlives the counter it was stamped with (a vanished counter reads as a miss).
pub(crate) const GEN_TTL: Duration = Duration::from_secs(48 * 3600);

/// Generation counters start at a random value below this (Redis counters are i64).
pub(crate) const GEN_START_MAX: u64 = 1 << 62;

/// A stored value: serialized bytes in Redis, the value itself in process.
#[derive(Clone)]
pub(crate) enum Stored {
    Bytes(Vec<u8>),
    Typed(Arc<dyn Any + Send + Sync>),
}

/// An entry as read: the generations it was stamped with, and the value.
pub(crate) struct Entry {
    pub stamps: Vec<u64>,
    pub value: Stored,
}

/// The result of one read: the entry (if any) and the current generations (in key order;
/// `None` when a counter does not exist yet).
pub(crate) struct Read {
    pub entry: Option<Entry>,
    pub gens: Vec<Option<u64>>,
}

impl Read {
    /// The entry when every generation it was stamped with is still current.
    pub fn fresh(self) -> Option<Stored> {
        let entry = self.entry?;
        let current: Option<Vec<u64>> = self.gens.into_iter().collect();
        (current? == entry.stamps).then_some(entry.value)
    }
}

pub(crate) enum Store {
    Redis(redis::RedisStore),
    Local(local::LocalStore),
}

impl Store {
    pub async fn read(
        &self,
        label: &'static str,
        path: &str,
        gens: &[String],
    ) -> Result<Read, CacheError> {
        match self {
            Self::Redis(r) => r.read(label, path, gens).await,
            Self::Local(l) => Ok(l.read(path, gens).await),
        }
    }

    /// The value when the entry exists and all its generations are current.
    pub async fn read_fresh(
        &self,
        label: &'static str,
        path: &str,
        gens: &[String],
    ) -> Result<Option<Stored>, CacheError> {
        match self {
            Self::Redis(r) => Ok(r.read(label, path, gens).await?.fresh()),
            Self::Local(l) => Ok(l.read_fresh(path, gens).await),
        }
    }

    pub async fn write(
        &self,
        label: &'static str,
        path: &str,
        stamps: &[u64],
        value: Stored,
        ttl: Duration,
    ) -> Result<(), CacheError> {
        match self {
            Self::Redis(r) => r.write(label, path, stamps, value, ttl).await,
            Self::Local(l) => {
                l.write(path, stamps, value, ttl).await;
                Ok(())
            }
        }
    }

    /// Creates missing generation counters (at a random start, so a counter that vanished
    /// and came back never matches old stamps) and returns all current values.
    pub async fn init_gens(&self, gens: &[String]) -> Result<Vec<u64>, CacheError> {
        match self {
            Self::Redis(r) => r.init_gens(gens).await,
            Self::Local(l) => Ok(l.init_gens(gens)),
        }
    }

    pub async fn bump(&self, gens: &[String]) -> Result<(), CacheError> {
        match self {
            Self::Redis(r) => r.bump(gens).await,
            Self::Local(l) => {
                l.bump(gens);
                Ok(())
            }
        }
    }

    pub async fn delete(&self, path: &str) -> Result<(), CacheError> {
        match self {
            Self::Redis(r) => r.delete(path).await,
            Self::Local(l) => {
                l.delete(path).await;
                Ok(())
            }
        }
    }

    /// Deletes every key whose path matches the glob `pattern`; `route` is a path in the
    /// same cluster slot (a tenant's), when the pattern stays within one tenant.
    pub async fn delete_matching(
        &self,
        pattern: &str,
        route: Option<&str>,
    ) -> Result<u64, CacheError> {
        match self {
            Self::Redis(r) => r.delete_matching(pattern, route).await,
            Self::Local(l) => Ok(l.delete_matching(pattern).await),
        }
    }

    /// Remaining time to live of an entry.
    pub async fn ttl(&self, path: &str) -> Result<Option<Duration>, CacheError> {
        match self {
            Self::Redis(r) => r.ttl(path).await,
            Self::Local(l) => Ok(l.ttl(path).await),
        }
    }
}

/// Redis values carry their stamps: `P`, format version, stamp count, stamps (big-endian
/// u64), then the JSON payload. Anything else reads as a miss.
pub(crate) fn encode(stamps: &[u64], payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(3 + stamps.len() * 8 + payload.len());
    out.push(b'P');
    out.push(1);
    out.push(u8::try_from(stamps.len()).unwrap_or(u8::MAX));
    for s in stamps.iter().take(u8::MAX as usize) {
        out.extend_from_slice(&s.to_be_bytes());
    }
    out.extend_from_slice(payload);
    out
}

pub(crate) fn decode(mut raw: Vec<u8>) -> Option<Entry> {
    if raw.len() < 3 || raw[0] != b'P' || raw[1] != 1 {
        return None;
    }
    let n = raw[2] as usize;
    let body = 3 + n * 8;
    if raw.len() < body {
        return None;
    }
    let stamps = raw[3..body]
        .chunks_exact(8)
        .map(|c| u64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect();
    let payload = raw.split_off(body);
    Some(Entry {
        stamps,
        value: Stored::Bytes(payload),
    })
}

/// Glob matching with Redis' `*`, `?` and `\` escapes (enough for `del_pattern` in process).
pub(crate) fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    match (pattern.first(), text.first()) {
        (None, None) => true,
        (Some(b'*'), _) => {
            glob_match(&pattern[1..], text) || (!text.is_empty() && glob_match(pattern, &text[1..]))
        }
        (Some(b'?'), Some(_)) => glob_match(&pattern[1..], &text[1..]),
        (Some(b'\\'), Some(t)) if pattern.len() > 1 => {
            pattern[1] == *t && glob_match(&pattern[2..], &text[1..])
        }
        (Some(p), Some(t)) => p == t && glob_match(&pattern[1..], &text[1..]),
        _ => false,
    }
}

/// Escapes glob characters so a literal (a prefix, a key path) matches only itself in a Redis
/// `SCAN MATCH` pattern.
pub fn glob_escape(literal: &str) -> String {
    let mut out = String::with_capacity(literal.len());
    for c in literal.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_round_trip_and_garbage() {
        let raw = encode(&[1, u64::MAX], b"{\"a\":1}");
        let e = decode(raw).unwrap();
        assert_eq!(e.stamps, vec![1, u64::MAX]);
        assert!(matches!(e.value, Stored::Bytes(b) if b == b"{\"a\":1}"));
        assert!(decode(b"{\"a\":1}".to_vec()).is_none());
        assert!(decode(vec![b'P', 1, 3, 0]).is_none());
    }

    #[test]
    fn globs() {
        assert!(glob_match(b"a:*:c", b"a:bbb:c"));
        assert!(!glob_match(b"a:*:c", b"a:bbb:d"));
        assert!(glob_match(b"a?c", b"abc"));
        assert!(glob_match(&glob_escape("x*y").into_bytes(), b"x*y"));
        assert!(!glob_match(&glob_escape("x*y").into_bytes(), b"xzzy"));
    }
}
