//! Free space of a directory's file system (`statvfs`), for the data directory of PostgreSQL
//! when pms runs on the database host. A remote database's disk is the host's monitoring job:
//! pms then says it cannot see it rather than guessing.

use std::path::Path;

/// Bytes of a file system: total, and available to unprivileged writers (what PostgreSQL,
/// which is not root, can still use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DiskUsage {
    pub total_bytes: u64,
    pub available_bytes: u64,
}

impl DiskUsage {
    /// The free share, 0 to 1.
    pub fn free_ratio(&self) -> f64 {
        if self.total_bytes == 0 {
            return 0.0;
        }
        self.available_bytes as f64 / self.total_bytes as f64
    }
}

/// `statvfs` of `path`; `None` when the path is not on this machine or not readable.
pub fn usage(path: &Path) -> Option<DiskUsage> {
    let s = rustix::fs::statvfs(path).ok()?;
    let unit = if s.f_frsize > 0 {
        s.f_frsize
    } else {
        s.f_bsize
    };
    Some(DiskUsage {
        total_bytes: s.f_blocks.saturating_mul(unit),
        available_bytes: s.f_bavail.saturating_mul(unit),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_file_system_has_a_size_and_a_missing_path_has_none() {
        let u = usage(Path::new("/")).unwrap();
        assert!(
            u.total_bytes > 0 && u.available_bytes <= u.total_bytes,
            "{u:?}"
        );
        assert!((0.0..=1.0).contains(&u.free_ratio()));
        assert_eq!(usage(Path::new("/no/such/dir/for/pms")), None);
    }
}
