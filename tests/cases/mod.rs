//! Shared helpers for the integration tests.

mod bulk;
mod cli;
mod crosscheck;
mod datasets;
mod eu;
mod history_eu;
mod input;
mod layers;
mod lists;
mod national;
mod parties;
mod properties;
mod report;
mod sanctions;
mod us;
mod workflow;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use wassenaar::World;
use wassenaar::engine::Rendered;
use wassenaar::input::{RawRecord, resolve_one};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn datasets_dir() -> PathBuf {
    root().join("datasets")
}

/// The optional reference inputs (official tables the builders and cross-checks read), from
/// `$WASSENAAR_SOURCES`. Without it a test that needs them says it is skipped, and fails under
/// `CI=true`.
pub fn sources(test: &str) -> Option<PathBuf> {
    match std::env::var_os("WASSENAAR_SOURCES")
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
    {
        Some(p) => Some(p),
        None => {
            skip(
                test,
                "$WASSENAAR_SOURCES (the reference source tables) is not set",
            );
            None
        }
    }
}

/// Reports a test that cannot run: printed locally, a failure under `CI=true`.
pub fn skip(test: &str, why: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test} cannot run under CI: {why}");
    }
    eprintln!("skipped: {test}: {why}");
}

pub fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(
        || match World::load(wassenaar::data::Source::Folder(datasets_dir())) {
            Ok(w) => w,
            Err(e) => panic!("the bundled datasets must load: {e}"),
        },
    )
}

/// A scenario from `key=value` pairs, as a CSV row would give it.
pub fn scenario(pairs: &[(&str, &str)]) -> wassenaar::model::Scenario {
    let mut cells = BTreeMap::new();
    cells.insert("id".to_string(), "t".to_string());
    for (k, v) in pairs {
        cells.insert((*k).to_string(), (*v).to_string());
    }
    let rec = RawRecord {
        line: 2,
        cells,
        extra: Vec::new(),
    };
    match resolve_one(world(), "test", &rec, true, &Default::default()) {
        Ok(s) => s,
        Err(e) => panic!("scenario {pairs:?} must resolve: {e}"),
    }
}

/// The determination of one scenario under one jurisdiction.
pub fn eval(jurisdiction: &str, pairs: &[(&str, &str)]) -> Rendered {
    let w = world();
    let s = scenario(pairs);
    let j = w
        .jurisdiction(jurisdiction)
        .unwrap_or_else(|| panic!("jurisdiction {jurisdiction} must be modelled"));
    let d = w.evaluate(j, &s);
    w.render(&s, &d)
}

/// The bundled datasets compiled for another day (cached per day).
pub fn world_at(day: &str) -> &'static World {
    static WORLDS: OnceLock<std::sync::Mutex<BTreeMap<String, &'static World>>> = OnceLock::new();
    let map = WORLDS.get_or_init(Default::default);
    let mut m = map.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(w) = m.get(day) {
        return w;
    }
    let date = wassenaar::model::Date::parse(day).unwrap_or_else(|| panic!("bad test date {day}"));
    let w: &'static World = Box::leak(Box::new(
        world()
            .at(date)
            .unwrap_or_else(|e| panic!("compile for {day}: {e}")),
    ));
    m.insert(day.to_string(), w);
    w
}

/// The determination of one scenario under one jurisdiction as of `day`.
pub fn eval_at(day: &str, jurisdiction: &str, pairs: &[(&str, &str)]) -> Rendered {
    let w = world_at(day);
    let s = scenario(pairs);
    let j = w
        .jurisdiction(jurisdiction)
        .unwrap_or_else(|| panic!("jurisdiction {jurisdiction} must be modelled"));
    let d = w.evaluate(j, &s);
    w.render(&s, &d)
}

/// Asserts the outcome (and authorisation) and shows the rule chain on failure.
#[track_caller]
pub fn expect(r: &Rendered, outcome: &str, authorisation: &str) {
    assert_eq!(
        (r.outcome.as_str(), r.authorisation.as_str()),
        (outcome, authorisation),
        "\n  {} {} -> {}\n  reasons: {}\n  citations: {}\n",
        r.jurisdiction,
        r.item,
        r.destination,
        r.reasons,
        r.citations
    );
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}
