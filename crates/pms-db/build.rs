//! Embeds every file of `migrations/` and `sql/replaceable/` into the library, sorted by name,
//! so that the binary carries its schema and nothing is read from disk at run time.

use std::fmt::Write as _;
use std::path::Path;

fn list(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".sql"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let root = Path::new(&root);
    let mut out = String::new();
    for (konst, sub) in [
        ("MIGRATIONS", "migrations"),
        ("REPLACEABLE", "sql/replaceable"),
    ] {
        let dir = root.join(sub);
        println!("cargo:rerun-if-changed={}", dir.display());
        let _ = writeln!(out, "pub const {konst}: &[(&str, &str)] = &[");
        for name in list(&dir) {
            let path = dir.join(&name);
            println!("cargo:rerun-if-changed={}", path.display());
            let _ = writeln!(
                out,
                "    ({name:?}, include_str!({:?})),",
                path.display().to_string()
            );
        }
        let _ = writeln!(out, "];");
    }
    let dest =
        Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("embedded_sql.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
