//! Timeline layout.

use super::*;

/// Fill of the bars behind the events.
const SPAN: Rgb = (198, 219, 239);

// ---------------------------------------------------------------------------
// Timeline
// ---------------------------------------------------------------------------

/// Checks lanes, range, events and spans.
fn check_timeline(c: &Timeline) -> Res<()> {
    let nl = c.lanes.len();
    if nl == 0 {
        return Err(invalid("timeline: no lanes"));
    }
    check_categories(&c.categories, "timeline")?;
    let (x0, x1) = c.x_range;
    if !x0.is_finite() || !x1.is_finite() || x1 <= x0 {
        return Err(invalid(format!("timeline: bad x_range {x0}..{x1}")));
    }
    if x1 - x0 > 500.0 {
        return Err(invalid("timeline: x_range spans more than 500 years"));
    }
    for (i, (lane, year, _, cat)) in c.events.iter().enumerate() {
        if *lane >= nl {
            return Err(invalid(format!(
                "timeline: event {i} is in lane {lane} of {nl}"
            )));
        }
        if *cat >= c.categories.len() {
            return Err(invalid(format!(
                "timeline: event {i} has category {cat} of {}",
                c.categories.len()
            )));
        }
        if !year.is_finite() || *year < x0 || *year > x1 {
            return Err(invalid(format!(
                "timeline: event {i} year {year} is outside {x0}..{x1}"
            )));
        }
    }

    for (i, (lane, from, to)) in c.spans.iter().enumerate() {
        if *lane >= nl || !(from.is_finite() && to.is_finite()) || from > to {
            return Err(invalid(format!("timeline: bad span {i}")));
        }
    }
    Ok(())
}

/// An event placed in its lane: x, sub-row, label and side.
struct Placed {
    lane: usize,
    x: f64,
    tier: usize,
    label: String,
    left: bool,
    cat: usize,
}

/// Events placed per lane, in year order, each into the first free sub-row; with the number of
/// sub-rows per lane and the horizontal extent of the labels.
struct Placement {
    placed: Vec<Placed>,
    lane_tiers: Vec<usize>,
    min_x: f64,
    max_x: f64,
}

const R: f64 = 5.5;
const TIER: f64 = 20.0;
const PAD: f64 = 4.0;

fn place(c: &Timeline, pw: f64, ppy: f64) -> Res<Placement> {
    let (nl, x0) = (c.lanes.len(), c.x_range.0);
    let mut placed: Vec<Placed> = Vec::with_capacity(c.events.len());
    let mut lane_tiers = vec![1usize; nl];
    let (mut min_x, mut max_x): (f64, f64) = (0.0, pw);
    for (lane, tiers_out) in lane_tiers.iter_mut().enumerate() {
        let mut idx: Vec<usize> = (0..c.events.len())
            .filter(|&i| c.events[i].0 == lane)
            .collect();
        idx.sort_by(|&a, &b| c.events[a].1.total_cmp(&c.events[b].1).then(a.cmp(&b)));
        let mut ends: Vec<f64> = Vec::new();
        for i in idx {
            let (_, year, label, cat) = &c.events[i];
            let label = fit(&clean(label), 240.0, F_TICK)?;
            let w = text_width(&label, F_TICK)?;
            let x = (year - x0) * ppy;
            let right_end = x + R + 4.0 + w;
            let left_start = x - R - 4.0 - w;
            let left = right_end > pw + 24.0 && left_start >= -24.0;
            let (a, b) = if left {
                (left_start - 6.0, x + R + 2.0)
            } else {
                (x - R - 2.0, right_end + 6.0)
            };
            min_x = min_x.min(if left { left_start } else { x - R - 1.0 });
            max_x = max_x.max(if left { x + R + 1.0 } else { right_end });
            let tier = match ends.iter().position(|e| *e <= a) {
                Some(t) => {
                    ends[t] = b;
                    t
                }
                None => {
                    ends.push(b);
                    ends.len() - 1
                }
            };
            placed.push(Placed {
                lane,
                x,
                tier,
                label,
                left,
                cat: *cat,
            });
        }
        *tiers_out = ends.len().max(1);
    }
    Ok(Placement {
        placed,
        lane_tiers,
        min_x,
        max_x,
    })
}

