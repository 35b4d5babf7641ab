//! Citations as links to the official texts: eCFR and the Federal Register (US), EUR-Lex
//! (EU), legislation.gov.uk (UK), Justice Laws (CA), Fedlex (CH), Lovdata (NO),
//! legislation.gov.au (AU), legislation.govt.nz (NZ), e-Gov (JP) and gesetze-im-internet.de (DE).
//!
//! A citation is scanned for the references these publishers address; each becomes a link.
//! A citation of a regime with no recognised reference links, as a whole, to the regime's
//! principal instrument.

use std::sync::OnceLock;

use regex::Regex;

/// One recognised reference: its byte range in the citation and the address of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    /// Start of the reference in the citation.
    pub start: usize,
    /// End of the reference.
    pub end: usize,
    /// Address of the official text.
    pub url: String,
}

/// Builds the address from a match.
type Address = fn(&regex::Captures<'_>) -> Option<String>;

type Rule = (Regex, Address);

fn cap<'a>(c: &'a regex::Captures<'_>, i: usize) -> &'a str {
    c.get(i).map(|m| m.as_str()).unwrap_or("")
}

fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let table: Vec<(&str, Address)> = vec![
            // US: 15 CFR 740.22(c) → the section; 15 CFR 774 Supp. 1 or Parts 730-774 → the part.
            (r"\b(15|31|22) CFR (?:§\s*)?(\d{2,4})\.(\d+[a-z]?)", |c| {
                Some(format!(
                    "https://www.ecfr.gov/current/title-{}/section-{}.{}",
                    cap(c, 1),
                    cap(c, 2),
                    cap(c, 3)
                ))
            }),
            (
                r"\b(15|31|22) CFR (?:Parts? |Chapter )?(\d{2,4}|[IVX]+)",
                |c| {
                    let part = cap(c, 2);
                    Some(if part.chars().all(|ch| ch.is_ascii_digit()) {
                        format!(
                            "https://www.ecfr.gov/current/title-{}/part-{part}",
                            cap(c, 1)
                        )
                    } else {
                        format!(
                            "https://www.ecfr.gov/current/title-{}/chapter-{part}",
                            cap(c, 1)
                        )
                    })
                },
            ),
            (r"\b(\d{2}) FR (\d{3,5})", |c| {
                Some(format!(
                    "https://www.federalregister.gov/citation/{}-FR-{}",
                    cap(c, 1),
                    cap(c, 2)
                ))
            }),
            // UK statutory instruments and assimilated EU law.
            (r"\bSI (\d{4})/(\d+)", |c| {
                Some(format!(
                    "https://www.legislation.gov.uk/uksi/{}/{}",
                    cap(c, 1),
                    cap(c, 2)
                ))
            }),
            (r"Assimilated Council Reg\. \(EC\) No (\d+)/(\d{4})", |c| {
                Some(format!(
                    "https://www.legislation.gov.uk/eur/{}/{}",
                    cap(c, 2),
                    cap(c, 1)
                ))
            }),
            (r"Iran \(Sanctions\) Regulations 2023", |_| {
                Some("https://www.legislation.gov.uk/uksi/2023/1314".into())
            }),
            (r"Syria \(Sanctions\) \(EU Exit\) Regulations 2019", |_| {
                Some("https://www.legislation.gov.uk/uksi/2019/792".into())
            }),
            (r"Burma \(Sanctions\) Regulations 2021", |_| {
                Some("https://www.legislation.gov.uk/uksi/2021/496".into())
            }),
            (
                r"Republic of Belarus \(Sanctions\) \(EU Exit\) Regulations 2019",
                |_| Some("https://www.legislation.gov.uk/uksi/2019/600".into()),
            ),
            (r"\bOGELs?\b[^;|]*", |_| {
                Some(
                    "https://www.gov.uk/government/collections/open-general-export-licences-ogels"
                        .into(),
                )
            }),
            // EU regulations on EUR-Lex (ELI); delegated regulations have their own path.
            (
                r"(Delegated |Del\. )?Reg(?:ulation|\.)? \((?:EU|EC)\) (No )?(\d+)/(\d+)",
                |c| {
                    let (a, b) = (cap(c, 3), cap(c, 4));
                    // Before 2015: "No number/year"; from 2015: "year/number".
                    let year_first = c.get(2).is_none() && a.len() == 4 && a >= "2015";
                    let (year, num) = if year_first { (a, b) } else { (b, a) };
                    let kind = if c.get(1).is_some() { "reg_del" } else { "reg" };
                    Some(format!(
                        "https://eur-lex.europa.eu/eli/{kind}/{year}/{num}/oj"
                    ))
                },
            ),
            // Canada.
            (r"\bSOR/(\d{2,4})-(\d+)", |c| {
                Some(format!(
                    "https://laws-lois.justice.gc.ca/eng/regulations/SOR-{}-{}/",
                    cap(c, 1),
                    cap(c, 2)
                ))
            }),
            (r"Export and Import Permits Act", |_| {
                Some("https://laws-lois.justice.gc.ca/eng/acts/E-19/".into())
            }),
            // Switzerland: the Goods Control Ordinance by its ELI, other SR numbers by search.
            (r"\bSR 946\.202\.1\b", |_| {
                Some("https://www.fedlex.admin.ch/eli/cc/2016/352/de".into())
            }),
            (r"\bSR (\d+(?:\.\d+)+)", |c| {
                Some(format!(
                    "https://www.fedlex.admin.ch/de/search?text={}",
                    cap(c, 1)
                ))
            }),
            // Norway.
            (r"FOR-(\d{4}-\d{2}-\d{2}-\d+)", |c| {
                Some(format!("https://lovdata.no/forskrift/{}", cap(c, 1)))
            }),
            (r"Export Control Act 1987 No\. 93", |_| {
                Some("https://lovdata.no/lov/1987-12-18-93".into())
            }),
            // Australia and New Zealand.
            (r"\b(F\d{4}[A-Z]\d{5})\b", |c| {
                Some(format!(
                    "https://www.legislation.gov.au/{}/latest",
                    cap(c, 1)
                ))
            }),
            (r"Customs Act 1901", |_| {
                Some("https://www.legislation.gov.au/C1901A00006/latest".into())
            }),
            (r"Defence Trade Controls Act 2012", |_| {
                Some("https://www.legislation.gov.au/C2012A00153/latest".into())
            }),
            (r"\bLI (\d{4})/(\d+)", |c| {
                Some(format!(
                    "https://www.legislation.govt.nz/regulation/public/{}/{:0>4}/latest/whole.html",
                    cap(c, 1),
                    cap(c, 2)
                ))
            }),
            // Japan (e-Gov law ids).
            (r"\bFEFTA\b", |_| {
                Some("https://laws.e-gov.go.jp/law/324AC0000000228".into())
            }),
            (r"Export Trade Control Order", |_| {
                Some("https://laws.e-gov.go.jp/law/324CO0000000378".into())
            }),
            (r"Foreign Exchange Order", |_| {
                Some("https://laws.e-gov.go.jp/law/355CO0000000260".into())
            }),
            // Germany.
            (r"\bAWV\b", |_| {
                Some("https://www.gesetze-im-internet.de/awv_2013/".into())
            }),
        ];
        table
            .into_iter()
            .filter_map(|(re, f)| Regex::new(re).ok().map(|r| (r, f)))
            .collect()
    })
}

