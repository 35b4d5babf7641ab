//! Heatmap layout.

use super::*;

/// Thickness of a confidence mark bar.
const MARK_BAR: f64 = 3.0;

// ---------------------------------------------------------------------------
// Heatmap
// ---------------------------------------------------------------------------

pub(super) fn heatmap_scene(c: &Heatmap) -> Res<Scene> {
    let (nrows, ncols) = (c.rows.len(), c.columns.len());
    if nrows == 0 || ncols == 0 {
        return Err(invalid("heatmap: needs at least one row and one column"));
    }
    if c.cells.len() != nrows {
        return Err(invalid(format!(
            "heatmap: {} rows of cells for {} row labels",
            c.cells.len(),
            nrows
        )));
    }
    let mut has_none = false;
    for (r, row) in c.cells.iter().enumerate() {
        if row.len() != ncols {
            return Err(invalid(format!(
                "heatmap: row {r} has {} cells for {ncols} columns",
                row.len()
            )));
        }
        for cell in row {
            match cell {
                Some(k) if *k >= c.categories.len() => {
                    return Err(invalid(format!(
                        "heatmap: row {r} uses category {k} but only {} categories exist",
                        c.categories.len()
                    )));
                }
                None => has_none = true,
                _ => {}
            }
        }
    }
    for (what, n_rows, widths) in [
        (
            "marks",
            c.marks.len(),
            c.marks.iter().map(Vec::len).collect::<Vec<_>>(),
        ),
        (
            "labels",
            c.labels.len(),
            c.labels.iter().map(Vec::len).collect(),
        ),
    ] {
        if n_rows != 0 && (n_rows != nrows || widths.iter().any(|&w| w != ncols)) {
            return Err(invalid(format!(
                "heatmap: {what} must be empty or {nrows} rows of {ncols}"
            )));
        }
    }
    if let Some(k) = c
        .marks
        .iter()
        .flatten()
        .find(|&&k| usize::from(k) > c.mark_labels.len())
    {
        return Err(invalid(format!(
            "heatmap: mark {k} has no legend entry ({} given)",
            c.mark_labels.len()
        )));
    }
    let mut groups: Vec<(String, usize, usize)> = c.row_groups.clone();
    groups.sort_by_key(|g| (g.1, g.2));
    for (i, g) in groups.iter().enumerate() {
        if g.1 > g.2 || g.2 >= nrows {
            return Err(invalid(format!(
                "heatmap: row group {:?} spans rows {}..={} of {nrows}",
                g.0, g.1, g.2
            )));
        }
        if i > 0 && g.1 <= groups[i - 1].2 {
            return Err(invalid(format!(
                "heatmap: row groups {:?} and {:?} overlap",
                groups[i - 1].0,
                g.0
            )));
        }
    }
    let mut group_of_row: Vec<Option<usize>> = vec![None; nrows];
    for (gi, g) in groups.iter().enumerate() {
        for slot in &mut group_of_row[g.1..=g.2] {
            *slot = Some(gi);
        }
    }
    let na_category = c.categories.iter().position(|k| is_na_label(&k.label));
    let na_color = na_category
        .map(|i| c.categories[i].color)
        .unwrap_or(palette::NOT_APPLICABLE);

    // --- horizontal layout
    let col_labels: Vec<String> = c
        .columns
        .iter()
        .map(|l| fit(&clean(l), 160.0, F_TICK))
        .collect::<Res<_>>()?;
    let col_w_max = max_width(&col_labels, F_TICK)?;
    let label_w = max_width(c.labels.iter().flatten(), F_CELL)?;
    let wide_cell = (col_w_max + 10.0).max(label_w + 8.0).max(24.0).ceil();
    let horizontal_cols = wide_cell * ncols as f64 <= 1100.0;
    let cell_w = if horizontal_cols {
        wide_cell
    } else if ncols <= 60 {
        24.0_f64.max((label_w + 8.0).ceil())
    } else {
        18.0_f64.max((label_w + 8.0).ceil())
    };
    let row_h = if nrows <= 120 { 18.0 } else { 16.0 };
    let col_area = if horizontal_cols {
        lh(F_TICK)
    } else {
        col_w_max.ceil() + 2.0
    };

    let row_labels: Vec<String> = c
        .rows
        .iter()
        .map(|l| fit(&clean(l), 320.0, F_TICK))
        .collect::<Res<_>>()?;
    let rw = max_width(&row_labels, F_TICK)?.ceil();

    let group_labels: Vec<String> = groups.iter().map(|g| clean(&g.0)).collect();
    let group_text_w = if groups.is_empty() {
        0.0
    } else {
        max_width(&group_labels, F_GROUP)?
            .min(170.0)
            .ceil()
            .max(24.0)
    };
    let group_lines: Vec<Vec<String>> = group_labels
        .iter()
        .map(|l| wrap(l, group_text_w, F_GROUP))
        .collect::<Res<_>>()?;

    let y_label = clean(&c.y_label);
    let mut x = 0.0;
    let ylab_x = x;
    if !y_label.is_empty() {
        x += lh(F_AXIS) + 8.0;
    }
    let gx0 = x;
    if !groups.is_empty() {
        x += group_text_w + 16.0;
    }
    let rl_right = x + rw;
    let gx = rl_right + 6.0;
    let grid_w = ncols as f64 * cell_w;
    let grid_right = gx + grid_w;

    let mut s = Scene::default();

    // --- vertical layout
    let mut y = 0.0;
    let x_label = clean(&c.x_label);
    let mut right = grid_right + 2.0;
    if !x_label.is_empty() {
        let (h, r) = horizontal_title(
            &mut s,
            &x_label,
            gx + grid_w / 2.0,
            y,
            grid_w.max(300.0),
            0.0,
        )?;
        y += h + 4.0;
        right = right.max(r);
    }
    let grid_top = (y + col_area + 6.0).round();

    const GAP: f64 = 10.0;
    let mut row_y = vec![0.0; nrows];
    let mut separators = Vec::new();
    let mut cy = grid_top;
    for r in 0..nrows {
        if r > 0 && group_of_row[r] != group_of_row[r - 1] {
            separators.push(cy + GAP / 2.0);
            cy += GAP;
        }
        row_y[r] = cy;
        cy += row_h;
        // a group whose label needs more lines than it has rows gets extra space
        if let Some(gi) = group_of_row[r].filter(|&gi| groups[gi].2 == r) {
            let need = group_lines[gi].len() as f64 * lh(F_GROUP) + 2.0;
            let have = cy - row_y[groups[gi].1];
            if need > have {
                cy += need - have;
            }
        }
    }
    let grid_bottom = cy;

    // separators between groups
    for sy in &separators {
        let sy = sy.round();
        s.line(vec![(gx0, sy), (grid_right, sy)], RULE, 1.0);
    }
    // cells: runs of one colour in a row are one rectangle (smaller SVG); the 1 px gaps
    // between columns are drawn over them afterwards
    let color_of = |cell: &Option<usize>| match cell {
        Some(k) => c.categories[*k].color,
        None => na_color,
    };
    for (r, row) in c.cells.iter().enumerate() {
        let mut ci = 0;
        while ci < ncols {
            let color = color_of(&row[ci]);
            let mut end = ci + 1;
            while end < ncols && color_of(&row[end]) == color {
                end += 1;
            }
            s.rect(
                gx + ci as f64 * cell_w,
                row_y[r],
                gx + end as f64 * cell_w - 1.0,
                row_y[r] + row_h - 1.0,
                color,
            );
            ci = end;
        }
    }
    // confidence marks: bars along the cell's bottom (mark 1) or top and bottom (mark 2), in
    // runs like the fills, before the column gaps cut them into cells
    for (r, marks) in c.marks.iter().enumerate() {
        let ink = |ci: usize| contrast_text(color_of(&c.cells[r][ci]));
        let mut ci = 0;
        while ci < ncols {
            let (k, colour) = (marks[ci], ink(ci));
            let mut end = ci + 1;
            while end < ncols && marks[end] == k && ink(end) == colour {
                end += 1;
            }
            let (x0, x1) = (gx + ci as f64 * cell_w, gx + end as f64 * cell_w - 1.0);
            let (top, bottom) = (row_y[r], row_y[r] + row_h - 1.0);
            if k >= 1 {
                s.rect(x0, bottom - MARK_BAR, x1, bottom, colour);
            }
            if k >= 2 {
                s.rect(x0, top, x1, top + MARK_BAR, colour);
            }
            ci = end;
        }
    }
    let mut block_start = 0;
    for r in 0..nrows {
        let last = r + 1 == nrows || group_of_row[r + 1] != group_of_row[r];
        if last {
            for ci in 1..ncols {
                let xb = gx + ci as f64 * cell_w - 1.0;
                s.rect(
                    xb,
                    row_y[block_start],
                    xb + 1.0,
                    row_y[r] + row_h - 1.0,
                    WHITE,
                );
            }
            block_start = r + 1;
        }
    }
    for (r, row) in c.cells.iter().enumerate() {
        for (ci, cell) in row.iter().enumerate() {
            let color = color_of(cell);
            let x0 = gx + ci as f64 * cell_w;
            let (cx, cy) = (x0 + (cell_w - 1.0) / 2.0, row_y[r] + (row_h - 1.0) / 2.0);
            if let Some(label) = c.labels.get(r).and_then(|l| l.get(ci)) {
                let style = Style {
                    font: F_CELL,
                    color: contrast_text(color),
                    h: HAlign::Middle,
                    v: VAlign::Middle,
                    vertical: false,
                };
                s.text(&clean(label), cx, cy, style)?;
            }
        }
    }
    // row labels
    for (r, label) in row_labels.iter().enumerate() {
        s.text(
            label,
            rl_right,
            row_y[r] + (row_h - 1.0) / 2.0,
            Style {
                font: F_TICK,
                color: TEXT,
                h: HAlign::End,
                v: VAlign::Middle,
                vertical: false,
            },
        )?;
    }
    // group labels and brackets
    for (gi, g) in groups.iter().enumerate() {
        let top = row_y[g.1];
        let bottom = row_y[g.2] + row_h - 1.0;
        for (li, line) in group_lines[gi].iter().enumerate() {
            s.text(
                line,
                gx0,
                top + 1.0 + li as f64 * lh(F_GROUP),
                Style {
                    font: F_GROUP,
                    color: TEXT,
                    h: HAlign::Start,
                    v: VAlign::Top,
                    vertical: false,
                },
            )?;
        }
        let bx = gx0 + group_text_w + 8.0;
        s.line(
            vec![
                (bx + 4.0, top + 1.0),
                (bx, top + 1.0),
                (bx, bottom - 1.0),
                (bx + 4.0, bottom - 1.0),
            ],
            AXIS_LINE,
            1.0,
        );
    }
    // column labels (top, and bottom for tall grids)
    let repeat_bottom = nrows > 40;
    for (ci, label) in col_labels.iter().enumerate() {
        let cx = gx + ci as f64 * cell_w + (cell_w - 1.0) / 2.0;
        if horizontal_cols {
            s.text(
                label,
                cx,
                grid_top - 4.0,
                Style {
                    font: F_TICK,
                    color: TEXT,
                    h: HAlign::Middle,
                    v: VAlign::Bottom,
                    vertical: false,
                },
            )?;
            if repeat_bottom {
                s.text(
                    label,
                    cx,
                    grid_bottom + 3.0,
                    Style {
                        font: F_TICK,
                        color: TEXT,
                        h: HAlign::Middle,
                        v: VAlign::Top,
                        vertical: false,
                    },
                )?;
            }
        } else {
            s.text(
                label,
                cx,
                grid_top - 5.0,
                Style {
                    font: F_TICK,
                    color: TEXT,
                    h: HAlign::Start,
                    v: VAlign::Middle,
                    vertical: true,
                },
            )?;
            if repeat_bottom {
                s.text(
                    label,
                    cx,
                    grid_bottom + 4.0,
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
    }
    let mut bottom = grid_bottom;
    if repeat_bottom {
        bottom += 6.0 + col_area;
    }
    if !y_label.is_empty() {
        vertical_title(&mut s, &y_label, ylab_x, grid_top, grid_bottom, 0.0, bottom)?;
    }
    s.w = right.ceil();
    s.h = bottom.ceil() + 2.0;

    let mut legend: Vec<LegendEntry> = c
        .categories
        .iter()
        .map(|k| LegendEntry {
            swatch: Swatch::Box(k.color),
            label: k.label.clone(),
        })
        .collect();
    if has_none && na_category.is_none() {
        legend.push(LegendEntry {
            swatch: Swatch::Box(palette::NOT_APPLICABLE),
            label: "not applicable".into(),
        });
    }
    for (k, label) in c.mark_labels.iter().enumerate() {
        if c.marks.iter().flatten().any(|&m| usize::from(m) == k + 1) {
            legend.push(LegendEntry {
                swatch: Swatch::CellMark(k as u8 + 1),
                label: label.clone(),
            });
        }
    }
    compose(&c.title, &legend, s, &c.notes, &c.source)
}
