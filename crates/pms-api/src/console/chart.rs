//! Charts drawn on the server as SVG (through maud, so labels are escaped like any text): a
//! bar chart of counts and a line chart of averages. Each has a title and description for
//! screen readers and the same figures in a table below it.

use maud::{Markup, html};

const W: f64 = 800.0;
const H: f64 = 220.0;
const LEFT: f64 = 48.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 12.0;

/// One labelled value.
pub(crate) struct Point {
    pub label: String,
    pub value: f64,
}

fn axis_max(points: &[Point]) -> f64 {
    let m = points.iter().map(|p| p.value).fold(0.0, f64::max);
    if m <= 0.0 { 1.0 } else { m * 1.1 }
}

fn fmt(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.2}")
    }
}

fn frame(id: &str, title: &str, desc: &str, max: f64, inner: Markup) -> Markup {
    let plot_h = H - BOTTOM - TOP;
    html! {
        svg class="chart" viewBox={ "0 0 " (W) " " (H) } role="img"
            aria-labelledby={ (id) "-title " (id) "-desc" } id=(id) {
            title id={ (id) "-title" } { (title) }
            desc id={ (id) "-desc" } { (desc) }
            @for i in 0..=4 {
                @let y = TOP + plot_h * (1.0 - i as f64 / 4.0);
                line class="grid" x1=(LEFT) x2=(W - 4.0) y1=(y) y2=(y) {}
                text class="tick" x=(LEFT - 6.0) y=(y + 4.0) text-anchor="end" { (fmt((max * i as f64 / 4.0).round())) }
            }
            (inner)
        }
    }
}

fn label_every(n: usize) -> usize {
    n.div_ceil(8).max(1)
}

/// Bars for `points` (e.g. ingested points per day).
pub(crate) fn bars(id: &str, title: &str, points: &[Point]) -> Markup {
    let max = axis_max(points);
    let plot_h = H - BOTTOM - TOP;
    let n = points.len().max(1) as f64;
    let slot = (W - LEFT - 4.0) / n;
    let every = label_every(points.len());
    let total: f64 = points.iter().map(|p| p.value).sum();
    let desc = format!("{} bars, {} in all", points.len(), fmt(total));
    let inner = html! {
        @for (i, p) in points.iter().enumerate() {
            @let h = plot_h * p.value / max;
            @let x = LEFT + slot * i as f64 + slot * 0.15;
            rect class="bar" x=(x) y=(TOP + plot_h - h) width=(slot * 0.7) height=(h) {
                title { (p.label) ": " (fmt(p.value)) }
            }
            @if i % every == 0 {
                text class="tick" x=(x + slot * 0.35) y=(H - 8.0) text-anchor="middle" { (p.label) }
            }
        }
    };
    html! {
        figure {
            (frame(id, title, &desc, max, inner))
            (table(title, points))
        }
    }
}

/// A line per series over shared labels (e.g. weekly averages per metric).
pub(crate) fn lines(
    id: &str,
    title: &str,
    labels: &[String],
    series: &[(String, Vec<Option<f64>>)],
) -> Markup {
    let all: Vec<Point> = series
        .iter()
        .flat_map(|(_, v)| {
            v.iter().flatten().map(|v| Point {
                label: String::new(),
                value: *v,
            })
        })
        .collect();
    let max = axis_max(&all);
    let plot_h = H - BOTTOM - TOP;
    let step = if labels.len() > 1 {
        (W - LEFT - 12.0) / (labels.len() - 1) as f64
    } else {
        0.0
    };
    let every = label_every(labels.len());
    let desc = format!("{} series over {} periods", series.len(), labels.len());
    let inner = html! {
        @for (i, l) in labels.iter().enumerate() {
            @if i % every == 0 {
                text class="tick" x=(LEFT + 4.0 + step * i as f64) y=(H - 8.0) text-anchor="middle" { (l) }
            }
        }
        @for (k, (name, values)) in series.iter().enumerate() {
            @let pts: Vec<String> = values.iter().enumerate()
                .filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", LEFT + 4.0 + step * i as f64, TOP + plot_h * (1.0 - v / max))))
                .collect();
            polyline class={ "line s" (k % 6) } points=(pts.join(" ")) {
                title { (name) }
            }
        }
    };
    html! {
        figure {
            (frame(id, title, &desc, max, inner))
            ul class="legend" {
                @for (k, (name, _)) in series.iter().enumerate() {
                    li { span class={ "key s" (k % 6) } aria-hidden="true" {} (name) }
                }
            }
            details {
                summary { "The figures of " (title) }
                table {
                    thead { tr { th scope="col" { "Period" } @for (name, _) in series { th scope="col" { (name) } } } }
                    tbody {
                        @for (i, l) in labels.iter().enumerate() {
                            tr {
                                th scope="row" { (l) }
                                @for (_, v) in series {
                                    td class="num" { (v.get(i).copied().flatten().map(fmt).unwrap_or_default()) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn table(title: &str, points: &[Point]) -> Markup {
    html! {
        details {
            summary { "The figures of " (title) }
            table {
                thead { tr { th scope="col" { "Period" } th scope="col" { "Value" } } }
                tbody {
                    @for p in points {
                        tr { th scope="row" { (p.label) } td class="num" { (fmt(p.value)) } }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_escape_and_list_their_figures() {
        let points = vec![
            Point {
                label: "<script>".into(),
                value: 10.0,
            },
            Point {
                label: "b".into(),
                value: 5.0,
            },
        ];
        let svg = bars("c", "T & U", &points).into_string();
        assert!(!svg.contains("<script>"), "labels are escaped: {svg}");
        assert!(svg.contains("&lt;script&gt;") && svg.contains("T &amp; U"));
        assert_eq!(svg.matches("<rect class=\"bar\"").count(), 2);
        // The taller bar is twice the shorter one (heights are proportional to the values).
        let heights: Vec<f64> = svg
            .split("height=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().parse().unwrap())
            .collect();
        assert!((heights[0] / heights[1] - 2.0).abs() < 1e-9, "{heights:?}");
        assert!(
            svg.contains("<td class=\"num\">10</td>"),
            "the figures table"
        );
    }

    #[test]
    fn lines_skip_missing_values() {
        let labels = vec!["w1".to_string(), "w2".to_string(), "w3".to_string()];
        let series = vec![("m".to_string(), vec![Some(1.0), None, Some(3.0)])];
        let svg = lines("l", "L", &labels, &series).into_string();
        let points = svg
            .split("points=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(points.split(' ').count(), 2, "{points}");
    }
}
