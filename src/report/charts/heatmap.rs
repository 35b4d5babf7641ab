//! Heatmap layout: checked input, geometry, then drawing in layers (fills, confidence marks,
//! column gaps, cell text, labels), then the legend.

use super::*;

/// Thickness of a confidence mark bar.
const MARK_BAR: f64 = 3.0;
/// Space between row groups.
const GAP: f64 = 10.0;

/// What checking the input establishes.
struct Checked {
    /// Some cell is `None` (not applicable).
    has_none: bool,
    /// Row groups, sorted.
    groups: Vec<(String, usize, usize)>,
    /// The group of each row.
    group_of_row: Vec<Option<usize>>,
}

fn check(c: &Heatmap) -> Res<Checked> {
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
    check_layers(c, nrows, ncols)?;
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
    Ok(Checked {
        has_none,
        groups,
        group_of_row,
    })
}

/// Marks and cell labels are empty or one per cell; every mark has a legend entry.
fn check_layers(c: &Heatmap, nrows: usize, ncols: usize) -> Res<()> {
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
    Ok(())
}

/// Where everything goes.
struct Geometry {
    /// Column labels as drawn.
    col_labels: Vec<String>,
    /// Column labels read left to right (else upwards).
    horizontal_cols: bool,
    /// Height of the column label area.
    col_area: f64,
    /// Cell pitch.
    cell_w: f64,
    row_h: f64,
    /// Row labels as drawn and the x where they end.
    row_labels: Vec<String>,
    rl_right: f64,
    /// Group labels: left x, text width, wrapped lines.
    gx0: f64,
    group_text_w: f64,
    group_lines: Vec<Vec<String>>,
    /// Left edge of the grid and of the y-axis title.
    gx: f64,
    ylab_x: f64,
}

