//! The report's charts, built from the grid, the metrics and the history. Each chart is
//! written once as SVG (for the page) and once as PNG (for Markdown viewers).

use crate::error::{Error, Result};
use crate::model::{Confidence, EndUse, EndUser, Outcome};
use crate::report::charts::{
    Category, Chart, ChartError, Heatmap, MatrixChart, StackedBars, Timeline,
};
use crate::report::findings::Metrics;
use crate::report::grid::{Grid, pct};
use crate::report::history::{History, ITEMS};
use crate::report::model::{ACE_CATEGORIES, OUTCOME_COLOURS, OUTCOMES, ace_category};
use crate::report::{File, slug};

/// A chart of the report: its file stem, title and caption.
pub(crate) struct ChartRef {
    /// File stem under `charts/`.
    pub stem: String,
    /// Title.
    pub title: String,
    /// Caption.
    pub caption: String,
    /// Whether a PNG copy exists (charts of every destination are SVG only: as rasters they
    /// would be several times larger).
    pub png: bool,
}

/// The chart files and their references, in reading order.
pub(crate) struct Charts {
    /// SVG and PNG files.
    pub files: Vec<File>,
    /// One reference per chart.
    pub list: Vec<ChartRef>,
    /// Numbered timeline events: (number, date, lane, event, source).
    pub events: Vec<(usize, String, String, String, String)>,
}

fn chart_err(e: ChartError) -> Error {
    Error::Output {
        format: "chart",
        message: e.to_string(),
    }
}

impl Charts {
    fn push(
        &mut self,
        stem: String,
        caption: String,
        title: &str,
        chart: &dyn Chart,
    ) -> Result<()> {
        self.add(stem, caption, title, chart, true)
    }

    fn push_svg(
        &mut self,
        stem: String,
        caption: String,
        title: &str,
        chart: &dyn Chart,
    ) -> Result<()> {
        self.add(stem, caption, title, chart, false)
    }

    fn add(
        &mut self,
        stem: String,
        caption: String,
        title: &str,
        chart: &dyn Chart,
        png: bool,
    ) -> Result<()> {
        self.files.push(File {
            path: format!("charts/{stem}.svg"),
            bytes: chart.svg().map_err(chart_err)?.into_bytes(),
        });
        if png {
            self.files.push(File {
                path: format!("charts/{stem}.png"),
                bytes: chart.png_scaled(1.0).map_err(chart_err)?,
            });
        }
        self.list.push(ChartRef {
            stem,
            title: title.to_string(),
            caption,
            png,
        });
        Ok(())
    }
}

/// Outcome legend entries for the outcomes that occur (`used[k]` for `OUTCOMES[k]`); returns
/// the categories and each outcome's category index.
fn outcome_categories(used: &[bool]) -> (Vec<Category>, Vec<Option<usize>>) {
    let mut cats = Vec::new();
    let mut index = vec![None; OUTCOMES.len()];
    for (k, o) in OUTCOMES.iter().enumerate() {
        if used[k] {
            index[k] = Some(cats.len());
            cats.push(Category {
                label: o.as_str().to_string(),
                color: OUTCOME_COLOURS[k],
            });
        }
    }
    (cats, index)
}

fn mark(c: Confidence) -> u8 {
    match c {
        Confidence::Primary => 0,
        Confidence::Secondary => 1,
        Confidence::Assumed => 2,
    }
}

const MARK_LABELS: [&str; 2] = ["secondary source", "assumed (no national source)"];

/// Every chart, in reading order.
pub(crate) fn charts(
    grid: &Grid<'_>,
    m: &Metrics,
    history: &History,
    source: &str,
) -> Result<Charts> {
    let mut c = Charts {
        files: Vec::new(),
        list: Vec::new(),
        events: Vec::new(),
    };
    stricter_looser(&mut c, grid, m, source)?;
    agreement(&mut c, grid, m, source)?;
    us_by_end_user(&mut c, grid, source)?;
    ace(&mut c, grid, source)?;
    outcome_grids(&mut c, grid, source)?;
    history_chart(&mut c, history, source)?;
    timeline(&mut c, grid, history, source)?;
    Ok(c)
}

