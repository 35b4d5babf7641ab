//! The report's charts, HTML page and Markdown document. Every value that comes from data
//! is escaped.

use std::fmt::Write;

use crate::engine::World;
use crate::error::{Error, Result};
use crate::model::{EndUser, Outcome};
use crate::report::charts::{self, Category, Heatmap, MatrixChart, StackedBars, Timeline};
use crate::report::model::{ACE_CATEGORIES, OUTCOMES, folded};
use crate::report::{Figures, File, OUTCOME_COLOURS, slug};

/// A chart in the documents: its file stem, title, caption and source line.
pub struct ChartRef {
    pub stem: String,
    pub title: String,
    pub caption: String,
}

pub struct Charts {
    pub files: Vec<File>,
    pub list: Vec<ChartRef>,
}

fn chart_err(e: charts::ChartError) -> Error {
    Error::Output {
        format: "chart",
        message: e.to_string(),
    }
}

fn outcome_categories() -> Vec<Category> {
    OUTCOMES
        .iter()
        .zip(OUTCOME_COLOURS)
        .map(|(o, c)| Category {
            label: o.as_str().to_string(),
            color: c,
        })
        .collect()
}

/// Data versions for the source lines under the charts.
pub fn versions(world: &World) -> String {
    let mut parts = vec![format!(
        "Wassenaar list {} ({})",
        world.data.wa_list.version, world.data.wa_list.date
    )];
    for (id, name) in [("us", "EAR"), ("eu", "EU")] {
        if let Some(r) = world.regimes.iter().find(|r| r.id == id) {
            let m = &r.meta;
            if m.list_version.contains(&m.list_date.to_string()) {
                parts.push(format!("{name}: {}", m.list_version));
            } else {
                parts.push(format!("{name}: {} ({})", m.list_version, m.list_date));
            }
        }
    }
    parts.join("; ")
}

