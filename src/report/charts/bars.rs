//! Stacked-bar layout.

use super::*;

// ---------------------------------------------------------------------------
// Stacked bars
// ---------------------------------------------------------------------------

/// "Nice" axis for counts: (axis maximum, ticks, decimals).
fn count_ticks(max: f64) -> (f64, Vec<f64>, usize) {
    let max = if max > 0.0 { max } else { 1.0 };
    let raw = max / 6.0;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let step = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    } * mag;
    let step = step.max(1.0);
    let n = (max / step - 1e-9).ceil().max(1.0) as usize;
    let ticks = (0..=n).map(|i| i as f64 * step).collect();
    (n as f64 * step, ticks, 0)
}

/// The value axis: its maximum, tick values and tick labels.
struct Axis {
    max: f64,
    values: Vec<f64>,
    labels: Vec<String>,
    label_w: f64,
}

/// Labels as drawn, the widest, and the axis titles.
struct Labels {
    labels: Vec<String>,
    width: f64,
    x_title: String,
    y_title: String,
}

/// Checks the values; returns the largest bar total.
fn check_bars(c: &StackedBars) -> Res<f64> {
    let n = c.labels.len();
    let k = c.categories.len();
    if n == 0 {
        return Err(invalid("stacked bars: no labels"));
    }
    check_categories(&c.categories, "stacked bars")?;
    if c.values.len() != n {
        return Err(invalid(format!(
            "stacked bars: {} value rows for {n} labels",
            c.values.len()
        )));
    }
    let mut max_sum: f64 = 0.0;
    for (i, row) in c.values.iter().enumerate() {
        if row.len() != k {
            return Err(invalid(format!(
                "stacked bars: label {i} has {} values for {k} categories",
                row.len()
            )));
        }
        if row.iter().any(|v| !v.is_finite() || *v < 0.0) {
            return Err(invalid(format!(
                "stacked bars: label {i} has a negative or non-finite value"
            )));
        }
        let sum: f64 = row.iter().sum();
        if c.percent && sum > 1.0 + 1e-6 {
            return Err(invalid(format!(
                "stacked bars: fractions of label {i} sum to {sum} (> 1)"
            )));
        }
        max_sum = max_sum.max(sum);
    }
    Ok(max_sum)
}

fn value_axis(c: &StackedBars, max_sum: f64) -> Res<Axis> {
    let (max, values, labels): (f64, Vec<f64>, Vec<String>) = if c.percent {
        let v: Vec<f64> = (0..=10).map(|i| f64::from(i) / 10.0).collect();
        let l = (0..=10).map(|i| format!("{}%", i * 10)).collect();
        (1.0, v, l)
    } else {
        let (m, v, d) = count_ticks(max_sum);
        let l = v.iter().map(|t| format!("{t:.d$}")).collect();
        (m, v, l)
    };
    let label_w = max_width(&labels, F_TICK)?;
    Ok(Axis {
        max,
        values,
        labels,
        label_w,
    })
}

pub(super) fn stacked_scene(c: &StackedBars) -> Res<Scene> {
    let max_sum = check_bars(c)?;
    let axis = value_axis(c, max_sum)?;
    let labels: Vec<String> = c
        .labels
        .iter()
        .map(|l| fit(&clean(l), 320.0, F_TICK))
        .collect::<Res<_>>()?;
    let text = Labels {
        width: max_width(&labels, F_TICK)?.ceil(),
        labels,
        x_title: clean(&c.x_label),
        y_title: clean(&c.y_label),
    };
    let mut s = Scene::default();
    if c.horizontal {
        horizontal_bars(&mut s, c, &text, &axis)?;
    } else {
        vertical_bars(&mut s, c, text, &axis)?;
    }
    let legend: Vec<LegendEntry> = c
        .categories
        .iter()
        .map(|k| LegendEntry {
            swatch: Swatch::Box(k.color),
            label: k.label.clone(),
        })
        .collect();
    compose(&c.title, &legend, s, &[], &c.source)
}

/// Bars left to right, labels on the left.
fn horizontal_bars(s: &mut Scene, c: &StackedBars, text: &Labels, axis: &Axis) -> Res<()> {
    let n = c.labels.len();
    let (labels, label_w, x_label, y_label) =
        (&text.labels, text.width, &text.x_title, &text.y_title);
    let (axis_max, tick_values, tick_labels, tick_w) =
        (axis.max, &axis.values, &axis.labels, axis.label_w);
    const PW: f64 = 600.0;
    const PITCH: f64 = 22.0;
    const BAR: f64 = 15.0;
    // with 11 ticks over 600 px every label fits; thin out if ever needed
    let every = if PW / (tick_values.len().max(2) - 1) as f64 >= tick_w + 10.0 {
        1
    } else {
        2
    };
    let mut x = 0.0;
    let ylab_x = x;
    if !y_label.is_empty() {
        x += lh(F_AXIS) + 8.0;
    }
    let label_right = x + label_w;
    let px0 = label_right + 8.0;
    let px1 = px0 + PW;
    let top_ticks = n > 20;
    let mut y = 0.0;
    if top_ticks {
        y += lh(F_TICK) + 2.0;
    }
    let ptop = y + 4.0;
    let pbottom = ptop + n as f64 * PITCH + 4.0;
    let xv = |v: f64| px0 + v / axis_max * PW;
    for (i, t) in tick_values.iter().enumerate() {
        let tx = xv(*t).round();
        if i > 0 {
            s.line(vec![(tx, ptop), (tx, pbottom)], GRID, 1.0);
        }
        if i % every == 0 {
            s.x_tick(&tick_labels[i], tx, ptop, pbottom, top_ticks)?;
        }
    }
    for (i, row) in c.values.iter().enumerate() {
        let by = ptop + 2.0 + i as f64 * PITCH + (PITCH - BAR) / 2.0;
        let mut acc = 0.0;
        for (j, v) in row.iter().enumerate() {
            if *v > 0.0 {
                let (a, b) = (xv(acc), xv(acc + v));
                s.rect(a, by, b.max(a + 0.5), by + BAR, c.categories[j].color);
            }
            acc += v;
        }
        s.text(
            &labels[i],
            label_right,
            by + BAR / 2.0,
            Style {
                font: F_TICK,
                color: TEXT,
                h: HAlign::End,
                v: VAlign::Middle,
                vertical: false,
            },
        )?;
    }
    s.line(vec![(px0, ptop), (px0, pbottom)], AXIS_LINE, 1.0);
    s.line(vec![(px0, pbottom), (px1, pbottom)], AXIS_LINE, 1.0);
    let mut right = px1 + tick_w / 2.0 + 2.0;
    let mut bottom = pbottom + 4.0 + lh(F_TICK);
    if !x_label.is_empty() {
        let (h, r) = horizontal_title(s, x_label, (px0 + px1) / 2.0, bottom + 6.0, PW, 0.0)?;
        bottom += 6.0 + h;
        right = right.max(r);
    }
    if !y_label.is_empty() {
        vertical_title(s, y_label, ylab_x, ptop, pbottom, 0.0, bottom)?;
    }
    s.w = right.ceil();
    s.h = bottom.ceil() + 2.0;
    Ok(())
}

