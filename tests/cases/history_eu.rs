//! The European Union and Germany over time (`--as-of`), and the US Syria change of 2025: each
//! test names the instrument that changed the outcome.

use super::{eval_at, expect};

fn at(day: &str, exporter: &str, pairs: &[(&str, &str)]) -> wassenaar::engine::Rendered {
    eval_at(day, exporter, pairs)
}

/// Commission Delegated Regulation (EU) No 1382/2014 (in force 31 Dec 2014) added 4A005 to
/// Annex I of Reg. (EC) No 428/2009: DE->CN 4A005 for a commercial end user is not listed on
/// 2014-06-01 and needs an individual authorisation (Art. 3(1)) on 2016-06-01.
#[test]
fn de_to_cn_4a005_listed_by_delegated_regulation_1382_2014() {
    let pairs = [
        ("item", "4A005"),
        ("destination", "CN"),
        ("end_user", "commercial"),
    ];
    let before = at("2014-06-01", "DE", &pairs);
    expect(&before, "not-listed", "");
    assert!(
        before.citations.contains("1382/2014"),
        "{}",
        before.citations
    );
    let after = at("2016-06-01", "DE", &pairs);
    expect(&after, "licence-required", "");
    assert!(
        after.citations.contains("428/2009 Art. 3(1)"),
        "{}",
        after.citations
    );
    // The related software, technology and IP-surveillance rows share the date.
    for item in [
        "4D004",
        "4E001.c",
        "5A001.j",
        "5E001.a(5A001.j)",
        "4E001.a(4A005)",
    ] {
        let p = [("item", item), ("destination", "CN")];
        expect(&at("2014-06-01", "DE", &p), "not-listed", "");
        expect(&at("2016-06-01", "DE", &p), "licence-required", "");
    }
}

/// Reg. (EU) 2021/821 Art. 5(1), new from 9 Sep 2021: an unlisted cyber-surveillance item for
/// internal repression needs authorisation. Before, Reg. (EC) No 428/2009 Art. 4 did not reach
/// it and only member-state measures under its Art. 8(1) could, so the outcome is open.
#[test]
fn article_5_catch_all_starts_with_regulation_2021_821() {
    let pairs = [
        ("item", "unlisted-cyber-surveillance"),
        ("destination", "EG"),
        ("end_use", "internal-repression"),
    ];
    let after = at("2021-09-09", "FR", &pairs);
    expect(&after, "licence-required", "");
    assert!(
        after.citations.contains("2021/821 Art. 5(1)"),
        "{}",
        after.citations
    );
    let before = at("2021-09-08", "FR", &pairs);
    expect(&before, "indeterminate", "");
    assert!(
        before.citations.contains("428/2009 Art. 8(1)"),
        "{}",
        before.citations
    );
    assert!(
        !before.citations.contains("Art. 5(1)"),
        "{}",
        before.citations
    );
    // Germany, under the same Union law.
    expect(&at("2021-09-09", "DE", &pairs), "licence-required", "");
    expect(&at("2021-09-08", "DE", &pairs), "indeterminate", "");
    // Without the end use no catch-all applies, before or after.
    let plain = [
        ("item", "unlisted-cyber-surveillance"),
        ("destination", "EG"),
    ];
    expect(&at("2020-06-01", "FR", &plain), "not-listed", "");
    expect(&at("2022-06-01", "FR", &plain), "not-listed", "");
}

/// Before the earliest modelled day (EU: Croatia's accession on 1 Jul 2013; Germany: the AWV
/// of 2 Aug 2013, in force 1 Sep 2013) the answer is indeterminate, naming the day.
#[test]
fn before_modelled_from_is_indeterminate() {
    let pairs = [("item", "4A005"), ("destination", "CN")];
    let fr = at("2013-06-30", "FR", &pairs);
    expect(&fr, "indeterminate", "");
    assert!(fr.reasons.contains("2013-07-01"), "{}", fr.reasons);
    let de = at("2013-08-31", "DE", &pairs);
    expect(&de, "indeterminate", "");
    assert!(de.reasons.contains("2013-09-01"), "{}", de.reasons);
}

/// Note 1 to 4E001 (vulnerability disclosure, incident response), in Annex I from Commission
/// Delegated Regulation (EU) 2018/1922 (in force 15 Dec 2018).
#[test]
fn note_1_to_4e001_from_delegated_regulation_2018_1922() {
    let pairs = [
        ("item", "4E001.c"),
        ("destination", "CN"),
        ("end_use", "incident-response"),
    ];
    expect(&at("2017-06-01", "DE", &pairs), "licence-required", "");
    expect(&at("2019-06-01", "DE", &pairs), "not-listed", "");
}

/// Council Reg. (EU) No 267/2012 Art. 2 banned Annex I goods to Iran until JCPOA Implementation
/// Day (Reg. (EU) 2015/1861); Council Reg. (EU) 2025/1975 re-imposed the ban from 30 Sep 2025.
#[test]
fn iran_dual_use_ban_and_its_2025_snapback() {
    let pairs = [("item", "4A005"), ("destination", "IR")];
    expect(&at("2015-06-01", "FR", &pairs), "prohibited", "");
    expect(&at("2020-06-01", "FR", &pairs), "licence-required", "");
    expect(&at("2025-09-29", "FR", &pairs), "licence-required", "");
    let r = at("2025-09-30", "FR", &pairs);
    expect(&r, "prohibited", "");
    assert!(r.citations.contains("2025/1975"), "{}", r.citations);
}

