//! `report --preset lists`: how the control lists line up with the Wassenaar list, for trade
//! groups. Per regime: the Wassenaar entries implemented (read), inferred (national text not
//! read), missing and unknown; the entries beyond the Wassenaar list by origin of the control;
//! the Wassenaar list year implemented. Offline HTML, Markdown, CSV tables and two charts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::analysis::describe::wa_list_year;
use crate::analysis::lists::{Status, beyond_entries, status, wa_entries};
use crate::engine::World;
use crate::error::{Error, Result};
use crate::report::File;
use crate::report::charts::Chart;
use crate::report::charts::{self, Category, StackedBars, palette};

const STATUSES: [Status; 4] = [
    Status::Implemented,
    Status::Inferred,
    Status::Missing,
    Status::Unknown,
];

/// What each origin word means, in the project's words.
const ORIGINS: [(&str, &str); 8] = [
    (
        "wa",
        "Wassenaar Arrangement (beyond the dual-use list: Munitions List items such as the US 600 series, 0x5zz and 9x515 entries with NS controls)",
    ),
    ("mtcr", "Missile Technology Control Regime"),
    ("nsg", "Nuclear Suppliers Group"),
    ("ag", "Australia Group"),
    ("cwc", "Chemical Weapons Convention"),
    ("eu-autonomous", "adopted by the EU on its own"),
    ("national", "adopted by one state on its own"),
    (
        "us-unilateral",
        "US unilateral controls (x9xx, x98x, 0Y521, .z and 3A090/4A090-type entries)",
    ),
];

/// One regime's line of the report.
struct Line {
    id: String,
    name: String,
    members: Vec<String>,
    list_version: String,
    list_date: String,
    counts: [usize; 4],
    beyond: BTreeMap<String, usize>,
    wa_year: String,
    behind: String,
}

