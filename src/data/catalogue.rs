//! The item catalogue: every entry of the Wassenaar list (`datasets/wassenaar/entries.csv`),
//! the qualified cyber paragraphs, national-only entries and two pseudo-items.

use std::collections::HashMap;

use crate::data::source::Source;
use crate::data::table::{Columns, Table, list};
use crate::error::{Code, Diagnostics, Located};

/// Index of a catalogue item.
pub type ItemId = u32;

/// An item on no list that is a cyber-surveillance item (EU Art. 2(20)), for catch-alls.
pub const UNLISTED_CYBER_SURVEILLANCE: &str = "unlisted-cyber-surveillance";
/// An item on no list at all (e.g. EAR99 in US terms).
pub const UNLISTED: &str = "unlisted";

/// Where a catalogue item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// An entry or paragraph of the Wassenaar list (or a qualified paragraph of one).
    Wassenaar,
    /// An entry that exists only in one jurisdiction's list.
    National,
    /// `unlisted` or `unlisted-cyber-surveillance`.
    Pseudo,
}

/// One catalogue item: a Wassenaar entry or paragraph, a national-only entry, or a
/// pseudo-item.
#[derive(Debug, Clone)]
pub struct Item {
    /// Compact canonical code (`4A005`, `5A001.j`, `4D001.a(4A005)`).
    pub code: String,
    /// The Wassenaar form (`4.A.5`), empty for national-only entries.
    pub wa_code: String,
    /// The entry one level up.
    pub parent: Option<ItemId>,
    /// Entries one level down.
    pub children: Vec<ItemId>,
    /// Short label in the project's words.
    pub label: String,
    /// Tags (`cyber`, `surveillance`, …).
    pub tags: Vec<String>,
    /// Wassenaar, national or pseudo.
    pub kind: ItemKind,
    /// Regime folder that owns a national-only entry.
    pub owner: Option<String>,
    /// Origin of the control: `wa`, `mtcr`, `nsg`, `ag`, `cwc`, `eu-autonomous`,
    /// `national`, `us-unilateral`.
    pub origin: String,
    /// Legal source.
    pub source: String,
}

impl Item {
    /// Whether the item carries `tag`.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }

    /// Product group letter (`A` systems … `E` technology), if the code has one.
    pub fn group(&self) -> Option<char> {
        let c = self.code.chars().nth(1)?;
        matches!(c, 'A'..='E').then_some(c)
    }
}

/// Every item a scenario can name.
#[derive(Debug, Default)]
pub struct Catalogue {
    /// The items, by id.
    pub items: Vec<Item>,
    by_key: HashMap<String, ItemId>,
    /// Wassenaar list version the catalogue follows.
    pub version: String,
    /// Its date.
    pub date: String,
}

impl Catalogue {
    /// Loads `wassenaar/entries.csv`; problems go to `diag`.
    pub fn load(source: &Source, diag: &mut Diagnostics) -> Catalogue {
        let mut cat = Catalogue::default();
        let columns = Columns::exact(
            &[
                "code", "wa_code", "parent", "category", "label", "tags", "source",
            ],
            &[],
        );
        let Some(table) = Table::load(source, "wassenaar/entries.csv", &columns, diag) else {
            return cat;
        };
        let mut parents = Vec::new();
        for row in &table.rows {
            let code = table.get(row, "code");
            if canonical_code(code).as_deref() != Some(code) {
                diag.push(
                    table
                        .err(row, "code", Code::UnknownItem, "not a canonical list code")
                        .accepted("`4A005`, `5A001.j`, `4D001.a(4A005)`"),
                );
                continue;
            }
            table.cited(row, diag);
            match cat.add(Item {
                code: code.to_string(),
                wa_code: table.get(row, "wa_code").to_string(),
                parent: None,
                children: Vec::new(),
                label: table.get(row, "label").to_string(),
                tags: list(table.get(row, "tags")).map(str::to_string).collect(),
                kind: ItemKind::Wassenaar,
                owner: None,
                origin: "wa".to_string(),
                source: table.get(row, "source").to_string(),
            }) {
                Ok(id) => parents.push((id, row.line, table.get(row, "parent").to_string())),
                Err(_) => diag.push(table.err(row, "code", Code::Duplicate, "duplicate code")),
            }
        }
        for (id, line, parent) in parents {
            if parent.is_empty() {
                continue;
            }
            match cat.lookup(&parent) {
                Some(p) => cat.set_parent(id, p),
                None => diag.push(
                    Located::new(&table.file, "parent is not a code in this file")
                        .line(line)
                        .column("parent")
                        .value(parent)
                        .code(Code::BadReference),
                ),
            }
        }
        for (code, label) in [
            (
                UNLISTED_CYBER_SURVEILLANCE,
                "cyber-surveillance item on no list (Reg. (EU) 2021/821 Art. 2(20))",
            ),
            (UNLISTED, "item on no control list"),
        ] {
            let _ = cat.add(Item {
                code: code.to_string(),
                wa_code: String::new(),
                parent: None,
                children: Vec::new(),
                label: label.to_string(),
                tags: Vec::new(),
                kind: ItemKind::Pseudo,
                owner: None,
                origin: String::new(),
                source: "modelling choice: pseudo-item for an item on no list".to_string(),
            });
        }
        // `EAR99` is the US name of an item on no list.
        if let Some(id) = cat.by_key.get("UNLISTED").copied() {
            cat.by_key.insert("EAR99".to_string(), id);
        }
        cat
    }

