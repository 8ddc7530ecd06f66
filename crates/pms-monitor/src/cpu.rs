//! CPU time of a process on this machine (`/proc/<pid>/stat`), for the benchmark's "server CPU
//! per scrape": the monitor's own PostgreSQL backends when the server runs here.

/// User + system CPU seconds of `pid`; `None` when there is no such process here.
pub fn process_cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis
    // start at field 3 (state), so utime (14) and stime (15) are the 12th and 13th.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    let ticks = rustix::param::clock_ticks_per_second() as f64;
    Some((utime + stime) / ticks.max(1.0))
}

/// Is `pid` a PostgreSQL process of this machine?
pub fn is_local_postgres(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|c| c.trim() == "postgres")
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_cpu_time_and_is_not_postgres() {
        let me = std::process::id();
        let busy: u64 = (0..2_000_000u64).map(|x| x ^ (x >> 3)).sum();
        assert!(busy > 0);
        assert!(process_cpu_seconds(me).is_some_and(|s| s >= 0.0));
        assert!(!is_local_postgres(me));
        assert_eq!(process_cpu_seconds(u32::MAX), None);
    }
}