/// Bars bottom to top, labels underneath (upright when they fit, else reading upwards).
fn vertical_bars(s: &mut Scene, c: &StackedBars, text: Labels, axis: &Axis) -> Res<()> {
    let n = c.labels.len();
    let (labels, label_w, x_label, y_label) =
        (text.labels, text.width, &text.x_title, &text.y_title);
    let (axis_max, tick_values, tick_labels, tick_w) =
        (axis.max, &axis.values, &axis.labels, axis.label_w);
    const PH: f64 = 360.0;
    let wide_pitch = (label_w + 12.0).max(26.0).ceil();
    let horizontal_labels = wide_pitch * n as f64 <= 1000.0;
    let pitch = if horizontal_labels {
        wide_pitch.min(120.0)
    } else if n <= 60 {
        26.0
    } else {
        20.0
    };
    let labels: Vec<String> = if horizontal_labels {
        labels
            .iter()
            .map(|l| fit(l, pitch - 6.0, F_TICK))
            .collect::<Res<_>>()?
    } else {
        labels
    };
    let label_area = if horizontal_labels {
        lh(F_TICK)
    } else {
        label_w + 2.0
    };
    let bar = (pitch * 0.7).round();
    let mut x = 0.0;
    let ylab_x = x;
    if !y_label.is_empty() {
        x += lh(F_AXIS) + 8.0;
    }
    let tick_right = x + tick_w.ceil();
    let px0 = tick_right + 6.0;
    let px1 = px0 + n as f64 * pitch;
    let ptop = 10.0;
    let pbottom = ptop + PH;
    let yv = |v: f64| pbottom - v / axis_max * PH;
    for (i, t) in tick_values.iter().enumerate() {
        let ty = yv(*t).round();
        if i > 0 {
            s.line(vec![(px0, ty), (px1, ty)], GRID, 1.0);
        }
        s.text(
            &tick_labels[i],
            tick_right,
            ty,
            Style {
                font: F_TICK,
                color: TEXT,
                h: HAlign::End,
                v: VAlign::Middle,
                vertical: false,
            },
        )?;
    }
    for (i, row) in c.values.iter().enumerate() {
        let bx = px0 + i as f64 * pitch + (pitch - bar) / 2.0;
        let mut acc = 0.0;
        for (j, v) in row.iter().enumerate() {
            if *v > 0.0 {
                let (a, b) = (yv(acc), yv(acc + v));
                s.rect(bx, b.min(a - 0.5), bx + bar, a, c.categories[j].color);
            }
            acc += v;
        }
        let cx = bx + bar / 2.0;
        if horizontal_labels {
            s.text(
                &labels[i],
                cx,
                pbottom + 4.0,
                Style {
                    font: F_TICK,
                    color: TEXT,
                    h: HAlign::Middle,
                    v: VAlign::Top,
                    vertical: false,
                },
            )?;
        } else {
            s.text(
                &labels[i],
                cx,
                pbottom + 5.0,
                Style {
                    font: F_TICK,
                    color: TEXT,
                    h: HAlign::End,
                    v: VAlign::Middle,
                    vertical: true,
                },
            )?;
        }
    }
    s.line(vec![(px0, ptop), (px0, pbottom)], AXIS_LINE, 1.0);
    s.line(vec![(px0, pbottom), (px1, pbottom)], AXIS_LINE, 1.0);
    let mut right = px1 + 4.0;
    let mut bottom = pbottom + 5.0 + label_area;
    if !x_label.is_empty() {
        let (h, r) = horizontal_title(
            s,
            x_label,
            (px0 + px1) / 2.0,
            bottom + 8.0,
            (px1 - px0).max(300.0),
            0.0,
        )?;
        bottom += 8.0 + h;
        right = right.max(r);
    }
    if !y_label.is_empty() {
        vertical_title(s, y_label, ylab_x, ptop, pbottom, 0.0, bottom)?;
    }
    s.w = right.ceil();
    s.h = bottom.ceil() + 2.0;
    Ok(())
}