    /// Adds an item; `Err(existing)` when its code is taken.
    pub fn add(&mut self, item: Item) -> Result<ItemId, ItemId> {
        let key = item.code.to_ascii_uppercase();
        if let Some(&existing) = self.by_key.get(&key) {
            return Err(existing);
        }
        let id = self.items.len() as ItemId;
        self.by_key.insert(key, id);
        self.items.push(item);
        Ok(id)
    }

    /// Links `child` under `parent`.
    pub fn set_parent(&mut self, child: ItemId, parent: ItemId) {
        self.items[child as usize].parent = Some(parent);
        self.items[parent as usize].children.push(child);
    }

    /// Registers another spelling (a national local code) for an item.
    pub fn alias(&mut self, spelling: &str, item: ItemId) -> Result<(), ItemId> {
        let Some(key) = canonical_code(spelling).map(|c| c.to_ascii_uppercase()) else {
            return Ok(());
        };
        match self.by_key.get(&key) {
            Some(&other) if other != item => Err(other),
            _ => {
                self.by_key.insert(key, item);
                Ok(())
            }
        }
    }

    /// Item `id`.
    pub fn get(&self, id: ItemId) -> &Item {
        &self.items[id as usize]
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Finds an item by any accepted spelling: `4A005`, `4a005`, `4.A.5`, `1-4.A.5`, `8A405`,
    /// `5D001.a (for 5A001.j)`, `5D001.a(5A001.j)`.
    pub fn lookup(&self, input: &str) -> Option<ItemId> {
        let trimmed = input.trim();
        if let Some(&id) = self.by_key.get(&trimmed.to_ascii_uppercase()) {
            return Some(id);
        }
        let canonical = canonical_code(trimmed)?;
        if let Some(&id) = self.by_key.get(&canonical.to_ascii_uppercase()) {
            return Some(id);
        }
        let scomet = scomet_to_wa(&canonical)?;
        self.by_key.get(&scomet.to_ascii_uppercase()).copied()
    }

    /// Whether `item` is `ancestor` or lies below it.
    pub fn is_within(&self, mut item: ItemId, ancestor: ItemId) -> bool {
        loop {
            if item == ancestor {
                return true;
            }
            match self.items[item as usize].parent {
                Some(p) => item = p,
                None => return false,
            }
        }
    }

    /// The closest codes, for "did you mean" hints.
    ///
    /// A hint never points to another entry than the one typed: when the input is shaped like
    /// a list code whose entry exists (`4A005.a`), only that entry and its paragraphs are
    /// candidates; when the entry does not exist, only entries (never paragraphs of others).
    pub fn suggest(&self, input: &str) -> Option<String> {
        let canonical = canonical_code(input);
        let entry = canonical
            .as_deref()
            .map(|c| c.split(['.', '(']).next().unwrap_or(c).to_string());
        if let Some(entry) = entry {
            if self.by_key.contains_key(&entry.to_ascii_uppercase()) {
                let within: Vec<&str> = self
                    .items
                    .iter()
                    .filter(|i| {
                        i.code == entry
                            || i.code.starts_with(&format!("{entry}."))
                            || i.code.starts_with(&format!("{entry}("))
                    })
                    .map(|i| i.code.as_str())
                    .collect();
                return crate::data::suggest(input, within.iter().copied()).or(Some(entry));
            }
            return crate::data::suggest(
                input,
                self.items
                    .iter()
                    .filter(|i| i.parent.is_none() && !i.code.contains('('))
                    .map(|i| i.code.as_str()),
            );
        }
        crate::data::suggest(input, self.items.iter().map(|i| i.code.as_str()))
    }

    /// Every item id.
    pub fn ids(&self) -> impl Iterator<Item = ItemId> + '_ {
        (0..self.items.len()).map(|i| i as ItemId)
    }
}

