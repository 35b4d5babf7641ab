//! Plain data behind the figures: the destination universe and its groups, chart columns,
//! outcome colours, and which rule decides a US determination. No drawing here.

use crate::data::places::{PlaceId, PlaceKind};
use crate::engine::Determination;
use crate::engine::World;
use crate::model::{EndUser, Outcome};
use crate::report::charts::palette;

/// The outcomes drawn as colours, in legend order (`not-applicable` is drawn empty).
pub const OUTCOMES: [Outcome; 6] = [
    Outcome::NotListed,
    Outcome::NoLicenceRequired,
    Outcome::Authorised,
    Outcome::LicenceRequired,
    Outcome::Prohibited,
    Outcome::Indeterminate,
];

/// Fill colour of each outcome of [`OUTCOMES`], chosen to stay apart for readers with red-green
/// or blue-yellow colour-vision deficiency (Okabe–Ito hues; `prohibited` black so that it
/// never reads as `licence-required`; a test checks every pair under simulated deficiency).
pub const OUTCOME_COLOURS: [(u8, u8, u8); 6] = [
    (217, 217, 217), // not-listed: light grey
    palette::BLUISH_GREEN,
    palette::SKY_BLUE,
    palette::ORANGE,
    palette::BLACK,
    palette::REDDISH_PURPLE,
];

/// A column of a figure: one jurisdiction, or several with identical results (EU members).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Label shown on the chart.
    pub label: String,
    /// Jurisdiction indices folded into it.
    pub members: Vec<usize>,
}

/// Destination rows, grouped by US Country Group tier.
#[derive(Debug, Clone)]
pub struct RowGroups {
    /// Destinations, in row order.
    pub rows: Vec<PlaceId>,
    /// (label, first row, last row inclusive)
    pub groups: Vec<(String, usize, usize)>,
}

/// Whether a place belongs to the report's destination universe: sovereign states and the
/// places some regime treats apart (Hong Kong, Macao, sub-national regions).
pub fn in_universe(world: &World, p: PlaceId) -> bool {
    let pl = world.places().get(p);
    pl.kind != PlaceKind::Territory || matches!(pl.code.as_str(), "HK" | "MO")
}

/// The destination universe, grouped by the US Country Group tier that drives most
/// cyber-item differences.
pub fn destination_groups(world: &World) -> RowGroups {
    let us = world
        .jurisdiction("US")
        .map(|j| &world.regimes[world.jurisdictions[j].regime]);
    let inn = |g: &str, p: PlaceId| {
        us.and_then(|r| r.groups.get(g))
            .is_some_and(|s| s.sure.contains(p))
    };
    let tiers: [(&str, &dyn Fn(PlaceId) -> bool); 7] = [
        ("E:1/E:2 embargoed", &|p| inn("E1", p) || inn("E2", p)),
        ("Crimea, DNR/LNR", &|p| {
            world.places().get(p).kind == PlaceKind::Subnational
        }),
        ("D:1 or D:5", &|p| inn("D1", p) || inn("D5", p)),
        ("other D groups", &|p| {
            ["D2", "D3", "D4"].iter().any(|g| inn(g, p))
        }),
        ("A:1 (WA-type allies)", &|p| inn("A1", p)),
        ("other A:5/A:6", &|p| inn("A5", p) || inn("A6", p)),
        ("B and others", &|_| true),
    ];
    let candidates: Vec<PlaceId> = world
        .places()
        .ids()
        .filter(|&p| in_universe(world, p))
        .collect();
    let mut taken = vec![false; world.places().len()];
    let mut rows = Vec::new();
    let mut groups = Vec::new();
    for (label, test) in tiers {
        let first = rows.len();
        for &p in &candidates {
            if !taken[p as usize] && test(p) {
                taken[p as usize] = true;
                rows.push(p);
            }
        }
        if rows.len() > first {
            groups.push((label.to_string(), first, rows.len() - 1));
        }
    }
    RowGroups { rows, groups }
}

/// Folds jurisdictions of the EU regime (and its national overlays) whose cell vectors agree
/// everywhere (cells for which `wild` holds, transfers inside the state, count as agreeing)
/// into one column labelled `EU-N`.
pub fn fold_columns<T: PartialEq>(
    world: &World,
    juris: &[usize],
    vectors: &[Vec<T>],
    wild: impl Fn(&T) -> bool,
) -> Vec<Column> {
    let eu_family = |j: usize| {
        let r = &world.regimes[world.jurisdictions[j].regime];
        r.id == "eu" || r.meta.extends.as_deref() == Some("eu")
    };
    let same = |a: &[T], b: &[T]| a.iter().zip(b).all(|(x, y)| x == y || wild(x) || wild(y));
    let mut cols: Vec<Column> = Vec::new();
    let mut first_of: Vec<(usize, usize)> = Vec::new(); // (column, position in juris)
    for (k, &j) in juris.iter().enumerate() {
        if eu_family(j)
            && let Some(&(c, _)) = first_of
                .iter()
                .find(|(_, fk)| same(&vectors[*fk], &vectors[k]))
        {
            cols[c].members.push(j);
            continue;
        }
        if eu_family(j) {
            first_of.push((cols.len(), k));
        }
        cols.push(Column {
            label: world.jurisdictions[j].code.clone(),
            members: vec![j],
        });
    }
    for c in &mut cols {
        if c.members.len() > 1 {
            c.label = format!("EU-{}", c.members.len());
        }
    }
    cols
}