/// The principal instrument of a regime, linked when a citation names nothing addressable.
pub(crate) fn fallback(regime: &str) -> Option<&'static str> {
    Some(match regime {
        "us" => "https://www.ecfr.gov/current/title-15/subtitle-B/chapter-VII/subchapter-C",
        "eu" | "de" => "https://eur-lex.europa.eu/eli/reg/2021/821/oj",
        "gb" => "https://www.legislation.gov.uk/uksi/2008/3231",
        "ca" => "https://laws-lois.justice.gc.ca/eng/regulations/SOR-89-202/",
        "ch" => "https://www.fedlex.admin.ch/eli/cc/2016/352/de",
        "no" => "https://lovdata.no/forskrift/2013-06-19-718",
        "au" => "https://www.legislation.gov.au/F2024L01024/latest",
        "jp" => "https://laws.e-gov.go.jp/law/324AC0000000228",
        "nz" => "https://www.legislation.govt.nz/regulation/public/2021/0216/latest/whole.html",
        _ => return None,
    })
}

/// The addressable references in `citation`, in order, without overlaps.
pub(crate) fn links(citation: &str) -> Vec<Link> {
    let mut found: Vec<Link> = Vec::new();
    for (re, f) in rules() {
        for c in re.captures_iter(citation) {
            let Some(m) = c.get(0) else { continue };
            if found.iter().any(|l| m.start() < l.end && l.start < m.end()) {
                continue;
            }
            if let Some(url) = f(&c) {
                found.push(Link {
                    start: m.start(),
                    end: m.end(),
                    url,
                });
            }
        }
    }
    found.sort_by_key(|l| l.start);
    found
}

