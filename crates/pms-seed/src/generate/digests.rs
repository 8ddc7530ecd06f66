//! The digests of what a verified bulk load sent for each partitioned table, as
//! `tenant_partitions_attach` records them on the audit chain.

use super::options::TENANT_PARTITIONED;
use crate::copy_text::CopyBuf;
use std::collections::BTreeMap;

/// The SHA-256 of the COPY text of each [`TENANT_PARTITIONED`] table in one batch.
pub(super) fn batch_digests(
    tables: &[(&'static str, &'static str, CopyBuf)],
) -> Vec<(&'static str, [u8; 32])> {
    use sha2::Digest as _;
    tables
        .iter()
        .filter(|t| TENANT_PARTITIONED.contains(&t.0))
        .map(|(table, _, buf)| (*table, sha2::Sha256::digest(buf.data.as_bytes()).into()))
        .collect()
}

/// The digest of each partitioned table's load, as `tenant_partitions_attach` records it on the
/// audit chain: the SHA-256 of the batches' digests of that table (their SHA-256 of the COPY
/// text sent), concatenated in batch order. Hex, by table name.
pub(super) fn table_digests(
    batches: &BTreeMap<u64, Vec<(&'static str, [u8; 32])>>,
) -> serde_json::Value {
    use sha2::Digest as _;
    let mut by_table: BTreeMap<&'static str, sha2::Sha256> = TENANT_PARTITIONED
        .iter()
        .map(|t| (*t, sha2::Sha256::new()))
        .collect();
    for digests in batches.values() {
        for (table, digest) in digests {
            if let Some(h) = by_table.get_mut(table) {
                h.update(digest);
            }
        }
    }
    by_table
        .into_iter()
        .map(|(t, h)| {
            (
                t.to_string(),
                serde_json::Value::from(hex::encode(h.finalize())),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}