fn stricter_looser(c: &mut Charts, grid: &Grid<'_>, m: &Metrics, source: &str) -> Result<()> {
    let mut labels = Vec::new();
    let mut values = Vec::new();
    let mut unranked = Vec::new();
    for (col, t) in grid.columns.iter().zip(&m.vs_us) {
        if col.members.contains(&grid.us) {
            continue;
        }
        if !t.ranked() {
            unranked.push(format!("{} ({})", col.label, pct(t.coverage())));
            continue;
        }
        labels.push(format!("{} (coverage {})", col.label, pct(t.coverage())));
        values.push(vec![
            t.stricter_share().unwrap_or(0.0),
            t.agreement().unwrap_or(0.0),
            t.looser_share().unwrap_or(0.0),
        ]);
    }
    let title = "How often each regime is stricter, the same or looser than the US";
    let s = StackedBars {
        title: title.into(),
        x_label: "share of the scenarios where both outcomes are established".into(),
        y_label: "exporting jurisdiction".into(),
        labels,
        categories: vec![
            Category {
                label: "stricter than the US".into(),
                color: (230, 159, 0),
            },
            Category {
                label: "same outcome".into(),
                color: (0, 158, 115),
            },
            Category {
                label: "looser than the US".into(),
                color: (86, 180, 233),
            },
        ],
        values,
        percent: true,
        horizontal: true,
        source: source.into(),
    };
    let mut caption = format!(
        "Each bar: the {} scenarios of one jurisdiction (cyber items × destinations × end users × end uses) whose outcome and the US outcome are both established; coverage = that share of the applicable scenarios. Jurisdictions with coverage under 50 % are not ranked.",
        grid.scenarios()
    );
    if !unranked.is_empty() {
        caption.push_str(&format!(" Not ranked: {}.", unranked.join(", ")));
    }
    c.push("stricter-looser".into(), caption, title, &s)
}

fn agreement(c: &mut Charts, grid: &Grid<'_>, m: &Metrics, source: &str) -> Result<()> {
    let n = grid.columns.len();
    let values = (0..n)
        .map(|a| {
            (0..n)
                .map(|b| {
                    let t = &m.pairwise[a][b];
                    let v = if a == b {
                        None
                    } else if a < b {
                        t.agreement()
                    } else {
                        t.coverage()
                    };
                    v.unwrap_or(f64::NAN)
                })
                .collect()
        })
        .collect();
    let title = "Pairwise agreement (upper right) and its coverage (lower left)";
    let chart = MatrixChart {
        title: title.into(),
        labels: grid.columns.iter().map(|c| c.label.clone()).collect(),
        values,
        source: source.into(),
        note: Some(
            "Upper right: agreement = share of the scenarios where both outcomes are established in which they are the same. Lower left: coverage = share of the applicable scenarios where both are established. n/a: undefined (no such scenario; the diagonal compares a jurisdiction with itself).".into(),
        ),
    };
    c.push(
        "agreement-matrix".into(),
        "Read a pair's agreement in the upper-right cell and how much of the grid it rests on in the mirrored lower-left cell.".into(),
        title,
        &chart,
    )
}

fn us_by_end_user(c: &mut Charts, grid: &Grid<'_>, source: &str) -> Result<()> {
    let Some(i) = grid.item("4A005") else {
        return Ok(());
    };
    let raw: CellGrid = grid
        .rows
        .rows
        .iter()
        .map(|&p| {
            EndUser::VALUES
                .iter()
                .map(|&u| {
                    let d =
                        &grid.bulk.dets[grid.det(grid.us, i, p, u, EndUse::Unspecified) as usize];
                    (d.outcome, d.confidence)
                })
                .collect()
        })
        .collect();
    let title = "4A005 under US law, by end user: how ACE's end-user conditions decide";
    let h = outcome_heatmap(
        grid,
        title,
        "end user",
        EndUser::VALUES
            .iter()
            .map(|u| u.as_str().to_string())
            .collect(),
        &raw,
        "No stated end use. Empty cells: not an export (the US itself).".into(),
        format!("Source: 15 CFR 740.22 and 738 Supp. 1 as modelled; {source}"),
    );
    c.push_svg(
        "us-4a005-end-users".into(),
        "ACE is available to most end users in most places, barred for government end users in Country Groups D:1–D:5 (state-owned utilities, transport and retail firms included since 2022) and for non-government end users in D:1/D:5 other than the favoured sectors; E:1/E:2 destinations are barred for everyone.".into(),
        title,
        &h,
    )
}

