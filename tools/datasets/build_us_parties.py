#!/usr/bin/env python3
"""Build datasets/us/parties.csv from the US Consolidated Screening List.

Input (the argument): the Consolidated Screening List of the Departments of Commerce, State
and the Treasury, either as published (data.trade.gov "consolidated.json": an object with a
`results` list whose entries have `name`, `alt_names`, `source`, `addresses[].country`,
`license_requirement`, `license_policy`, `federal_register_notice`, `programs`) or in the
compact form with a `fieldKey` and index `tables` (short keys n, a, s, c, lr, lp, pg, fr).

Also read: datasets/us/party_notices.csv (hand-maintained, cited): the effective date of the
Federal Register notices the datasets date, so that `--as-of` knows when a party was listed.

Run from the repository root:
    python3 tools/datasets/build_us_parties.py CSL.json          # writes datasets/us/parties.csv
    python3 tools/datasets/build_us_parties.py CSL.json --check  # builds, verifies, writes nothing

Python 3.11, standard library only; the output is sorted and deterministic.
"""

import argparse
import csv
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "datasets" / "us" / "parties.csv"
NOTICES = ROOT / "datasets" / "us" / "party_notices.csv"
COUNTRIES = ROOT / "datasets" / "countries.csv"
# Codes the list writes differently from ISO 3166-1.
COUNTRY_ALIASES = {
    "UK": "GB", "TURKIYE": "TR", "PRC": "CN", "MACAU": "MO", "MAN, ISLE OF": "IM",
    "CRIMEA (OCCUPIED)": "UA-43", "REGION: CHINA": "CN", "REGION: RUSSIA": "RU", "REGION: IRAN": "IR",
    "REGION: WEST BANK": "PS", "REGION: NORTH GAZA": "PS", "REGION: NORTHERN GAZA": "PS",
}

# Source list name -> (list id used by the `[[party_list]]` rules, official citation).
LISTS = {
    "Entity List (EL) - Bureau of Industry and Security": ("entity-list", "15 CFR 744 Supp. 4 (Entity List)"),
    "Denied Persons List (DPL) - Bureau of Industry and Security": ("denied-persons", "15 CFR 764 Supp. 2; denial orders under 15 CFR 766"),
    "Unverified List (UVL) - Bureau of Industry and Security": ("unverified", "15 CFR 744 Supp. 6 (Unverified List)"),
    "Military End User (MEU) List - Bureau of Industry and Security": ("military-end-user", "15 CFR 744 Supp. 7 (Military End-User List)"),
    "Specially Designated Nationals (SDN) - Treasury Department": ("ofac-sdn", "31 CFR Chapter V (OFAC SDN List)"),
    "Sectoral Sanctions Identifications List (SSI) - Treasury Department": ("ofac-ssi", "31 CFR Part 589 directives (OFAC SSI List)"),
    "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department": ("ofac-cmic", "Executive Order 13959 as amended (OFAC NS-CMIC List)"),
    "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department": ("ofac-ns-mbs", "OFAC Non-SDN Menu-Based Sanctions List"),
    "Palestinian Legislative Council List (PLC) - Treasury Department": ("ofac-plc", "OFAC Non-SDN Palestinian Legislative Council List"),
    "Capta List (CAP) - Treasury Department": ("ofac-capta", "31 CFR Part 561 (OFAC CAPTA List)"),
    "ITAR Debarred (DTC) - State Department": ("state-itar-debarred", "22 CFR 127.7 (ITAR statutory debarment)"),
    "Nonproliferation Sanctions (ISN) - State Department": ("state-nonproliferation", "State Department nonproliferation sanctions (Federal Register determinations)"),
}

COLUMNS = ["list", "name", "aliases", "countries", "requirement", "scope", "licence_policy", "notice", "listed_on", "source"]

# Facts the output must show (a wrong parse fails the build).
KNOWN = [
    ("entity-list", "NSO Group", "IL", "all", "denial", "86 FR 60760"),
    ("entity-list", "Intellexa S.A.", "GR", "all", "denial", "88 FR 46071"),
    ("entity-list", "Cytrox AD", "MK", "all", "denial", "88 FR 46071"),
    ("entity-list", "Computer Security Initiative Consultancy PTE. LTD.", "SG", "all", "denial", "86 FR 60760"),
    ("ofac-sdn", "INTELLEXA S.A.", "GR", "", "", None),
]


def clean(text):
    """One line, no separators the CSV cells use for lists."""
    return " ".join(str(text or "").replace(";", ",").split())


