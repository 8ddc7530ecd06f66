//! The benchmark's report, asked three ways: of the star, of the OLTP tables, and of the
//! Parquet export in DuckDB. The question: the rating distribution per department and cycle,
//! original against calibrated (the star answers with the department as of the review, OLTP
//! with the person's department now).

pub const STAR_REPORT: &str = "
SELECT d.name AS department, c.name AS cycle, count(*) AS reviews,
       round(avg(f.original_rating), 2) AS avg_original, round(avg(f.calibrated_rating), 2) AS avg_calibrated,
       count(*) FILTER (WHERE f.original_rating >= 4) AS high_original,
       count(*) FILTER (WHERE coalesce(f.calibrated_rating, f.original_rating) >= 4) AS high_calibrated
  FROM warehouse.fact_performance_review f
  JOIN warehouse.dim_department d ON d.tenant_id = f.tenant_id AND d.department_key = f.department_key
  JOIN warehouse.dim_review_cycle c ON c.tenant_id = f.tenant_id AND c.cycle_key = f.cycle_key
 WHERE f.tenant_id = $1
 GROUP BY 1, 2 ORDER BY 1, 2";

pub const OLTP_REPORT: &str = "
SELECT d.name AS department, c.name AS cycle, count(*) AS reviews,
       round(avg(r.overall_rating), 2) AS avg_original, round(avg(cal.adjusted_rating), 2) AS avg_calibrated,
       count(*) FILTER (WHERE r.overall_rating >= 4) AS high_original,
       count(*) FILTER (WHERE coalesce(cal.adjusted_rating, r.overall_rating) >= 4) AS high_calibrated
  FROM performance_reviews r
  JOIN users u ON u.tenant_id = r.tenant_id AND u.id = r.reviewee_id
  JOIN departments d ON d.tenant_id = u.tenant_id AND d.id = u.department_id
  JOIN review_cycles c ON c.tenant_id = r.tenant_id AND c.id = r.cycle_id
  LEFT JOIN LATERAL (SELECT x.adjusted_rating FROM calibration_ratings x
                      WHERE x.tenant_id = r.tenant_id AND x.review_id = r.id AND x.status = 'ACCEPTED'
                        AND x.adjusted_rating IS NOT NULL
                      ORDER BY x.updated_at DESC, x.id DESC LIMIT 1) cal ON true
 WHERE r.tenant_id = $1 AND r.deleted_at IS NULL
 GROUP BY 1, 2 ORDER BY 1, 2";

/// A Python program: `python3 -c SCRIPT DIR TENANT RUNS` prints the median milliseconds and
/// the row count of the star report in DuckDB over the export in DIR.
pub fn duckdb_script() -> String {
    r#"
import sys, time, statistics, duckdb
d, tenant, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
con = duckdb.connect()
def t(name, hive):
    glob = f"{d}/{name}/tenant_id={tenant}/" + ("*/" if hive else "") + "*.parquet"
    return f"read_parquet('{glob}', hive_partitioning = false)"
q = f"""
SELECT d.name, c.name, count(*), round(avg(f.original_rating), 2), round(avg(f.calibrated_rating), 2),
       count(*) FILTER (WHERE f.original_rating >= 4),
       count(*) FILTER (WHERE coalesce(f.calibrated_rating, f.original_rating) >= 4)
  FROM {t('fact_performance_review', True)} f
  JOIN {t('dim_department', False)} d ON d.department_key = f.department_key
  JOIN {t('dim_review_cycle', False)} c ON c.cycle_key = f.cycle_key
 GROUP BY 1, 2 ORDER BY 1, 2"""
times, rows = [], 0
for _ in range(max(1, runs)):
    s = time.perf_counter(); rows = len(con.execute(q).fetchall()); times.append((time.perf_counter() - s) * 1000)
print(f"{statistics.median(times):.3f} {rows}")
"#
    .to_string()
}