fn ace(c: &mut Charts, grid: &Grid<'_>, source: &str) -> Result<()> {
    let world = grid.world;
    let uses = [
        EndUse::Unspecified,
        EndUse::VulnerabilityDisclosure,
        EndUse::IncidentResponse,
        EndUse::UnauthorisedAccess,
    ];
    let mut counts = vec![vec![0u64; ACE_CATEGORIES.len()]; EndUser::VALUES.len()];
    for i in 0..grid.items.len() {
        for &p in &grid.rows.rows {
            for (u, &user) in EndUser::VALUES.iter().enumerate() {
                for &e in &uses {
                    let d = &grid.bulk.dets[grid.det(grid.us, i, p, user, e) as usize];
                    if let Some(k) = ace_category(world, grid.us, d, p, user) {
                        counts[u][k] += 1;
                    }
                }
            }
        }
    }
    let used: Vec<usize> = (0..ACE_CATEGORIES.len())
        .filter(|&k| counts.iter().any(|r| r[k] > 0))
        .collect();
    let palette = [
        (0, 158, 115),
        (86, 180, 233),
        (0, 114, 178),
        (153, 204, 255),
        (0, 0, 0),
        (230, 159, 0),
        (240, 228, 66),
        (213, 94, 0),
        (120, 60, 20),
        (204, 121, 167),
    ];
    let title = "Which rule decides the US outcome for cyber items, by end user";
    let s = StackedBars {
        title: title.into(),
        x_label: "share of item × destination × end-use cases".into(),
        y_label: "end user".into(),
        labels: EndUser::VALUES
            .iter()
            .map(|u| u.as_str().to_string())
            .collect(),
        categories: used
            .iter()
            .map(|&k| Category {
                label: ACE_CATEGORIES[k].1.into(),
                color: palette[k],
            })
            .collect(),
        values: counts
            .iter()
            .map(|row| {
                let total: u64 = row.iter().sum();
                used.iter()
                    .map(|&k| {
                        if total == 0 {
                            0.0
                        } else {
                            row[k] as f64 / total as f64
                        }
                    })
                    .collect()
            })
            .collect(),
        percent: true,
        horizontal: true,
        source: format!("Source: 15 CFR 740.22, 738 Supp. 1 and Part 746 as modelled; {source}"),
    };
    c.push(
        "ace-restrictions".into(),
        "For every cyber item and destination, with end uses unspecified, vulnerability disclosure, incident response and unauthorised access: the rule that decides the US outcome.".into(),
        title,
        &s,
    )
}

fn row_labels(grid: &Grid<'_>) -> Vec<String> {
    grid.rows
        .rows
        .iter()
        .map(|&p| {
            format!(
                "{} {}",
                grid.world.places().code(p),
                grid.world.places().get(p).name
            )
        })
        .collect()
}

/// Rows of (outcome, confidence) cells.
type CellGrid = Vec<Vec<(Outcome, Confidence)>>;

/// A heatmap of outcomes over the destination rows: categories for the outcomes that occur,
/// confidence marks per cell.
fn outcome_heatmap(
    grid: &Grid<'_>,
    title: &str,
    x_label: &str,
    columns: Vec<String>,
    cells: &CellGrid,
    note: String,
    source: String,
) -> Heatmap {
    let mut used = [false; OUTCOMES.len()];
    for (o, _) in cells.iter().flatten() {
        if let Some(k) = OUTCOMES.iter().position(|x| x == o) {
            used[k] = true;
        }
    }
    let (categories, index) = outcome_categories(&used);
    Heatmap {
        title: title.into(),
        x_label: x_label.into(),
        y_label: "destination (grouped by US Country Group)".into(),
        columns,
        rows: row_labels(grid),
        row_groups: grid.rows.groups.clone(),
        cells: cells
            .iter()
            .map(|r| {
                r.iter()
                    .map(|(o, _)| OUTCOMES.iter().position(|x| x == o).and_then(|k| index[k]))
                    .collect()
            })
            .collect(),
        categories,
        marks: cells
            .iter()
            .map(|r| r.iter().map(|(_, c)| mark(*c)).collect())
            .collect(),
        mark_labels: MARK_LABELS.iter().map(|s| s.to_string()).collect(),
        labels: Vec::new(),
        notes: vec![note],
        source,
    }
}