/// `citation` as HTML: escaped text with links; the whole text links to the regime's
/// principal instrument when nothing in it is addressable and the regime has one.
pub(crate) fn html(citation: &str, regime: Option<&str>) -> String {
    let esc = super::doc::escape;
    let found = links(citation);
    if found.is_empty() {
        return match regime.and_then(fallback) {
            Some(url) if !citation.is_empty() => {
                format!("<a href=\"{}\">{}</a>", esc(url), esc(citation))
            }
            _ => esc(citation),
        };
    }
    let mut out = String::new();
    let mut at = 0;
    for l in found {
        out.push_str(&esc(&citation[at..l.start]));
        out.push_str(&format!(
            "<a href=\"{}\">{}</a>",
            esc(&l.url),
            esc(&citation[l.start..l.end])
        ));
        at = l.end;
    }
    out.push_str(&esc(&citation[at..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(c: &str) -> Vec<String> {
        links(c).into_iter().map(|l| l.url).collect()
    }

    #[test]
    fn official_addresses() {
        assert_eq!(
            urls("15 CFR 740.22(c)(1)(ii) (interim rule)"),
            ["https://www.ecfr.gov/current/title-15/section-740.22"]
        );
        assert_eq!(
            urls("15 CFR 740.22 as amended by 87 FR 31948 (26 May 2022)"),
            [
                "https://www.ecfr.gov/current/title-15/section-740.22",
                "https://www.federalregister.gov/citation/87-FR-31948"
            ]
        );
        assert_eq!(
            urls("Reg. (EU) 2021/821 Art. 5(1)"),
            ["https://eur-lex.europa.eu/eli/reg/2021/821/oj"]
        );
        assert_eq!(
            urls("Council Reg. (EU) No 833/2014 Art. 2"),
            ["https://eur-lex.europa.eu/eli/reg/2014/833/oj"]
        );
        assert_eq!(
            urls("Commission Delegated Regulation (EU) 2018/1922, published"),
            ["https://eur-lex.europa.eu/eli/reg_del/2018/1922/oj"]
        );
        assert_eq!(
            urls("Russia (Sanctions) (EU Exit) Regulations 2019 (SI 2019/855) Part 5"),
            ["https://www.legislation.gov.uk/uksi/2019/855"]
        );
        assert_eq!(
            urls("Export Control List SOR/89-202 s. 2(a)"),
            ["https://laws-lois.justice.gc.ca/eng/regulations/SOR-89-202/"]
        );
        assert_eq!(
            urls("Export Control Regulations 2013 (FOR-2013-06-19-718) s. 7"),
            ["https://lovdata.no/forskrift/2013-06-19-718"]
        );
        assert_eq!(
            urls("Defence and Strategic Goods List 2024 (F2024L01024) Part 2"),
            ["https://www.legislation.gov.au/F2024L01024/latest"]
        );
        assert!(html("a <b>", None).contains("&lt;b&gt;"));
        assert!(html("VIM annex", Some("ch")).starts_with("<a href="));
    }
}