/// Which rule decides a US determination for a cyber item (the ACE chart), in legend order.
/// Restriction categories name the ACE restriction ids of the US datasets.
pub const ACE_CATEGORIES: [(&str, &str); 10] = [
    ("free", "no licence needed (Country Chart)"),
    ("ACE", "ACE authorises"),
    (
        "ACE-FAVOURABLE",
        "ACE via the favourable-treatment carve-out",
    ),
    ("GBS", "GBS authorises"),
    ("ACE-C1I", "ACE barred: E:1/E:2 destination"),
    ("ACE-C1II", "ACE barred: government end user in D:1–D:5"),
    (
        "ACE-C1III",
        "ACE barred: non-government end user in D:1/D:5",
    ),
    ("ACE-C2", "ACE barred: end use against systems' owners"),
    ("overlay", "embargo or sanctions (Part 746)"),
    ("other", "indeterminate or other"),
];

/// The [`ACE_CATEGORIES`] index of a US determination; `None` for `not-applicable`.
pub fn ace_category(
    world: &World,
    us: usize,
    d: &Determination,
    dest: PlaceId,
    user: EndUser,
) -> Option<usize> {
    let at = |id: &str| ACE_CATEGORIES.iter().position(|c| c.0 == id);
    if d.outcome == Outcome::NotApplicable {
        return None;
    }
    let regime = &world.regimes[world.jurisdictions[us].regime];
    let uses = |fact: u32| d.reasons.iter().any(|s| s.fact == fact);
    if d.outcome != Outcome::Indeterminate && regime.overlays.iter().any(|o| uses(o.fact)) {
        return at("overlay");
    }
    match d.outcome {
        Outcome::NotListed | Outcome::NoLicenceRequired => at("free"),
        Outcome::Authorised => {
            let id = d
                .authorisation
                .and_then(|a| regime.authorisations.get(a as usize))
                .map(|a| a.id.as_str());
            if id == Some("GBS") {
                return at("GBS");
            }
            let d15 = ["D1", "D5"]
                .iter()
                .any(|g| regime.groups.get(*g).is_some_and(|s| s.sure.contains(dest)));
            let favourable = matches!(
                user,
                EndUser::Financial | EndUser::Insurance | EndUser::Health | EndUser::UsSubsidiary
            );
            at(if d15 && favourable {
                "ACE-FAVOURABLE"
            } else {
                "ACE"
            })
        }
        Outcome::LicenceRequired | Outcome::Prohibited => {
            let barred = regime
                .authorisations
                .iter()
                .filter(|a| a.id == "ACE")
                .flat_map(|a| &a.restrictions)
                .find(|r| uses(r.fact))
                .and_then(|r| at(&r.id));
            barred.or_else(|| at("other"))
        }
        _ => at("other"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CIE L*a*b* (D65) of a linear-RGB colour.
    fn lab(rgb: [f64; 3]) -> [f64; 3] {
        let [r, g, b] = rgb;
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.950_47;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.088_83;
        let f = |t: f64| {
            if t > 0.008_856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        [
            116.0 * f(y) - 16.0,
            500.0 * (f(x) - f(y)),
            200.0 * (f(y) - f(z)),
        ]
    }

    fn linear(c: (u8, u8, u8)) -> [f64; 3] {
        let l = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.040_45 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        [l(c.0), l(c.1), l(c.2)]
    }

    /// Machado, Oliveira and Fernandes (2009), severity 1: protanopia, deuteranopia,
    /// tritanopia, and normal vision.
    const VISION: [[[f64; 3]; 3]; 4] = [
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        [
            [0.152_286, 1.052_583, -0.204_868],
            [0.114_503, 0.786_281, 0.099_216],
            [-0.003_882, -0.048_116, 1.051_998],
        ],
        [
            [0.367_322, 0.860_646, -0.227_968],
            [0.280_085, 0.672_501, 0.047_413],
            [-0.011_820, 0.042_940, 0.968_881],
        ],
        [
            [1.255_528, -0.076_749, -0.178_779],
            [-0.078_411, 0.930_809, 0.147_602],
            [0.004_733, 0.691_367, 0.303_900],
        ],
    ];

    fn seen(m: &[[f64; 3]; 3], c: (u8, u8, u8)) -> [f64; 3] {
        let l = linear(c);
        let s = |i: usize| (m[i][0] * l[0] + m[i][1] * l[1] + m[i][2] * l[2]).clamp(0.0, 1.0);
        lab([s(0), s(1), s(2)])
    }

    fn distance(a: [f64; 3], b: [f64; 3]) -> f64 {
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    /// Every pair of outcome colours (and the not-applicable white) stays apart under normal
    /// vision and each simulated colour-vision deficiency (CIE76 ΔE ≥ 12); prohibited and
    /// licence-required stay far apart (ΔE ≥ 40).
    #[test]
    fn outcome_colours_stay_apart_for_colour_blind_readers() {
        let mut colours: Vec<(&str, (u8, u8, u8))> = OUTCOMES
            .iter()
            .map(|o| o.as_str())
            .zip(OUTCOME_COLOURS)
            .collect();
        colours.push(("not-applicable", palette::NOT_APPLICABLE));
        for m in &VISION {
            for (i, a) in colours.iter().enumerate() {
                for b in &colours[i + 1..] {
                    let d = distance(seen(m, a.1), seen(m, b.1));
                    assert!(d >= 12.0, "{} and {}: ΔE {d:.1}", a.0, b.0);
                    if [a.0, b.0] == ["licence-required", "prohibited"] {
                        assert!(d >= 40.0, "prohibited vs licence-required: ΔE {d:.1}");
                    }
                }
            }
        }
    }
}