/// One heatmap per distinct outcome grid (commercial end user, no stated end use); items with
/// identical grids share one chart that names them all.
fn outcome_grids(c: &mut Charts, grid: &Grid<'_>, source: &str) -> Result<()> {
    let world = grid.world;
    let cell = |i: usize, p, col: &crate::report::model::Column| {
        // The folded column's first member that is not the destination itself.
        let mut best = (Outcome::NotApplicable, Confidence::Primary);
        for &j in &col.members {
            let d = &grid.bulk.dets
                [grid.det(j, i, p, EndUser::Commercial, EndUse::Unspecified) as usize];
            if d.outcome != Outcome::NotApplicable {
                return (d.outcome, d.confidence);
            }
            best = (d.outcome, d.confidence);
        }
        best
    };
    // (items, the grid they share)
    let mut groups: Vec<(Vec<usize>, CellGrid)> = Vec::new();
    for i in 0..grid.items.len() {
        let g: Vec<Vec<(Outcome, Confidence)>> = grid
            .rows
            .rows
            .iter()
            .map(|&p| grid.columns.iter().map(|col| cell(i, p, col)).collect())
            .collect();
        match groups.iter_mut().find(|(_, other)| *other == g) {
            Some((items, _)) => items.push(i),
            None => groups.push((vec![i], g)),
        }
    }
    for (items, g) in &groups {
        let codes: Vec<&str> = items.iter().map(|&i| grid.code(i)).collect();
        let title = format!(
            "{}: outcome by destination and exporting jurisdiction",
            codes.join(", ")
        );
        let h = outcome_heatmap(
            grid,
            &title,
            "exporting jurisdiction",
            grid.columns.iter().map(|c| c.label.clone()).collect(),
            g,
            format!(
                "Commercial end user, no stated end use. Empty cells: not an export. {}",
                grid.eu_column()
                    .map(|c| format!(
                        "{} = EU member states with identical outcomes in every scenario.",
                        c.label
                    ))
                    .unwrap_or_default()
            ),
            source.into(),
        );
        let names: Vec<String> = items
            .iter()
            .map(|&i| {
                let it = world.catalogue().get(grid.items[i]);
                format!("{} ({})", it.code, it.label)
            })
            .collect();
        c.push_svg(
            format!("outcome-{}", slug(codes[0])),
            format!(
                "{} {}. Commercial end user, no stated end use; the explorer below shows every other end user and end use.",
                if items.len() > 1 { "Identical outcomes for" } else { "Outcomes for" },
                names.join("; ")
            ),
            &title,
            &h,
        )?;
    }
    Ok(())
}

fn history_chart(c: &mut Charts, h: &History, source: &str) -> Result<()> {
    let buckets = [
        ("no destination (0 %)", (247, 251, 255)),
        ("under half", (189, 215, 231)),
        ("half or more", (107, 174, 214)),
        ("every destination (100 %)", (8, 81, 156)),
        ("not established", (204, 121, 167)),
    ];
    let mut rows = Vec::new();
    let mut groups = Vec::new();
    let mut cells = Vec::new();
    let mut labels = Vec::new();
    for (k, item) in ITEMS.iter().enumerate() {
        let first = rows.len();
        for (l, lane) in h.lanes.iter().enumerate() {
            rows.push(lane.label.clone());
            let mut cr = Vec::new();
            let mut lr = Vec::new();
            for s in &h.cells[k][l] {
                let (b, text) = match s.value() {
                    None => (4, "n/e".to_string()),
                    Some(v) if s.licence == 0 => (0, format!("{:.0}", v * 100.0)),
                    Some(v) if s.licence == s.applicable => (3, format!("{:.0}", v * 100.0)),
                    Some(v) if v < 0.5 => (1, format!("{:.0}", v * 100.0)),
                    Some(v) => (2, format!("{:.0}", v * 100.0)),
                };
                cr.push(Some(b));
                lr.push(text);
            }
            cells.push(cr);
            labels.push(lr);
        }
        groups.push((item.to_string(), first, rows.len() - 1));
    }
    let title =
        "The implementation lag, computed: share of destinations needing a licence, year by year";
    let chart = Heatmap {
        title: title.into(),
        x_label: "law in force on 31 December of each year (last column: the datasets' date)".into(),
        y_label: "exporting jurisdiction".into(),
        columns: h
            .days
            .iter()
            .map(|d| {
                if d.to_string().ends_with("-12-31") {
                    d.year().to_string()
                } else {
                    d.to_string()
                }
            })
            .collect(),
        rows,
        row_groups: groups,
        cells,
        categories: buckets
            .iter()
            .map(|(l, c)| Category {
                label: (*l).into(),
                color: *c,
            })
            .collect(),
        marks: Vec::new(),
        mark_labels: Vec::new(),
        labels,
        notes: vec![
            "Cell text: % of the destinations (the exporting state left out) for which a commercial end user needs an individual licence or is prohibited. n/e: not established — the datasets do not model the law of that date for most destinations, so the answer there is indeterminate.".into(),
        ],
        source: source.into(),
    };
    c.push(
        "history".into(),
        "Each column compiles the datasets as in force on that day (dated rows and rules, Country Group changes); before a regime's earliest modelled version its outcomes are indeterminate, shown as n/e.".into(),
        title,
        &chart,
    )
}

