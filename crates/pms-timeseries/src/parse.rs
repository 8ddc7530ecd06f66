//! Reading metric files: CSV with a header, or NDJSON (one JSON object per line). Each record
//! comes with its line number and either a row or the reason it cannot be read, so one bad
//! line is reported precisely and never stops the reader.

use crate::ingest::MetricRow;
use crate::{Error, Result};
use std::io::BufRead;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

/// The columns (CSV header names, NDJSON keys) a metric record has.
pub const COLUMNS: [&str; 5] = [
    "tenant_id",
    "user_id",
    "metric_name",
    "value",
    "recorded_at",
];

/// File formats `pms metrics ingest` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Ndjson,
}

impl Format {
    /// From a file name: `.csv`, or `.ndjson` / `.jsonl` / `.json`.
    pub fn from_path(path: &str) -> Result<Self> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Ok(Self::Csv)
        } else if lower.ends_with(".ndjson")
            || lower.ends_with(".jsonl")
            || lower.ends_with(".json")
        {
            Ok(Self::Ndjson)
        } else {
            Err(Error::Invalid(format!(
                "{path}: unknown file type; use .csv or .ndjson/.jsonl (or pass --format)"
            )))
        }
    }
}

/// One numbered record: a row, or why the line is not one.
pub type Record = (u64, std::result::Result<MetricRow, String>);

/// Streams records from a reader. A CSV header that lacks a column is an error for the file.
pub struct RecordReader<R: BufRead> {
    lines: std::io::Lines<R>,
    format: Format,
    line_no: u64,
    columns: [usize; 5],
}

impl<R: BufRead> RecordReader<R> {
    pub fn new(reader: R, format: Format) -> Result<Self> {
        let mut me = Self {
            lines: reader.lines(),
            format,
            line_no: 0,
            columns: [0, 1, 2, 3, 4],
        };
        if format == Format::Csv {
            let header = match me.lines.next() {
                Some(Ok(h)) => h,
                Some(Err(e)) => return Err(Error::Invalid(format!("line 1: cannot read: {e}"))),
                None => {
                    return Err(Error::Invalid(
                        "the file is empty: a CSV needs a header line".into(),
                    ));
                }
            };
            me.line_no = 1;
            let names = split_csv(header.trim_start_matches('\u{feff}'))
                .map_err(|e| Error::Invalid(format!("line 1: {e}")))?;
            for (i, col) in COLUMNS.iter().enumerate() {
                me.columns[i] = names.iter().position(|n| n.trim() == *col).ok_or_else(|| {
                    Error::Invalid(format!(
                        "line 1: the CSV header lacks column {col:?} (needs {})",
                        COLUMNS.join(",")
                    ))
                })?;
            }
        }
        Ok(me)
    }

    fn parse_line(&self, line: &str) -> std::result::Result<MetricRow, String> {
        match self.format {
            Format::Csv => {
                let fields = split_csv(line)?;
                let get = |i: usize| {
                    fields
                        .get(self.columns[i])
                        .map(|s| s.trim())
                        .ok_or_else(|| format!("missing column {}", COLUMNS[i]))
                };
                let value = get(3)?;
                let value: f64 = value
                    .parse()
                    .map_err(|_| format!("value {value:?} is not a number"))?;
                row(get(0)?, get(1)?, get(2)?, value, get(4)?)
            }
            Format::Ndjson => {
                let v: serde_json::Value =
                    serde_json::from_str(line).map_err(|e| format!("not valid JSON: {e}"))?;
                let obj = v.as_object().ok_or("not a JSON object")?;
                let text = |k: &str| {
                    obj.get(k)
                        .and_then(|x| x.as_str())
                        .ok_or_else(|| format!("{k} is missing or not a string"))
                };
                let value = obj
                    .get("value")
                    .and_then(|x| x.as_f64())
                    .ok_or("value is missing or not a number")?;
                row(
                    text("tenant_id")?,
                    text("user_id")?,
                    text("metric_name")?,
                    value,
                    text("recorded_at")?,
                )
            }
        }
    }
}

fn row(
    tenant: &str,
    user: &str,
    metric: &str,
    value: f64,
    at: &str,
) -> std::result::Result<MetricRow, String> {
    let tenant_id =
        Uuid::parse_str(tenant).map_err(|_| format!("tenant_id {tenant:?} is not a UUID"))?;
    let user_id = Uuid::parse_str(user).map_err(|_| format!("user_id {user:?} is not a UUID"))?;
    let recorded_at = parse_time(at)?;
    Ok(MetricRow {
        tenant_id,
        user_id,
        metric_name: metric.to_string(),
        value,
        recorded_at,
    })
}

/// RFC 3339 (`2026-01-31T09:30:00Z`), also with a space instead of `T`.
pub fn parse_time(s: &str) -> std::result::Result<OffsetDateTime, String> {
    OffsetDateTime::parse(s, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(&s.replacen(' ', "T", 1), &Rfc3339))
        .map_err(|_| {
            format!("recorded_at {s:?} is not an RFC 3339 time (e.g. 2026-01-31T09:30:00Z)")
        })
}

/// Splits one CSV line; fields may be double-quoted with `""` as an escaped quote.
fn split_csv(line: &str) -> std::result::Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.trim().is_empty() && !was_quoted => {
                field.clear();
                quoted = true;
                was_quoted = true;
            }
            (false, '"') => return Err("stray double quote inside a field".into()),
            (false, ',') => {
                out.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err("unterminated quoted field".into());
    }
    out.push(field);
    Ok(out)
}

impl<R: BufRead> Iterator for RecordReader<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            let line = self.lines.next()?;
            self.line_no += 1;
            let line = match line {
                Ok(l) => l,
                Err(e) => return Some((self.line_no, Err(format!("cannot read the line: {e}")))),
            };
            if line.trim().is_empty() {
                continue;
            }
            return Some((self.line_no, self.parse_line(&line)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_errors() {
        assert_eq!(
            split_csv(r#"a,"b,c","d""e""#).unwrap(),
            vec!["a", "b,c", "d\"e"]
        );
        assert!(split_csv(r#"a,"b"#).is_err());
        assert!(split_csv(r#"a,b"c"#).is_err());
    }

    #[test]
    fn reader_numbers_lines_and_reports_reasons() {
        let t = "0190b5a4-0000-7000-8000-000000000001";
        let text = format!(
            "recorded_at,tenant_id,user_id,metric_name,value\n2026-01-01T00:00:00Z,{t},{t},quality,1.5\n\nnope,{t},{t},quality,1\n2026-01-01T00:00:00Z,{t},{t},quality,abc\n"
        );
        let recs: Vec<Record> = RecordReader::new(text.as_bytes(), Format::Csv)
            .unwrap()
            .collect();
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[0].0, 2);
        assert!(recs[0].1.is_ok());
        assert_eq!(recs[1].0, 4);
        assert!(recs[1].1.as_ref().unwrap_err().contains("RFC 3339"));
        assert!(recs[2].1.as_ref().unwrap_err().contains("not a number"));
        assert!(RecordReader::new("a,b\n".as_bytes(), Format::Csv).is_err());
    }
}
