//! Value-matrix layout.

use super::*;

// ---------------------------------------------------------------------------
// Matrix
// ---------------------------------------------------------------------------

/// ColorBrewer YlGnBu (9 classes), a colour-blind-safe sequential scale that
/// stays monotonic in lightness when printed in greyscale.
const YLGNBU: [Rgb; 9] = [
    (255, 255, 217),
    (237, 248, 177),
    (199, 233, 180),
    (127, 205, 187),
    (65, 182, 196),
    (29, 145, 192),
    (34, 94, 168),
    (37, 52, 148),
    (8, 29, 88),
];

fn seq_color(v: f64) -> Rgb {
    let t = if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (YLGNBU.len() - 1) as f64;
    let i = (pos.floor() as usize).min(YLGNBU.len() - 2);
    let f = pos - i as f64;
    let (a, b) = (YLGNBU[i], YLGNBU[i + 1]);
    let mix = |p: u8, q: u8| (f64::from(p) + (f64::from(q) - f64::from(p)) * f).round() as u8;
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

pub(super) fn matrix_scene(c: &MatrixChart) -> Res<Scene> {
    let n = c.labels.len();
    if n == 0 {
        return Err(invalid("matrix: no labels"));
    }
    if c.values.len() != n || c.values.iter().any(|r| r.len() != n) {
        return Err(invalid(format!(
            "matrix: values must be {n} × {n} to match the labels"
        )));
    }
    let labels: Vec<String> = c
        .labels
        .iter()
        .map(|l| fit(&clean(l), 260.0, F_TICK))
        .collect::<Res<_>>()?;
    let lw = max_width(&labels, F_TICK)?.ceil();
    let cs = (text_width("0.00", F_CELL)? + 14.0).max(42.0).ceil();
    let horizontal_cols = lw + 6.0 <= cs;
    let col_area = if horizontal_cols {
        lh(F_TICK)
    } else {
        lw + 2.0
    };

    let mut s = Scene::default();
    let rl_right = lw;
    let gx = rl_right + 6.0;
    let grid_right = gx + n as f64 * cs;
    let grid_top = (col_area + 6.0).round();
    let grid_bottom = grid_top + n as f64 * cs;

    let mut any_na = false;
    for (r, row) in c.values.iter().enumerate() {
        for (ci, v) in row.iter().enumerate() {
            let x0 = gx + ci as f64 * cs;
            let y0 = grid_top + r as f64 * cs;
            let (bg, label) = if v.is_finite() {
                let shown = if (v * 100.0).round() == 0.0 { 0.0 } else { *v };
                (seq_color(*v), format!("{shown:.2}"))
            } else {
                any_na = true;
                (palette::NOT_APPLICABLE, "n/a".to_string())
            };
            s.rect(x0, y0, x0 + cs - 1.0, y0 + cs - 1.0, bg);
            s.text(
                &label,
                x0 + (cs - 1.0) / 2.0,
                y0 + (cs - 1.0) / 2.0,
                Style {
                    font: F_CELL,
                    color: contrast_text(bg),
                    h: HAlign::Middle,
                    v: VAlign::Middle,
                    vertical: false,
                },
            )?;
        }
    }
    for (i, label) in labels.iter().enumerate() {
        let mid = i as f64 * cs + (cs - 1.0) / 2.0;
        s.text(
            label,
            rl_right,
            grid_top + mid,
            Style {
                font: F_TICK,
                color: TEXT,
                h: HAlign::End,
                v: VAlign::Middle,
                vertical: false,
            },
        )?;
        if horizontal_cols {
            s.text(
                label,
                gx + mid,
                grid_top - 4.0,
                Style {
                    font: F_TICK,
                    color: TEXT,
                    h: HAlign::Middle,
                    v: VAlign::Bottom,
                    vertical: false,
                },
            )?;
        } else {
            s.text(
                label,
                gx + mid,
                grid_top - 5.0,
                Style {
                    font: F_TICK,
                    color: TEXT,
                    h: HAlign::Start,
                    v: VAlign::Middle,
                    vertical: true,
                },
            )?;
        }
    }

    // colour bar
    let cbx = grid_right + 24.0;
    const CBW: f64 = 16.0;
    let cbh = (n as f64 * cs).clamp(160.0, 320.0);
    let cb_top = grid_top;
    const STRIPS: usize = 64;
    for i in 0..STRIPS {
        let y0 = cb_top + cbh * i as f64 / STRIPS as f64;
        let y1 = cb_top + cbh * (i + 1) as f64 / STRIPS as f64;
        let v = 1.0 - (i as f64 + 0.5) / STRIPS as f64;
        s.rect(cbx, y0, cbx + CBW, y1, seq_color(v));
    }
    s.line(
        vec![
            (cbx, cb_top),
            (cbx + CBW, cb_top),
            (cbx + CBW, cb_top + cbh),
            (cbx, cb_top + cbh),
            (cbx, cb_top),
        ],
        RULE,
        1.0,
    );
    let mut right = cbx + CBW;
    for i in 0..=4 {
        let v = f64::from(i) / 4.0;
        let ty = (cb_top + cbh * (1.0 - v)).round();
        s.line(vec![(cbx + CBW, ty), (cbx + CBW + 4.0, ty)], AXIS_LINE, 1.0);
        let t = format!("{v:.2}");
        s.text(
            &t,
            cbx + CBW + 7.0,
            ty,
            Style {
                font: F_TICK,
                color: TEXT,
                h: HAlign::Start,
                v: VAlign::Middle,
                vertical: false,
            },
        )?;
        right = right.max(cbx + CBW + 7.0 + text_width(&t, F_TICK)?);
    }
    let mut bottom = grid_bottom.max(cb_top + cbh + 8.0);
    if any_na {
        let y = cb_top + cbh + 16.0;
        s.outlined_rect(cbx, y, cbx + CBW, y + 14.0, palette::NOT_APPLICABLE, RULE);
        s.text(
            "n/a",
            cbx + CBW + 7.0,
            y + 7.0,
            Style {
                font: F_TICK,
                color: TEXT,
                h: HAlign::Start,
                v: VAlign::Middle,
                vertical: false,
            },
        )?;
        right = right.max(cbx + CBW + 7.0 + text_width("n/a", F_TICK)?);
        bottom = bottom.max(y + 16.0);
    }
    s.w = right.ceil() + 2.0;
    s.h = bottom.ceil() + 2.0;
    let notes: Vec<String> = c.note.iter().cloned().collect();
    compose(&c.title, &[], s, &notes, &c.source)
}