/// Rewrites any accepted spelling of a list code into the compact canonical form:
/// `4.A.5` → `4A005`, `1-4.A.5` → `4A005`, `5d001.A (for 5A001.j or 5B001.a)` →
/// `5D001.a(5A001.j)`. Returns `None` when the text is not shaped like a list code.
pub fn canonical_code(input: &str) -> Option<String> {
    let s = input.trim();
    if let Some(open) = s.find('(') {
        let base = canonical_simple(s[..open].trim())?;
        let inner = s[open + 1..].trim_end().strip_suffix(')')?.trim();
        let inner = inner
            .strip_prefix("for ")
            .or_else(|| inner.strip_prefix("FOR "))
            .unwrap_or(inner)
            .trim();
        let target_end = inner.find([' ', ',', '(', ')']).unwrap_or(inner.len());
        let target = canonical_simple(&inner[..target_end])?;
        return Some(format!("{base}({target})"));
    }
    canonical_simple(s)
}

fn canonical_simple(s: &str) -> Option<String> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.strip_suffix('.').unwrap_or(&s);
    // Canada's Group 1 prefix: `1-4.A.5`.
    let s = s.strip_prefix("1-").unwrap_or(s);
    let mut parts = s.split('.');
    let head = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    let hb = head.as_bytes();
    let (entry, paragraphs): (String, &[&str]) = if hb.len() == 1 && hb[0].is_ascii_digit() {
        // WA form: 4.A.5.c
        let group = rest.first()?;
        let number = rest.get(1)?;
        // Russia's list numbers the groups 1-5 (`4.1.5` = 4.A.5).
        let g = match group.chars().next()?.to_ascii_uppercase() {
            d @ '1'..='5' => (b'A' + (d as u8 - b'1')) as char,
            c => c,
        };
        if group.len() != 1 || !('A'..='E').contains(&g) {
            return None;
        }
        let n: u32 = number.parse().ok()?;
        if n > 999 {
            return None;
        }
        (format!("{}{g}{n:03}", hb[0] as char), &rest[2..])
    } else if hb.len() == 5
        && hb[0].is_ascii_digit()
        && hb[1].is_ascii_alphabetic()
        && hb[2..].iter().all(u8::is_ascii_digit)
    {
        let g = (hb[1] as char).to_ascii_uppercase();
        if !('A'..='E').contains(&g) {
            return None;
        }
        (format!("{}{g}{}", hb[0] as char, &head[2..]), &rest[..])
    } else {
        return None;
    };
    let mut out = entry;
    for p in paragraphs {
        if p.is_empty() || !p.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        out.push('.');
        out.push_str(&p.to_ascii_lowercase());
    }
    Some(out)
}

/// India's SCOMET Category 8 numbering embeds the WA code: `8A405` = 4.A.5, `8A501.j` = 5.A.1.j.
fn scomet_to_wa(canonical: &str) -> Option<String> {
    let (base, rest) = match canonical.find(['.', '(']) {
        Some(i) => canonical.split_at(i),
        None => (canonical, ""),
    };
    let b = base.as_bytes();
    if b.len() != 5 || b[0] != b'8' {
        return None;
    }
    let category = b[2] as char;
    let number: u32 = base[3..].parse().ok()?;
    Some(format!("{category}{}{number:03}{rest}", b[1] as char))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_canonicalise() {
        assert_eq!(canonical_code("4.A.5").as_deref(), Some("4A005"));
        assert_eq!(canonical_code("1-4.A.5").as_deref(), Some("4A005"));
        assert_eq!(canonical_code("5.a.1.J").as_deref(), Some("5A001.j"));
        assert_eq!(canonical_code("4a005").as_deref(), Some("4A005"));
        assert_eq!(
            canonical_code("5D001.a (for 5A001.j)").as_deref(),
            Some("5D001.a(5A001.j)")
        );
        assert_eq!(
            canonical_code("4D001.a (for 4A005 or 4D004)").as_deref(),
            Some("4D001.a(4A005)")
        );
        assert_eq!(canonical_code("4.1.5").as_deref(), Some("4A005"));
        assert_eq!(canonical_code("5.1.1.10").as_deref(), Some("5A001.10"));
        assert_eq!(canonical_code("hello"), None);
        assert_eq!(canonical_code("4A005("), None);
        assert_eq!(scomet_to_wa("8A405").as_deref(), Some("4A005"));
        assert_eq!(scomet_to_wa("8A501.j").as_deref(), Some("5A001.j"));
    }
}