impl Geometry {
    fn of(c: &Heatmap, k: &Checked) -> Res<Geometry> {
        let (nrows, ncols) = (c.rows.len(), c.columns.len());
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
        let row_labels: Vec<String> = c
            .rows
            .iter()
            .map(|l| fit(&clean(l), 320.0, F_TICK))
            .collect::<Res<_>>()?;
        let rw = max_width(&row_labels, F_TICK)?.ceil();
        let group_labels: Vec<String> = k.groups.iter().map(|g| clean(&g.0)).collect();
        let group_text_w = if k.groups.is_empty() {
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
        let mut x = 0.0;
        let ylab_x = x;
        if !clean(&c.y_label).is_empty() {
            x += lh(F_AXIS) + 8.0;
        }
        let gx0 = x;
        if !k.groups.is_empty() {
            x += group_text_w + 16.0;
        }
        let rl_right = x + rw;
        Ok(Geometry {
            col_area: if horizontal_cols {
                lh(F_TICK)
            } else {
                col_w_max.ceil() + 2.0
            },
            col_labels,
            horizontal_cols,
            cell_w,
            row_h: if nrows <= 120 { 18.0 } else { 16.0 },
            row_labels,
            rl_right,
            gx0,
            group_text_w,
            group_lines,
            gx: rl_right + 6.0,
            ylab_x,
        })
    }

    fn grid_right(&self, ncols: usize) -> f64 {
        self.gx + ncols as f64 * self.cell_w
    }

    /// Top of every row (groups apart, tall group labels given room), the separators between
    /// groups, and the grid's bottom.
    fn rows(&self, k: &Checked, grid_top: f64, nrows: usize) -> (Vec<f64>, Vec<f64>, f64) {
        let mut row_y = vec![0.0; nrows];
        let mut separators = Vec::new();
        let mut cy = grid_top;
        for r in 0..nrows {
            if r > 0 && k.group_of_row[r] != k.group_of_row[r - 1] {
                separators.push(cy + GAP / 2.0);
                cy += GAP;
            }
            row_y[r] = cy;
            cy += self.row_h;
            if let Some(gi) = k.group_of_row[r].filter(|&gi| k.groups[gi].2 == r) {
                let need = self.group_lines[gi].len() as f64 * lh(F_GROUP) + 2.0;
                let have = cy - row_y[k.groups[gi].1];
                if need > have {
                    cy += need - have;
                }
            }
        }
        (row_y, separators, cy)
    }
}

pub(super) fn heatmap_scene(c: &Heatmap) -> Res<Scene> {
    let k = check(c)?;
    let g = Geometry::of(c, &k)?;
    let (nrows, ncols) = (c.rows.len(), c.columns.len());
    let na_category = c.categories.iter().position(|k| is_na_label(&k.label));
    let na_color = na_category
        .map(|i| c.categories[i].color)
        .unwrap_or(palette::NOT_APPLICABLE);
    let color_of = |cell: &Option<usize>| match cell {
        Some(k) => c.categories[*k].color,
        None => na_color,
    };
    let mut s = Scene::default();
    let grid_w = ncols as f64 * g.cell_w;
    let mut y = 0.0;
    let mut right = g.grid_right(ncols) + 2.0;
    let x_label = clean(&c.x_label);
    if !x_label.is_empty() {
        let (h, r) = horizontal_title(
            &mut s,
            &x_label,
            g.gx + grid_w / 2.0,
            y,
            grid_w.max(300.0),
            0.0,
        )?;
        y += h + 4.0;
        right = right.max(r);
    }
    let grid_top = (y + g.col_area + 6.0).round();
    let (row_y, separators, grid_bottom) = g.rows(&k, grid_top, nrows);
    for sy in &separators {
        let sy = sy.round();
        s.line(vec![(g.gx0, sy), (g.grid_right(ncols), sy)], RULE, 1.0);
    }
    draw_fills(&mut s, c, &g, &row_y, &color_of);
    draw_marks(&mut s, c, &g, &row_y, &color_of);
    draw_gaps(&mut s, &k, &g, &row_y, ncols);
    draw_cell_text(&mut s, c, &g, &row_y, &color_of)?;
    draw_row_labels(&mut s, &k, &g, &row_y)?;
    let repeat_bottom = nrows > 40;
    draw_column_labels(&mut s, &g, grid_top, grid_bottom, repeat_bottom)?;
    let mut bottom = grid_bottom;
    if repeat_bottom {
        bottom += 6.0 + g.col_area;
    }
    let y_label = clean(&c.y_label);
    if !y_label.is_empty() {
        vertical_title(
            &mut s,
            &y_label,
            g.ylab_x,
            grid_top,
            grid_bottom,
            0.0,
            bottom,
        )?;
    }
    s.w = right.ceil();
    s.h = bottom.ceil() + 2.0;
    compose(
        &c.title,
        &legend(c, k.has_none, na_category),
        s,
        &c.notes,
        &c.source,
    )
}

/// Fills: runs of one colour in a row are one rectangle (a smaller SVG); the 1 px gaps between
/// columns are drawn over them afterwards.
fn draw_fills(
    s: &mut Scene,
    c: &Heatmap,
    g: &Geometry,
    row_y: &[f64],
    color_of: &dyn Fn(&Option<usize>) -> Rgb,
) {
    let ncols = c.columns.len();
    for (r, row) in c.cells.iter().enumerate() {
        let mut ci = 0;
        while ci < ncols {
            let color = color_of(&row[ci]);
            let mut end = ci + 1;
            while end < ncols && color_of(&row[end]) == color {
                end += 1;
            }
            s.rect(
                g.gx + ci as f64 * g.cell_w,
                row_y[r],
                g.gx + end as f64 * g.cell_w - 1.0,
                row_y[r] + g.row_h - 1.0,
                color,
            );
            ci = end;
        }
    }
}

/// Confidence marks: a bar along the bottom of every marked cell, and one along the top of
/// cells with mark 2, each in runs of one ink (like the fills), before the column gaps cut them
/// into cells.
fn draw_marks(
    s: &mut Scene,
    c: &Heatmap,
    g: &Geometry,
    row_y: &[f64],
    color_of: &dyn Fn(&Option<usize>) -> Rgb,
) {
    let ncols = c.columns.len();
    for (r, marks) in c.marks.iter().enumerate() {
        let ink = |ci: usize| contrast_text(color_of(&c.cells[r][ci]));
        let (top, bottom) = (row_y[r], row_y[r] + g.row_h - 1.0);
        for (min, y0, y1) in [(1, bottom - MARK_BAR, bottom), (2, top, top + MARK_BAR)] {
            let mut ci = 0;
            while ci < ncols {
                if marks[ci] < min {
                    ci += 1;
                    continue;
                }
                let colour = ink(ci);
                let mut end = ci + 1;
                while end < ncols && marks[end] >= min && ink(end) == colour {
                    end += 1;
                }
                let (x0, x1) = (
                    g.gx + ci as f64 * g.cell_w,
                    g.gx + end as f64 * g.cell_w - 1.0,
                );
                s.rect(x0, y0, x1, y1, colour);
                ci = end;
            }
        }
    }
}

/// The white 1 px gaps between columns, one line per column and group block.
fn draw_gaps(s: &mut Scene, k: &Checked, g: &Geometry, row_y: &[f64], ncols: usize) {
    let nrows = row_y.len();
    let mut block_start = 0;
    for r in 0..nrows {
        let last = r + 1 == nrows || k.group_of_row[r + 1] != k.group_of_row[r];
        if last {
            for ci in 1..ncols {
                let xb = g.gx + ci as f64 * g.cell_w - 1.0;
                s.rect(
                    xb,
                    row_y[block_start],
                    xb + 1.0,
                    row_y[r] + g.row_h - 1.0,
                    WHITE,
                );
            }
            block_start = r + 1;
        }
    }
}

fn draw_cell_text(
    s: &mut Scene,
    c: &Heatmap,
    g: &Geometry,
    row_y: &[f64],
    color_of: &dyn Fn(&Option<usize>) -> Rgb,
) -> Res<()> {
    for (r, labels) in c.labels.iter().enumerate() {
        for (ci, label) in labels.iter().enumerate() {
            let x0 = g.gx + ci as f64 * g.cell_w;
            let (cx, cy) = (
                x0 + (g.cell_w - 1.0) / 2.0,
                row_y[r] + (g.row_h - 1.0) / 2.0,
            );
            let style = Style {
                font: F_CELL,
                color: contrast_text(color_of(&c.cells[r][ci])),
                h: HAlign::Middle,
                v: VAlign::Middle,
                vertical: false,
            };
            s.text(&clean(label), cx, cy, style)?;
        }
    }
    Ok(())
}

/// Row labels, then group labels with their brackets.
fn draw_row_labels(s: &mut Scene, k: &Checked, g: &Geometry, row_y: &[f64]) -> Res<()> {
    for (r, label) in g.row_labels.iter().enumerate() {
        s.text(
            label,
            g.rl_right,
            row_y[r] + (g.row_h - 1.0) / 2.0,
            Style {
                font: F_TICK,
                color: TEXT,
                h: HAlign::End,
                v: VAlign::Middle,
                vertical: false,
            },
        )?;
    }
    for (gi, grp) in k.groups.iter().enumerate() {
        let top = row_y[grp.1];
        let bottom = row_y[grp.2] + g.row_h - 1.0;
        for (li, line) in g.group_lines[gi].iter().enumerate() {
            s.text(
                line,
                g.gx0,
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
        let bx = g.gx0 + g.group_text_w + 8.0;
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
    Ok(())
}

/// Column labels above the grid, repeated below tall grids; upright when they fit a cell,
/// else reading upwards.
fn draw_column_labels(
    s: &mut Scene,
    g: &Geometry,
    grid_top: f64,
    grid_bottom: f64,
    repeat_bottom: bool,
) -> Res<()> {
    let style = |h, v, vertical| Style {
        font: F_TICK,
        color: TEXT,
        h,
        v,
        vertical,
    };
    for (ci, label) in g.col_labels.iter().enumerate() {
        let cx = g.gx + ci as f64 * g.cell_w + (g.cell_w - 1.0) / 2.0;
        if g.horizontal_cols {
            s.text(
                label,
                cx,
                grid_top - 4.0,
                style(HAlign::Middle, VAlign::Bottom, false),
            )?;
            if repeat_bottom {
                s.text(
                    label,
                    cx,
                    grid_bottom + 3.0,
                    style(HAlign::Middle, VAlign::Top, false),
                )?;
            }
        } else {
            s.text(
                label,
                cx,
                grid_top - 5.0,
                style(HAlign::Start, VAlign::Middle, true),
            )?;
            if repeat_bottom {
                s.text(
                    label,
                    cx,
                    grid_bottom + 4.0,
                    style(HAlign::End, VAlign::Middle, true),
                )?;
            }
        }
    }
    Ok(())
}

/// Categories, "not applicable" where some cell is empty, and the marks that occur.
fn legend(c: &Heatmap, has_none: bool, na_category: Option<usize>) -> Vec<LegendEntry> {
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
    legend
}