/// Milestone kinds, their legend text and colour.
const MILESTONE_KINDS: [(&str, &str, (u8, u8, u8)); 7] = [
    ("wa", "Wassenaar plenary", (0, 0, 0)),
    ("cyber-controls", "cyber controls in force", (213, 94, 0)),
    ("note-4e001", "vulnerability-disclosure note", (0, 158, 115)),
    ("general-licence", "general licence", (86, 180, 233)),
    ("sanctions", "sanctions", (120, 60, 20)),
    ("list-update", "current list version", (153, 153, 153)),
    ("other", "other", (204, 121, 167)),
];

fn year_of(date: &str) -> Option<f64> {
    let mut it = date.split('-');
    let y: f64 = it.next()?.parse().ok()?;
    match (it.next(), it.next()) {
        (Some(m), Some(d)) => {
            let (m, d): (f64, f64) = (m.parse().ok()?, d.parse().ok()?);
            Some(y + ((m - 1.0) * 30.4 + d - 1.0) / 365.0)
        }
        (Some(m), None) => Some(y + (m.parse::<f64>().ok()? - 0.5) / 12.0),
        _ => Some(y + 0.5),
    }
}

fn timeline(c: &mut Charts, grid: &Grid<'_>, h: &History, source: &str) -> Result<()> {
    let world = grid.world;
    let start = f64::from(crate::report::history::FIRST_YEAR) - 1.0;
    let mut lanes = vec!["Wassenaar".to_string()];
    let mut names = lanes.clone();
    let mut raw: Vec<(usize, String, String, usize, String)> = Vec::new();
    let mut wa_decision = None;
    for e in &world.data.wa_list.history {
        if e.date.starts_with("2013") && wa_decision.is_none() {
            wa_decision = year_of(&e.date);
        }
        raw.push((0, e.date.clone(), e.event.clone(), 0, e.source.clone()));
    }
    let mut spans = Vec::new();
    for lane in &h.lanes {
        let j = lane.members[0];
        let r = &world.regimes[world.jurisdictions[j].regime];
        let k = lanes.len();
        names.push(lane.label.clone());
        let mut label = lane.label.clone();
        let in_force = r
            .meta
            .milestones
            .iter()
            .filter(|m| m.kind == "cyber-controls")
            .filter_map(|m| year_of(&m.date))
            .fold(None, |a: Option<f64>, y| Some(a.map_or(y, |a| a.min(y))));
        if let (Some(from), Some(to)) = (wa_decision, in_force)
            && to >= from
        {
            spans.push((k, from, to));
            label.push_str(&format!(" — lag {:.1} y", to - from));
        }
        lanes.push(label);
        for m in &r.meta.milestones {
            let kind = MILESTONE_KINDS
                .iter()
                .position(|x| x.0 == m.kind)
                .unwrap_or(MILESTONE_KINDS.len() - 1);
            raw.push((k, m.date.clone(), m.event.clone(), kind, m.source.clone()));
        }
    }
    raw.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    let mut events = Vec::new();
    for (lane, date, event, kind, src) in raw {
        let n = c.events.len() + 1;
        if let Some(y) = year_of(&date).filter(|y| *y >= start) {
            events.push((lane, y, n.to_string(), kind));
        }
        c.events.push((n, date, names[lane].clone(), event, src));
    }
    let hi = events.iter().map(|e| e.1).fold(2026.0_f64, f64::max).ceil() + 1.0;
    let title = "When the cyber entries were adopted and put into force";
    let t = Timeline {
        title: title.into(),
        lanes,
        events,
        categories: MILESTONE_KINDS
            .iter()
            .map(|(_, l, col)| Category {
                label: (*l).into(),
                color: *col,
            })
            .collect(),
        x_range: (start, hi),
        spans,
        span_label: "implementation lag: Wassenaar decision to controls in force".into(),
        notes: vec![
            "Numbers refer to the events table under the chart (and tables/timeline.csv), which gives each event in full with its instrument. Events before 2012 (older list versions) are in that table only.".into(),
        ],
        source: source.into(),
    };
    c.push(
        "timeline".into(),
        "Dated milestones of the datasets; bars run from the Wassenaar decision of December 2013 to the day each regime's cyber controls took effect.".into(),
        title,
        &t,
    )
}
