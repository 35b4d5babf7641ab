//! Restricted-party screening (US Consolidated Screening List as `datasets/us/parties.csv`):
//! hits change the US determination as the list's law says; near matches are indeterminate;
//! generic words never match.

use super::{eval, expect};

fn named(item: &str, dest: &str, name: &str) -> wassenaar::engine::Rendered {
    eval(
        "US",
        &[
            ("item", item),
            ("destination", dest),
            ("end_user_name", name),
        ],
    )
}

/// 15 CFR 744.11, 744.16(b) and 88 FR 46071 (Intellexa S.A., Greece, "all items subject to the
/// EAR", presumption of denial); Intellexa is also on OFAC's SDN list (CYBER2): dealings by US
/// persons are barred (31 CFR 501.201), so the outcome is prohibited and both lists are named.
#[test]
fn intrusion_system_to_intellexa_is_barred_and_both_lists_are_named() {
    for name in [
        "Intellexa S.A.",
        "INTELLEXA SA",
        "Intellexa Anonymi Etaireia",
    ] {
        let r = named("4A005", "GR", name);
        expect(&r, "prohibited", "");
        assert!(
            r.screening
                .contains("Entity List: Intellexa S.A. (88 FR 46071)"),
            "{}",
            r.screening
        );
        assert!(
            r.screening.contains("OFAC SDN List: INTELLEXA S.A."),
            "{}",
            r.screening
        );
        assert!(
            r.citations.contains("744.16(b)") && r.citations.contains("31 CFR 501.201"),
            "{}",
            r.citations
        );
        assert!(
            !r.reasons.contains("ACE applies"),
            "ACE is barred: {}",
            r.reasons
        );
    }
    // Intellexa Limited (Ireland) shares the name under another legal form: a near match.
    let r = named("4A005", "GR", "Intellexa S.A.");
    assert!(
        r.screening
            .contains("possible Entity List: Intellexa Limited"),
        "{}",
        r.screening
    );
}

/// Names that share only generic words with listed names are not flagged.
#[test]
fn acme_security_is_not_a_hit() {
    let r = named("4A005", "GR", "Acme Security S.A.");
    expect(&r, "authorised", "ACE");
    assert_eq!(r.screening, "");
}

/// 15 CFR 744.11 and 86 FR 60760: NSO Group's entry covers all items subject to the EAR, so an
/// item on no list (EAR99) needs a licence too, with a presumption of denial.
#[test]
fn ear99_to_nso_group_needs_a_licence() {
    let r = named("EAR99", "IL", "NSO Group");
    expect(&r, "licence-required", "");
    assert_eq!(r.licence_policy, "denial");
    assert!(
        r.screening.contains("Entity List: NSO Group (86 FR 60760)"),
        "{}",
        r.screening
    );
}

/// 15 CFR 736.2(b)(4): a party under a denial order may not take part in any transaction
/// subject to the EAR.
#[test]
fn denied_person_is_prohibited() {
    let w = super::world();
    let (_, p) = w
        .parties()
        .list
        .iter()
        .find(|(_, p)| {
            p.list == "denied-persons"
                && !p.countries.is_empty()
                && w.places().code(p.countries[0]) != "US"
        })
        .expect("a denied person");
    let dest = w.places().code(p.countries[0]).to_string();
    let r = named("EAR99", &dest, &p.name);
    expect(&r, "prohibited", "");
    assert!(r.citations.contains("736.2(b)(4)"), "{}", r.citations);
}

/// The US lists bind a German exporter only where the EAR follows the item: an unlisted German
/// product to NSO Group with no US content is not listed under German law, the EAR's reach is
/// not established, and the answer says the datasets hold no German party list.
#[test]
fn german_exporter_of_an_unlisted_item_to_nso_group() {
    let r = eval(
        "DE",
        &[
            ("item", "unlisted"),
            ("destination", "IL"),
            ("end_user_name", "NSO Group"),
        ],
    );
    expect(&r, "not-listed", "");
    assert_ne!(r.ear_applies, "true");
    assert!(
        r.conditions.contains("SCREENING") && r.conditions.contains("no party list of DE"),
        "{}",
        r.conditions
    );
}

/// A name screened before its listing: Intellexa was added on 2023-07-18 (88 FR 46071), so in
/// 2023-01 the Entity List does not apply (the SDN listing of 2024 is undated in the list and
/// is therefore not established before the list's version date).
#[test]
fn listing_dates_decide_past_screening() {
    let r = super::eval_at(
        "2023-01-10",
        "US",
        &[
            ("item", "4A005"),
            ("destination", "GR"),
            ("end_user_name", "Intellexa S.A."),
        ],
    );
    assert!(
        !r.screening.contains("Entity List: Intellexa S.A."),
        "{}",
        r.screening
    );
    assert_ne!(
        r.outcome, "authorised",
        "the undated SDN listing may apply: {}",
        r.reasons
    );
}
