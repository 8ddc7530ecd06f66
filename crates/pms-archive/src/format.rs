//! The batch file: zstd-compressed NDJSON, self-describing. The first frame is a header line
//! (format, batch, tenant, entity type, row count, SHA-256 of the row lines, time range); then
//! one zstd frame per row line. Concatenated frames are one valid zstd stream, so the whole
//! file decompresses with any zstd tool to NDJSON, and one row is read by its byte range.

use crate::error::{ArchiveError, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub const FORMAT: &str = "pms-archive/1";
const LEVEL: i32 = 3;

/// The first line of every batch file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BatchHeader {
    pub format: String,
    pub batch_id: Uuid,
    pub tenant_id: Uuid,
    pub entity_type: String,
    pub row_count: u32,
    pub rows_sha256: String,
    pub created_min: String,
    pub created_max: String,
    pub written_at: String,
}

/// One archived entity: its id, creation time (RFC 3339), people, and the row as JSON.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ArchivedRow {
    pub id: String,
    pub created_at: String,
    #[serde(default)]
    pub person_ids: Vec<Uuid>,
    pub data: serde_json::Value,
}

/// An encoded batch: the bytes to store, each row's frame, and checksums.
#[derive(Debug, Clone)]
pub struct EncodedBatch {
    pub bytes: Vec<u8>,
    /// (offset, length) of each row's frame, in row order.
    pub frames: Vec<(u64, u32)>,
    pub raw_bytes: u64,
    pub sha256: String,
    pub header: BatchHeader,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn line(value: &impl Serialize) -> Result<Vec<u8>> {
    let mut v = serde_json::to_vec(value).map_err(|e| ArchiveError::Encode(e.to_string()))?;
    v.push(b'\n');
    Ok(v)
}

fn frame(c: &mut zstd::bulk::Compressor<'static>, raw: &[u8]) -> Result<Vec<u8>> {
    c.compress(raw)
        .map_err(|e| ArchiveError::Encode(format!("zstd: {e}")))
}

/// Encodes rows; `header.rows_sha256` and `row_count` are filled in here.
pub fn encode(mut header: BatchHeader, rows: &[ArchivedRow]) -> Result<EncodedBatch> {
    let lines: Vec<Vec<u8>> = rows.iter().map(line).collect::<Result<_>>()?;
    let mut h = Sha256::new();
    for l in &lines {
        h.update(l);
    }
    header.format = FORMAT.to_string();
    header.rows_sha256 = hex::encode(h.finalize());
    header.row_count =
        u32::try_from(rows.len()).map_err(|_| ArchiveError::Encode("too many rows".into()))?;
    let head = line(&header)?;
    let mut raw_bytes = head.len() as u64;
    // One compression context for the whole batch: creating one per frame costs more than
    // compressing a row.
    let mut c = zstd::bulk::Compressor::new(LEVEL)
        .map_err(|e| ArchiveError::Encode(format!("zstd: {e}")))?;
    let mut bytes = frame(&mut c, &head)?;
    let mut frames = Vec::with_capacity(lines.len());
    for l in &lines {
        raw_bytes += l.len() as u64;
        let f = frame(&mut c, l)?;
        frames.push((bytes.len() as u64, f.len() as u32));
        bytes.extend_from_slice(&f);
    }
    let sha256 = sha256_hex(&bytes);
    Ok(EncodedBatch {
        bytes,
        frames,
        raw_bytes,
        sha256,
        header,
    })
}

/// Decodes and checks a whole batch file: header, row count and the rows' checksum. With
/// `expected`, also the file's SHA-256 and row count as the ledger recorded them.
pub fn decode(
    key: &str,
    bytes: &[u8],
    expected: Option<(&str, u32)>,
) -> Result<(BatchHeader, Vec<ArchivedRow>)> {
    let corrupt = |reason: String| ArchiveError::Corrupt {
        key: key.to_string(),
        reason,
    };
    if let Some((sha, _)) = expected {
        let got = sha256_hex(bytes);
        if got != sha {
            return Err(corrupt(format!("SHA-256 is {got}, the ledger says {sha}")));
        }
    }
    let raw = zstd::stream::decode_all(bytes).map_err(|e| corrupt(format!("not zstd: {e}")))?;
    let mut lines = raw.split_inclusive(|b| *b == b'\n');
    let head = lines.next().ok_or_else(|| corrupt("empty file".into()))?;
    let header: BatchHeader =
        serde_json::from_slice(head).map_err(|e| corrupt(format!("bad header: {e}")))?;
    if header.format != FORMAT {
        return Err(corrupt(format!("unknown format {:?}", header.format)));
    }
    let mut h = Sha256::new();
    let mut rows = Vec::new();
    for l in lines {
        h.update(l);
        rows.push(
            serde_json::from_slice::<ArchivedRow>(l)
                .map_err(|e| corrupt(format!("bad row {}: {e}", rows.len() + 1)))?,
        );
    }
    if hex::encode(h.finalize()) != header.rows_sha256 {
        return Err(corrupt("row checksum does not match the header".into()));
    }
    if rows.len() != header.row_count as usize {
        return Err(corrupt(format!(
            "{} rows, the header says {}",
            rows.len(),
            header.row_count
        )));
    }
    if let Some((_, count)) = expected
        && count != header.row_count
    {
        return Err(corrupt(format!(
            "{} rows, the ledger says {count}",
            header.row_count
        )));
    }
    Ok((header, rows))
}

/// Decodes one row's frame (read by byte range).
pub fn decode_frame(key: &str, bytes: &[u8]) -> Result<ArchivedRow> {
    let raw = zstd::stream::decode_all(bytes).map_err(|e| ArchiveError::Corrupt {
        key: key.to_string(),
        reason: format!("frame is not zstd: {e}"),
    })?;
    serde_json::from_slice(&raw).map_err(|e| ArchiveError::Corrupt {
        key: key.to_string(),
        reason: format!("bad row: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> BatchHeader {
        BatchHeader {
            format: String::new(),
            batch_id: Uuid::nil(),
            tenant_id: Uuid::nil(),
            entity_type: "Goal".into(),
            row_count: 0,
            rows_sha256: String::new(),
            created_min: "2020-01-01T00:00:00Z".into(),
            created_max: "2020-01-02T00:00:00Z".into(),
            written_at: "2026-01-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn round_trip_and_frames() {
        let rows: Vec<ArchivedRow> = (0..5)
            .map(|i| ArchivedRow {
                id: format!("id-{i}"),
                created_at: "2020-01-01T00:00:00Z".into(),
                person_ids: vec![],
                data: serde_json::json!({ "n": i }),
            })
            .collect();
        let enc = encode(header(), &rows).unwrap();
        let (h, back) = decode("k", &enc.bytes, Some((&enc.sha256, 5))).unwrap();
        assert_eq!(h.row_count, 5);
        assert_eq!(back, rows);
        let (off, len) = enc.frames[3];
        let one = decode_frame("k", &enc.bytes[off as usize..off as usize + len as usize]).unwrap();
        assert_eq!(one, rows[3]);
        // A flipped byte is caught, and a wrong expected count too.
        let mut bad = enc.bytes.clone();
        let last = bad.len() - 3;
        bad[last] ^= 0xff;
        assert!(decode("k", &bad, Some((&enc.sha256, 5))).is_err());
        assert!(decode("k", &enc.bytes, Some((&enc.sha256, 4))).is_err());
    }
}