fn year(date: &str) -> Option<f64> {
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

pub fn charts(world: &World, fig: &Figures) -> Result<Charts> {
    let mut files = Vec::new();
    let mut list = Vec::new();
    let source = format!("Source: wassenaar determinations; {}", versions(world));
    let mut push = |stem: String, title: String, caption: String, svg: String, png: Vec<u8>| {
        files.push(File {
            path: format!("charts/{stem}.svg"),
            bytes: svg.into_bytes(),
        });
        files.push(File {
            path: format!("charts/{stem}.png"),
            bytes: png,
        });
        list.push(ChartRef {
            stem,
            title,
            caption,
        });
    };
    // 1. Outcome by destination and jurisdiction, per cyber item.
    let columns: Vec<String> = fig.columns.iter().map(|c| c.label.clone()).collect();
    let rows: Vec<String> = fig
        .rows
        .rows
        .iter()
        .map(|&p| format!("{} {}", world.places().code(p), world.places().get(p).name))
        .collect();
    for (i, &item) in fig.items.iter().enumerate() {
        let code = &world.catalogue().get(item).code;
        let cells = (0..fig.rows.rows.len())
            .map(|r| {
                fig.columns
                    .iter()
                    .map(|c| {
                        let o = folded(c, &fig.juris, &fig.slices[i], r);
                        OUTCOMES.iter().position(|x| *x == o)
                    })
                    .collect()
            })
            .collect();
        let title = format!("{code}: outcome by destination and exporting jurisdiction");
        let h = Heatmap {
            title: title.clone(),
            x_label: "exporting jurisdiction".into(),
            y_label: "destination (grouped by US Country Group)".into(),
            columns: columns.clone(),
            rows: rows.clone(),
            row_groups: fig.rows.groups.clone(),
            cells,
            categories: outcome_categories(),
            source: source.clone(),
        };
        push(
            format!("outcome-{}", slug(code)),
            title,
            format!(
                "{} ({}), commercial end user, no stated end use. Empty cells: the destination is the exporting state.",
                code,
                world.catalogue().get(item).label
            ),
            charts::heatmap_svg(&h).map_err(chart_err)?,
            charts::heatmap_png(&h).map_err(chart_err)?,
        );
    }
    // 2. Stricter / same / looser than the US.
    let cats = [
        ("stricter than the US", (213, 94, 0)),
        ("same outcome", (0, 158, 115)),
        ("looser than the US", (86, 180, 233)),
        ("indeterminate", (204, 121, 167)),
    ];
    let labels: Vec<String> = fig
        .columns
        .iter()
        .filter(|c| c.label != "US")
        .map(|c| c.label.clone())
        .collect();
    let values: Vec<Vec<f64>> = fig
        .columns
        .iter()
        .filter(|c| c.label != "US")
        .map(|c| {
            let code = &world.jurisdictions[c.members[0]].code;
            fig.align
                .iter()
                .find(|r| &r.jurisdiction == code)
                .map(|r| vec![r.stricter, r.agreement, r.looser, r.indeterminate])
                .unwrap_or_else(|| vec![0.0; 4])
        })
        .collect();
    let s = StackedBars {
        title: "How often each jurisdiction is stricter, equal or looser than the US".into(),
        x_label: "share of scenarios".into(),
        y_label: "exporting jurisdiction".into(),
        labels,
        categories: cats
            .iter()
            .map(|(l, c)| Category {
                label: (*l).into(),
                color: *c,
            })
            .collect(),
        values,
        percent: true,
        horizontal: true,
        source: source.clone(),
    };
    push(
        "stricter-looser".into(),
        s.title.clone(),
        format!(
            "Share of the {} scenarios per jurisdiction (cyber items × destinations × end users × end uses) by comparison with the US outcome; exports to the exporting state itself are left out.",
            fig.scenarios
        ),
        charts::stacked_svg(&s).map_err(chart_err)?,
        charts::stacked_png(&s).map_err(chart_err)?,
    );
    // 3. Pairwise agreement.
    let m = MatrixChart {
        title: "Pairwise agreement of the regimes on cyber items".into(),
        labels: columns.clone(),
        values: fig
            .pairwise
            .iter()
            .map(|r| r.iter().map(|v| v.unwrap_or(0.0)).collect())
            .collect(),
        source: source.clone(),
        note: fig.columns.iter().find(|c| c.members.len() > 1).map(|c| {
            format!(
                "{} = EU member states with identical outcomes in every scenario",
                c.label
            )
        }),
    };
    push(
        "agreement-matrix".into(),
        m.title.clone(),
        "Share of scenarios in which two jurisdictions give the same outcome, among the scenarios where both outcomes are established (n/a: no such scenario, e.g. jurisdictions whose implementation is unknown).".into(),
        charts::matrix_svg(&m).map_err(chart_err)?,
        charts::matrix_png(&m).map_err(chart_err)?,
    );
    // 4. Which ACE restriction decides.
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
    let a = StackedBars {
        title: "Which rule decides the US outcome for cyber items, by end user".into(),
        x_label: "share of destination × item × end-use cases".into(),
        y_label: "end user".into(),
        labels: EndUser::VALUES
            .iter()
            .map(|u| u.as_str().to_string())
            .collect(),
        categories: ACE_CATEGORIES
            .iter()
            .zip(palette)
            .map(|(l, c)| Category {
                label: (*l).into(),
                color: c,
            })
            .collect(),
        values: fig
            .ace
            .iter()
            .map(|row| {
                let total: u64 = row.iter().sum();
                row.iter()
                    .map(|&n| {
                        if total == 0 {
                            0.0
                        } else {
                            n as f64 / total as f64
                        }
                    })
                    .collect()
            })
            .collect(),
        percent: true,
        horizontal: true,
        source: format!(
            "Source: 15 CFR 740.22, 738 Supp. 1, Part 746 as modelled; {}",
            versions(world)
        ),
    };
    push(
        "ace-restrictions".into(),
        a.title.clone(),
        "For every cyber item and destination, with end uses unspecified, vulnerability disclosure, incident response and unauthorised access: the rule that decides the US outcome.".into(),
        charts::stacked_svg(&a).map_err(chart_err)?,
        charts::stacked_png(&a).map_err(chart_err)?,
    );
    // 5. Timeline.
    let t = timeline(world, fig, &source);
    push(
        "timeline".into(),
        t.title.clone(),
        "When the Wassenaar Arrangement adopted the cyber entries and when each regime put them into force, from the datasets' dated milestones. List versions older than 2012 (Argentina, Türkiye, Ukraine, South Africa) are in tables/timeline.csv.".into(),
        charts::timeline_svg(&t).map_err(chart_err)?,
        charts::timeline_png(&t).map_err(chart_err)?,
    );
    Ok(Charts { files, list })
}

/// The timeline chart starts here; earlier events are in `tables/timeline.csv`.
pub const TIMELINE_START: f64 = 2012.0;

pub const MILESTONE_KINDS: [(&str, &str, (u8, u8, u8)); 6] = [
    ("wa", "Wassenaar plenary", (0, 0, 0)),
    ("cyber-controls", "cyber controls in force", (213, 94, 0)),
    ("note-4e001", "vulnerability-disclosure note", (0, 158, 115)),
    ("general-licence", "general licence", (86, 180, 233)),
    ("list-update", "current list version", (153, 153, 153)),
    ("other", "other", (204, 121, 167)),
];

/// Lanes: the Wassenaar list, then one per regime (EU members in one lane).
pub fn timeline(world: &World, fig: &Figures, source: &str) -> Timeline {
    let mut lanes = vec!["Wassenaar".to_string()];
    let mut events = Vec::new();
    for e in &world.data.wa_list.history {
        if let Some(y) = year(&e.date) {
            events.push((0, y, short(&e.event), 0));
        }
    }
    let _ = fig;
    for r in &world.regimes {
        let members: Vec<&str> = world
            .jurisdictions
            .iter()
            .filter(|j| world.regimes[j.regime].id == r.id)
            .map(|j| j.code.as_str())
            .collect();
        let label = if members.len() > 1 {
            format!("EU ({} states)", members.len())
        } else {
            members
                .first()
                .map(|c| c.to_string())
                .unwrap_or_else(|| r.id.clone())
        };
        let lane = lanes.len();
        lanes.push(label);
        for m in &r.meta.milestones {
            let kind = MILESTONE_KINDS
                .iter()
                .position(|k| k.0 == m.kind)
                .unwrap_or(5);
            if let Some(y) = year(&m.date) {
                events.push((lane, y, short(&m.event), kind));
            }
        }
    }
    // Older list versions (e.g. lists of 1992-2004 that predate the cyber entries) stay in the
    // timeline table but would squeeze the chart.
    events.retain(|e| e.1 >= TIMELINE_START);
    let hi = events.iter().map(|e| e.1).fold(2026.0_f64, f64::max).ceil() + 1.0;
    Timeline {
        title: "When the cyber entries were adopted and implemented".into(),
        lanes,
        events,
        categories: MILESTONE_KINDS
            .iter()
            .map(|(_, l, c)| Category {
                label: (*l).to_string(),
                color: *c,
            })
            .collect(),
        x_range: (TIMELINE_START, hi),
        source: source.to_string(),
    }
}

/// A short marker label: the first few words.
fn short(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().take(4).collect();
    let mut s = words.join(" ");
    if text.split_whitespace().count() > 4 {
        s.push('…');
    }
    s
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn md(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('\n', " ")
}

const CSS: &str = "body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#111;line-height:1.45}\
h1{font-size:1.7em}h2{margin-top:2em;border-bottom:1px solid #ccc}figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}\
figcaption{font-size:.9em;color:#333}table{border-collapse:collapse;font-size:.85em;width:100%}th,td{border:1px solid #ccc;padding:3px 5px;vertical-align:top;text-align:left}\
th{background:#f2f2f2}code{font-size:.95em}.small{font-size:.85em;color:#444}footer{margin-top:3em;font-size:.85em;color:#444;border-top:1px solid #ccc}\
@media print{figure{page-break-inside:avoid}body{max-width:none}}";

/// Marks the page when every image has loaded (read by the browser check).
const CHECK: &str = "window.addEventListener('load',function(){var imgs=document.images,bad=[];for(var i=0;i<imgs.length;i++){if(!imgs[i].complete||imgs[i].naturalWidth===0){bad.push(imgs[i].getAttribute('src'));}}\
var s=document.getElementById('load-status');s.textContent=bad.length?('images-failed: '+bad.join(' ')):('images-ok '+imgs.length);});";

pub fn html(world: &World, fig: &Figures, charts: &[ChartRef]) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Cybersecurity items: where US export controls differ</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
    );
    let _ = writeln!(
        h,
        "<h1>Cybersecurity items: where US export controls differ</h1>"
    );
    let _ = writeln!(
        h,
        "<p class=\"small\">Intrusion software and IP-network surveillance items under the law of the 42 Wassenaar participants. {}</p>",
        escape(&versions(world))
    );
    let _ = writeln!(h, "<h2>Summary</h2>\n<ul>");
    for s in &fig.summary {
        let _ = writeln!(h, "<li>{}</li>", escape(s));
    }
    let _ = writeln!(h, "</ul>");
    let _ = writeln!(h, "<h2>Charts</h2>");
    for c in charts {
        let _ = writeln!(
            h,
            "<figure>\n<img src=\"charts/{stem}.svg\" alt=\"{title}\">\n<figcaption><strong>{title}.</strong> {caption} <a href=\"charts/{stem}.png\">PNG</a></figcaption>\n</figure>",
            stem = c.stem,
            title = escape(&c.title),
            caption = escape(&c.caption)
        );
    }
    let _ = writeln!(h, "<h2>Notable divergences from the US</h2>");
    let _ = writeln!(
        h,
        "<p class=\"small\">Commercial end user, no stated end use; one instructive destination per item and jurisdiction. Table data: <a href=\"tables/divergences.csv\">divergences.csv</a>.</p>"
    );
    let _ = writeln!(
        h,
        "<table>\n<tr><th>item</th><th>jurisdiction</th><th>to</th><th>US outcome</th><th>their outcome</th><th>US rule chain and citations</th><th>their rule chain and citations</th></tr>"
    );
    for d in &fig.divergences {
        let side = |r: &crate::engine::Rendered| {
            format!(
                "{}<br><span class=\"small\">{}</span>",
                escape(&r.reasons),
                escape(&r.citations)
            )
        };
        let out = |r: &crate::engine::Rendered| {
            if r.authorisation.is_empty() {
                escape(&r.outcome)
            } else {
                format!("{} ({})", escape(&r.outcome), escape(&r.authorisation))
            }
        };
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td>{} <span class=\"small\">({})</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&d.item),
            escape(&d.column),
            escape(d.direction.as_str()),
            escape(&d.destination),
            out(&d.us),
            out(&d.other),
            side(&d.us),
            side(&d.other)
        );
    }
    let _ = writeln!(h, "</table>");
    let _ = writeln!(h, "<h2>Data versions and confidence</h2>");
    let _ = writeln!(
        h,
        "<table>\n<tr><th>code</th><th>jurisdiction</th><th>list version</th><th>date</th><th>WA year</th><th>confidence</th><th>gaps</th></tr>"
    );
    for j in &world.jurisdictions {
        let m = &world.regimes[j.regime].meta;
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&j.code),
            escape(&j.meta.name),
            escape(&m.list_version),
            escape(&m.list_date.to_string()),
            m.wa_year
                .map(|y| y.to_string())
                .unwrap_or_else(|| "not established".into()),
            escape(j.meta.confidence.as_str()),
            m.gaps.len()
        );
    }
    let _ = writeln!(h, "</table>");
    let _ = writeln!(h, "<h2>Known gaps</h2>");
    for r in &world.regimes {
        if r.meta.gaps.is_empty() {
            continue;
        }
        let _ = writeln!(
            h,
            "<details><summary>{} — {} gaps</summary>\n<ul>",
            escape(&r.meta.name),
            r.meta.gaps.len()
        );
        for g in &r.meta.gaps {
            let _ = writeln!(
                h,
                "<li><code>{}</code>: {}</li>",
                escape(&g.id),
                escape(&g.text)
            );
        }
        let _ = writeln!(h, "</ul></details>");
    }
    let _ = writeln!(
        h,
        "<h2>Tables</h2>\n<p>Every figure's data as CSV and Parquet in <code>tables/</code>: outcomes, alignment, pairwise, ace-restrictions, timeline, divergences, jurisdictions.</p>"
    );
    let _ = writeln!(
        h,
        "<footer>Generated by wassenaar {} from its bundled datasets. {}. Determinations are not legal advice; party screening (Entity List, sanctions lists) is not part of them.<div id=\"load-status\">images-pending</div></footer>\n<script>{CHECK}</script>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION"),
        escape(&versions(world))
    );
    h
}

