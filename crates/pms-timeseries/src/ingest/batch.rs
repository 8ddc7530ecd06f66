//! A batch of validated rows, encoded as they are validated: per hypertable, the binary COPY
//! payload plus each row's time and where its bytes start. The loader sends the payload as it
//! is when every row falls in one chunk (the usual case: a batch of time-ordered points spans
//! days, a chunk a month) and otherwise splits it by chunk with plain byte copies, so no row
//! is held as a struct or encoded twice.

use super::MetricRow;
use super::copy::CopyBuffer;
use crate::Hypertable;

/// The encoded rows of one hypertable in a batch.
pub(crate) struct TableRows {
    pub table: Hypertable,
    pub payload: CopyBuffer,
    /// Where each row's bytes start in `payload`.
    pub starts: Vec<usize>,
    /// Each row's time, as [`super::pg_timestamp`] gives it.
    pub times: Vec<i64>,
    pub lo: i64,
    pub hi: i64,
}

impl TableRows {
    fn new(table: Hypertable, capacity_rows: usize) -> Self {
        Self {
            table,
            payload: CopyBuffer::new(capacity_rows),
            starts: Vec::with_capacity(capacity_rows),
            times: Vec::with_capacity(capacity_rows),
            lo: i64::MAX,
            hi: i64::MIN,
        }
    }

    fn push(&mut self, t: i64, row: &MetricRow) {
        self.starts.push(self.payload.len_bytes());
        self.times.push(t);
        self.lo = self.lo.min(t);
        self.hi = self.hi.max(t);
        self.payload
            .push_fields(&row.tenant_id, &row.user_id, &row.metric_name, row.value, t);
    }

    /// The encoded bytes of row `i`.
    pub fn row_bytes(&self, i: usize) -> &[u8] {
        self.rows_bytes(i..i + 1)
    }

    /// The encoded bytes of rows `rows` (consecutive in the payload).
    pub fn rows_bytes(&self, rows: std::ops::Range<usize>) -> &[u8] {
        let end = self
            .starts
            .get(rows.end)
            .copied()
            .unwrap_or_else(|| self.payload.len_bytes());
        self.payload.bytes(self.starts[rows.start]..end)
    }

    pub fn len(&self) -> usize {
        self.times.len()
    }
}

/// Validated rows of consecutive lines, ready to load in one transaction.
pub(crate) struct Batch {
    /// At most one entry per hypertable, in table order (the order their locks are taken).
    pub tables: Vec<TableRows>,
    pub first_line: u64,
    pub last_line: u64,
    capacity_rows: usize,
    rows: usize,
}

impl Batch {
    pub fn new(capacity_rows: usize) -> Self {
        Self {
            tables: Vec::new(),
            first_line: 0,
            last_line: 0,
            capacity_rows,
            rows: 0,
        }
    }

    /// Adds a validated row of `table` read from `line`; `pg_time` is its time as
    /// [`super::pg_timestamp`] gives it.
    pub fn push(&mut self, line: u64, table: Hypertable, pg_time: i64, row: &MetricRow) {
        if self.rows == 0 {
            self.first_line = line;
        }
        self.last_line = line;
        let i = match self.tables.iter().position(|t| t.table >= table) {
            Some(i) if self.tables[i].table == table => i,
            found => {
                // Room for the rest of the batch: pages never written are never committed.
                let room = self.capacity_rows.saturating_sub(self.rows).max(16);
                let i = found.unwrap_or(self.tables.len());
                self.tables.insert(i, TableRows::new(table, room));
                i
            }
        };
        self.tables[i].push(pg_time, row);
        self.rows += 1;
    }

    pub fn rows(&self) -> usize {
        self.rows
    }
}