fn chart_err(e: charts::ChartError) -> Error {
    Error::Output {
        format: "svg",
        message: e.to_string(),
    }
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn origins_text(m: &BTreeMap<String, usize>) -> String {
    m.iter()
        .map(|(o, n)| format!("{o} ({n})"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The regimes in id order, each with its member jurisdictions and counts.
fn lines(world: &World) -> Vec<Line> {
    let wa = wa_entries(world);
    let current = wa_list_year(world);
    let mut order: Vec<usize> = (0..world.regimes.len()).collect();
    order.sort_by(|&a, &b| world.regimes[a].id.cmp(&world.regimes[b].id));
    let mut out = Vec::new();
    for ri in order {
        let r = &world.regimes[ri];
        let mut members: Vec<String> = world
            .jurisdictions
            .iter()
            .filter(|j| j.regime == ri)
            .map(|j| j.code.clone())
            .collect();
        if members.is_empty() {
            continue;
        }
        members.sort();
        let mut counts = [0usize; 4];
        for &e in &wa {
            let s = status(world, r, e).0;
            if let Some(i) = STATUSES.iter().position(|x| *x == s) {
                counts[i] += 1;
            }
        }
        let mut beyond: BTreeMap<String, usize> = BTreeMap::new();
        for (_, o, _) in beyond_entries(world, r) {
            *beyond.entry(o).or_default() += 1;
        }
        out.push(Line {
            id: r.id.clone(),
            name: r.meta.name.clone(),
            members,
            list_version: r.meta.list_version.clone(),
            list_date: r.meta.list_date.to_string(),
            counts,
            beyond,
            wa_year: r.meta.wa_year.map(|y| y.to_string()).unwrap_or_default(),
            behind: match (r.meta.wa_year, current) {
                (Some(y), Some(c)) => c.saturating_sub(y).to_string(),
                _ => String::new(),
            },
        });
    }
    out
}

fn csv_file(path: &str, columns: &[&str], rows: &[Vec<String>]) -> Result<File> {
    Ok(File {
        path: path.to_string(),
        bytes: crate::output::table::bytes(columns, rows, "csv", None)?,
    })
}

/// The files of the lists report.
pub fn files(world: &World) -> Result<Vec<File>> {
    let lines = lines(world);
    let wa = wa_entries(world);
    let cat = world.catalogue();
    let mut files = Vec::new();

    // Tables.
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                l.id.clone(),
                l.name.clone(),
                l.members.join(" "),
                l.list_version.clone(),
                l.list_date.clone(),
                wa.len().to_string(),
                l.counts[0].to_string(),
                l.counts[1].to_string(),
                l.counts[2].to_string(),
                l.counts[3].to_string(),
                l.beyond.values().sum::<usize>().to_string(),
                origins_text(&l.beyond),
                l.wa_year.clone(),
                l.behind.clone(),
            ]
        })
        .collect();
    files.push(csv_file(
        "lists.csv",
        &[
            "regime",
            "name",
            "jurisdictions",
            "list_version",
            "list_date",
            "wa_entries",
            "implemented",
            "inferred",
            "missing",
            "unknown",
            "beyond_wa",
            "beyond_by_origin",
            "wa_year",
            "years_behind",
        ],
        &rows,
    )?);

    let mut order: Vec<usize> = (0..world.regimes.len()).collect();
    order.sort_by(|&a, &b| world.regimes[a].id.cmp(&world.regimes[b].id));
    let mut cross = Vec::new();
    for &e in &wa {
        let it = cat.get(e);
        for &ri in &order {
            let r = &world.regimes[ri];
            let (s, rows) = status(world, r, e);
            let mut codes: Vec<&str> = rows.iter().map(|x| x.local_code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            let confidence = rows
                .iter()
                .map(|x| x.confidence)
                .min()
                .map(|c| c.as_str().to_string())
                .unwrap_or_default();
            cross.push(vec![
                it.wa_code.clone(),
                it.code.clone(),
                it.label.clone(),
                r.id.clone(),
                s.as_str().to_string(),
                codes.join("; "),
                confidence,
            ]);
        }
    }
    files.push(csv_file(
        "crosswalk.csv",
        &[
            "wa_code",
            "code",
            "label",
            "regime",
            "status",
            "local_codes",
            "confidence",
        ],
        &cross,
    )?);

    let mut beyond = Vec::new();
    for &ri in &order {
        let r = &world.regimes[ri];
        for (key, origin, id) in beyond_entries(world, r) {
            let it = cat.get(id);
            beyond.push(vec![
                r.id.clone(),
                key,
                origin,
                it.label.clone(),
                it.source.split(" | ").next().unwrap_or("").to_string(),
            ]);
        }
    }
    files.push(csv_file(
        "beyond_wa.csv",
        &["regime", "entry", "origin", "label", "source"],
        &beyond,
    )?);

    // Charts.
    let source = format!(
        "Source: wassenaar datasets; Wassenaar list {} ({})",
        world.data.wa_list.version, world.data.wa_list.date
    );
    let labels: Vec<String> = lines
        .iter()
        .map(|l| format!("{} ({})", l.id, l.members.len()))
        .collect();
    let status_chart = StackedBars {
        title: "Wassenaar entries in each list".into(),
        x_label: "Wassenaar entries".into(),
        y_label: "regime (member jurisdictions)".into(),
        labels: labels.clone(),
        categories: vec![
            Category {
                label: "implemented (read)".into(),
                color: palette::BLUE,
            },
            Category {
                label: "inferred (text not read)".into(),
                color: palette::SKY_BLUE,
            },
            Category {
                label: "missing".into(),
                color: palette::VERMILLION,
            },
            Category {
                label: "unknown".into(),
                color: palette::NOT_APPLICABLE,
            },
        ],
        values: lines
            .iter()
            .map(|l| l.counts.iter().map(|&c| c as f64).collect())
            .collect(),
        percent: false,
        horizontal: true,
        source: source.clone(),
    };
    files.push(File {
        path: "charts/implementation.svg".into(),
        bytes: status_chart.svg().map_err(chart_err)?.into_bytes(),
    });
    let used: Vec<&str> = ORIGINS
        .iter()
        .map(|(o, _)| *o)
        .filter(|o| lines.iter().any(|l| l.beyond.contains_key(*o)))
        .collect();
    let with_beyond: Vec<&Line> = lines.iter().filter(|l| !l.beyond.is_empty()).collect();
    if !used.is_empty() {
        let beyond_chart = StackedBars {
            title: "Entries beyond the Wassenaar list, by origin".into(),
            x_label: "entries".into(),
            y_label: "regime".into(),
            labels: with_beyond.iter().map(|l| l.id.clone()).collect(),
            categories: used
                .iter()
                .enumerate()
                .map(|(i, o)| Category {
                    label: (*o).to_string(),
                    color: palette::OKABE_ITO[(i + 1) % palette::OKABE_ITO.len()],
                })
                .collect(),
            values: with_beyond
                .iter()
                .map(|l| {
                    used.iter()
                        .map(|o| l.beyond.get(*o).copied().unwrap_or(0) as f64)
                        .collect()
                })
                .collect(),
            percent: false,
            horizontal: true,
            source: source.clone(),
        };
        files.push(File {
            path: "charts/beyond.svg".into(),
            bytes: beyond_chart.svg().map_err(chart_err)?.into_bytes(),
        });
    }

    files.push(File {
        path: "report.md".into(),
        bytes: markdown(world, &lines, wa.len(), !used.is_empty()).into_bytes(),
    });
    files.push(File {
        path: "index.html".into(),
        bytes: html(world, &lines, wa.len(), !used.is_empty()).into_bytes(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// What is inferred rather than read, per regime.
fn inferred_notes(lines: &[Line]) -> Vec<String> {
    let mut out: Vec<String> = lines
        .iter()
        .filter(|l| l.counts[1] + l.counts[3] > 0)
        .map(|l| {
            format!(
                "{} ({}): {} Wassenaar entries inferred, {} not established",
                l.id,
                l.members.join(" "),
                l.counts[1],
                l.counts[3]
            )
        })
        .collect();
    out.push("United States: every ECCN of the Commerce Control List is read from its License Requirements lines; outside Categories 4 and 5 the lines are read mechanically, a line whose scope turns on criteria in its text keeps the outcome open, and licence exceptions other than ACE, ENC, GBS, LVS and TSR may only authorise.".to_string());
    out
}

fn intro(world: &World, n: usize) -> Vec<String> {
    let year = wa_list_year(world)
        .map(|y| y.to_string())
        .unwrap_or_default();
    vec![
        format!(
            "The catalogue follows the Wassenaar list {} ({}, list year {year}): {n} entries in use (entries the list marks as unused are left out).",
            world.data.wa_list.version, world.data.wa_list.date
        ),
        "For each regime the table counts the Wassenaar entries its list holds as read from the national text (implemented), holds by inference because the national list transposes the Wassenaar list but its text was not read (inferred, confidence secondary or assumed), records as not listed (missing), or whose listing is not established (unknown). Entries beyond the Wassenaar list are counted by the origin of the control.".to_string(),
        "Years behind compare the Wassenaar list year a regime implements, where a source establishes it, with the current list year.".to_string(),
    ]
}

const HEADERS: [&str; 11] = [
    "regime",
    "jurisdictions",
    "list date",
    "implemented",
    "inferred",
    "missing",
    "unknown",
    "beyond WA",
    "by origin",
    "WA year",
    "years behind",
];

fn cells(l: &Line) -> [String; 11] {
    [
        format!("{} ({})", l.id, l.name),
        l.members.join(" "),
        l.list_date.clone(),
        l.counts[0].to_string(),
        l.counts[1].to_string(),
        l.counts[2].to_string(),
        l.counts[3].to_string(),
        l.beyond.values().sum::<usize>().to_string(),
        origins_text(&l.beyond),
        l.wa_year.clone(),
        l.behind.clone(),
    ]
}

fn markdown(world: &World, lines: &[Line], n: usize, beyond_chart: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# How the control lists line up with the Wassenaar list\n"
    );
    for p in intro(world, n) {
        let _ = writeln!(s, "{p}\n");
    }
    let _ = writeln!(s, "| {} |", HEADERS.join(" | "));
    let _ = writeln!(s, "|{}", "---|".repeat(HEADERS.len()));
    for l in lines {
        let c = cells(l);
        let row: Vec<String> = c.iter().map(|x| md(x)).collect();
        let _ = writeln!(s, "| {} |", row.join(" | "));
    }
    let _ = writeln!(
        s,
        "\n![Wassenaar entries in each list](charts/implementation.svg)\n"
    );
    if beyond_chart {
        let _ = writeln!(
            s,
            "![Entries beyond the Wassenaar list, by origin](charts/beyond.svg)\n"
        );
    }
    let _ = writeln!(s, "## Inferred rather than read\n");
    for n in inferred_notes(lines) {
        let _ = writeln!(s, "- {}", md(&n));
    }
    let _ = writeln!(s, "\n## Origins of control\n");
    for (o, what) in ORIGINS {
        let _ = writeln!(s, "- `{o}`: {what}");
    }
    let _ = writeln!(s, "\n## List versions\n");
    for l in lines {
        let _ = writeln!(s, "- {}: {} ({})", l.id, md(&l.list_version), l.list_date);
    }
    let _ = writeln!(s, "\n## Tables\n");
    let _ = writeln!(
        s,
        "- `lists.csv`: the table above\n- `crosswalk.csv`: every Wassenaar entry in every regime, with its status, the local codes and the lowest confidence of the rows\n- `beyond_wa.csv`: the entries beyond the Wassenaar list, by regime, with origin and source"
    );
    s
}

fn html(world: &World, lines: &[Line], n: usize, beyond_chart: bool) -> String {
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str("<title>How the control lists line up with the Wassenaar list</title>\n<style>\n");
    s.push_str("body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}\n");
    s.push_str("table{border-collapse:collapse;font-size:.9rem;margin:1rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f2f2f2}td.n{text-align:right}\n");
    s.push_str(
        "img{max-width:100%;height:auto;margin:1rem 0}code{background:#f5f5f5;padding:0 .2rem}\n",
    );
    s.push_str("</style>\n</head>\n<body>\n");
    s.push_str("<h1>How the control lists line up with the Wassenaar list</h1>\n");
    for p in intro(world, n) {
        let _ = writeln!(s, "<p>{}</p>", esc(&p));
    }
    s.push_str("<table>\n<thead><tr>");
    for h in HEADERS {
        let _ = write!(s, "<th>{}</th>", esc(h));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for l in lines {
        s.push_str("<tr>");
        for (i, c) in cells(l).iter().enumerate() {
            if (3..=7).contains(&i) {
                let _ = write!(s, "<td class=\"n\">{}</td>", esc(c));
            } else {
                let _ = write!(s, "<td>{}</td>", esc(c));
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    s.push_str("<figure><img src=\"charts/implementation.svg\" alt=\"Wassenaar entries in each list\"></figure>\n");
    if beyond_chart {
        s.push_str("<figure><img src=\"charts/beyond.svg\" alt=\"Entries beyond the Wassenaar list, by origin\"></figure>\n");
    }
    s.push_str("<h2>Inferred rather than read</h2>\n<ul>\n");
    for n in inferred_notes(lines) {
        let _ = writeln!(s, "<li>{}</li>", esc(&n));
    }
    s.push_str("</ul>\n<h2>Origins of control</h2>\n<ul>\n");
    for (o, what) in ORIGINS {
        let _ = writeln!(s, "<li><code>{}</code>: {}</li>", esc(o), esc(what));
    }
    s.push_str("</ul>\n<h2>List versions</h2>\n<ul>\n");
    for l in lines {
        let _ = writeln!(
            s,
            "<li>{}: {} ({})</li>",
            esc(&l.id),
            esc(&l.list_version),
            esc(&l.list_date)
        );
    }
    s.push_str("</ul>\n<h2>Tables</h2>\n<ul>\n");
    s.push_str("<li><a href=\"lists.csv\">lists.csv</a>: the table above</li>\n");
    s.push_str("<li><a href=\"crosswalk.csv\">crosswalk.csv</a>: every Wassenaar entry in every regime, with its status, the local codes and the lowest confidence of the rows</li>\n");
    s.push_str("<li><a href=\"beyond_wa.csv\">beyond_wa.csv</a>: the entries beyond the Wassenaar list, by regime, with origin and source</li>\n");
    s.push_str("</ul>\n</body>\n</html>\n");
    s
}
