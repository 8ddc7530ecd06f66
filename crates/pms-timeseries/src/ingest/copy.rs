//! PostgreSQL's binary `COPY` format for the hypertables' one row shape
//! (tenant_id uuid, user_id uuid, metric_name text, value float8, recorded_at timestamptz):
//! no text formatting or parsing on either side.

use super::MetricRow;
use time::OffsetDateTime;
use uuid::Uuid;

/// Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01 UTC).
const PG_EPOCH_OFFSET_US: i64 = 946_684_800_000_000;
/// Bytes of the payload's header: signature, flags, header extension length.
const HEADER_LEN: usize = 19;
/// Bytes of a row without its metric name.
const ROW_FIXED_LEN: usize = 2 + (4 + 16) * 2 + 4 + (4 + 8) * 2;

/// A binary COPY payload being built.
pub struct CopyBuffer {
    buf: Vec<u8>,
    rows: usize,
}

impl CopyBuffer {
    pub fn new(capacity_rows: usize) -> Self {
        Self::with_capacity_bytes(capacity_rows * 90)
    }

    /// An empty payload with room for `bytes` bytes of rows.
    pub(crate) fn with_capacity_bytes(bytes: usize) -> Self {
        let mut buf = Vec::with_capacity(HEADER_LEN + bytes + 2);
        buf.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
        buf.extend_from_slice(&0i32.to_be_bytes()); // flags
        buf.extend_from_slice(&0i32.to_be_bytes()); // header extension length
        Self { buf, rows: 0 }
    }

    pub fn push(&mut self, row: &MetricRow) {
        self.push_fields(
            &row.tenant_id,
            &row.user_id,
            &row.metric_name,
            row.value,
            pg_timestamp(row.recorded_at),
        );
    }

    /// Appends one row from its fields; `pg_time` as [`pg_timestamp`] gives it.
    pub(crate) fn push_fields(
        &mut self,
        tenant: &Uuid,
        user: &Uuid,
        metric: &str,
        value: f64,
        pg_time: i64,
    ) {
        let b = &mut self.buf;
        b.reserve(ROW_FIXED_LEN + metric.len());
        b.extend_from_slice(&5i16.to_be_bytes());
        b.extend_from_slice(&16i32.to_be_bytes());
        b.extend_from_slice(tenant.as_bytes());
        b.extend_from_slice(&16i32.to_be_bytes());
        b.extend_from_slice(user.as_bytes());
        b.extend_from_slice(&(metric.len() as i32).to_be_bytes());
        b.extend_from_slice(metric.as_bytes());
        b.extend_from_slice(&8i32.to_be_bytes());
        b.extend_from_slice(&value.to_be_bytes());
        b.extend_from_slice(&8i32.to_be_bytes());
        b.extend_from_slice(&pg_time.to_be_bytes());
        self.rows += 1;
    }

    /// Appends rows already encoded by another buffer (see [`CopyBuffer::bytes`]).
    pub(crate) fn push_encoded(&mut self, rows: &[u8], count: usize) {
        self.buf.extend_from_slice(rows);
        self.rows += count;
    }

    /// Where the next row will start.
    pub(crate) fn len_bytes(&self) -> usize {
        self.buf.len()
    }

    /// The encoded bytes in `range` (offsets from [`CopyBuffer::len_bytes`]).
    pub(crate) fn bytes(&self, range: std::ops::Range<usize>) -> &[u8] {
        &self.buf[range]
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

/// A timestamptz as PostgreSQL stores it: microseconds since 2000-01-01 UTC (sub-microsecond
/// parts are dropped, rounding towards the past).
pub fn pg_timestamp(t: OffsetDateTime) -> i64 {
    t.unix_timestamp() * 1_000_000 + i64::from(t.microsecond()) - PG_EPOCH_OFFSET_US
}

/// The inverse of [`pg_timestamp`].
pub(crate) fn from_pg_timestamp(us: i64) -> OffsetDateTime {
    OffsetDateTime::UNIX_EPOCH + time::Duration::microseconds(us + PG_EPOCH_OFFSET_US)
}

/// The `COPY` statement for a table with the hypertable row shape.
pub fn copy_statement(qualified_table: &str) -> String {
    format!(
        "COPY {qualified_table} (tenant_id, user_id, metric_name, value, recorded_at) FROM STDIN (FORMAT binary)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pg_timestamps_round_trip_and_match_postgres_epoch() {
        let epoch = time::macros::datetime!(2000-01-01 0:00 UTC);
        assert_eq!(pg_timestamp(epoch), 0);
        let t = time::macros::datetime!(2026-03-04 05:06:07.123456 +02:00);
        assert_eq!(from_pg_timestamp(pg_timestamp(t)), t);
        let before = time::macros::datetime!(1969-12-31 23:59:59.5 UTC);
        assert_eq!(
            pg_timestamp(before),
            -PG_EPOCH_OFFSET_US - 500_000,
            "half a second before the Unix epoch"
        );
    }

    #[test]
    fn encoded_rows_copy_between_buffers_byte_for_byte() {
        let row = MetricRow {
            tenant_id: Uuid::from_u128(1),
            user_id: Uuid::from_u128(2),
            metric_name: "quality".into(),
            value: 12.5,
            recorded_at: time::macros::datetime!(2026-01-01 0:00 UTC),
        };
        let mut a = CopyBuffer::new(2);
        let start = a.len_bytes();
        a.push(&row);
        let end = a.len_bytes();
        assert_eq!(end - start, ROW_FIXED_LEN + 7);
        let mut b = CopyBuffer::with_capacity_bytes(0);
        b.push_encoded(a.bytes(start..end), 1);
        assert_eq!((a.rows(), b.rows()), (1, 1));
        assert_eq!(a.finish(), b.finish());
    }
}
