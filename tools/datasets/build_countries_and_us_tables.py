#!/usr/bin/env python3
"""Build datasets/us/country_chart.csv and datasets/us/country_groups.csv.

Inputs (read only), in the folder given as the argument (the official tables, transcribed):
  country_chart.csv        15 CFR 738 Supp. 1, one row per chart row
  country_groups_full.csv  15 CFR 740 Supp. 1, one row per group-table row
  country_groups.csv       same, fewer columns (cross-check only)
  derived/*.json           parsed eCFR tables (cross-check only)
and from the repository:
  datasets/countries.csv                        our place codes, names and aliases
  datasets/wassenaar/participants.csv           for the A:1 cross-check

Run from the repository root:
    python3 tools/datasets/build_countries_and_us_tables.py SOURCES_US_DIR
    python3 tools/datasets/build_countries_and_us_tables.py SOURCES_US_DIR --check
--check builds and verifies against the committed files, writing nothing. Python 3.11,
standard library only, deterministic output.

How source rows become place codes
----------------------------------
1. Every source row name is resolved through the `name` and `aliases` of countries.csv
   (case, accents and punctuation ignored). A row name must resolve to exactly one code and
   no two rows of one table may resolve to the same code.
2. A place without a row of its own takes the row of its `parent` (countries.csv), walking up
   until a row is found:
   - HK -> China: the EAR folds Hong Kong into China (85 FR 83788, eff. 2020-12-23).
   - UA-43, UA-14, UA-09 -> Ukraine: parts of Ukraine. Supp. 1 to Part 740 fn 4 applies the
     Ukraine group designations to Crimea; 15 CFR 746.6 adds licence requirements for Crimea,
     DNR and LNR on top of the chart (chart fn 9 on the Ukraine row).
   - dependent territories -> their sovereign's row (15 CFR 738.3(b): a territory, possession
     or department takes the licensing treatment of its country; example Cayman Islands -> UK).
     The Country Group supplement has no such rule of its own; the same expansion is applied
     there by analogy (switch: INHERIT_PARENT_ROW_IN_GROUPS).
3. Liechtenstein has a chart row (footnote 5: refer to Switzerland) but no row in the Country
   Group tables of the source; it gets Switzerland's group row (GROUP_FALLBACK).

ISO codes (and our extra codes) WITHOUT a Country Chart row after these rules
--------------------------------------------------------------------------------
  AQ  Antarctica                 no sovereign, no row
  CK  Cook Islands               self-governing, recognised by the US as a state (2023); no row
  NU  Niue                       same as CK
  PS  Palestine                  no row (West Bank/Gaza not in the chart)
  US  United States              exporting state, not a chart destination
  AS GU MP PR UM VI              US territories: part of the United States under the EAR
Country Groups: every code has a row except AQ, CK, NU, PS (the groups table has a
United States row, which the US territories take).
The builder asserts these lists, so a source change that alters them is noticed.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHART_SOURCE = "15 CFR 738 Supp. 1 (eCFR 2026-07-23)"
GROUPS_SOURCE = "15 CFR 740 Supp. 1 (eCFR 2026-07-23)"

CHART_COLS = ["CB1", "CB2", "CB3", "NP1", "NP2", "NS1", "NS2", "MT1", "RS1", "RS2",
              "CC1", "CC2", "CC3", "FC1", "AT1", "AT2"]
GROUP_COLS = ["A1", "A2", "A3", "A4", "A5", "A6", "B", "D1", "D2", "D3", "D4", "D5", "E1", "E2"]

INHERIT_PARENT_ROW_IN_GROUPS = True
GROUP_FALLBACK = {"LI": "CH"}  # code without a group row -> code whose row it takes

EXPECTED_NO_CHART_ROW = {"AQ", "CK", "NU", "PS", "US", "AS", "GU", "MP", "PR", "UM", "VI"}
EXPECTED_NO_GROUP_ROW = {"AQ", "CK", "NU", "PS"}

# Rows of the chart that carry no X at all and point elsewhere in the EAR.
EMBARGO_POINTERS = {
    "Cuba": "15 CFR 746 (Cuba: 746.2)",
    "Iran": "15 CFR 746 (Iran: 746.7)",
    "Korea, North": "15 CFR 742.19, 746.4",
    "Syria": "15 CFR 746.9",
}


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", s.lower())


def fail(msg: str) -> None:
    raise SystemExit(f"ASSERTION FAILED: {msg}")


def check(cond: bool, msg: str) -> None:
    if not cond:
        fail(msg)


def read_source_csv(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [ln for ln in lines if not ln.startswith("#")]
    return list(csv.DictReader(lines))


def load_places() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    places: dict[str, dict[str, str]] = {}
    lookup: dict[str, str] = {}
    with open(ROOT / "datasets" / "countries.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            code = r["code"]
            check(code not in places, f"duplicate code {code} in countries.csv")
            places[code] = r
            for label in [r["name"], *[a for a in r["aliases"].split(";") if a]]:
                n = norm(label)
                check(lookup.get(n, code) == code,
                      f"countries.csv: '{label}' names both {lookup.get(n)} and {code}")
                lookup[n] = code
    return places, lookup


def resolve(name: str, lookup: dict[str, str], what: str) -> str:
    code = lookup.get(norm(name))
    check(code is not None, f"{what}: row name '{name}' matches no name/alias in countries.csv")
    return code  # type: ignore[return-value]


def expand(rows_by_code: dict[str, str], places: dict[str, dict[str, str]],
           inherit: bool, fallback: dict[str, str]) -> dict[str, tuple[str, str]]:
    """code -> (row name, how). how: '' for own row, else the code whose row is used."""
    out: dict[str, tuple[str, str]] = {c: (rows_by_code[c], "") for c in rows_by_code}
    for code in sorted(places):
        if code in out:
            continue
        if inherit:
            p = places[code]["parent"]
            while p and p not in rows_by_code:
                p = places[p]["parent"]
            if p:
                out[code] = (rows_by_code[p], p)
                continue
        if code in fallback and fallback[code] in rows_by_code:
            out[code] = (rows_by_code[fallback[code]], fallback[code])
    return out


def basis(code: str, via: str, places: dict[str, dict[str, str]], table: str) -> str:
    pname = places[via]["name"]
    if code == "HK":
        return f"row of {pname}: Hong Kong treated as China since 85 FR 83788"
    if code == "UA-43":
        extra = ("Ukraine designations apply to Crimea (Supp. 1 to Part 740 fn 4)"
                 if table == "groups" else "extra requirements in 15 CFR 746.6 (chart fn 9)")
        return f"row of {pname}: part of Ukraine; {extra}"
    if code in ("UA-14", "UA-09"):
        extra = "no separate row" if table == "groups" else "extra requirements in 15 CFR 746.6 (chart fn 9)"
        return f"row of {pname}: part of Ukraine; {extra}"
    if code == "LI" and table == "groups":
        return f"row of {pname}: no LI row; Country Chart fn 5 refers Liechtenstein to Switzerland"
    if table == "groups":
        return f"row of {pname}: dependent territory, parent's row by analogy to 15 CFR 738.3(b)"
    return f"row of {pname}: dependent territory takes its country's row, 15 CFR 738.3(b)"


def write_csv(path: Path, header: list[str], rows: list[list[str]], dry: bool) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    if dry:
        committed = path.read_text(encoding="utf-8") if path.exists() else ""
        if committed != buf.getvalue():
            sys.exit(f"{path.relative_to(ROOT)} differs from a rebuild of its inputs: run without --check")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sources", type=Path, help="folder of the US source tables (country_chart.csv, ...)")
    ap.add_argument("--check", action="store_true", help="verify only, write nothing")
    args = ap.parse_args()
    src = args.sources
    warnings: list[str] = []

    places, lookup = load_places()
    wa = set()
    with open(ROOT / "datasets" / "wassenaar" / "participants.csv", encoding="utf-8", newline="") as f:
        wa = {r["code"] for r in csv.DictReader(f)}
    check(len(wa) == 42, f"participants.csv has {len(wa)} rows, expected 42")

    # ---------------- Country Chart ----------------
    chart = read_source_csv(src / "country_chart.csv")
    check(len(chart) == 200, f"country_chart.csv: {len(chart)} data rows, expected 200")
    chart_by_name: dict[str, dict[str, str]] = {}
    chart_code: dict[str, str] = {}
    for r in chart:
        name = r["country"]
        check(name not in chart_by_name, f"chart: duplicate row {name}")
        chart_by_name[name] = r
        for c in CHART_COLS:
            check(r[c] in ("X", ""), f"chart: {name} {c} = {r[c]!r}")
        code = resolve(name, lookup, "chart")
        check(code not in chart_code, f"chart: rows '{chart_code.get(code)}' and '{name}' both map to {code}")
        chart_code[code] = name

    graded = {n for n, r in chart_by_name.items() if any(r[c] for c in CHART_COLS)}
    no_marks = set(chart_by_name) - graded
    check(no_marks == set(EMBARGO_POINTERS), f"chart rows without any X: {sorted(no_marks)}")
    for n in no_marks:
        check("NO MARKS" in chart_by_name[n]["notes"], f"chart: {n} has no marks but no pointer note")
    ns1_blank = {n for n in graded if not chart_by_name[n]["NS1"]}
    check(ns1_blank == {"Australia", "Canada", "United Kingdom"}, f"NS1 blank rows: {sorted(ns1_blank)}")
    ns2_blank = {n for n in graded if not chart_by_name[n]["NS2"]}
    check(len(ns2_blank) == 40, f"NS2 blank for {len(ns2_blank)} graded rows, expected 40")
    check(not any(chart_by_name[n][c] for n in graded for c in ("AT1", "AT2")), "AT column carries an X")
    check(chart_by_name["Liechtenstein"]["footnotes"] == "5", "Liechtenstein row lost footnote 5")
    if any(chart_by_name["Liechtenstein"][c] != chart_by_name["Switzerland"][c] for c in CHART_COLS):
        warnings.append("chart: Liechtenstein marks differ from Switzerland's (fn 5 refers LI to CH)")
    check(chart_by_name["Ukraine"]["footnotes"].split(";").count("9") == 1, "Ukraine row lost fn 9")

    chart_map = expand(chart_code, places, inherit=True, fallback={})
    missing = set(places) - set(chart_map)
    check(missing == EXPECTED_NO_CHART_ROW, f"codes without a chart row changed: {sorted(missing)}")
    check(set(chart_code.values()) == set(chart_by_name), "a chart row maps to no code")
    check(chart_map["HK"][0] == "China" and chart_map["UA-43"][0] == "Ukraine", "HK/Crimea mapping")

    chart_rows = []
    for code in sorted(chart_map):
        name, via = chart_map[code]
        r = chart_by_name[name]
        source = CHART_SOURCE
        if via:
            source += " | " + basis(code, via, places, "chart")
        if name in EMBARGO_POINTERS:
            source += f" | no X in any column: licensing per {EMBARGO_POINTERS[name]}"
        chart_rows.append([code, name, *[r[c] for c in CHART_COLS], r["footnotes"], source])
    ns1_blank_codes = {row[0] for row in chart_rows if not row[2 + CHART_COLS.index("NS1")]}
    check(ns1_blank_codes - {"CU", "IR", "KP", "SY"}
          == {c for c, (n, _) in chart_map.items() if n in ("Australia", "Canada", "United Kingdom")},
          "NS1 blank codes are not exactly the AU/CA/GB rows (+ their territories)")

    # ---------------- Country Groups ----------------
    groups = read_source_csv(src / "country_groups_full.csv")
    check(len(groups) == 200, f"country_groups_full.csv: {len(groups)} data rows, expected 200")
    g_by_name: dict[str, dict[str, str]] = {}
    g_code: dict[str, str] = {}
    for r in groups:
        name = r["country"]
        check(name not in g_by_name, f"groups: duplicate row {name}")
        g_by_name[name] = r
        for c in GROUP_COLS:
            check(r[c] in ("x", ""), f"groups: {name} {c} = {r[c]!r}")
        check(any(r[c] for c in GROUP_COLS), f"groups: {name} is in no group")
        code = resolve(name, lookup, "groups")
        check(code not in g_code, f"groups: rows '{g_code.get(code)}' and '{name}' both map to {code}")
        g_code[code] = name

    # cross-check the short table (same rows, subset of columns)
    short = read_source_csv(src / "country_groups.csv")
    short_by = {r["country"]: r for r in short}
    check(set(short_by) == set(g_by_name), "country_groups.csv and country_groups_full.csv rows differ")
    for n, r in short_by.items():
        for c in r:
            if c not in ("country", "notes") and r[c] != g_by_name[n][c]:
                warnings.append(f"groups: {n} {c}: short table {r[c]!r} vs full {g_by_name[n][c]!r}")

    g_map = expand(g_code, places, inherit=INHERIT_PARENT_ROW_IN_GROUPS, fallback=GROUP_FALLBACK)
    missing = set(places) - set(g_map)
    check(missing == EXPECTED_NO_GROUP_ROW, f"codes without a group row changed: {sorted(missing)}")

    group_rows = []
    member: dict[str, set[str]] = {c: set() for c in GROUP_COLS}
    for code in sorted(g_map):
        name, via = g_map[code]
        r = g_by_name[name]
        source = GROUPS_SOURCE
        if via:
            source += " | " + basis(code, via, places, "groups")
        group_rows.append([code, name, *[r[c] for c in GROUP_COLS], source])
        for c in GROUP_COLS:
            if r[c]:
                member[c].add(code)

    # known facts
    cn = {c for c in GROUP_COLS if "CN" in member[c]}
    check(cn == {"D1", "D3", "D4", "D5"}, f"China groups: {sorted(cn)}")
    check(member["E1"] == {"IR", "KP", "SY"}, f"E:1 = {sorted(member['E1'])}")
    check(member["E2"] == {"CU"}, f"E:2 = {sorted(member['E2'])}")
    d_any = set().union(*(member[d] for d in ("D1", "D2", "D3", "D4", "D5")))
    check(d_any & member["A6"] == {"IL", "TW"}, f"D ∩ A:6 = {sorted(d_any & member['A6'])}")
    check("MO" in member["D1"] and "MO" not in member["D5"], "Macau must be D:1 and not D:5")
    own_a1 = {c for c in member["A1"] if not g_map[c][1]}
    check(own_a1 == (wa - {"MT", "RU", "UA"}) | {"IS"},
          f"A:1 (own rows) != WA - MT/RU/UA + IS: {sorted(own_a1 ^ ((wa - {'MT', 'RU', 'UA'}) | {'IS'}))}")
    check(not (member["E1"] | member["E2"]) & member["B"], "an E country is in B")

    # cross-check against the parsed eCFR JSON (report, do not change)
    gj_path = src / "derived" / "country-groups-ecfr-2026-07-23.json"
    if gj_path.exists():
        gj = json.loads(gj_path.read_text(encoding="utf-8"))
        for g, names in gj["groups"].items():
            col = g.replace(":", "")
            js = {resolve(n, lookup, f"groups json {g}") for n in names}
            csv_own = {c for c, n in g_code.items() if g_by_name[n][col]}
            for c in sorted(js - csv_own):
                warnings.append(f"groups: {c} in {g} per derived JSON, not in country_groups_full.csv")
            for c in sorted(csv_own - js):
                warnings.append(f"groups: {c} in {g} per country_groups_full.csv, not in derived JSON")
            for n in sorted(n for n in names if n not in g_by_name):
                warnings.append(f"groups: derived JSON {g} spells '{n}', CSV row is "
                                f"'{g_code[resolve(n, lookup, 'json')]}'")
    else:
        warnings.append(f"groups: {gj_path} not found, JSON cross-check skipped")
    cj_path = src / "derived" / "country-chart-ecfr-2026-07-23.json"
    if cj_path.exists():
        cj = json.loads(cj_path.read_text(encoding="utf-8"))
        js_rows = dict(cj["countries"])
        for n, v in cj.get("embargoed", {}).items():
            js_rows[n] = {"marks": [], "footnotes": v.get("footnotes", [])}
        check(set(js_rows) == set(chart_by_name), "chart JSON rows differ from country_chart.csv rows")
        for n, v in js_rows.items():
            marks = {m.replace(" ", "") for m in v["marks"]}
            mine = {c for c in CHART_COLS if chart_by_name[n][c]}
            if marks != mine:
                warnings.append(f"chart: {n}: JSON marks {sorted(marks)} vs CSV {sorted(mine)}")
            fn = ";".join(str(x) for x in v["footnotes"])
            if fn != chart_by_name[n]["footnotes"]:
                warnings.append(f"chart: {n}: JSON footnotes {fn!r} vs CSV {chart_by_name[n]['footnotes']!r}")
    else:
        warnings.append(f"chart: {cj_path} not found, JSON cross-check skipped")

    write_csv(ROOT / "datasets" / "us" / "country_chart.csv",
              ["destination", "chart_row", *CHART_COLS, "footnotes", "source"], chart_rows, args.check)
    write_csv(ROOT / "datasets" / "us" / "country_groups.csv",
              ["destination", "chart_row", *GROUP_COLS, "source"], group_rows, args.check)
    for w in warnings:
        print("WARN", w, file=sys.stderr)
    print(f"country_chart.csv: {len(chart_rows)} rows from {len(chart)} chart rows; "
          f"country_groups.csv: {len(group_rows)} rows from {len(groups)} group rows"
          + (" (check only, nothing written)" if args.check else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
