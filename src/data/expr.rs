//! The two small languages of the rule files: destination expressions (`@D1 @D5 -@A6 CN`)
//! and item patterns (`4A005`, `@tag:ace`, `@reason:NS1`), parsed into typed values.

use crate::data::catalogue::{Catalogue, ItemId, UNLISTED, UNLISTED_CYBER_SURVEILLANCE};
use crate::data::places::{PlaceId, Places};

/// How a term combines with the set built so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetOp {
    /// `+` (the default): union.
    Union,
    /// `-`: difference.
    Minus,
    /// `&`: intersection.
    And,
}

/// One term of a destination expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DestAtom {
    /// A place code.
    Place(PlaceId),
    /// A named group (`all`, `EU`, `WA`, a jurisdiction's table column, `chart:NS1`).
    Group(String),
}

/// A destination expression: terms applied left to right from the empty set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DestExpr {
    /// The terms.
    pub terms: Vec<(SetOp, DestAtom)>,
    /// The text as written.
    pub text: String,
}

/// Why an expression or pattern could not be parsed: the term and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    /// The offending term.
    pub term: String,
    /// What is wrong.
    pub message: &'static str,
}

/// Parses a destination expression; `known_group` says whether a group name exists.
pub fn parse_destinations(
    text: &str,
    places: &Places,
    known_group: &dyn Fn(&str) -> bool,
) -> Result<DestExpr, ExprError> {
    let mut terms = Vec::new();
    for term in text.split_whitespace() {
        let (op, atom) = match term.as_bytes()[0] {
            b'+' => (SetOp::Union, &term[1..]),
            b'-' => (SetOp::Minus, &term[1..]),
            b'&' => (SetOp::And, &term[1..]),
            _ => (SetOp::Union, term),
        };
        if atom.is_empty() {
            return Err(ExprError {
                term: term.to_string(),
                message: "an operator needs a code or a group after it",
            });
        }
        let atom = if let Some(group) = atom.strip_prefix('@') {
            if !known_group(group) {
                return Err(ExprError {
                    term: atom.to_string(),
                    message: "unknown destination group",
                });
            }
            DestAtom::Group(group.to_string())
        } else {
            match places.by_code(atom) {
                Some(id) => DestAtom::Place(id),
                None => {
                    return Err(ExprError {
                        term: atom.to_string(),
                        message: "unknown country code in a destination expression",
                    });
                }
            }
        };
        terms.push((op, atom));
    }
    if terms.is_empty() {
        return Err(ExprError {
            term: String::new(),
            message: "empty destination expression",
        });
    }
    Ok(DestExpr {
        terms,
        text: text.to_string(),
    })
}

/// An item pattern: which list rows or catalogue items a rule reaches.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ItemPattern {
    /// `@all`: every listed row of the rule's own folder.
    OwnRows,
    /// `@tag:NAME`: rows whose tags contain NAME.
    Tag(String),
    /// `@group:D`: rows of product group D (`A`…`E`).
    Group(char),
    /// `@reason:NS1`: rows whose reasons for control contain NS1.
    Reason(String),
    /// A catalogue item and everything below it.
    Item(ItemId),
}

/// Parses one item pattern.
pub fn parse_pattern(text: &str, catalogue: &Catalogue) -> Result<ItemPattern, ExprError> {
    let t = text.trim();
    let err = |message| ExprError {
        term: t.to_string(),
        message,
    };
    if t == "@all" {
        return Ok(ItemPattern::OwnRows);
    }
    if let Some(tag) = t.strip_prefix("@tag:") {
        return if tag.is_empty() {
            Err(err("empty tag"))
        } else {
            Ok(ItemPattern::Tag(tag.to_string()))
        };
    }
    if let Some(g) = t.strip_prefix("@group:") {
        let mut chars = g.chars();
        return match (chars.next(), chars.next()) {
            (Some(c @ 'A'..='E'), None) => Ok(ItemPattern::Group(c)),
            _ => Err(err("a product group is one letter A to E")),
        };
    }
    if let Some(r) = t.strip_prefix("@reason:") {
        return if r.is_empty() {
            Err(err("empty reason for control"))
        } else {
            Ok(ItemPattern::Reason(r.to_string()))
        };
    }
    if t.starts_with('@') {
        return Err(err("unknown pattern; use @all, @tag:, @group: or @reason:"));
    }
    catalogue
        .lookup(t)
        .map(ItemPattern::Item)
        .ok_or_else(|| err("item pattern names no catalogue item"))
}

/// Which items an overlay or catch-all reaches.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every item, listed or not ("all items subject to the EAR").
    All,
    /// Every item on the regime's list.
    Listed,
    /// Items on no list row of the regime.
    Unlisted,
    /// Items on no list that are cyber-surveillance items (EU Art. 2(20)).
    UnlistedCyberSurveillance,
    /// The list rows and items the patterns name.
    Patterns(Vec<ItemPattern>),
}

/// The scope words, for messages.
pub const SCOPE_WORDS: [&str; 4] = ["all", "listed", UNLISTED, UNLISTED_CYBER_SURVEILLANCE];

/// Parses a scope from a list of words or patterns.
pub fn parse_scope(items: &[String], catalogue: &Catalogue) -> Result<Scope, ExprError> {
    match items {
        [one] if one == "all" => Ok(Scope::All),
        [one] if one == "listed" => Ok(Scope::Listed),
        [one] if one == UNLISTED => Ok(Scope::Unlisted),
        [one] if one == UNLISTED_CYBER_SURVEILLANCE => Ok(Scope::UnlistedCyberSurveillance),
        [] => Err(ExprError {
            term: String::new(),
            message: "an empty item scope",
        }),
        many => {
            let mut out = Vec::with_capacity(many.len());
            for p in many {
                if SCOPE_WORDS.contains(&p.as_str()) {
                    return Err(ExprError {
                        term: p.clone(),
                        message: "a scope word stands alone, not in a list of patterns",
                    });
                }
                out.push(parse_pattern(p, catalogue)?);
            }
            Ok(Scope::Patterns(out))
        }
    }
}
