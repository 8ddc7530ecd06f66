//! The pieces a bulk seed is made of: a deterministic random generator, deterministic ids, and
//! an encoder for PostgreSQL's COPY text format.

use std::fmt::Write as _;
use uuid::Uuid;

/// SplitMix64: tiny, fast and fully specified, so a `--seed` gives the same data on every
/// platform and with every version of this program (unlike library RNGs, which may change).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for one named stream (a batch, a table), independent of the others.
    pub fn stream(seed: u64, name: &str, index: u64) -> Self {
        let mut h = seed ^ 0x9e37_79b9_7f4a_7c15;
        for b in name.bytes() {
            h = mix(h ^ u64::from(b));
        }
        Self(mix(h ^ index))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// Uniform in `0..n` (n > 0); the tiny modulo bias does not matter for seed data.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Deterministic row ids of a generated tenant, laid out so that ids of one kind grow with the
/// person's index (a custom, version-8 uuid: a 16-bit hash of the kind, the 32-bit index, the
/// version, a 12-bit sub-index, the variant and 62 bits of the tenant's hash). Like time-ordered
/// (v7) ids, they land at the right edge of every B-tree they are indexed in, so a bulk load
/// appends to a few hot index pages instead of touching (and writing, after each checkpoint,
/// in full) a random page per row, which is what random (v4-shaped) ids cost.
#[derive(Debug, Clone, Copy)]
pub struct Ids {
    base: u64,
}

impl Ids {
    pub fn new(tenant: Uuid) -> Self {
        let (hi, lo) = tenant.as_u64_pair();
        Self { base: mix(hi) ^ lo }
    }

    /// `index` must stay below 2^32 and `sub` below 2^12 (the generator's largest tenant uses
    /// about 2^23 and 2^8); larger values would wrap into other ids.
    pub fn id(&self, kind: &str, index: u64, sub: u64) -> Uuid {
        debug_assert!(index < 1 << 32 && sub < 1 << 12, "{kind} {index} {sub}");
        let mut h = 0x9e37_79b9_7f4a_7c15u64;
        for b in kind.bytes() {
            h = mix(h ^ u64::from(b));
        }
        let hi = (h >> 48) << 48 | (index & 0xFFFF_FFFF) << 16 | 0x8000 | (sub & 0x0FFF);
        let lo = (self.base & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
        Uuid::from_u64_pair(hi, lo)
    }
}

/// One COPY text-format payload for one table: rows of tab-separated fields, `\N` for NULL.
#[derive(Debug, Default)]
pub struct CopyBuf {
    pub data: String,
    pub rows: u64,
    fields_in_row: usize,
}

impl CopyBuf {
    pub fn new() -> Self {
        Self::default()
    }

    fn sep(&mut self) {
        if self.fields_in_row > 0 {
            self.data.push('\t');
        }
        self.fields_in_row += 1;
    }

    /// A text field, escaped for the COPY text format.
    pub fn text(&mut self, v: &str) -> &mut Self {
        self.sep();
        for c in v.chars() {
            match c {
                '\\' => self.data.push_str("\\\\"),
                '\t' => self.data.push_str("\\t"),
                '\n' => self.data.push_str("\\n"),
                '\r' => self.data.push_str("\\r"),
                c => self.data.push(c),
            }
        }
        self
    }

    /// A field whose text form never needs escaping (numbers, uuids, dates).
    pub fn raw(&mut self, v: impl std::fmt::Display) -> &mut Self {
        self.sep();
        let _ = write!(self.data, "{v}");
        self
    }

    pub fn opt(&mut self, v: Option<impl std::fmt::Display>) -> &mut Self {
        match v {
            Some(v) => self.raw(v),
            None => self.null(),
        }
    }

    pub fn null(&mut self) -> &mut Self {
        self.sep();
        self.data.push_str("\\N");
        self
    }

    pub fn end_row(&mut self) {
        self.data.push('\n');
        self.rows += 1;
        self.fields_in_row = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_and_ids_are_deterministic() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::stream(42, "users", 3);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::stream(42, "users", 3);
                move |_| r.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(
            Rng::stream(42, "users", 3).next_u64(),
            Rng::stream(43, "users", 3).next_u64()
        );
        let ids = Ids::new(Uuid::nil());
        assert_eq!(ids.id("user", 7, 0), ids.id("user", 7, 0));
        assert_ne!(ids.id("user", 7, 0), ids.id("user", 7, 1));
        assert_eq!(ids.id("goal", 1, 2).get_version_num(), 8);
        assert_eq!(ids.id("goal", 1, 2).get_variant(), uuid::Variant::RFC4122);
        // Ids of a kind grow with the index; other tenants get other ids.
        assert!(ids.id("user", 7, 0) < ids.id("user", 8, 0));
        assert!(ids.id("user", 7, 5) < ids.id("user", 8, 0));
        assert_ne!(
            ids.id("user", 7, 0),
            Ids::new(Uuid::from_u128(1)).id("user", 7, 0)
        );
        // The kinds the generator uses do not collide.
        let kinds = [
            "user",
            "dept",
            "team",
            "goal",
            "business_unit",
            "cost_center",
            "EMPLOYEE",
            "MANAGER",
            "ADMIN",
            "HR_ADMIN",
            "review_cycle",
            "review_template",
            "user_role",
            "line",
            "team_member",
            "key_result",
            "review",
            "feedback",
            "one_on_one",
            "baseline",
        ];
        let mut seen: Vec<Uuid> = kinds.iter().map(|k| ids.id(k, 0, 0)).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), kinds.len());
    }

    #[test]
    fn copy_text_escapes_and_nulls() {
        let mut b = CopyBuf::new();
        b.text("a\tb\\c\nd").null().raw(5);
        b.end_row();
        assert_eq!(b.data, "a\\tb\\\\c\\nd\t\\N\t5\n");
        assert_eq!(b.rows, 1);
    }
}
