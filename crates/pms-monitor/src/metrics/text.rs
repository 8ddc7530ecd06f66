//! The Prometheus text format for the figures this crate computes itself (database, pools):
//! families with HELP and TYPE lines, escaped label values, one sample per label set.

use std::fmt::Write as _;

/// The type of a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Gauge,
    Counter,
}

/// One metric family: a name, its help text and its samples.
#[derive(Debug, Clone)]
pub struct Family {
    pub name: &'static str,
    pub kind: Kind,
    pub help: &'static str,
    pub samples: Vec<(Vec<(String, String)>, f64)>,
}

impl Family {
    pub fn new(name: &'static str, kind: Kind, help: &'static str) -> Self {
        Self {
            name,
            kind,
            help,
            samples: Vec::new(),
        }
    }

    /// A family of one unlabelled sample.
    pub fn single(name: &'static str, kind: Kind, help: &'static str, value: f64) -> Self {
        let mut f = Self::new(name, kind, help);
        f.push(&[], value);
        f
    }

    pub fn push(&mut self, labels: &[(&str, &str)], value: f64) {
        self.samples.push((
            labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            value,
        ));
    }

    /// Appends the family in the text format. A family without samples (no replica, say)
    /// still declares itself with HELP and TYPE, so that a dashboard finds every name.
    pub fn write(&self, out: &mut String) {
        let kind = match self.kind {
            Kind::Gauge => "gauge",
            Kind::Counter => "counter",
        };
        let _ = writeln!(out, "# HELP {} {}", self.name, self.help);
        let _ = writeln!(out, "# TYPE {} {kind}", self.name);
        for (labels, value) in &self.samples {
            out.push_str(self.name);
            if !labels.is_empty() {
                out.push('{');
                for (i, (k, v)) in labels.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "{k}=\"{}\"", escape(v));
                }
                out.push('}');
            }
            let _ = writeln!(out, " {}", number(*value));
        }
    }
}

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn number(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        }
    } else {
        format!("{v}")
    }
}

/// All families, in order.
pub fn render(families: &[Family]) -> String {
    let mut out = String::new();
    for f in families {
        f.write(&mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_render_with_escaped_labels() {
        let mut f = Family::new("pms_x", Kind::Gauge, "an example");
        f.push(&[("a", "q\"uo\\te\nnl")], 1.5);
        f.push(&[], 2.0);
        let text = render(&[f, Family::new("pms_empty", Kind::Counter, "nothing")]);
        assert_eq!(
            text,
            "# HELP pms_x an example\n# TYPE pms_x gauge\npms_x{a=\"q\\\"uo\\\\te\\nnl\"} 1.5\npms_x 2\n# HELP pms_empty nothing\n# TYPE pms_empty counter\n"
        );
    }
}