/// Commission Delegated Regulation (EU) 2022/699 (in force 5 May 2022) removed Russia from
/// EU003-EU005; the EU003 versions before and after differ only in that destination.
#[test]
fn eu003_versions_follow_delegated_regulation_2022_699() {
    let w = super::world_at("2022-05-04");
    let before = &w.regimes[w.jurisdictions[w.jurisdiction("DE").unwrap()].regime];
    let ru = w
        .places()
        .ids()
        .find(|&p| w.places().code(p) == "RU")
        .unwrap();
    let eu003 = |r: &wassenaar::engine::Regime| {
        r.authorisations
            .iter()
            .find(|a| a.id == "EU003")
            .map(|a| a.destinations.sure.contains(ru))
    };
    assert_eq!(eu003(before), Some(true));
    let w = super::world_at("2022-05-05");
    let after = &w.regimes[w.jurisdictions[w.jurisdiction("DE").unwrap()].regime];
    assert_eq!(eu003(after), Some(false));
}

/// German national entry 5A902 (Ausfuhrliste Teil I Abschnitt B), added by the 4th AWV
/// amendment in force 18 Jul 2015: not a listed item before.
#[test]
fn german_5a902_dated_by_the_fourth_awv_amendment() {
    let pairs = [("item", "5A902"), ("destination", "CN")];
    expect(&at("2015-06-01", "DE", &pairs), "not-listed", "");
    assert_ne!(at("2016-06-01", "DE", &pairs).outcome, "not-listed");
}

/// US: "Relaxing Export Controls for Syria", 90 FR 42315 (effective 2 Sep 2025, implementing
/// E.O. 14312): CCL items still need a licence to Syria but are reviewed case by case, and
/// EAR99 items no longer need one (License Exception SPP, 15 CFR 740.5).
#[test]
fn us_syria_relaxed_by_90_fr_42315() {
    let cyber = [("item", "4A005"), ("destination", "SY")];
    let before = at("2025-09-01", "US", &cyber);
    expect(&before, "licence-required", "");
    assert_eq!(before.licence_policy, "denial");
    let after = at("2025-09-02", "US", &cyber);
    expect(&after, "licence-required", "");
    assert_eq!(after.licence_policy, "case-by-case");
    assert!(
        after.citations.contains("90 FR 42315"),
        "{}",
        after.citations
    );
    let ear99 = [("item", "unlisted"), ("destination", "SY")];
    expect(&at("2025-09-01", "US", &ear99), "licence-required", "");
    expect(&at("2025-09-02", "US", &ear99), "not-listed", "");
}

/// Council Reg. (EU) No 833/2014 Art. 2 (from 1 Aug 2014) banned dual-use exports to Russia for
/// military end users; Council Reg. (EU) 2022/328 (25 Feb 2022) made the ban general.
#[test]
fn russia_dual_use_ban_from_military_end_users_to_all_reg_2022_328() {
    let mil = [
        ("item", "4A005"),
        ("destination", "RU"),
        ("end_user", "military"),
    ];
    let civ = [("item", "4A005"), ("destination", "RU")];
    expect(&at("2016-06-01", "DE", &mil), "prohibited", "");
    expect(&at("2016-06-01", "DE", &civ), "licence-required", "");
    expect(&at("2021-06-01", "DE", &civ), "licence-required", "");
    let r = at("2022-06-01", "DE", &civ);
    expect(&r, "prohibited", "");
    assert!(r.citations.contains("2022/328"), "{}", r.citations);
}

/// Council Reg. (EU) 2018/647 (OJ L 108, 27.4.2018) added to Reg. (EU) No 401/2013 a ban on
/// dual-use exports to Myanmar for military end users.
#[test]
fn myanmar_military_end_user_ban_reg_2018_647() {
    let pairs = [
        ("item", "4A005"),
        ("destination", "MM"),
        ("end_user", "military"),
    ];
    expect(&at("2017-06-01", "DE", &pairs), "licence-required", "");
    expect(&at("2019-06-01", "DE", &pairs), "prohibited", "");
}

/// The United Kingdom was inside the Union until the end of the transition period (Withdrawal
/// Agreement Arts 126-127): a transfer there was intra-Union (Reg. (EC) No 428/2009 Art. 22);
/// from 1 Jan 2021 Reg. (EU) 2019/496 made it an EU001 destination.
#[test]
fn united_kingdom_intra_union_until_2020_then_eu001_reg_2019_496() {
    let pairs = [("item", "4A005"), ("destination", "GB")];
    expect(&at("2019-06-01", "DE", &pairs), "no-licence-required", "");
    let r = at("2021-03-01", "DE", &pairs);
    expect(&r, "authorised", "EU001");
    assert!(r.citations.contains("2019/496"), "{}", r.citations);
}

/// Reg. (EU) 2021/821 Annex II Section A Part 3 with Art. 4(1)(b): a military end use bars EU001
/// only in an arms-embargoed destination; the arms-embargo table is known from 9 Sep 2021, so
/// before that the outcome stays open.
#[test]
fn eu001_military_bar_follows_the_arms_embargo_table_over_time() {
    let pairs = [
        ("item", "4A005"),
        ("destination", "US"),
        ("end_use", "military"),
    ];
    expect(&at("2023-01-01", "DE", &pairs), "authorised", "EU001");
    expect(&at("2020-06-01", "DE", &pairs), "indeterminate", "EU001");
}
