//! The text screen: a header line per section (name, status, summary), its table, its notes.

use super::{Report, Status};

/// Left-aligned columns sized to their widest cell, two spaces apart; cells over 80
/// characters are cut with an ellipsis.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> Vec<String> {
    if rows.is_empty() {
        return Vec::new();
    }
    let cut = |s: &str| -> String {
        let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if one_line.chars().count() > 80 {
            format!("{}…", one_line.chars().take(79).collect::<String>())
        } else {
            one_line
        }
    };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| cut(c)).collect())
        .collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in &cells {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let line = |r: &[String]| -> String {
        r.iter()
            .enumerate()
            .map(|(i, c)| {
                let w = widths.get(i).copied().unwrap_or(0);
                format!("{c:<w$}")
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut out = vec![line(
        &headers.iter().map(|h| h.to_string()).collect::<Vec<_>>(),
    )];
    out.extend(cells.iter().map(|r| line(r)));
    out
}

/// The whole screen as text.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    for (name, s) in &report.sections {
        let status = match s.status {
            Status::Ok => "ok",
            Status::Warning => "WARNING",
            Status::Unavailable => "unavailable",
            Status::Error => "ERROR",
        };
        out.push_str(&format!(
            "== {} ({}) [{status}] {}\n",
            name.as_str(),
            name.title(),
            s.summary
        ));
        for l in &s.lines {
            out.push_str("   ");
            out.push_str(l);
            out.push('\n');
        }
        for n in &s.notes {
            out.push_str("   note: ");
            out.push_str(n);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_and_cut_long_cells() {
        let long = "x".repeat(100);
        let t = table(
            &["a", "bb"],
            &[vec!["1".into(), long], vec!["22".into(), "y".into()]],
        );
        assert_eq!(t[0], "a   bb");
        assert!(
            t[1].starts_with("1   xxx") && t[1].ends_with('…'),
            "{}",
            t[1]
        );
        assert_eq!(t[2], "22  y");
        assert!(table(&["a"], &[]).is_empty());
    }
}