def scope_of(requirement):
    r = requirement.lower()
    if r.startswith("for all items subject to the ear") or r.startswith("all items subject to the ear"):
        return "all"
    if not r:
        return ""
    return "unknown"


POLICY_WORDS = (("denial", "denial"), ("case-by-case", "case-by-case"), ("case by case", "case-by-case"), ("approval", "approval"))


def policy_of(policy):
    """The first policy the entry names (mixed entries name their main policy first)."""
    p = policy.lower()
    found = [(p.find(w), v) for w, v in POLICY_WORDS if w in p]
    return min(found)[1] if found else ""


def entries(data):
    """Yields (source list name, name, aliases, countries, requirement, policy, notice, programmes)."""
    if "fieldKey" in data:
        t = data["tables"]
        for e in data["entries"]:
            yield (
                t["sources"][e["s"]],
                e.get("n", ""),
                e.get("a") or [],
                e.get("c") or [],
                t["licenceRequirements"][e["lr"]] if "lr" in e else "",
                t["licencePolicies"][e["lp"]] if "lp" in e else "",
                e.get("fr", ""),
                t["programmes"][e["pg"]] if "pg" in e else "",
            )
    else:
        for e in data.get("results", []):
            yield (
                e.get("source", ""),
                e.get("name", ""),
                e.get("alt_names") or [],
                sorted({a.get("country") for a in e.get("addresses") or [] if a.get("country")}),
                e.get("license_requirement") or "",
                e.get("license_policy") or "",
                e.get("federal_register_notice") or "",
                "; ".join(e.get("programs") or []),
            )


def country_codes(countries, known, dropped):
    out = set()
    for c in countries:
        c = COUNTRY_ALIASES.get(c, c)
        if c in known:
            out.add(c)
        elif c:
            dropped[c] = dropped.get(c, 0) + 1
    return out


def notices():
    out = {}
    if NOTICES.exists():
        with NOTICES.open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                out[row["notice"].strip()] = row["effective"].strip()
    return out


def places():
    with COUNTRIES.open(newline="", encoding="utf-8") as f:
        return {row["code"] for row in csv.DictReader(f)}


def build(path):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    dates = notices()
    known = places()
    dropped = {}
    rows = []
    unknown = set()
    for source, name, aliases, countries, req, pol, fr, programmes in entries(data):
        if source not in LISTS:
            unknown.add(source)
            continue
        list_id, citation = LISTS[source]
        name = clean(name)
        if not name:
            continue
        notice = clean(fr)
        if list_id.startswith("ofac") and programmes:
            notice = clean("OFAC programme " + programmes) if not notice else notice
        rows.append({
            "list": list_id,
            "name": name,
            "aliases": ";".join(sorted({clean(a) for a in aliases if clean(a)} - {name})),
            "countries": ";".join(sorted(country_codes(countries, known, dropped))),
            "requirement": clean(req)[:300],
            "scope": scope_of(clean(req)),
            "licence_policy": policy_of(clean(pol)),
            "notice": notice,
            "listed_on": dates.get(clean(fr), ""),
            "source": citation,
        })
    if unknown:
        sys.exit(f"unknown source lists (add them to LISTS): {sorted(unknown)}")
    if dropped:
        print("address country codes not in countries.csv (left out): " + ", ".join(f"{c} ({n})" for c, n in sorted(dropped.items())), file=sys.stderr)
    rows.sort(key=lambda r: (r["list"], r["name"].lower(), r["countries"], r["notice"], r["aliases"]))
    for list_id, name, country, scope, policy, notice in KNOWN:
        hit = [r for r in rows if r["list"] == list_id and r["name"] == name and country in r["countries"].split(";")]
        if not hit:
            sys.exit(f"known fact missing: {list_id} {name} ({country})")
        r = hit[0]
        if scope and r["scope"] != scope or policy and r["licence_policy"] != policy or notice and r["notice"] != notice:
            sys.exit(f"known fact wrong: {list_id} {name}: {r}")
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue(), rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csl", help="the Consolidated Screening List JSON (published or compact layout)")
    ap.add_argument("--check", action="store_true", help="build and verify; compare with the committed file; write nothing")
    a = ap.parse_args()
    text, rows = build(a.csl)
    if a.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            sys.exit(f"{OUT.relative_to(ROOT)} differs from a fresh build of {a.csl}")
        print(f"ok: {len(rows)} parties, {OUT.relative_to(ROOT)} is up to date")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} parties")


if __name__ == "__main__":
    main()