pub(super) fn timeline_scene(c: &Timeline) -> Res<Scene> {
    check_timeline(c)?;
    let nl = c.lanes.len();
    let (x0, x1) = c.x_range;
    let lane_labels: Vec<String> = c
        .lanes
        .iter()
        .map(|l| fit(&clean(l), 260.0, F_TICK))
        .collect::<Res<_>>()?;
    let lw = max_width(&lane_labels, F_TICK)?.ceil();
    let years = x1 - x0;
    let pw = (years * 72.0).clamp(480.0, 1100.0).round();
    let ppy = pw / years;

    let Placement {
        placed,
        lane_tiers,
        min_x,
        max_x,
    } = place(c, pw, ppy)?;

    let mut s = Scene::default();
    let lane_right = lw;
    let px0 = (lane_right + 12.0 + (-min_x).max(0.0)).ceil();
    let px1 = px0 + pw;

    // year ticks
    let year_w = text_width("0000", F_TICK)? + 12.0;
    let step = [1i64, 2, 5, 10, 20, 50, 100]
        .into_iter()
        .find(|st| *st as f64 * ppy >= year_w)
        .unwrap_or(100);
    let first = x0.ceil() as i64;
    let last = x1.floor() as i64;
    let top_ticks = nl > 8;
    let mut y = 0.0;
    if top_ticks {
        y += lh(F_TICK) + 2.0;
    }
    let ptop = y + 4.0;
    let mut lane_top = Vec::with_capacity(nl);
    let mut cy = ptop;
    for t in &lane_tiers {
        lane_top.push(cy);
        cy += *t as f64 * TIER + 2.0 * PAD;
    }
    let pbottom = cy;
    let xv = |v: f64| px0 + (v - x0) * ppy;

    // zebra background
    for (lane, top) in lane_top.iter().enumerate() {
        if lane % 2 == 1 {
            let h = lane_tiers[lane] as f64 * TIER + 2.0 * PAD;
            s.rect(0.0, *top, px1.max(px0 + max_x), top + h - 1.0, ZEBRA);
        }
    }
    // gridlines and tick labels
    for yr in first..=last {
        let tx = xv(yr as f64).round();
        let labelled = yr.rem_euclid(step) == 0;
        if ppy >= 6.0 || labelled {
            s.line(
                vec![(tx, ptop), (tx, pbottom)],
                if labelled { (200, 200, 200) } else { GRID },
                1.0,
            );
        }
        if labelled {
            s.x_tick(&yr.to_string(), tx, ptop, pbottom, top_ticks)?;
        }
    }
    s.line(vec![(px0, pbottom), (px1, pbottom)], AXIS_LINE, 1.0);
    // lane labels
    for (lane, label) in lane_labels.iter().enumerate() {
        let h = lane_tiers[lane] as f64 * TIER + 2.0 * PAD;
        let mid = if lane_tiers[lane] == 1 {
            lane_top[lane] + h / 2.0
        } else {
            lane_top[lane] + PAD + TIER / 2.0
        };
        s.text(
            label,
            lane_right,
            mid,
            Style {
                font: F_TICK,
                color: TEXT,
                h: HAlign::End,
                v: VAlign::Middle,
                vertical: false,
            },
        )?;
    }
    // spans, behind the events
    for (lane, from, to) in &c.spans {
        let h = lane_tiers[*lane] as f64 * TIER + 2.0 * PAD;
        let mid = if lane_tiers[*lane] == 1 {
            lane_top[*lane] + h / 2.0
        } else {
            lane_top[*lane] + PAD + TIER / 2.0
        };
        let (a, b) = (xv(from.max(x0)), xv(to.min(x1)));
        s.outlined_rect(a, mid - 4.0, b.max(a + 1.0), mid + 4.0, SPAN, RULE);
    }
    // events
    for p in &placed {
        let ey = lane_top[p.lane] + PAD + p.tier as f64 * TIER + TIER / 2.0;
        let ex = px0 + p.x;
        let cat = &c.categories[p.cat];
        marker(&mut s, SHAPES[p.cat % SHAPES.len()], ex, ey, R, cat.color);
        if p.left {
            s.text(
                &p.label,
                ex - R - 4.0,
                ey,
                Style {
                    font: F_TICK,
                    color: TEXT,
                    h: HAlign::End,
                    v: VAlign::Middle,
                    vertical: false,
                },
            )?;
        } else {
            s.text(
                &p.label,
                ex + R + 4.0,
                ey,
                Style {
                    font: F_TICK,
                    color: TEXT,
                    h: HAlign::Start,
                    v: VAlign::Middle,
                    vertical: false,
                },
            )?;
        }
    }
    let mut right = (px1 + year_w / 2.0).max(px0 + max_x) + 2.0;
    let mut bottom = pbottom + 4.0 + lh(F_TICK);
    let (h, r) = horizontal_title(&mut s, "Year", (px0 + px1) / 2.0, bottom + 6.0, pw, 0.0)?;
    bottom += 6.0 + h;
    right = right.max(r);
    s.w = right.ceil();
    s.h = bottom.ceil() + 2.0;

    let mut legend: Vec<LegendEntry> = c
        .categories
        .iter()
        .enumerate()
        .filter(|(i, _)| c.events.iter().any(|e| e.3 == *i))
        .map(|(i, k)| LegendEntry {
            swatch: Swatch::Marker(SHAPES[i % SHAPES.len()], k.color),
            label: k.label.clone(),
        })
        .collect();
    if !c.spans.is_empty() {
        legend.push(LegendEntry {
            swatch: Swatch::Box(SPAN),
            label: c.span_label.clone(),
        });
    }
    compose(&c.title, &legend, s, &c.notes, &c.source)
}
