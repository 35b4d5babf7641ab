//! The dimensions of a matrix (items × destinations × end users × end uses ×
//! jurisdictions), as written on the command line, resolved against the datasets.

use crate::analysis::matrix::MatrixSpec;
use crate::data::catalogue::{ItemId, ItemKind};
use crate::data::places::PlaceId;
use crate::engine::World;
use crate::error::{Error, Result};
use crate::model::{EndUse, EndUser, Transaction, Word};

/// The dimensions of a matrix, shared by `matrix`, `align`, `compare` and `report`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimensions {
    /// `cyber` (the cybersecurity items), `all` (every listed catalogue item) or codes.
    pub items: String,
    /// `all` or codes/names.
    pub destinations: String,
    /// `all` or words.
    pub end_users: String,
    /// `all` or words.
    pub end_uses: String,
    /// `all` or codes.
    pub jurisdictions: String,
    /// Transaction type.
    pub transaction: String,
}

fn list(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty())
}

impl Dimensions {
    /// The full cyber matrix: cyber items × all destinations, end users, end uses and
    /// jurisdictions, plain exports.
    pub fn cyber() -> Dimensions {
        Dimensions {
            items: "cyber".into(),
            destinations: "all".into(),
            end_users: "all".into(),
            end_uses: "all".into(),
            jurisdictions: "all".into(),
            transaction: "export".into(),
        }
    }

    /// The catalogue items named by `--items`.
    pub fn items(&self, world: &World) -> Result<Vec<ItemId>> {
        let cat = world.catalogue();
        if self.items.trim().eq_ignore_ascii_case("cyber") {
            return Ok(cat
                .ids()
                .filter(|&i| {
                    let it = cat.get(i);
                    it.kind == ItemKind::Wassenaar && it.has_tag("cyber")
                })
                .collect());
        }
        if self.items.trim().eq_ignore_ascii_case("all") {
            return Ok(cat.ids().collect());
        }
        let mut out = Vec::new();
        for code in list(&self.items) {
            match cat.lookup(code) {
                Some(i) if !out.contains(&i) => out.push(i),
                Some(_) => {}
                None => {
                    return Err(Error::flag(
                        "--items",
                        code,
                        "no list has this code",
                        "`cyber`, `all`, or list codes such as `4A005,5A001.j`",
                    ));
                }
            }
        }
        if out.is_empty() {
            return Err(Error::Usage("--items: empty list".into()));
        }
        Ok(out)
    }

    /// Resolves every dimension but the items.
    pub fn spec(&self, world: &World) -> Result<MatrixSpec> {
        let destinations: Vec<PlaceId> = if self.destinations.trim().eq_ignore_ascii_case("all") {
            world.places().ids().collect()
        } else {
            let mut v = Vec::new();
            for d in list(&self.destinations) {
                match world.places().resolve(d) {
                    Some(p) if !v.contains(&p) => v.push(p),
                    Some(_) => {}
                    None => {
                        return Err(Error::flag(
                            "--destinations",
                            d,
                            "unknown place",
                            "`all`, or ISO codes or country names",
                        ));
                    }
                }
            }
            v
        };
        let end_users = words::<EndUser>(&self.end_users, "--end-users")?;
        let end_uses = words::<EndUse>(&self.end_uses, "--end-uses")?;
        let jurisdictions = selection(world, &self.jurisdictions, "--jurisdictions")?;
        if destinations.is_empty() || end_users.is_empty() || end_uses.is_empty() {
            return Err(Error::Usage("the matrix has an empty dimension".into()));
        }
        Ok(MatrixSpec {
            destinations,
            end_users,
            end_uses,
            jurisdictions,
        })
    }

    /// The transaction type.
    pub fn transaction(&self) -> Result<Transaction> {
        Transaction::parse(self.transaction.trim()).ok_or_else(|| {
            Error::flag(
                "--transaction",
                &self.transaction,
                "unknown transaction type",
                &<Transaction as Word>::accepted(),
            )
        })
    }
}

/// `all` or a comma-separated list of words of vocabulary `W`, as positions.
pub fn words<W: Word>(text: &str, flag: &str) -> Result<Vec<usize>> {
    if text.trim().eq_ignore_ascii_case("all") {
        return Ok((0..W::WORDS.len()).collect());
    }
    let mut v = Vec::new();
    for w in list(text) {
        match W::WORDS.iter().position(|a| a.eq_ignore_ascii_case(w)) {
            Some(i) if !v.contains(&i) => v.push(i),
            Some(_) => {}
            None => {
                return Err(Error::flag(
                    flag,
                    w,
                    &format!("unknown {}", W::NAME),
                    &format!("all, {}", W::accepted()),
                ));
            }
        }
    }
    Ok(v)
}

/// Parses a jurisdiction list (`all`, or codes/names separated by commas) for `flag`.
pub fn selection(world: &World, text: &str, flag: &str) -> Result<Vec<usize>> {
    if text.trim().eq_ignore_ascii_case("all") {
        return Ok((0..world.jurisdictions.len()).collect());
    }
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let code = world
            .places()
            .resolve(part)
            .map(|p| world.places().code(p).to_string());
        let Some(j) = code.as_deref().and_then(|c| world.jurisdiction(c)) else {
            return Err(not_modelled(world, flag, part));
        };
        if !out.contains(&j) {
            out.push(j);
        }
    }
    if out.is_empty() {
        return Err(Error::Usage(format!("{flag}: empty list")));
    }
    Ok(out)
}

/// Usage error for a jurisdiction the datasets do not model, listing those they do.
pub fn not_modelled(world: &World, flag: &str, value: &str) -> Error {
    let modelled: Vec<&str> = world
        .jurisdictions
        .iter()
        .map(|j| j.code.as_str())
        .collect();
    Error::flag(
        flag,
        value,
        "not a modelled jurisdiction",
        &format!("all, or a list of {}", modelled.join(", ")),
    )
}
