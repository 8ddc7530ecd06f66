//! PostgreSQL's binary `COPY` format for the hypertables' one row shape
//! (tenant_id uuid, user_id uuid, metric_name text, value float8, recorded_at timestamptz):
//! no text formatting or parsing on either side.

use super::MetricRow;
use time::OffsetDateTime;

/// Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01 UTC).
const PG_EPOCH_OFFSET_US: i64 = 946_684_800_000_000;

/// A binary COPY payload being built.
pub struct CopyBuffer {
    buf: Vec<u8>,
    rows: usize,
}

impl CopyBuffer {
    pub fn new(capacity_rows: usize) -> Self {
        let mut buf = Vec::with_capacity(19 + capacity_rows * 90 + 2);
        buf.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
        buf.extend_from_slice(&0i32.to_be_bytes()); // flags
        buf.extend_from_slice(&0i32.to_be_bytes()); // header extension length
        Self { buf, rows: 0 }
    }

    pub fn push(&mut self, row: &MetricRow) {
        let b = &mut self.buf;
        b.extend_from_slice(&5i16.to_be_bytes());
        b.extend_from_slice(&16i32.to_be_bytes());
        b.extend_from_slice(row.tenant_id.as_bytes());
        b.extend_from_slice(&16i32.to_be_bytes());
        b.extend_from_slice(row.user_id.as_bytes());
        b.extend_from_slice(&(row.metric_name.len() as i32).to_be_bytes());
        b.extend_from_slice(row.metric_name.as_bytes());
        b.extend_from_slice(&8i32.to_be_bytes());
        b.extend_from_slice(&row.value.to_be_bytes());
        b.extend_from_slice(&8i32.to_be_bytes());
        b.extend_from_slice(&pg_timestamp(row.recorded_at).to_be_bytes());
        self.rows += 1;
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The finished payload (with the trailer).
    pub fn finish(mut self) -> Vec<u8> {
        self.buf.extend_from_slice(&(-1i16).to_be_bytes());
        self.buf
    }
}

/// A timestamptz as PostgreSQL stores it: microseconds since 2000-01-01 UTC.
pub fn pg_timestamp(t: OffsetDateTime) -> i64 {
    let us = t.unix_timestamp_nanos() / 1000;
    us as i64 - PG_EPOCH_OFFSET_US
}

/// The `COPY` statement for a table with the hypertable row shape.
pub fn copy_statement(qualified_table: &str) -> String {
    format!(
        "COPY {qualified_table} (tenant_id, user_id, metric_name, value, recorded_at) FROM STDIN (FORMAT binary)"
    )
}