pub fn markdown(world: &World, fig: &Figures, charts: &[ChartRef]) -> String {
    let mut m = String::new();
    let _ = writeln!(
        m,
        "# Cybersecurity items: where US export controls differ\n"
    );
    let _ = writeln!(
        m,
        "Intrusion software and IP-network surveillance items under the law of the 42 Wassenaar participants. {}\n",
        md(&versions(world))
    );
    let _ = writeln!(m, "## Summary\n");
    for s in &fig.summary {
        let _ = writeln!(m, "- {}", md(s));
    }
    let _ = writeln!(m, "\n## Charts\n");
    for c in charts {
        let _ = writeln!(
            m,
            "### {}\n\n![{}](charts/{}.png)\n\n{} ([SVG](charts/{}.svg))\n",
            md(&c.title),
            md(&c.title),
            c.stem,
            md(&c.caption),
            c.stem
        );
    }
    let _ = writeln!(m, "## Notable divergences from the US\n");
    let _ = writeln!(
        m,
        "| item | jurisdiction | to | US outcome | their outcome | US rule chain | their rule chain |\n|---|---|---|---|---|---|---|"
    );
    for d in &fig.divergences {
        let o = |r: &crate::engine::Rendered| {
            if r.authorisation.is_empty() {
                r.outcome.clone()
            } else {
                format!("{} ({})", r.outcome, r.authorisation)
            }
        };
        let _ = writeln!(
            m,
            "| `{}` | {} ({}) | {} | {} | {} | {} — {} | {} — {} |",
            md(&d.item),
            md(&d.column),
            d.direction.as_str(),
            md(&d.destination),
            md(&o(&d.us)),
            md(&o(&d.other)),
            md(&d.us.reasons),
            md(&d.us.citations),
            md(&d.other.reasons),
            md(&d.other.citations)
        );
    }
    let _ = writeln!(m, "\n## Data versions and confidence\n");
    let _ = writeln!(
        m,
        "| code | jurisdiction | list version | date | WA year | confidence | gaps |\n|---|---|---|---|---|---|---|"
    );
    for j in &world.jurisdictions {
        let r = &world.regimes[j.regime].meta;
        let _ = writeln!(
            m,
            "| {} | {} | {} | {} | {} | {} | {} |",
            j.code,
            md(&j.meta.name),
            md(&r.list_version),
            r.list_date,
            r.wa_year
                .map(|y| y.to_string())
                .unwrap_or_else(|| "not established".into()),
            j.meta.confidence,
            r.gaps.len()
        );
    }
    let _ = writeln!(m, "\n## Known gaps\n");
    for r in &world.regimes {
        if r.meta.gaps.is_empty() {
            continue;
        }
        let _ = writeln!(m, "**{}**\n", md(&r.meta.name));
        for g in &r.meta.gaps {
            let _ = writeln!(m, "- `{}`: {}", md(&g.id), md(&g.text));
        }
        let _ = writeln!(m);
    }
    let _ = writeln!(
        m,
        "---\nGenerated by wassenaar {} from its bundled datasets. {}. Not legal advice; party screening is not part of the determinations.",
        env!("CARGO_PKG_VERSION"),
        md(&versions(world))
    );
    let _ = Outcome::NotListed;
    m
}
