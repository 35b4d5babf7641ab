//! Layout, escaping and determinism checks of the charts.

use super::*;

fn cats(n: usize) -> Vec<Category> {
    (0..n)
        .map(|i| Category {
            label: format!("category {i}"),
            color: [
                palette::ORANGE,
                palette::SKY_BLUE,
                palette::BLUISH_GREEN,
                palette::BLACK,
                palette::REDDISH_PURPLE,
                (217, 217, 217),
            ][i % 6],
        })
        .collect()
}

fn heatmap(nrows: usize, ncols: usize) -> Heatmap {
    Heatmap {
        title: "Outcome by jurisdiction & destination <ML8>".into(),
        x_label: "Exporting jurisdiction".into(),
        y_label: "Destination".into(),
        columns: (0..ncols)
            .map(|i| {
                if i == 1 {
                    "EU-26".into()
                } else {
                    format!("J{i}")
                }
            })
            .collect(),
        rows: (0..nrows)
            .map(|i| {
                if i == 2 {
                    "Türkiye".into()
                } else {
                    format!("Destination {i} <&>")
                }
            })
            .collect(),
        row_groups: if nrows >= 8 {
            vec![
                ("Group one with a long name that wraps".into(), 0, 0),
                ("Group two".into(), 3, nrows - 1),
            ]
        } else {
            vec![]
        },
        cells: (0..nrows)
            .map(|r| {
                (0..ncols)
                    .map(|c| {
                        if (r + c) % 9 == 0 {
                            None
                        } else {
                            Some((r * 7 + c) % 6)
                        }
                    })
                    .collect()
            })
            .collect(),
        categories: cats(6),
        marks: (0..nrows)
            .map(|r| (0..ncols).map(|c| ((r + 2 * c) % 3) as u8).collect())
            .collect(),
        mark_labels: vec!["secondary source".into(), "assumed".into()],
        labels: if ncols <= 4 {
            (0..nrows)
                .map(|r| {
                    (0..ncols)
                        .map(|c| format!("{}%", (r * 13 + c) % 101))
                        .collect()
                })
                .collect()
        } else {
            Vec::new()
        },
        notes: vec!["A note under the chart.".into()],
        source: "test data".into(),
    }
}

fn stacked(n: usize, percent: bool, horizontal: bool) -> StackedBars {
    StackedBars {
        title: "Stricter, same, looser".into(),
        x_label: "Jurisdiction".into(),
        y_label: "Share".into(),
        labels: (0..n)
            .map(|i| {
                if i == 0 {
                    "Türkiye".into()
                } else {
                    format!("J{i}")
                }
            })
            .collect(),
        categories: cats(4),
        values: (0..n)
            .map(|i| {
                let v = [0.1 + (i % 5) as f64 * 0.1, 0.3, 0.1, 0.05];
                if percent {
                    v.to_vec()
                } else {
                    v.iter().map(|x| (x * 200.0).round()).collect()
                }
            })
            .collect(),
        percent,
        horizontal,
        source: "Source: test".into(),
    }
}

fn matrix(n: usize) -> MatrixChart {
    MatrixChart {
        title: "Agreement".into(),
        labels: (0..n).map(|i| format!("Jurisdiction {i}")).collect(),
        values: (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        if i == j {
                            1.0
                        } else if i + j == 3 {
                            f64::NAN
                        } else {
                            ((i * j) % 10) as f64 / 10.0
                        }
                    })
                    .collect()
            })
            .collect(),
        source: "test".into(),
        note: Some("n/a = no overlap".into()),
    }
}

fn timeline(lanes: usize, events: usize) -> Timeline {
    Timeline {
        title: "Milestones".into(),
        lanes: (0..lanes).map(|i| format!("Lane {i}")).collect(),
        events: (0..events)
            .map(|i| {
                (
                    i % lanes,
                    2013.0 + (i * 37 % 130) as f64 / 10.0,
                    format!("Event {i} <&>"),
                    i % 3,
                )
            })
            .chain([
                (0, 2013.0, "first".to_string(), 0),
                (0, 2026.0, "last one at the edge".to_string(), 1),
                (0, 2026.0, "same day".to_string(), 2),
            ])
            .collect(),
        categories: cats(3),
        x_range: (2013.0, 2026.0),
        spans: (0..lanes).map(|l| (l, 2013.9, 2014.0 + l as f64)).collect(),
        span_label: "lag".into(),
        notes: vec!["1 first event".into()],
        source: "test".into(),
    }
}

/// Every text box lies inside the canvas and no two text boxes overlap.
fn assert_clean(scene: &Scene, what: &str) {
    type Boxes<'a> = Vec<(&'a str, (f64, f64, f64, f64))>;
    let boxes: Boxes = scene
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(t) => Some((t.text.as_str(), t.bbox())),
            _ => None,
        })
        .collect();
    assert!(!boxes.is_empty(), "{what}: no text");
    for (text, (x0, y0, x1, y1)) in &boxes {
        assert!(
            *x0 >= 0.0 && *y0 >= 0.0 && *x1 <= scene.w && *y1 <= scene.h,
            "{what}: {text:?} at ({x0:.1},{y0:.1})-({x1:.1},{y1:.1}) is outside {}×{}",
            scene.w,
            scene.h
        );
    }
    let mut sorted = boxes.clone();
    sorted.sort_by(|a, b| a.1.0.total_cmp(&b.1.0));
    for (i, (ta, a)) in sorted.iter().enumerate() {
        for (tb, b) in &sorted[i + 1..] {
            if b.0 >= a.2 - 0.5 {
                break;
            }
            let overlap = a.0 < b.2 - 0.5 && b.0 < a.2 - 0.5 && a.1 < b.3 - 0.5 && b.1 < a.3 - 0.5;
            assert!(!overlap, "{what}: {ta:?} {a:?} overlaps {tb:?} {b:?}");
        }
    }
}

