//! The report's HTML page and Markdown document. Every value from the datasets is escaped;
//! citations of law link to the official texts.

use std::fmt::Write;

use crate::engine::{Rendered, World};
use crate::report::divergences::{Divergence, untemplate};
use crate::report::explorer;
use crate::report::figures::ChartRef;
use crate::report::findings::{Example, Finding};
use crate::report::grid::{Grid, RANK_COVERAGE};
use crate::report::links;
use crate::report::regimes::RegimeRow;

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(s: &str) -> String {
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

/// Escapes text for a Markdown table cell or list item.
fn md(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('\n', " ")
}

/// Citations (`;`-separated) as Markdown links where the text is addressable.
fn md_cites(citations: &str, regime: &str) -> String {
    citations
        .split("; ")
        .filter(|c| !c.is_empty())
        .map(|c| {
            let found = links::links(c);
            match found.first() {
                Some(l) => format!("[{}]({})", md(c), l.url),
                None => match links::fallback(regime) {
                    Some(u) => format!("[{}]({u})", md(c)),
                    None => md(c),
                },
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn html_cites(citations: &str, regime: &str) -> String {
    citations
        .split("; ")
        .filter(|c| !c.is_empty())
        .map(|c| links::html(c, Some(regime)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// What the report is built from, for the head and the footer.
pub(crate) struct Provenance {
    /// Tool version.
    pub version: String,
    /// Dataset content hash.
    pub hash: String,
    /// The law as of.
    pub as_of: String,
    /// Wassenaar list version.
    pub wa: String,
    /// List versions of the US and the EU.
    pub lists: String,
}

impl Provenance {
    /// The provenance of `world`.
    pub fn of(world: &World) -> Provenance {
        let p = crate::output::provenance::Provenance::of(world, "report");
        let mut lists = Vec::new();
        for (id, name) in [("us", "EAR"), ("eu", "EU")] {
            if let Some(r) = world.regimes.iter().find(|r| r.id == id) {
                lists.push(format!(
                    "{name}: {} ({})",
                    r.meta.list_version, r.meta.list_date
                ));
            }
        }
        Provenance {
            version: p.version,
            hash: p.dataset_hash,
            as_of: p.as_of,
            wa: format!(
                "{} ({})",
                world.data.wa_list.version, world.data.wa_list.date
            ),
            lists: lists.join("; "),
        }
    }

    fn line(&self) -> String {
        format!(
            "Law as of {}. Wassenaar list {}; {}. Datasets SHA-256 {}; wassenaar {}.",
            self.as_of, self.wa, self.lists, self.hash, self.version
        )
    }
}

/// Everything the documents show.
pub(crate) struct Doc<'a> {
    /// The grid.
    pub grid: &'a Grid<'a>,
    /// Key findings.
    pub findings: &'a [Finding],
    /// Charts, in reading order.
    pub charts: &'a [ChartRef],
    /// Numbered timeline events.
    pub events: &'a [(usize, String, String, String, String)],
    /// Divergence rows.
    pub divergences: &'a [Divergence],
    /// Regime comparison rows.
    pub regimes: &'a [RegimeRow],
    /// Spyware vendors on the Entity List.
    pub vendors: &'a [(String, String, String, String)],
    /// Provenance.
    pub provenance: Provenance,
    /// The explorer's data (JSON).
    pub explorer: String,
}

const TITLE: &str = "Cybersecurity items: where US export controls differ";

const CSS: &str = "body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;max-width:1180px;margin:2em auto;padding:0 1em;color:#111;line-height:1.45}\
h1{font-size:1.7em}h2{margin-top:2em;border-bottom:1px solid #ccc}figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}\
figcaption{font-size:.9em;color:#333}table{border-collapse:collapse;font-size:.85em;width:100%}th,td{border:1px solid #ccc;padding:3px 5px;vertical-align:top;text-align:left}\
th{background:#f2f2f2}code{font-size:.95em}.small{font-size:.85em;color:#444}footer{margin-top:3em;font-size:.85em;color:#444;border-top:1px solid #ccc}\
.finding{margin:1em 0 1.5em}.finding h3{margin:.2em 0;font-size:1.05em}.ex td{width:50%}\
.x-controls label{margin-right:1em}.x-legend{font-size:.8em;margin:.5em 0}.x-legend i{display:inline-block;width:.9em;height:.9em;border:1px solid #888;margin:0 .3em -.1em 0}.x-legend i.na{background:#fff}\
.x-body{display:flex;gap:1em;align-items:flex-start}.x-wrap{overflow:auto;max-height:720px;flex:1 1 auto;border:1px solid #ccc}\
#x-grid{font-size:.7em;width:auto;border-collapse:separate;border-spacing:0}#x-grid th,#x-grid td{padding:0 2px;border:0;border-right:1px solid #fff;border-bottom:1px solid #fff}\
#x-grid thead th{position:sticky;top:0;z-index:2}#x-grid tbody th{position:sticky;left:0;background:#f7f7f7;white-space:nowrap;z-index:1}#x-grid tbody th span{color:#555}\
#x-grid tr.grp th{background:#e8e8e8;text-align:left}#x-grid td{min-width:1.4em;height:1.2em;text-align:center;cursor:default}#x-grid td:focus{outline:2px solid #000}\
#x-grid .o0{background:#d9d9d9}#x-grid .o1{background:#009e73;color:#fff}#x-grid .o2{background:#56b4e9}#x-grid .o3{background:#e69f00}#x-grid .o4{background:#000;color:#fff}#x-grid .o5{background:#cc79a7}#x-grid .o6{background:#fff}\
#x-detail{flex:0 0 22em;font-size:.85em;border:1px solid #ccc;padding:.5em;position:sticky;top:1em;max-height:720px;overflow:auto}#x-detail h3{font-size:1em;margin:.2em 0}#x-detail h4{margin:.6em 0 .2em}\
@media print{figure{page-break-inside:avoid}body{max-width:none}.x-body{display:block}}";

/// Marks the document (invisibly, as an attribute) when every image has loaded; read by the
/// browser check.
const LOAD_CHECK: &str = "window.addEventListener('load',function(){var imgs=document.images,bad=[];for(var i=0;i<imgs.length;i++){if(!imgs[i].complete||imgs[i].naturalWidth===0){bad.push(imgs[i].getAttribute('src'));}}\
document.documentElement.setAttribute('data-images',bad.length?('failed '+bad.join(' ')):('ok '+imgs.length));document.documentElement.setAttribute('data-height',String(document.documentElement.scrollHeight));});";

fn outcome_words(r: &Rendered) -> String {
    if r.authorisation.is_empty() {
        r.outcome.clone()
    } else {
        format!("{} ({})", r.outcome, r.authorisation)
    }
}

fn example_html(h: &mut String, e: &Example, us_label: &str) {
    let side = |r: &Rendered, regime: &str| {
        format!(
            "<b>{}</b> <span class=\"small\">({} confidence)</span><br>{}<br><span class=\"small\">{}</span>",
            escape(&outcome_words(r)),
            escape(&r.confidence),
            escape(&r.reasons),
            html_cites(&r.citations, regime)
        )
    };
    let _ = writeln!(
        h,
        "<table class=\"ex\"><tr><th colspan=\"2\">{}</th></tr><tr><th>{}</th><th>{}</th></tr><tr><td>{}</td><td>{}</td></tr></table>",
        escape(&e.label),
        escape(us_label),
        escape(&e.other.jurisdiction),
        side(&e.us, "us"),
        side(&e.other, &e.other_regime)
    );
}

fn figure(h: &mut String, c: &ChartRef) {
    let _ = writeln!(
        h,
        "<figure id=\"fig-{stem}\">\n<img src=\"charts/{stem}.svg\" alt=\"{title}\">\n<figcaption><strong>{title}.</strong> {caption}{png}</figcaption>\n</figure>",
        stem = c.stem,
        title = escape(&c.title),
        caption = escape(&c.caption),
        png = if c.png {
            format!(" <a href=\"charts/{}.png\">PNG</a>", c.stem)
        } else {
            String::new()
        }
    );
}

fn chart<'a>(d: &'a Doc<'_>, stem: &str) -> Option<&'a ChartRef> {
    d.charts.iter().find(|c| c.stem == stem)
}

/// The Method section's paragraphs (shared by HTML and Markdown).
fn method(d: &Doc<'_>) -> Vec<String> {
    let grid = d.grid;
    let world = grid.world;
    let items: Vec<String> = grid
        .items
        .iter()
        .map(|&i| world.catalogue().get(i).code.clone())
        .collect();
    let groups: Vec<String> = grid
        .rows
        .groups
        .iter()
        .map(|(g, a, b)| format!("{g} {}", b - a + 1))
        .collect();
    vec![
        format!(
            "Grid. {} cyber items ({}) × {} destinations × {} end users ({}) × {} end uses ({}) = {} scenarios, each exported (transaction `export`) from each of the {} jurisdictions, under the law as of {}.",
            items.len(),
            items.join(", "),
            grid.rows.rows.len(),
            crate::model::EndUser::VALUES.len(),
            crate::model::EndUser::VALUES.iter().map(|u| u.as_str()).collect::<Vec<_>>().join(", "),
            crate::model::EndUse::VALUES.len(),
            crate::model::EndUse::VALUES.iter().map(|u| u.as_str()).collect::<Vec<_>>().join(", "),
            grid.scenarios(),
            world.jurisdictions.len(),
            world.as_of
        ),
        format!(
            "Destinations. Every sovereign state, plus the places some regime treats apart from their sovereign (Hong Kong, Macao, Kosovo, and Crimea, Donetsk and Luhansk), each once: {} places, grouped by the US Country Group tier that drives most differences ({}). Dependent territories (Anguilla, Bermuda, American Samoa, …) are left out, a modelling choice: they carry little of this trade and would weigh as much as large markets. A transfer to a place inside the exporting state (for the US, its territories) is `not-applicable` and excluded from every figure.",
            grid.rows.rows.len(),
            groups.join("; ")
        ),
        "Metrics, defined once. For jurisdiction J against the US (or any pair): applicable = the scenarios where neither outcome is `not-applicable`; established = the applicable scenarios where both outcomes are definite (neither is `indeterminate`); coverage = established ÷ applicable. Agreement, stricter and looser = the shares of the established scenarios in which J's outcome is the same as, stricter than or looser than the other's, in the order not-listed < no-licence-required < authorised < licence-required < prohibited; the three sum to 100 %. Every agreement figure is shown with its coverage. Undefined figures are n/a, never 0.".to_string(),
        format!(
            "Ranking. A jurisdiction is ranked only when its coverage is at least {:.0} %; below that it is listed with its coverage and not ranked, because its figures would rest on a small, unrepresentative part of the grid. EU member states whose outcomes are identical in every scenario are shown as one column (EU-N); the metrics of a folded column are those of its members, which are equal.",
            RANK_COVERAGE * 100.0
        ),
        "Sources of each figure. tables/metrics.csv (counts per column against the US, from which every share and the first finding are recomputed), tables/pairwise.csv (every pair), tables/outcomes.csv (commercial end user, no stated end use: the outcome grids and the destination counts of the findings), tables/catch-all.csv, tables/history.csv (year by year), tables/timeline.csv, tables/divergences.csv, tables/regimes.csv, tables/vendors.csv. Party screening is evaluated only where a finding names a party (the vendors); the grid's end users are unnamed.".to_string(),
        "Confidence. Each determination carries the lowest confidence of the rules it used: primary (read from the legal text), secondary (official guidance or reputable secondary sources), assumed (modelled from the Wassenaar baseline). In the charts a bar along a cell's bottom marks secondary, bars along top and bottom assumed (in the explorer: · and ○); `indeterminate` means the datasets cannot decide, never a clearance.".to_string(),
    ]
}

/// The HTML page.
pub(crate) fn html(d: &Doc<'_>) -> String {
    let grid = d.grid;
    let world = grid.world;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{TITLE}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{TITLE}</h1>\n"
    );
    let _ = writeln!(
        h,
        "<p>How the 42 Wassenaar participants control intrusion software and IP-network surveillance items, and where the US rule of 2021–22 with License Exception ACE differs. Every figure below is computed from cited datasets; each finding shows the two rule chains behind it.</p>\n<p class=\"small\">{}</p>",
        escape(&d.provenance.line())
    );
    let _ = writeln!(
        h,
        "<nav class=\"small\">Contents: <a href=\"#findings\">Key findings</a> · <a href=\"#method\">Method</a> · <a href=\"#explorer\">Explorer</a> · <a href=\"#ace\">ACE's end-user logic</a> · <a href=\"#grids\">Outcome grids</a> · <a href=\"#lag\">Implementation lag</a> · <a href=\"#vendors\">Spyware vendors</a> · <a href=\"#regimes\">Regimes compared</a> · <a href=\"#divergences\">Divergences</a> · <a href=\"#versions\">Data versions and gaps</a></nav>"
    );
    let _ = writeln!(h, "<h2 id=\"findings\">Key findings</h2>");
    for (n, f) in d.findings.iter().enumerate() {
        let _ = writeln!(
            h,
            "<div class=\"finding\" id=\"finding-{}\"><h3>{}. {}</h3><p>{}</p>",
            f.id,
            n + 1,
            escape(&f.title),
            escape(&f.text)
        );
        for e in &f.examples {
            example_html(&mut h, e, "US");
        }
        h.push_str("</div>\n");
    }
    for stem in ["stricter-looser", "agreement-matrix"] {
        if let Some(c) = chart(d, stem) {
            figure(&mut h, c);
        }
    }
    let _ = writeln!(h, "<h2 id=\"method\">Method</h2>");
    for p in method(d) {
        let (head, rest) = p.split_once(". ").unwrap_or(("", &p));
        let _ = writeln!(h, "<p><b>{}.</b> {}</p>", escape(head), escape(rest));
    }
    let _ = writeln!(
        h,
        "<h2 id=\"explorer\">Explorer</h2>\n<p class=\"small\">Every determination of the grid. Choose an item, end user and end use; hover over or focus a cell for its rule chain and citations. The address bar holds the view (for example <a href=\"#item=4A005&amp;end_user=government&amp;end_use=unspecified\">#item=4A005&amp;end_user=government&amp;end_use=unspecified</a>), so a view can be linked and cited. Columns: exporting jurisdiction; rows: destination.</p>"
    );
    h.push_str(&explorer::html(grid));
    let _ = writeln!(h, "<h2 id=\"ace\">ACE's end-user logic</h2>");
    for stem in ["us-4a005-end-users", "ace-restrictions"] {
        if let Some(c) = chart(d, stem) {
            figure(&mut h, c);
        }
    }
    let _ = writeln!(
        h,
        "<h2 id=\"grids\">Outcome grids</h2>\n<p class=\"small\">One chart per distinct grid (every destination, commercial end user, no stated end use); items whose outcomes are identical everywhere share a chart that names them. Each opens on a click; the explorer above shows the same cells for every end user and end use.</p>"
    );
    for c in d.charts.iter().filter(|c| c.stem.starts_with("outcome-")) {
        let _ = writeln!(h, "<details><summary>{}</summary>", escape(&c.title));
        figure(&mut h, c);
        h.push_str("</details>\n");
    }
    let _ = writeln!(h, "<h2 id=\"lag\">The implementation lag</h2>");
    for stem in ["history", "timeline"] {
        if let Some(c) = chart(d, stem) {
            figure(&mut h, c);
        }
    }
    let _ = writeln!(
        h,
        "<details><summary>Timeline events in full ({} events)</summary>\n<table><tr><th>#</th><th>date</th><th>lane</th><th>event</th><th>instrument</th></tr>",
        d.events.len()
    );
    for (n, date, lane, event, src) in d.events {
        let regime = lane_regime(world, lane);
        let _ = writeln!(
            h,
            "<tr><td>{n}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(date),
            escape(lane),
            escape(event),
            links::html(src, regime.as_deref())
        );
    }
    h.push_str("</table></details>\n");
    let _ = writeln!(
        h,
        "<h2 id=\"vendors\">Commercial spyware vendors on the US Entity List</h2>\n<table><tr><th>name</th><th>address countries</th><th>listed (effective)</th><th>notice</th></tr>"
    );
    for (name, countries, date, notice) in d.vendors {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(name),
            escape(countries),
            escape(date),
            links::html(notice, Some("us"))
        );
    }
    let _ = writeln!(
        h,
        "</table>\n<p class=\"small\">Licence requirement: all items subject to the EAR; no licence exception (<a href=\"https://www.ecfr.gov/current/title-15/section-744.16\">15 CFR 744.16</a>); presumption of denial (<a href=\"https://www.ecfr.gov/current/title-15/section-744.11\">15 CFR 744.11</a>). The datasets hold party lists for the US only; other regimes' listings are not established here.</p>"
    );
    regimes_html(&mut h, d);
    divergences_html(&mut h, d);
    versions_html(&mut h, world);
    let _ = writeln!(
        h,
        "<h2>Tables</h2>\n<p>Every figure's data as CSV and Parquet in <code>tables/</code>: metrics, pairwise, outcomes, history, timeline, divergences, regimes, vendors, catch-all, findings.</p>\n<footer>{} Generated by wassenaar from its bundled datasets. Determinations are a model of the law, not legal advice.</footer>",
        escape(&d.provenance.line())
    );
    let _ = writeln!(
        h,
        "<script id=\"x-data\" type=\"application/json\">{}</script>\n<script>{}</script>\n<script>{LOAD_CHECK}</script>\n</body>\n</html>",
        d.explorer,
        explorer::SCRIPT
    );
    h
}

/// The regime id of a timeline lane label (`US`, `EU-25 (…)`, `Wassenaar`).
fn lane_regime(world: &World, lane: &str) -> Option<String> {
    let code = lane.split([' ', '—']).next()?;
    if code.starts_with("EU-") {
        return Some("eu".into());
    }
    let j = world.jurisdiction(code)?;
    let r = &world.regimes[world.jurisdictions[j].regime];
    Some(r.meta.extends.clone().unwrap_or_else(|| r.id.clone()))
}

fn regimes_html(h: &mut String, d: &Doc<'_>) {
    let _ = writeln!(
        h,
        "<h2 id=\"regimes\">Regimes compared</h2>\n<p class=\"small\">Generated from the datasets and from determinations over the grid. General authorisations: those that authorise a cyber item for some destination and end user. End-user limits: end users for whom a licence is needed where a commercial end user is authorised. Human-rights criterion: an unlisted cyber-surveillance item for a government end user becomes licensable when the exporter is informed of a risk of internal repression. Surveillance sanctions: the outcome for an unlisted cyber-surveillance item.</p>\n<div style=\"overflow:auto\"><table><tr><th>column</th><th>list</th><th>WA year</th><th>confidence</th><th>within the bloc</th><th>general authorisations (cyber items)</th><th>end-user limits</th><th>catch-alls</th><th>human-rights criterion</th><th>surveillance sanctions</th></tr>"
    );
    for r in d.regimes {
        let _ = writeln!(
            h,
            "<tr><td><b>{}</b><br><span class=\"small\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&r.label),
            escape(&r.members),
            escape(&r.list),
            escape(&r.wa_year),
            escape(&r.confidence),
            escape(&r.intra_bloc),
            escape(&r.authorisations),
            escape(&r.end_user_limits),
            r.catch_alls
                .iter()
                .map(|c| links::html(c, Some(&r.regime)))
                .collect::<Vec<_>>()
                .join("<br>"),
            escape(&r.human_rights),
            escape(&r.sanctions)
        );
    }
    h.push_str("</table></div>\n");
}

fn divergences_html(h: &mut String, d: &Doc<'_>) {
    let _ = writeln!(
        h,
        "<h2 id=\"divergences\">Divergences from the US</h2>\n<p class=\"small\">Items {}, commercial end user, no stated end use: one row per distinct pair of rule chains, with every destination it covers. Data: <a href=\"tables/divergences.csv\">divergences.csv</a>.</p>\n<details><summary>{} rows</summary><table><tr><th>item</th><th>jurisdiction</th><th>destinations</th><th>US</th><th>other</th></tr>",
        crate::report::divergences::ITEMS.join(", "),
        d.divergences.len()
    );
    for v in d.divergences {
        let side = |s: &crate::report::divergences::Side, regime: &str| {
            format!(
                "<b>{}</b> <span class=\"small\">({})</span><br>{}<br><span class=\"small\">{}</span>",
                escape(&s.words()),
                s.confidence.as_str(),
                escape(&untemplate(&s.reasons)),
                html_cites(&s.citations, regime)
            )
        };
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td>{} <span class=\"small\">({})</span></td><td>{} <span class=\"small\">({})</span></td><td>{}</td><td>{}</td></tr>",
            escape(&v.item),
            escape(&v.column),
            v.direction.as_str(),
            escape(&v.destinations.join(" ")),
            v.destinations.len(),
            side(&v.us, "us"),
            side(&v.other, &v.regime)
        );
    }
    h.push_str("</table></details>\n");
}

fn versions_html(h: &mut String, world: &World) {
    let _ = writeln!(
        h,
        "<h2 id=\"versions\">Data versions, confidence and gaps</h2>\n<table><tr><th>code</th><th>jurisdiction</th><th>list version</th><th>date</th><th>WA year</th><th>confidence</th><th>gaps</th></tr>"
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
    h.push_str("</table>\n");
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
        h.push_str("</ul></details>\n");
    }
}

fn md_example(m: &mut String, e: &Example) {
    let side = |r: &Rendered, regime: &str| {
        format!(
            "**{}** ({} confidence). {} — {}",
            md(&outcome_words(r)),
            r.confidence,
            md(&r.reasons),
            md_cites(&r.citations, regime)
        )
    };
    let _ = writeln!(
        m,
        "\n| {} | |\n|---|---|\n| US | {} |\n| {} | {} |\n",
        md(&e.label),
        side(&e.us, "us"),
        md(&e.other.jurisdiction),
        side(&e.other, &e.other_regime)
    );
}

/// The Markdown document (PNG charts; the explorer is in the HTML page).
pub(crate) fn markdown(d: &Doc<'_>) -> String {
    let world = d.grid.world;
    let mut m = String::new();
    let _ = writeln!(m, "# {TITLE}\n");
    let _ = writeln!(
        m,
        "How the 42 Wassenaar participants control intrusion software and IP-network surveillance items, and where the US rule of 2021–22 with License Exception ACE differs. The interactive explorer is in `index.html`.\n\n{}\n",
        md(&d.provenance.line())
    );
    let _ = writeln!(m, "## Key findings\n");
    for (n, f) in d.findings.iter().enumerate() {
        let _ = writeln!(m, "### {}. {}\n\n{}", n + 1, md(&f.title), md(&f.text));
        for e in &f.examples {
            md_example(&mut m, e);
        }
        m.push('\n');
    }
    let fig = |m: &mut String, c: &ChartRef| {
        let ext = if c.png { "png" } else { "svg" };
        let _ = writeln!(
            m,
            "![{}](charts/{}.{ext})\n\n*{}.* {} ([SVG](charts/{}.svg))\n",
            md(&c.title),
            c.stem,
            md(&c.title),
            md(&c.caption),
            c.stem
        );
    };
    for stem in ["stricter-looser", "agreement-matrix"] {
        if let Some(c) = chart(d, stem) {
            fig(&mut m, c);
        }
    }
    let _ = writeln!(m, "## Method\n");
    for p in method(d) {
        let (head, rest) = p.split_once(". ").unwrap_or(("", &p));
        let _ = writeln!(m, "**{}.** {}\n", md(head), md(rest));
    }
    let _ = writeln!(m, "## ACE's end-user logic\n");
    for stem in ["us-4a005-end-users", "ace-restrictions"] {
        if let Some(c) = chart(d, stem) {
            fig(&mut m, c);
        }
    }
    let _ = writeln!(m, "## Outcome grids\n");
    for c in d.charts.iter().filter(|c| c.stem.starts_with("outcome-")) {
        fig(&mut m, c);
    }
    let _ = writeln!(m, "## The implementation lag\n");
    for stem in ["history", "timeline"] {
        if let Some(c) = chart(d, stem) {
            fig(&mut m, c);
        }
    }
    let _ = writeln!(
        m,
        "| # | date | lane | event | instrument |\n|---|---|---|---|---|"
    );
    for (n, date, lane, event, src) in d.events {
        let regime = lane_regime(world, lane).unwrap_or_default();
        let _ = writeln!(
            m,
            "| {n} | {} | {} | {} | {} |",
            md(date),
            md(lane),
            md(event),
            md_cites(src, &regime)
        );
    }
    let _ = writeln!(
        m,
        "\n## Commercial spyware vendors on the US Entity List\n\n| name | address countries | listed (effective) | notice |\n|---|---|---|---|"
    );
    for (name, countries, date, notice) in d.vendors {
        let _ = writeln!(
            m,
            "| {} | {} | {} | {} |",
            md(name),
            md(countries),
            md(date),
            md_cites(notice, "us")
        );
    }
    let _ = writeln!(
        m,
        "\n## Regimes compared\n\n| column | list | WA year | confidence | within the bloc | general authorisations | end-user limits | catch-alls | human-rights criterion | surveillance sanctions |\n|---|---|---|---|---|---|---|---|---|---|"
    );
    for r in d.regimes {
        let _ = writeln!(
            m,
            "| **{}** ({}) | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            md(&r.label),
            md(&r.members),
            md(&r.list),
            md(&r.wa_year),
            md(&r.confidence),
            md(&r.intra_bloc),
            md(&r.authorisations),
            md(&r.end_user_limits),
            r.catch_alls
                .iter()
                .map(|c| md_cites(c, &r.regime))
                .collect::<Vec<_>>()
                .join("; "),
            md(&r.human_rights),
            md(&r.sanctions)
        );
    }
    let _ = writeln!(
        m,
        "\n## Divergences from the US\n\n{} distinct pairs of rule chains (commercial end user, no stated end use), each with every destination it covers, are in `index.html` and `tables/divergences.csv`. Counts by item and jurisdiction (destinations where the jurisdiction is stricter / looser than the US):\n\n| item | jurisdiction | stricter | looser |\n|---|---|---|---|",
        d.divergences.len()
    );
    let mut counts: Vec<(String, String, usize, usize)> = Vec::new();
    for v in d.divergences {
        let (s, l) = match v.direction {
            crate::analysis::compare::Comparison::Stricter => (v.destinations.len(), 0),
            _ => (0, v.destinations.len()),
        };
        match counts.iter_mut().find(|c| c.0 == v.item && c.1 == v.column) {
            Some(c) => {
                c.2 += s;
                c.3 += l;
            }
            None => counts.push((v.item.clone(), v.column.clone(), s, l)),
        }
    }
    for (item, column, s, l) in counts {
        let _ = writeln!(m, "| `{}` | {} | {s} | {l} |", md(&item), md(&column));
    }
    let _ = writeln!(
        m,
        "\n## Data versions, confidence and gaps\n\n| code | jurisdiction | list version | date | WA year | confidence | gaps |\n|---|---|---|---|---|---|---|"
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
    for r in &world.regimes {
        if r.meta.gaps.is_empty() {
            continue;
        }
        let _ = writeln!(m, "\n**{}**\n", md(&r.meta.name));
        for g in &r.meta.gaps {
            let _ = writeln!(m, "- `{}`: {}", md(&g.id), md(&g.text));
        }
    }
    let _ = writeln!(
        m,
        "\n---\n{} Generated by wassenaar from its bundled datasets. Determinations are a model of the law, not legal advice.",
        md(&d.provenance.line())
    );
    m
}
