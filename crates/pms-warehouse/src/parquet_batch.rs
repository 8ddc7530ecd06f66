//! One warehouse table's rows as an Arrow record batch, and that batch as a Parquet file
//! (zstd): the column types mapped once from the catalog, the rows read with casts that keep
//! the decoding simple (ids and JSON as text, numerics as float8, dates as days and instants as
//! microseconds since the epoch; the open ends of a validity, ±infinity, become null).

use crate::error::{Doing as _, Result, WarehouseError};
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int16Array, Int32Array, Int64Array,
    RecordBatch, StringArray, TimestampMicrosecondArray,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row as _};
use std::sync::Arc;

/// How a column travels.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Text,
    I16,
    I32,
    I64,
    F64,
    Bool,
    Date,
    Instant,
}

/// A table's columns and how each is read.
#[derive(Debug, Clone)]
pub struct Columns {
    cols: Vec<(String, Kind)>,
}

impl Columns {
    /// Reads the columns of `warehouse.<table>` from the catalog.
    pub async fn of(conn: &mut PgConnection, table: &str) -> Result<Self> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT a.attname::text, format_type(a.atttypid, NULL) FROM pg_attribute a
              WHERE a.attrelid = ('warehouse.' || quote_ident($1))::regclass AND a.attnum > 0 AND NOT a.attisdropped
              ORDER BY a.attnum",
        )
        .bind(table)
        .fetch_all(&mut *conn)
        .await
        .doing(format!("reading the columns of warehouse.{table}"))?;
        let cols = rows
            .into_iter()
            .map(|(name, ty)| {
                let kind = match ty.as_str() {
                    "smallint" => Kind::I16,
                    "integer" => Kind::I32,
                    "bigint" => Kind::I64,
                    "numeric" | "double precision" | "real" => Kind::F64,
                    "boolean" => Kind::Bool,
                    "date" => Kind::Date,
                    "timestamp with time zone" => Kind::Instant,
                    _ => Kind::Text,
                };
                (name, kind)
            })
            .collect();
        Ok(Self { cols })
    }

    /// The select list that reads every column in its travelling form.
    pub fn select_list(&self) -> String {
        self.cols
            .iter()
            .map(|(c, k)| {
                let q = format!("\"{}\"", c.replace('"', "\"\""));
                match k {
                    Kind::Text => format!("{q}::text"),
                    Kind::F64 => format!("{q}::float8"),
                    Kind::Date => {
                        format!("CASE WHEN isfinite({q}) THEN ({q} - date '1970-01-01') END")
                    }
                    Kind::Instant => format!(
                        "CASE WHEN isfinite({q}) THEN (extract(epoch FROM {q}) * 1000000)::int8 END"
                    ),
                    _ => q,
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn schema(&self) -> Schema {
        Schema::new(
            self.cols
                .iter()
                .map(|(c, k)| {
                    let t = match k {
                        Kind::Text => DataType::Utf8,
                        Kind::I16 => DataType::Int16,
                        Kind::I32 => DataType::Int32,
                        Kind::I64 => DataType::Int64,
                        Kind::F64 => DataType::Float64,
                        Kind::Bool => DataType::Boolean,
                        Kind::Date => DataType::Date32,
                        Kind::Instant => {
                            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
                        }
                    };
                    Field::new(c, t, true)
                })
                .collect::<Vec<_>>(),
        )
    }

    /// The rows (read with [`Columns::select_list`]) as one record batch.
    pub fn batch(&self, rows: &[PgRow]) -> Result<RecordBatch> {
        let bad = |e: sqlx::Error| WarehouseError::Database {
            doing: "decoding an exported row".into(),
            source: e,
        };
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(self.cols.len());
        for (i, (_, k)) in self.cols.iter().enumerate() {
            let a: ArrayRef = match k {
                Kind::Text => Arc::new(StringArray::from(
                    rows.iter()
                        .map(|r| r.try_get::<Option<String>, _>(i))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(bad)?,
                )),
                Kind::I16 => Arc::new(Int16Array::from(
                    rows.iter()
                        .map(|r| r.try_get::<Option<i16>, _>(i))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(bad)?,
                )),
                Kind::I32 | Kind::Date => {
                    let v = rows
                        .iter()
                        .map(|r| r.try_get::<Option<i32>, _>(i))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(bad)?;
                    if *k == Kind::Date {
                        Arc::new(Date32Array::from(v))
                    } else {
                        Arc::new(Int32Array::from(v))
                    }
                }
                Kind::I64 | Kind::Instant => {
                    let v = rows
                        .iter()
                        .map(|r| r.try_get::<Option<i64>, _>(i))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(bad)?;
                    if *k == Kind::Instant {
                        Arc::new(TimestampMicrosecondArray::from(v).with_timezone("UTC"))
                    } else {
                        Arc::new(Int64Array::from(v))
                    }
                }
                Kind::F64 => Arc::new(Float64Array::from(
                    rows.iter()
                        .map(|r| r.try_get::<Option<f64>, _>(i))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(bad)?,
                )),
                Kind::Bool => Arc::new(BooleanArray::from(
                    rows.iter()
                        .map(|r| r.try_get::<Option<bool>, _>(i))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(bad)?,
                )),
            };
            arrays.push(a);
        }
        RecordBatch::try_new(Arc::new(self.schema()), arrays).map_err(|e| WarehouseError::Export {
            url: String::new(),
            reason: format!("building a record batch: {e}"),
        })
    }
}

/// A batch as a zstd-compressed Parquet file.
pub fn parquet_bytes(batch: &RecordBatch) -> Result<Vec<u8>> {
    let fail = |e: parquet::errors::ParquetError| WarehouseError::Export {
        url: String::new(),
        reason: format!("writing Parquet: {e}"),
    };
    let level = ZstdLevel::try_new(3).map_err(fail)?;
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(level))
        .build();
    let mut out = Vec::new();
    let mut w = ArrowWriter::try_new(&mut out, batch.schema(), Some(props)).map_err(fail)?;
    w.write(batch).map_err(fail)?;
    w.close().map_err(fail)?;
    Ok(out)
}