#[test]
fn layouts_are_clean_at_realistic_and_odd_sizes() {
    for (r, c) in [(1, 1), (3, 5), (60, 42), (200, 42), (10, 90)] {
        assert_clean(
            &heatmap_scene(&heatmap(r, c)).unwrap(),
            &format!("heatmap {r}x{c}"),
        );
    }
    for n in [1, 5, 42, 80] {
        for (p, h) in [(true, true), (true, false), (false, true), (false, false)] {
            assert_clean(
                &stacked_scene(&stacked(n, p, h)).unwrap(),
                &format!("stacked {n} {p} {h}"),
            );
        }
    }
    for n in [1, 2, 17, 30] {
        assert_clean(&matrix_scene(&matrix(n)).unwrap(), &format!("matrix {n}"));
    }
    for (l, e) in [(1, 0), (1, 30), (20, 40), (20, 200)] {
        assert_clean(
            &timeline_scene(&timeline(l, e)).unwrap(),
            &format!("timeline {l}/{e}"),
        );
    }
    let mut long = heatmap(3, 3);
    long.title = "A very long title ".repeat(20);
    long.source = "A very long source line ".repeat(20);
    long.rows[0] = "x".repeat(400);
    long.columns[0] = "y".repeat(400);
    long.categories[0].label = "z".repeat(2000);
    assert_clean(&heatmap_scene(&long).unwrap(), "long labels");
}

#[test]
fn svg_escapes_text_and_keeps_unicode() {
    let svg = heatmap(3, 3).svg().unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("Türkiye"));
    assert!(svg.contains("&amp; destination &lt;ML8&gt;"));
    assert!(!svg.contains("<ML8>"));
    // every font size is an exact, readable value
    for part in svg.split("font-size=\"").skip(1) {
        let size: f64 = part.split('"').next().unwrap().parse().unwrap();
        assert!(size >= 11.0 && size == size.round(), "font-size {size}");
    }
}

#[test]
fn output_is_deterministic() {
    let h = heatmap(8, 5);
    assert_eq!(h.svg().unwrap(), h.svg().unwrap());
    let a = h.png_scaled(1.0).unwrap();
    assert_eq!(a, h.png_scaled(1.0).unwrap());
    assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
    let s = stacked(5, true, true);
    assert_eq!(s.svg().unwrap(), s.svg().unwrap());
    assert_eq!(s.png_scaled(1.0).unwrap(), s.png_scaled(1.0).unwrap());
    let m = matrix(4);
    assert_eq!(m.svg().unwrap(), m.svg().unwrap());
    assert_eq!(m.png_scaled(1.0).unwrap(), m.png_scaled(1.0).unwrap());
    let t = timeline(3, 6);
    assert_eq!(t.svg().unwrap(), t.svg().unwrap());
    assert_eq!(t.png_scaled(1.0).unwrap(), t.png_scaled(1.0).unwrap());
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let bad = |r: Result<String, ChartError>| matches!(r, Err(ChartError::InvalidInput(_)));
    let mut h = heatmap(3, 3);
    h.cells[1].pop();
    assert!(bad(h.svg()));
    let mut h = heatmap(3, 3);
    h.cells[0][0] = Some(99);
    assert!(bad(h.svg()));
    let mut h = heatmap(10, 3);
    h.row_groups.push(("overlapping".into(), 2, 4));
    assert!(bad(h.svg()));
    let mut h = heatmap(3, 3);
    h.row_groups = vec![("out of range".into(), 1, 3)];
    assert!(bad(h.svg()));
    assert!(bad(heatmap(0, 3).svg()));

    let mut s = stacked(3, true, true);
    s.values[0][0] = f64::NAN;
    assert!(bad(s.svg()));
    let mut s = stacked(3, true, true);
    s.values[0][0] = 0.9;
    assert!(bad(s.svg()));
    let mut s = stacked(3, false, true);
    s.values[2] = vec![1.0];
    assert!(bad(s.svg()));

    let mut m = matrix(3);
    m.values[1].push(0.5);
    assert!(bad(m.svg()));

    let mut t = timeline(2, 2);
    t.events.push((0, 2030.0, "late".into(), 0));
    assert!(bad(t.svg()));
    let mut t = timeline(2, 2);
    t.events.push((5, 2020.0, "no lane".into(), 0));
    assert!(bad(t.svg()));
    let mut t = timeline(2, 2);
    t.x_range = (2020.0, f64::NAN);
    assert!(bad(t.svg()));
}

#[test]
fn oversized_charts_are_reported() {
    let h = heatmap(1200, 2);
    assert!(matches!(h.svg(), Err(ChartError::TooLarge(_))));
    assert!(matches!(
        heatmap(2, 2).png_scaled(100.0),
        Err(ChartError::InvalidInput(_))
    ));
}

#[test]
fn text_metrics_constant_matches_embedded_fonts() {
    // ab_glyph scales by hhea ascent - descent; both faces must agree with PNG_SIZE_PER_EM.
    for data in [FONT_REGULAR, FONT_BOLD] {
        let font = FontRef::try_from_slice(data).unwrap();
        let ratio = f64::from(font.height_unscaled()) / f64::from(font.units_per_em().unwrap());
        assert!((ratio - PNG_SIZE_PER_EM).abs() < 1e-9, "ratio {ratio}");
    }
}
