#!/usr/bin/env python3
"""Build datasets/us/entries.csv and datasets/us/rules.ccl.toml: the whole Commerce Control List.

Run from the repository root:

    python3 tools/datasets/build_us_entries.py CCL.json [--check]

Input: the CCL (15 CFR 774 Supp. 1) of the eCFR issue of 2026-07-23 as parsed JSON (633 ECCNs
with their License Requirements lines, License Exceptions paragraphs and, for Categories 1, 3,
4 and 5, the paragraph text), given as the argument. Python 3.11, standard library only,
deterministic output. `--check` builds and fails when a committed file differs.

Categories 4 and 5 (the cyber and encryption entries) are hand-modelled in the ROWS table:
- every License Requirements line of an entry is turned into one reason token (TOKEN_RULES);
- an entry whose lines all apply to the entire entry may take its reasons automatically
  (`reasons=None` in ROWS);
- where lines give different reasons to different paragraphs, ROWS splits the entry and names
  the tokens of each row; the builder checks that every token a row names comes from the entry,
  that the rows of an entry together use every token of the entry, and that every
  entire-entry token is on every row.
Every other entry is read mechanically (generic_rows): lines for the entire entry go on the
entry's row, lines for named paragraphs on paragraph rows, lines "for the entire entry except"
named paragraphs on every row but those, and lines whose scope turns on criteria in their text
become `-PART` tokens (a catch-all that keeps the outcome open where the column has an X).
Paragraphs the CCL names without a line of their own get `name-only` rows so that they can be
typed; the entry's rows decide them. The ten ACE cyber rows and other known facts are asserted
before anything is written.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

OUT = Path("datasets/us/entries.csv")
ISSUE = "2026-07-23"
HEADER = ["local_code", "item", "label", "reasons", "tags", "special",
          "excluded_end_uses", "source", "confidence"]
TAG_ORDER = ["cyber", "ace", "gbs", "enc", "sl", "ei", "no-exceptions"]
CYBER_EXCLUDED = "vulnerability-disclosure;incident-response"

# Entries of Categories 4/5 that carry no EAR licence requirement in the CCL: they point to the
# ITAR (4A102) or to ECCN 3A611 (4A611, 5A611). They are left out of entries.csv.
EXCLUDED = {
    "4A102": "subject to the ITAR; no EAR reasons",
    "4A611": "pointer to 3A611; no reasons of its own",
    "5A611": "pointer to 3A611; no reasons of its own",
}

# Non-column reason tokens used by this file (besides the Country Chart columns).
SPECIAL_TOKENS = {
    "RS-Z1": "RS to every destination, 15 CFR 742.6(a)(6)(iii)(A)",
    "RS-Z2": "RS to UAE and D:1/D:4/D:5 except A:5/A:6, 15 CFR 742.6(a)(6)(iii)(B)",
    "RS-WW": "RS worldwide outside the chart, 15 CFR 742.6(a)(10) or (a)(13)",
    "NS-WW": "NS worldwide outside the chart, 15 CFR 742.4(a)(5)",
    "SL": "surreptitious listening, all destinations, 15 CFR 742.13",
    "EI": "encryption items, all destinations but Canada, 15 CFR 742.15",
    "NP": "NP line without a Country Chart column (N/A), see 15 CFR 742.3(b)",
}
CHART_COLUMNS = {f"{c}{n}" for c, ns in
                 {"CB": "123", "NP": "12", "NS": "12", "MT": "1", "RS": "12", "CC": "123",
                  "FC": "1", "AT": "12"}.items() for n in ns}


def token_for(control: str, chart: str) -> str:
    """One License Requirements line -> one reason token."""
    m = re.match(r"^([A-Z]{2}) applies", control)
    if not m:
        raise AssertionError(f"unparsed control line: {control!r}")
    reason = m.group(1)
    chart = chart.strip()
    col = re.match(r"^([A-Z]{2}) Column (\d)\.?$", chart)
    if col:
        if col.group(1) != reason:
            raise AssertionError(f"column {chart!r} does not match {control!r}")
        tok = f"{col.group(1)}{col.group(2)}"
        assert tok in CHART_COLUMNS, tok
        return tok
    if reason == "RS" and "§ 742.6(a)(6)(iii)(A)" in chart and chart.startswith(
            "To or within any destination worldwide"):
        return "RS-Z1"
    if reason == "RS" and "§ 742.6(a)(6)(iii)(B)" in chart and "United Arab Emirates" in chart \
            and "D:1, D:4, and D:5" in chart and "A:5 or A:6" in chart:
        return "RS-Z2"
    if reason == "RS" and re.match(r"^Worldwide control\. See § 742\.6\(a\)\(10\)", chart):
        return "RS-WW"
    if reason == "RS" and re.match(
            r"^To or within any destination worldwide\. See § 742\.6\(a\)\(13\)", chart):
        return "RS-WW"
    if reason == "NS" and re.match(r"^Worldwide control\. See § 742\.4\(a\)\(5\)", chart):
        return "NS-WW"
    if reason == "SL" and "all destinations" in chart and "§ 742.13" in chart:
        return "SL"
    if reason == "EI" and "§ 742.15" in chart:
        return "EI"
    if reason == "NP" and chart.rstrip(".") == "N/A" and "§ 742.3(b)" in control:
        return "NP"
    raise AssertionError(f"unparsed country-chart cell: {control!r} -> {chart!r}")


WHOLE_RE = re.compile(
    r"^[A-Z]{2} applies (to )?(the )?entire entry(\s*\(refer to [^)]*\))?\.?$")


def is_whole(control: str) -> bool:
    if WHOLE_RE.match(control.strip()):
        return True
    # 4A001: the NP line carries no paragraph scope at all.
    return control.startswith("NP applies, unless a License Exception is available")


# Reasons of the three SL entries whose License Requirements rows the parser did not capture
# (only reasonForControl "SL, AT" survives). AT is taken as Column 1: assumed, see confidence.
NO_CHART_TOKENS = {"SL": "SL", "AT": "AT1"}


def R(code, item, label, reasons=None, tags=(), special=False, excl="", conf="primary",
      note=""):
    return dict(code=code, item=item, label=label, reasons=reasons, tags=list(tags),
                special=special, excl=excl, conf=conf, note=note)


Z1 = "RS-Z1"
Z2 = "RS-Z2"
SEC_5E002 = ("secondary: parser left the 5E002 reason line blank; reasons taken from its "
             "License Requirements rows")
SEC_SL = ("secondary: parser captured no License Requirements rows; SL and AT from the reason "
          "line, AT column assumed Column 1")
SEC_NP = "secondary: NP line names no Country Chart column (N/A); kept as token NP"
NO_EXC_GOV = "15 CFR 740.2(a)(3): no licence exception except GOV for US Government use"
NO_EXC_ALL = "15 CFR 740.2(a)(3): no licence exception at all"
ZNOTE = "licence exceptions for .z limited by 15 CFR 740.2(a)(9)(ii) (text not in sources)"


def z_rows(eccn, parts, base_reasons, ei_for=None, conf_for=None):
    """.z sub-paragraph rows: parts = [(zcode, label, rs_token, has_ei)]."""
    rows = []
    for zcode, label, rs, has_ei in parts:
        reasons = list(base_reasons) + [rs] + (["EI"] if has_ei else [])
        conf = "primary"
        note = f"LR: RS line for .{zcode}; other lines entire entry; {ZNOTE}"
        if conf_for and zcode in conf_for:
            conf = "secondary"
            note = conf_for[zcode] + "; " + note
        rows.append(R(f"{eccn}.{zcode}", "", label, reasons, special=True, conf=conf,
                      note=note))
    return rows


A090 = "3A090.a/4A090.a"
B090 = "3A090.b/4A090.b"

# ---------------------------------------------------------------------------------------------
# The hand-written table: one list of rows per ECCN, in CCL order. reasons=None: take every
# (entire-entry) line of the entry. Tags cyber/ace/gbs/enc/no-exceptions are given here; sl and
# ei follow from the reasons.
# ---------------------------------------------------------------------------------------------
ROWS: dict[str, list[dict]] = {
    # ---------------- Category 4 ----------------
    "4A001": [
        R("4A001", "4A001", "Radiation-hardened computers and related assemblies",
          ["NS2", "AT1", "NP"], conf="secondary",
          note="LR: NS line (entire entry, Col 2), AT line, NP line (no column); " + SEC_NP),
        R("4A001.a (meeting or exceeding 4A101 parameters)", "",
          "Hardened computers also meeting missile-computer parameters",
          ["NS2", "MT1", "AT1", "NP"], conf="secondary",
          note="LR: MT line (4A001.a meeting 4A101 parameters, Col 1) plus entire-entry lines; "
               + SEC_NP),
    ],
    "4A003": [
        R("4A003.b", "4A003.b", "Digital computers above the APP threshold", ["NS1", "AT1"],
          note="LR: NS line for .b/.c/.z.1 (Col 1); AT line"),
        R("4A003.c", "4A003.c", "Assemblies aggregating processors beyond the APP limit",
          ["NS1", "AT1"], note="LR: NS line for .b/.c/.z.1 (Col 1); AT line"),
        R("4A003.g", "4A003.g", "External interconnect equipment for aggregating computers",
          ["NS2", "AT1"], tags=["gbs"],
          note="LR: NS line for .g/.z.2 (Col 2); AT line; GBS line names 4A003.g"),
        R("4A003.z.1.a", "", "High-end computers also meeting 4A090.a parameters",
          ["NS1", Z1, "AT1"], special=True,
          note=f"LR: NS line (.z.1, Col 1); RS line for z.1.a/z.2.a; AT line; {ZNOTE}"),
        R("4A003.z.1.b", "", "High-end computers also meeting 4A090.b parameters",
          ["NS1", Z2, "AT1"], special=True,
          note=f"LR: NS line (.z.1, Col 1); RS line for z.1.b/z.2.b; AT line; {ZNOTE}"),
        R("4A003.z.2.a", "", "Interconnect equipment also meeting 4A090.a parameters",
          ["NS2", Z1, "AT1"], special=True,
          note=f"LR: NS line (.z.2, Col 2); RS line for z.1.a/z.2.a; AT line; {ZNOTE}"),
        R("4A003.z.2.b", "", "Interconnect equipment also meeting 4A090.b parameters",
          ["NS2", Z2, "AT1"], special=True,
          note=f"LR: NS line (.z.2, Col 2); RS line for z.1.b/z.2.b; AT line; {ZNOTE}"),
        R("4A003.b (for computerized fingerprint equipment)", "",
          "Digital computers serving fingerprint identification equipment",
          ["NS1", "CC1", "AT1"],
          note="LR: CC line (digital computers for fingerprint equipment, Col 1); NS line for .b; "
               "AT line"),
    ],
    "4A004": [
        R("4A004", "4A004", "Systolic-array, neural and optical computers", ["NS2", "AT1"],
          note="LR: NS line (entire entry, Col 2); AT line"),
        *z_rows("4A004", [
            ("z.1", "Non-conventional computers meeting 4A090.a parameters", Z1, False),
            ("z.2", "Non-conventional computers meeting 4A090.b parameters", Z2, False),
        ], ["NS2", "AT1"]),
    ],
    "4A005": [
        R("4A005", "4A005", "Systems for generating or delivering intrusion software",
          ["NS1", "AT1"], tags=["cyber", "ace"],
          note="LR: NS line (entire entry, Col 1); AT line; ACE line"),
        *z_rows("4A005", [
            ("z.1", "Intrusion-software systems meeting 4A090.a parameters", Z1, False),
            ("z.2", "Intrusion-software systems meeting 4A090.b parameters", Z2, False),
        ], ["NS1", "AT1"]),
    ],
    "4A090": [
        R("4A090.a", "", "Computers containing 3A090.a-level integrated circuits", [Z1, "AT1"],
          note="LR: RS line for 4A090.a; AT line"),
        R("4A090.b", "", "Computers containing 3A090.b-level integrated circuits", [Z2, "AT1"],
          note="LR: RS line for 4A090.b; AT line"),
    ],
    "4A101": [R("4A101", "", "Ruggedized or hardened computers designed for missiles")],
    "4A906": [R("4A906", "", "Quantum computers, qubit devices and control components",
                note="NS and RS lines are worldwide controls outside the chart")],
    "4A980": [R("4A980", "", "Computers for fingerprint equipment, not elsewhere specified")],
    "4A994": [R("4A994", "", "Lower-performance computers and assemblies outside 4A001/4A003")],
    "4D001": [
        R("4D001", "4D001", "Software for developing or producing controlled computers",
          ["NS1", "AT1"], note="LR: NS line (entire entry, Col 1); AT line"),
        R("4D001.a (for 4A005 or 4D004)", "4D001.a(4A005)",
          "Software for developing, producing or using intrusion tools", ["NS1", "AT1"],
          tags=["cyber", "ace"], note="LR: NS line (entire entry, Col 1); AT line; ACE line"),
        R("4D001 (for 4A003.z.1.a, z.2.a, 4A004.z.1, or 4A005.z.1)", "",
          "Software for computers meeting 4A090.a parameters", ["NS1", Z1, "AT1"],
          special=True, note=f"LR: RS line for software for the .a/.z.1 set; NS line; AT line; "
                             f"{ZNOTE}"),
        R("4D001 (for 4A003.z.1.b, z.2.b, 4A004.z.2, or 4A005.z.2)", "",
          "Software for computers meeting 4A090.b parameters", ["NS1", Z2, "AT1"],
          special=True, note=f"LR: RS line for software for the .b/.z.2 set; NS line; AT line; "
                             f"{ZNOTE}"),
        R("4D001 (for computerized fingerprint equipment)", "",
          "Software for fingerprint-equipment computers under 4A003", ["NS1", "CC1", "AT1"],
          note="LR: CC line (software for fingerprint equipment, Col 1); NS line; AT line"),
    ],
    "4D004": [R("4D004", "4D004", "Software for generating or delivering intrusion software",
                tags=["cyber", "ace"], note="LR: NS line (entire entry, Col 1); AT line; ACE line")],
    "4D090": [
        R("4D090 (for 4A090.a)", "", "Software to develop or produce 4A090.a computers",
          [Z1, "AT1"], note="LR: RS line for software for 4A090.a; AT line"),
        R("4D090 (for 4A090.b)", "", "Software to develop or produce 4A090.b computers",
          [Z2, "AT1"], note="LR: RS line for software for 4A090.b; AT line"),
    ],
    "4D906": [R("4D906", "", "Software to develop or produce quantum devices",
                note="NS and RS lines are worldwide controls outside the chart")],
    "4D980": [R("4D980", "", "Software for fingerprint-equipment computers under 4A980")],
    "4D993": [R("4D993", "", "Real-time, code-generation and proof-validation software")],
    "4D994": [R("4D994", "", "Software for 4A101 or 4A994 computers")],
    "4E001": [
        R("4E001", "4E001", "Technology for controlled computers and their software",
          ["NS1", "AT1"], note="LR: NS line (entire entry except 4A090/4D090, Col 1); AT line"),
        R("4E001.a (for 4A005, 4D001.a (for 4A005 or 4D004), or 4D004)", "4E001.a(4A005)",
          "Technology for intrusion-software systems and software", ["NS1", "AT1"],
          tags=["cyber", "ace"], excl=CYBER_EXCLUDED,
          note="LR: NS line (Col 1); AT line; ACE line; Note 1 to 4E001"),
        R("4E001.c", "4E001.c", "Technology for developing intrusion software", ["NS1", "AT1"],
          tags=["cyber", "ace"], excl=CYBER_EXCLUDED,
          note="LR: NS line (Col 1); AT line; ACE line; Note 1 to 4E001"),
        R("4E001.a (for 4A001.a or 4A101 controlled for MT)", "",
          "Technology for missile-grade computers", ["NS1", "MT1", "AT1"],
          note="LR: MT line (technology for 4A001.a and 4A101 for MT reasons, Col 1); NS line; "
               "AT line"),
        R("4E001 (for 4A003.z.1.a, z.2.a, 4A004.z.1, 4A005.z.1, or 4D001 (for these))", "",
          "Technology for .z computers at 4A090.a level", ["NS1", Z1, "AT1"], special=True,
          note=f"LR: RS line for the .a/.z.1 set; NS line; AT line; {ZNOTE}"),
        R("4E001 (for 4A003.z.1.b, z.2.b, 4A004.z.2, 4A005.z.2, or 4D001 (for these))", "",
          "Technology for .z computers at 4A090.b level", ["NS1", Z2, "AT1"], special=True,
          note=f"LR: RS line for the .b/.z.2 set; NS line; AT line; {ZNOTE}"),
        R("4E001 (for 4A090.a or 4D090.a)", "",
          "Technology for 4A090.a computers and their software", [Z1, "AT1"], special=True,
          note="LR: RS line (4A090.a/4D090.a); NS line excludes 4A090/4D090; AT line"),
        R("4E001 (for 4A090.b or 4D090.b)", "",
          "Technology for 4A090.b computers and their software", [Z2, "AT1"], special=True,
          note="LR: RS line (4A090.b/4D090.b); NS line excludes 4A090/4D090; AT line"),
        R("4E001 (for computerized fingerprint equipment)", "",
          "Technology for fingerprint-equipment computers under 4A003", ["NS1", "CC1", "AT1"],
          note="LR: CC line (technology for fingerprint equipment, Col 1); NS line; AT line"),
    ],
    "4E091": [R("4E091", "", "Parameters of very large trained AI models",
                note="RS line is a worldwide control, 15 CFR 742.6(a)(13)")],
    "4E906": [R("4E906", "", "Technology for quantum devices and their software",
                note="NS and RS lines are worldwide controls outside the chart")],
    "4E980": [R("4E980", "", "Technology for fingerprint-equipment computers under 4A980")],
    "4E992": [R("4E992", "", "Technology for 4A994 computers and related software")],
    "4E993": [R("4E993", "", "Technology for multi-data-stream processing equipment")],
    # ---------------- Category 5 Part 1 ----------------
    "5A001": [
        R("5A001.a", "5A001.a", "Telecom gear hardened against nuclear effects or temperature",
          ["NS1", "AT1"], note="LR: NS line for .a/.b.5/.e/.f.3/.h (Col 1); AT line; "
                               "GBS line excludes .a"),
        R("5A001.b", "5A001.b", "Specialised radio, underwater and vocoder telecom systems",
          ["NS2", "AT1"], tags=["gbs"],
          note="LR: NS line for .b except .b.5 (Col 2); AT line; GBS line"),
        R("5A001.b.5", "5A001.b.5", "Digitally controlled scanning and identifying radio receivers",
          ["NS1", "AT1"], note="LR: NS line for .a/.b.5/.e/.f.3/.h (Col 1); AT line; "
                               "GBS line excludes .b.5"),
        R("5A001.c", "5A001.c", "High-strength long optical fibres", ["NS2", "AT1"],
          tags=["gbs"], note="LR: NS line for .c (Col 2); AT line; GBS line"),
        R("5A001.d", "5A001.d", "Electronically steerable phased-array antennas", ["NS2", "AT1"],
          tags=["gbs"], note="LR: NS line for .d (Col 2); AT line; GBS line"),
        R("5A001.e", "5A001.e", "Fast wideband radio direction-finding equipment", ["NS1", "AT1"],
          note="LR: NS line for .a/.b.5/.e/.f.3/.h (Col 1); AT line; GBS line excludes .e"),
        R("5A001.f", "5A001.f", "Mobile subscriber-identifier catchers and RF monitoring gear",
          ["NS2", "AT1"], tags=["gbs"],
          note="LR: NS line for .f except .f.3 (Col 2); AT line; GBS line; row covers .f.2 and "
               ".f.4 (.f.1 and .f.3 have own rows)"),
        R("5A001.f.1", "5A001.f.1", "Over-the-air mobile voice and data interception equipment",
          ["NS2", "SL", "AT1"], tags=["no-exceptions"], special=True,
          note="LR: SL line for .f.1; NS line for .f except .f.3 (Col 2); AT line; "
               + NO_EXC_GOV),
        R("5A001.f.3", "5A001.f.3", "Selective mobile-network jamming equipment", ["NS1", "AT1"],
          tags=["gbs"], note="LR: NS line for .a/.b.5/.e/.f.3/.h (Col 1); AT line; GBS line"),
        R("5A001.g", "5A001.g", "Passive coherent location systems", ["NS2", "AT1"],
          tags=["gbs"], note="LR: NS line for .g (Col 2); AT line; GBS line"),
        R("5A001.h", "5A001.h", "Counter-IED radio transmitting equipment", ["NS1", "AT1"],
          note="LR: NS line for .a/.b.5/.e/.f.3/.h (Col 1); AT line; GBS line excludes .h"),
        R("5A001.j", "5A001.j", "Carrier-class IP network communications surveillance systems",
          ["NS2", "AT1"], tags=["cyber", "ace", "gbs"],
          note="LR: NS line for .j (Col 2); AT line; GBS line; ACE line"),
    ],
    "5A101": [R("5A101", "", "Telemetry and telecontrol gear for drones and rockets")],
    "5A980": [R("5A980", "", "Covert communications interception devices outside 5A001.f.1",
                ["SL", "AT1"], tags=["no-exceptions"], conf="secondary",
                note=SEC_SL + "; " + NO_EXC_GOV)],
    "5A991": [R("5A991", "", "Telecom equipment not controlled by 5A001")],
    "5B001": [
        R("5B001", "5B001", "Telecom test, inspection and production equipment", ["NS2", "AT1"],
          tags=["gbs"], note="LR: NS line (entire entry, Col 2); AT line; GBS line"),
        R("5B001.a (for 5A001.j)", "5B001.a(5A001.j)",
          "Equipment for developing or producing IP surveillance systems", ["NS2", "AT1"],
          tags=["cyber", "ace"],
          note="LR: NS line (entire entry, Col 2); AT line; ACE line; GBS line excludes it"),
    ],
    "5B991": [R("5B991", "", "Telecom test equipment, not elsewhere specified")],
    "5C991": [R("5C991", "", "Glass preforms for 5A991 optical fibres")],
    "5D001": [
        R("5D001", "5D001", "Software for controlled telecom equipment", ["NS1", "AT1"],
          note="LR: NS line (entire entry, Col 1); AT line"),
        R("5D001.a (for 5A001.j)", "5D001.a(5A001.j)",
          "Software to develop, produce or use IP surveillance", ["NS1", "AT1"],
          tags=["cyber", "ace"], note="LR: NS line (entire entry, Col 1); AT line; ACE line"),
        R("5D001.c (for 5A001.j or 5B001.a (for 5A001.j))", "5D001.c(5A001.j)",
          "Software providing IP surveillance system functions", ["NS1", "AT1"],
          tags=["cyber", "ace"], note="LR: NS line (entire entry, Col 1); AT line; ACE line"),
        R("5D001.e", "5D001.e", "Law-enforcement monitoring and analysis software",
          ["NS1", "AT1"], note="LR: NS line (entire entry, Col 1); AT line; split out for "
                               "paragraph-level mapping only"),
        R("5D001 (for 5A001.f.1)", "5D001(5A001.f.1)",
          "Software for over-the-air interception equipment", ["NS1", "SL", "AT1"],
          tags=["no-exceptions"],
          note="LR: SL line (software for 5A001.f.1); NS line; AT line; " + NO_EXC_GOV),
    ],
    "5D101": [R("5D101", "", "Software for using 5A101 telemetry equipment")],
    "5D980": [R("5D980", "", "Software for covert interception devices", ["SL", "AT1"],
                tags=["no-exceptions"], conf="secondary", note=SEC_SL + "; " + NO_EXC_GOV)],
    "5D991": [R("5D991", "", "Software for 5A991 and 5B991 telecom items")],
    "5E001": [
        R("5E001", "5E001", "Technology for controlled telecom equipment and software",
          ["NS1", "AT1"], note="LR: NS line (entire entry, Col 1); AT line"),
        R("5E001.a (for 5A001.j, 5B001.a (for 5A001.j), 5D001.a (for 5A001.j), or 5D001.c "
          "(for 5A001.j or 5B001.a (for 5A001.j)))", "5E001.a(5A001.j)",
          "Technology for IP surveillance systems and software", ["NS1", "AT1"],
          tags=["cyber", "ace"], note="LR: NS line (entire entry, Col 1); AT line; ACE line"),
        R("5E001.a (for 5A001.f.1 or 5D001.a (for 5A001.f.1))", "5E001.a(5A001.f.1)",
          "Technology for over-the-air interception equipment", ["NS1", "SL", "AT1"],
          tags=["no-exceptions"],
          note="LR: SL line (technology for 5A001.f.1 and its software); NS line; AT line; "
               + NO_EXC_ALL),
    ],
    "5E101": [R("5E101", "", "Technology for 5A101 telemetry equipment")],
    "5E980": [R("5E980", "", "Technology for covert interception devices", ["SL", "AT1"],
                tags=["no-exceptions"], conf="secondary", note=SEC_SL + "; " + NO_EXC_ALL)],
    "5E991": [R("5E991", "", "Technology for 5A991/5B991 items and 5D991 software")],
    # ---------------- Category 5 Part 2 ----------------
    "5A002": [
        R("5A002", "5A002", "Cryptographic information security equipment and components",
          ["NS1", "AT1", "EI"], tags=["enc"],
          note="LR: NS line (entire entry, Col 1); AT line; EI line (entire entry); ENC line"),
        *z_rows("5A002", [
            ("z.1.a", f"General cryptographic items meeting {A090} parameters", Z1, True),
            ("z.1.b", f"General cryptographic items meeting {B090} parameters", Z2, True),
            ("z.2.a", f"Cryptographic activation tokens meeting {A090} parameters", Z1, True),
            ("z.2.b", f"Cryptographic activation tokens meeting {B090} parameters", Z2, True),
            ("z.3.a", f"Quantum cryptography items meeting {A090} parameters", Z1, True),
            ("z.3.b", f"Quantum cryptography items meeting {B090} parameters", Z2, True),
            ("z.4.a", f"Cryptographic UWB coding items meeting {A090} parameters", Z1, True),
            ("z.4.b", f"Cryptographic UWB coding items meeting {B090} parameters", Z2, True),
            ("z.5.a", f"Cryptographic spreading-code items meeting {A090} parameters", Z1, True),
            ("z.5.b", f"Cryptographic spreading-code items meeting {B090} parameters", Z2, True),
        ], ["NS1", "AT1"]),
    ],
    "5A992": [
        R("5A992", "", "Mass-market encryption commodities", ["AT1"],
          note="LR: AT line (entire entry); RS lines only for .z"),
        *z_rows("5A992", [
            ("z.1", f"Mass-market encryption commodities meeting {A090} parameters", Z1, False),
            ("z.2", f"Mass-market encryption commodities meeting {B090} parameters", Z2, False),
        ], ["AT1"]),
    ],
    "5A003": [R("5A003", "5A003", "Non-cryptographic information security equipment")],
    "5A004": [
        R("5A004.a", "5A004.a", "Cryptanalytic systems and equipment", ["NS1", "AT1", "EI"],
          tags=["enc"], note="LR: NS line (entire entry, Col 1); AT line; EI line (entire "
                             "entry); ENC line; split out for paragraph-level mapping"),
        R("5A004.b", "5A004.b", "Forensic tools extracting raw data past authentication",
          ["NS1", "AT1", "EI"], tags=["enc"],
          note="LR: NS line (entire entry, Col 1); AT line; EI line (entire entry); ENC line; "
               "split out for paragraph-level mapping"),
        *z_rows("5A004", [
            ("z.1.a", f"Cryptanalytic items meeting {A090} parameters", Z1, True),
            ("z.1.b", f"Cryptanalytic items meeting {B090} parameters", Z2, True),
            ("z.2.a", f"Forensic extraction items meeting {A090} parameters", Z1, True),
            ("z.2.b", f"Forensic extraction items meeting {B090} parameters", Z2, True),
        ], ["NS1", "AT1"]),
    ],
    "5B002": [R("5B002", "5B002", "Information security test and production equipment",
                tags=["enc"], note="LR: NS line (entire entry, Col 1); AT line; ENC line")],
    "5D002": [
        R("5D002", "5D002", "Encryption, activation-token and cryptanalytic software",
          ["NS1", "AT1", "EI"], tags=["enc"],
          note="LR: EI line (.a.1, .a.3, .b, .c.1, .c.3); NS line (entire entry, Col 1); AT "
               "line; ENC line; row covers the EI paragraphs (.a.2 and .c.2 have own rows)"),
        R("5D002.a.2", "5D002.a.2", "Software to develop, produce or use 5A003 equipment",
          ["NS1", "AT1"], note="LR: NS line (entire entry, Col 1); AT line; EI line does not "
                               "name .a.2"),
        R("5D002.c.2", "5D002.c.2", "Software performing 5A003 non-cryptographic security functions",
          ["NS1", "AT1"], note="LR: NS line (entire entry, Col 1); AT line; EI line does not "
                               "name .c.2"),
        *z_rows("5D002", [
            ("z.1.a", f"Crypto equipment software (.a.1) meeting {A090} parameters", Z1, True),
            ("z.1.b", f"Crypto equipment software (.a.1) meeting {B090} parameters", Z2, True),
            ("z.2.a", f"5A003 equipment software (.a.2) meeting {A090} parameters", Z1, False),
            ("z.2.b", f"5A003 equipment software (.a.2) meeting {B090} parameters", Z2, False),
            ("z.3.a", f"Cryptanalytic equipment software (.a.3.a) meeting {A090} parameters",
             Z1, True),
            ("z.3.b", f"Cryptanalytic equipment software (.a.3.a) meeting {B090} parameters",
             Z2, True),
            ("z.4.a", f"Forensic equipment software (.a.3.b) meeting {A090} parameters", Z1,
             True),
            ("z.4.b", f"Forensic equipment software (.a.3.b) meeting {B090} parameters", Z2,
             True),
            ("z.5.a", f"Activation-token software (.b) meeting {A090} parameters", Z1, True),
            ("z.5.b", f"Activation-token software (.b) meeting {B090} parameters", Z2, True),
            ("z.6.a", f"Cryptographic function software (.c.1) meeting {A090} parameters", Z1,
             True),
            ("z.6.b", f"Cryptographic function software (.c.1) meeting {B090} parameters", Z2,
             True),
            ("z.7.a", f"5A003-function software (.c.2) meeting {A090} parameters", Z1, False),
            ("z.7.b", f"5A003-function software (.c.2) meeting {B090} parameters", Z2, False),
            ("z.8.a", f"Cryptanalytic function software (.c.3.a) meeting {A090} parameters", Z1,
             True),
            ("z.8.b", f"Cryptanalytic function software (.c.3.a) meeting {B090} parameters", Z2,
             True),
            ("z.9.a", f"Forensic function software (.c.3.b) meeting {A090} parameters", Z1,
             True),
            ("z.9.b", f"Forensic function software (.c.3.b) meeting {B090} parameters", Z2,
             True),
        ], ["NS1", "AT1"], conf_for={
            z: "secondary: EI line names base paragraphs only; EI carried over to this .z "
               "variant of an EI paragraph"
            for z in ("z.1.a", "z.1.b", "z.3.a", "z.3.b", "z.4.a", "z.4.b", "z.5.a", "z.5.b",
                      "z.6.a", "z.6.b", "z.8.a", "z.8.b", "z.9.a", "z.9.b")}),
    ],
    "5D992": [
        R("5D992", "", "Mass-market encryption software", ["AT1"],
          note="LR: AT line (entire entry); RS lines only for .z"),
        *z_rows("5D992", [
            ("z.1", f"Mass-market encryption software meeting {A090} parameters", Z1, False),
            ("z.2", f"Mass-market encryption software meeting {B090} parameters", Z2, False),
        ], ["AT1"]),
    ],
    "5E002": [
        R("5E002", "5E002", "Technology for encryption, cryptanalytic and activation-token items",
          ["NS1", "AT1", "EI"], tags=["enc"], conf="secondary",
          note="LR: EI line (.a for EI items, and .b); NS line (entire entry, Col 1); AT line; "
               "ENC line; " + SEC_5E002),
        R("5E002.a (for 5A003, 5B002, 5D002.a.2, or 5D002.c.2)", "5E002.a(5A003)",
          "Technology for non-cryptographic security items and test gear", ["NS1", "AT1"],
          conf="secondary",
          note="LR: NS line (entire entry, Col 1); AT line; EI line reaches only EI items; "
               + SEC_5E002),
        R("5E002 (for 5A002.z.1.a, z.2.a, z.3.a, z.4.a, z.5.a, 5A004.z.1.a, z.2.a, or 5D002 "
          "(for these))", "", "Technology for encryption .z items at 4A090.a level",
          ["NS1", Z1, "AT1", "EI"], special=True, conf="secondary",
          note=f"LR: RS line for the .z .a set; NS line; AT line; EI line; {ZNOTE}; "
               + SEC_5E002),
        R("5E002 (for 5A002.z.1.b, z.2.b, z.3.b, z.4.b, z.5.b, 5A004.z.1.b, z.2.b, or 5D002 "
          "(for these))", "", "Technology for encryption .z items at 4A090.b level",
          ["NS1", Z2, "AT1", "EI"], special=True, conf="secondary",
          note=f"LR: RS line for the .z .b set; NS line; AT line; EI line; {ZNOTE}; "
               + SEC_5E002),
    ],
    "5E992": [
        R("5E992", "", "Technology for using mass-market encryption items", ["AT1"],
          note="LR: AT line (entire entry); RS lines only for .z"),
        R("5E992 (for 5A992.z.1 or 5D992.z.1)", "",
          f"Mass-market encryption technology for {A090}-level items", [Z1, "AT1"],
          special=True, note=f"LR: RS line (5A992.z.1/5D992.z.1); AT line; {ZNOTE}"),
        R("5E992 (for 5A992.z.2 or 5D992.z.2)", "",
          f"Mass-market encryption technology for {B090}-level items", [Z2, "AT1"],
          special=True, note=f"LR: RS line (5A992.z.2/5D992.z.2); AT line; {ZNOTE}"),
    ],
}

# The ACE cybersecurity items: local code -> (item, reasons). Facts from the CCL ACE lines and
# DOMAIN.md §3 (5D001.a (for 5A001.j) is NS1; 5A001.j and 5B001.a (for 5A001.j) are NS2).
CYBER = {
    "4A005": ("4A005", "NS1;AT1"),
    "4D001.a (for 4A005 or 4D004)": ("4D001.a(4A005)", "NS1;AT1"),
    "4D004": ("4D004", "NS1;AT1"),
    "4E001.a (for 4A005, 4D001.a (for 4A005 or 4D004), or 4D004)": ("4E001.a(4A005)", "NS1;AT1"),
    "4E001.c": ("4E001.c", "NS1;AT1"),
    "5A001.j": ("5A001.j", "NS2;AT1"),
    "5B001.a (for 5A001.j)": ("5B001.a(5A001.j)", "NS2;AT1"),
    "5D001.a (for 5A001.j)": ("5D001.a(5A001.j)", "NS1;AT1"),
    "5D001.c (for 5A001.j or 5B001.a (for 5A001.j))": ("5D001.c(5A001.j)", "NS1;AT1"),
    "5E001.a (for 5A001.j, 5B001.a (for 5A001.j), 5D001.a (for 5A001.j), or 5D001.c (for 5A001.j "
    "or 5B001.a (for 5A001.j)))": ("5E001.a(5A001.j)", "NS1;AT1"),
}

# ---------------------------------------------------------------------------------------------
# Every other ECCN of the CCL (Categories 0-3 and 6-9, and the Category 4/5 entries without
# hand-written rows), read mechanically from the License Requirements lines.
# ---------------------------------------------------------------------------------------------

GROUP_WORDS = {"A": "systems and equipment", "B": "test and production equipment",
               "C": "materials", "D": "software", "E": "technology"}

# Chart cells that name no Country Chart column: cell pattern -> (token, required reason).
PROSE_TOKENS = [
    (r"A license is required for ALL destinations, except Canada", "CC-WW", "CC"),
    (r"to North Korea for anti-terrorism reasons", "AT-KP", "AT"),
    (r"export or reexport to Iraq or Pakistan or transfer within Iraq or Pakistan", "RS-IQPK",
     "RS"),
    (r"export or reexport to Iraq (or|and) transfer within Iraq for regional stability", "RS-IQ",
     "RS"),
    (r"export or reexport to Pakistan or transfer within Pakistan", "RS-PK", "RS"),
    (r"^China, Russia,? or Venezuela \(see § 742\.6\(a\)\(7\)\)", "RS-CRV", "RS"),
    (r"^To or within Macau or a destination specified in Country Group D:5", "{r}-D5", None),
    (r"^See § 742\.6\(a\)\(11\)", "RS-A11", "RS"),
    (r"^See § 746\.8 for specific license requirements", "RU-746", None),
    (r"UN controls", "UN", "UN"),
    (r"^See § 764\.1\(b\) for UN controls", "UN", "UN"),
    (r"A license is required for CW reasons to CWC non-States Parties", "CW", "CW"),
    (r"^See § 742\.14 of the EAR", "SI", "SI"),
]
# Tokens whose destinations are not established from the sources (decided by a catch-all that
# keeps the outcome open, see rules.ccl.toml).
OPEN_TOKENS = {"RS-A11", "CW", "SI", "ITAR", "NO-LR"}
EXTRA_SPECIAL_TOKENS = {
    "CC-WW": "CC to every destination but Canada, 15 CFR 742.7",
    "AT-KP": "AT to North Korea only, 15 CFR 742.19",
    "RS-IQ": "RS to Iraq only, 15 CFR 742.6 and 746.3",
    "RS-PK": "RS to Pakistan only, 15 CFR 742.6(a)(12)",
    "RS-IQPK": "RS to Iraq or Pakistan only, 15 CFR 742.6 and 746.3",
    "RS-CRV": "RS for .y items to China, Russia or Venezuela, 15 CFR 742.6(a)(7)",
    "RS-D5": "RS to Macau or Country Group D:5, 15 CFR 742.6",
    "NS-D5": "NS to Macau or Country Group D:5, 15 CFR 742.4(a)(4)",
    "RS-A11": "RS per 15 CFR 742.6(a)(11), destinations not in the sources",
    "RU-746": "Russian industry sector sanctions, 15 CFR 746.5 and 746.8",
    "UN": "UN arms embargo destinations, 15 CFR 746.1(b)",
    "CW": "CW to CWC non-States Parties, 15 CFR 742.18 (Supp. 2 to Part 745 not in the sources)",
    "SI": "significant items, 15 CFR 742.14 (text not in the sources)",
    "ITAR": "entry points to the ITAR (22 CFR 120-130): not decided under the EAR",
    "NO-LR": "entry without License Requirements lines in the source",
}
PART = "-PART"  # suffix: a line that reaches only some items of the row, by criteria

PARA_RE = re.compile(r"^[a-z](\.[a-z0-9]+)*$")


def chart_tokens(reason: str, chart: str) -> list[str]:
    """One chart cell -> reason tokens (Country Chart columns or special tokens)."""
    chart = chart.strip()
    cols = re.findall(r"(?:\b([A-Z]{2}) )?Column (\d)", chart)
    if cols and not re.search(r"worldwide|Macau|China, Russia", chart):
        out = []
        for r, n in cols:
            tok = f"{r or reason}{n}"
            if tok not in CHART_COLUMNS:
                raise AssertionError(f"not a chart column: {tok} ({chart!r})")
            out.append(tok)
        return out
    try:
        return [token_for(f"{reason} applies", chart)]
    except AssertionError:
        pass
    for pat, tok, need in PROSE_TOKENS:
        if re.search(pat, chart):
            if need and need != reason:
                raise AssertionError(f"{chart!r}: reason {reason} for {tok}")
            return [tok.replace("{r}", reason)]
    if reason == "MT" and chart.startswith("MT applies"):
        # 1D018: the cell repeats the control text and names no column.
        return ["MT-UNK"]
    raise AssertionError(f"unparsed chart cell: {reason} -> {chart!r}")


def expand(eccn: str, part: str, prev: str | None) -> list[str] | None:
    """One element of a paragraph list -> paragraph codes (without the ECCN), or None."""
    part = part.strip().rstrip(".").strip()
    part = re.sub(r"\s+only$", "", part)
    part = re.sub(r"^(paragraphs?|items controlled by|items in)\s+", "", part)
    part = re.sub(r"\s+of this entry$", "", part)
    part = re.sub(r"^(ECCN\s+)?" + eccn + r"\s*", "", part)
    part = part.replace(" ", "").lstrip(".")
    rng = re.match(r"^([a-z](?:\.[a-z0-9]+)*\.)(\d+)(?:to|through)(?:\1)?(\d+)$", part)
    if rng:
        head, a, b = rng.group(1), int(rng.group(2)), int(rng.group(3))
        if b < a or b - a > 40:
            return None
        return [f"{head}{i}" for i in range(a, b + 1)]
    rng = re.match(r"^([a-z])(?:to|through)([a-z])$", part)
    if rng and rng.group(1) < rng.group(2):
        return [chr(c) for c in range(ord(rng.group(1)), ord(rng.group(2)) + 1)]
    if re.match(r"^\d+$", part) and prev and "." in prev:
        # `.16` after `d.15`: a sibling of the paragraph before
        return [prev.rsplit(".", 1)[0] + "." + part]
    if PARA_RE.match(part):
        return [part]
    return None


def paragraphs(eccn: str, text: str) -> list[str] | None:
    """A scope like `0A505.a and .x` or `paragraphs .a, .b, and .i of this entry` -> codes."""
    t = text.strip().rstrip(".")
    t = re.sub(r"\s+of this entry$", "", t)
    parts = re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", t)
    out: list[str] = []
    for p in parts:
        if not p.strip():
            continue
        got = expand(eccn, p, out[-1] if out else None)
        if got is None:
            return None
        out.extend(got)
    return out or None


WHOLE_SCOPES = re.compile(
    r"^(?:[A-Z]{2} applies (?:to )?(?:the )?entire entry(?:\.|,? for items controlled for "
    r"[A-Z]{2} reasons)?"
    r"|Russian industry sector sanctions? apply to entire entry"
    r"|[A-Z]{2} applies to entire entry\. A license is required.*"
    r"|[A-Z]{2} applies to entire entry [A-Z]{2} applies to entire entry"
    r"|[A-Z]{2} applies to entire entry [A-Z]{2} Column \d\.?"
    r"|[A-Z]{2} applies entire entry)\s*$")


def scope_of(eccn: str, control: str):
    """-> ('whole', None) | ('except', [paras] or None) | ('paras', [paras]) | ('part', None)."""
    c = control.strip()
    if WHOLE_SCOPES.match(c) or is_whole(c):
        return "whole", None
    m = re.match(r"^[A-Z]{2} applies to entire entry,? except:?\s*(.*)$", c)
    if m:
        return "except", paragraphs(eccn, m.group(1))
    m = re.match(r"^[A-Z]{2} applies? (?:to )?(.*)$", c)
    if m:
        got = paragraphs(eccn, m.group(1))
        if got:
            return "paras", got
    return "part", None


def reason_of(control: str) -> str:
    if control.startswith("Russian industry sector"):
        return "RU"
    m = re.match(r"^([A-Z]{2}) appl", control)
    if not m:
        raise AssertionError(f"unparsed control line: {control!r}")
    return m.group(1)


def origin_of(eccn: str, reasons: set[str], wa_codes: set[str]) -> str:
    """Origin of the control from the ECCN's numbering (15 CFR 738.2(d)(2)(ii))."""
    d3, cat = eccn[2], eccn[0]
    if eccn[2:4] == "09" or eccn[2] in "89":
        return "us-unilateral"
    if d3 == "0":
        if cat == "0":
            return "nsg"
        if eccn in wa_codes or eccn.endswith("018"):
            return "wa"
        return "us-unilateral"
    if d3 == "1":
        return "mtcr"
    if d3 == "2":
        return "nsg"
    if d3 == "3":
        return "cwc" if "CW" in reasons and "CB" not in reasons else "ag"
    if d3 in "56":
        return "wa" if any(r.startswith("NS") for r in reasons) else "us-unilateral"
    return "us-unilateral"


def series_words(eccn: str) -> str:
    d3 = eccn[2]
    if eccn[2:4] == "09":
        return "advanced-computing entry"
    if eccn[0] == "0" and d3 == "0":
        return "nuclear (NSG) entry"
    return {"0": "Wassenaar-based entry", "1": "missile-technology entry",
            "2": "nuclear-nonproliferation entry", "3": "chemical and biological entry",
            "5": "500-series entry", "6": "600-series munitions entry",
            "9": "anti-terrorism or regional-stability entry",
            "8": "unilateral entry"}.get(d3, "entry")


def money(flag: str) -> str | None:
    m = re.match(r"^\$\s?([\d,]+)\.?$", flag.strip())
    return m.group(1).replace(",", "") if m else None


def exception_tags(flags: dict) -> tuple[list[str], str]:
    """Licence-exception tags of an entry's ordinary rows, and the LVS value (or '')."""
    tags: list[str] = []
    lvs = flags.get("LVS", "")
    value = money(lvs) or ""
    if value:
        tags.append("lvs")
    elif lvs and not lvs.startswith("N/A"):
        tags.append("lvs-part")
    for code in ("GBS", "TSR"):
        f = flags.get(code, "").strip()
        if re.match(r"^Yes\.?$", f):
            tags.append(code.lower())
        elif f and not f.startswith("N/A"):
            tags.append(code.lower() + "-part")
    return tags, value


def named_exceptions(flags: dict, eccn: str, para: str | None) -> list[str]:
    """Exceptions whose CCL line says `Yes` for the entry or names the row's paragraph."""
    out = []
    for code in ("AIA", "ACM", "LPP", "HBM", "IEC", "APP"):
        f = flags.get(code, "").strip()
        if re.match(r"^Yes\.?$", f) and not (para or "").startswith("z"):
            out.append(code.lower())
        elif para and f.startswith("Yes") and re.search(
                r"(" + eccn + r"|,|\s)\.?" + re.escape(para) + r"\b", f):
            out.append(code.lower())
    return out


def label_for(eccn: str, para: str | None, wa_labels: dict) -> str:
    code = f"{eccn}.{para}" if para else eccn
    if code in wa_labels:
        return wa_labels[code]
    group = GROUP_WORDS[eccn[1]]
    if para is None:
        return f"Category {eccn[0]} {group}, {series_words(eccn)}"
    return f"Paragraph .{para} of {eccn} ({group})"


def generic_rows(e: dict, wa_codes: set[str], wa_labels: dict) -> list[dict]:
    eccn = e["eccn"]
    lines = e["countryChart"]
    whole: list[str] = []
    except_lines: list[tuple[list[str], list[str]]] = []   # (tokens, excepted paragraphs)
    para_lines: list[tuple[list[str], list[str]]] = []
    part_tokens: list[str] = []
    notes: list[str] = []
    if not lines:
        tok = "ITAR" if "subject to the ITAR" in e["heading"] else "NO-LR"
        if e["reasonForControl"] and e["reasonForControl"].strip():
            rfc = [r.strip(" .") for r in e["reasonForControl"].split(",")]
            # Entries whose License Requirements rows the parser did not capture.
            tok = "NO-LR"
            notes.append(f"reason line names {', '.join(rfc)} but no License Requirements "
                         "rows were captured")
        whole = [tok]
    for c in lines:
        reason = reason_of(c["control"])
        toks = chart_tokens(reason, c["countryChart"])
        kind, paras = scope_of(eccn, c["control"])
        if kind == "whole":
            whole += toks
        elif kind == "except" and paras:
            except_lines.append((toks, paras))
        elif kind == "paras":
            para_lines.append((toks, paras))
        else:
            # scope set by criteria the scenario does not carry: the line may apply, to the
            # paragraphs of this entry it names, or else to the whole entry
            refs = [] if kind == "except" else re.findall(
                eccn + r"\.([a-z](?:\.[a-z0-9]+)*)", c["control"])
            if refs:
                para_lines.append(([t + PART for t in toks], refs))
            else:
                part_tokens += [t + PART for t in toks]
    def dedup(xs):
        out = []
        for x in xs:
            if x not in out:
                out.append(x)
        return out
    named = dedup([p for _, ps in except_lines + para_lines for p in ps])
    named = [p for p in named if PARA_RE.match(p)]
    flags = e["licenceExceptionFlags"]
    exc, value = exception_tags(flags)
    entry_reasons = dedup(whole + [t for ts, _ in except_lines for t in ts] + part_tokens)
    all_reasons = {t.split("-")[0][:2] for t in entry_reasons}
    all_reasons |= {t[:2] for ts, _ in para_lines for t in ts}
    all_reasons |= {r.strip(" .") for r in (e["reasonForControl"] or "").split(",") if r.strip()}
    origin = origin_of(eccn, all_reasons, wa_codes)
    src = f"15 CFR 774 Supp. 1 ECCN {eccn} (eCFR {ISSUE})"
    rows = []

    def within(p: str, q: str) -> bool:   # paragraph p is q or below q
        return p == q or p.startswith(q + ".")

    def mk(para, reasons):
        code = f"{eccn}.{para}" if para else eccn
        special = bool(para) and para.startswith("z")
        tags = ([] if special else list(exc)) + named_exceptions(flags, eccn, para)
        if "SL" in reasons:
            tags = ["sl", "no-exceptions"]
        if not special and not {"ITAR", "NO-LR"} & set(reasons) and "SL" not in reasons:
            tags.append("sta")
        if eccn[2] in "56" and (eccn[2] == "6" or eccn.endswith("515")):
            tags.append("ml")
        item = code if code in wa_codes else ""
        o = "us-unilateral" if special else origin
        note = "LR: " + "; ".join(
            ["lines read mechanically from the entry"] + notes
            + ([f"{t} line reaches only items meeting criteria in its text" for t in
                part_tokens] if part_tokens else []))
        return dict(code=code, item=item, label=label_for(eccn, para, wa_labels),
                    reasons=reasons, tags=tags, special=special, excl="",
                    conf="primary" if not notes else "secondary", note=note,
                    origin=o if not item else ("" if o == "wa" else o),
                    value=value if ("lvs" in tags) else "", src=src)
    rows.append(mk(None, entry_reasons))
    for p in named:
        rs = list(whole)
        for ts, ex in except_lines:
            if not any(within(p, q) for q in ex):
                rs += ts
        for ts, ps in para_lines:
            if any(within(p, q) for q in ps):
                rs += ts
        rs += part_tokens
        rows.append(mk(p, dedup(rs)))
    return rows


WA_BASED = re.compile(r"^\d[A-E]0[0-8]\d$")  # 0xx series except 09x: Wassenaar-based ECCNs
RESERVED = re.compile(r"^\s*(\[Reserved\]|(through|to) [a-z]\.\s*\[Reserved\])", re.I)


def build_cat45(data: dict) -> list[list[str]]:
    entries = [e for e in data["entries"] if e["category"] in ("4", "5")]
    eccns = [e["eccn"] for e in entries]
    assert len(eccns) == len(set(eccns))
    assert set(eccns) == set(ROWS) | set(EXCLUDED), (
        sorted(set(eccns) ^ (set(ROWS) | set(EXCLUDED))))
    assert not set(ROWS) & set(EXCLUDED)

    out: list[list[str]] = []
    for e in entries:
        eccn = e["eccn"]
        if eccn in EXCLUDED:
            assert not e["reasonForControl"] and not e["countryChart"], eccn
            continue
        lines = [(c["control"], token_for(c["control"], c["countryChart"]), is_whole(c["control"]))
                 for c in e["countryChart"]]
        if lines:
            order = []
            for _, tok, _ in lines:
                if tok not in order:
                    order.append(tok)
            whole = {tok for _, tok, w in lines if w}
            # reasonForControl, where present, must name exactly the reasons of the lines
            if e["reasonForControl"]:
                rfc = {r.strip() for r in e["reasonForControl"].split(",")}
                got = {re.match(r"^([A-Z]{2})", c).group(1) for c, _, _ in lines}
                assert rfc == got, (eccn, rfc, got)
            else:
                assert eccn == "5E002", f"{eccn}: blank reason line not expected"
                assert any("Reason for Control: NS, RS, AT, EI" in (i.get("text") or "")
                           for i in e["items"]), "5E002 reason text not found in items"
        else:
            # SL entries whose License Requirements rows the parser did not capture.
            assert eccn in ("5A980", "5D980", "5E980"), f"{eccn}: no License Requirements rows"
            rfc = [r.strip() for r in e["reasonForControl"].split(",")]
            order = [NO_CHART_TOKENS[r] for r in rfc]
            whole = set(order)
        flags = e["licenceExceptionFlags"]
        used: list[str] = []
        for row in ROWS[eccn]:
            reasons = row["reasons"]
            if reasons is None:
                assert whole == set(order), f"{eccn}: partial lines need explicit rows"
                reasons = list(order)
            assert len(reasons) == len(set(reasons)), row["code"]
            for tok in reasons:
                assert tok in order, (row["code"], tok, order)
            missing = whole - set(reasons)
            assert not missing, (row["code"], "lacks entire-entry reasons", missing)
            reasons = sorted(reasons, key=order.index)
            used.extend(reasons)
            tags = list(row["tags"])
            if "SL" in reasons:
                tags.append("sl")
            if "EI" in reasons:
                tags.append("ei")
            for t in tags:
                assert t in TAG_ORDER, t
            tags = sorted(set(tags), key=TAG_ORDER.index)
            # exception tags must rest on the entry's License Exceptions lines
            for tag, flag in (("ace", "ACE"), ("gbs", "GBS"), ("enc", "ENC")):
                if tag in tags:
                    assert flags.get(flag, "").startswith("Yes"), (row["code"], flag)
            if "no-exceptions" in tags:
                assert "SL" in reasons, row["code"]
                assert not {"ace", "gbs", "enc"} & set(tags), row["code"]
            if row["special"]:
                assert not {"ace", "gbs", "enc"} & set(tags), row["code"]
            # items: WA-based entries only, and never for .z-type or US-criterion variants
            if row["item"]:
                assert WA_BASED.match(eccn), (row["code"], "item on a US-only ECCN")
                assert row["item"].startswith(eccn), row["code"]
                assert not row["special"] or row["code"] == "5A001.f.1", row["code"]
            else:
                assert not WA_BASED.match(eccn) or row["special"] or "(" in row["code"], \
                    (row["code"], "WA-based row without item")
            words = row["label"].split()
            assert 3 <= len(words) <= 10, (row["code"], len(words))
            src = f"15 CFR 774 Supp. 1 ECCN {eccn} (eCFR {ISSUE})"
            if row["note"]:
                src += " | " + row["note"]
            out.append([row["code"], row["item"], row["label"], ";".join(reasons),
                        ";".join(tags), "true" if row["special"] else "", row["excl"], src,
                        row["conf"]])
        # together the rows of an entry carry every reason of the entry
        assert set(used) == set(order), (eccn, set(order) - set(used))
        # unqualified entry-wide flags reach every ordinary row of the entry
        ace = flags.get("ACE", "")
        if ace.startswith("Yes, except to Country Group E:1 or E:2"):
            for row in ROWS[eccn]:
                assert row["special"] or "ace" in row["tags"], row["code"]
        if not ace:
            assert all("ace" not in r["tags"] for r in ROWS[eccn]), eccn
        if flags.get("GBS", "N/A").startswith("N/A"):
            assert all("gbs" not in r["tags"] for r in ROWS[eccn]), eccn
        if "ENC" not in flags:
            assert all("enc" not in r["tags"] for r in ROWS[eccn]), eccn
    return out


def check(rows: list[list[str]]) -> None:
    by = {}
    for r in rows:
        assert len(r) == len(HEADER)
        assert r[0] not in by, f"duplicate local code {r[0]}"
        by[r[0]] = dict(zip(HEADER, r))
    items = [r[1] for r in rows if r[1]]
    assert len(items) == len(set(items)), "duplicate item"
    tags = lambda code: by[code]["tags"].split(";") if by[code]["tags"] else []
    reasons = lambda code: by[code]["reasons"].split(";")

    # the ten ACE cyber rows
    cyber_rows = [c for c in by if "cyber" in tags(c)]
    assert sorted(cyber_rows) == sorted(CYBER), sorted(set(cyber_rows) ^ set(CYBER))
    for code, (item, rs) in CYBER.items():
        row = by[code]
        assert row["item"] == item, (code, row["item"])
        assert row["reasons"] == rs, (code, row["reasons"])
        assert "ace" in tags(code), code
        assert row["special"] == "", code
        want_excl = CYBER_EXCLUDED if code.startswith("4E001") else ""
        assert row["excluded_end_uses"] == want_excl, code
    assert [c for c in by if by[c]["excluded_end_uses"]] == [
        "4E001.a (for 4A005, 4D001.a (for 4A005 or 4D004), or 4D004)", "4E001.c"]
    assert sorted(c for c in by if "ace" in tags(c)) == sorted(CYBER)

    # GBS: 5A001.j yes; 4A005, 4D004, 4E001.c and 5B001.a (for 5A001.j) no
    assert "gbs" in tags("5A001.j")
    for code in ("4A005", "4D004", "4E001.c", "5B001.a (for 5A001.j)", "5A001.a", "5A001.b.5",
                 "5A001.e", "5A001.h"):
        assert "gbs" not in tags(code), code
    for code in ("5A001.b", "5A001.c", "5A001.d", "5A001.f", "5A001.f.3", "5A001.g"):
        assert "gbs" in tags(code), code

    # 5A001 columns as the License Requirements lines give them
    for code in ("5A001.a", "5A001.b.5", "5A001.e", "5A001.f.3", "5A001.h"):
        assert reasons(code) == ["NS1", "AT1"], code
    for code in ("5A001.b", "5A001.c", "5A001.d", "5A001.f", "5A001.g", "5A001.j"):
        assert reasons(code) == ["NS2", "AT1"], code
    assert reasons("5A001.f.1") == ["NS2", "SL", "AT1"]

    # EI on the encryption entries
    for code in by:
        if code.startswith(("5A002", "5A004")):
            assert "EI" in reasons(code) and "ei" in tags(code), code
    for code in ("5A002", "5A004.a", "5A004.b", "5D002", "5E002"):
        assert "EI" in reasons(code) and "enc" in tags(code), code
    assert "EI" not in reasons("5D002.a.2") and "EI" not in reasons("5D002.c.2")
    # SL
    for code in ("5A980", "5D980", "5E980", "5A001.f.1", "5D001 (for 5A001.f.1)",
                 "5E001.a (for 5A001.f.1 or 5D001.a (for 5A001.f.1))"):
        assert "SL" in reasons(code) and "sl" in tags(code) and "no-exceptions" in tags(code), code
    assert sorted(c for c in by if "SL" in reasons(c)) == sorted(
        c for c in by if "sl" in tags(c))

    # special: the advanced-computing (.z) variants and 5A001.f.1
    for code, row in by.items():
        if row["special"]:
            assert row["special"] == "true"
            assert code == "5A001.f.1" or ".z" in code or "4A090" in code, code
            assert code == "5A001.f.1" or any(t.startswith("RS-Z") for t in reasons(code)), code
        elif ".z" in code:
            raise AssertionError(f"{code}: .z row not special")
    # US-only entries carry no item
    for code in ("4A994", "5A991", "5A992", "5A980", "5D980", "5E980", "4A090.a", "4D993"):
        assert by[code]["item"] == "", code
    # reason tokens are chart columns or the documented special tokens
    for code in by:
        for t in reasons(code):
            assert t in CHART_COLUMNS or t in SPECIAL_TOKENS, (code, t)
        assert by[code]["confidence"] in ("primary", "secondary"), code
        assert by[code]["source"].startswith("15 CFR 774 Supp. 1 ECCN "), code



OUT_HEADER = HEADER + ["origin", "value_limit"]


def load_wa_catalogue() -> tuple[set[str], dict]:
    path = Path("datasets/wassenaar/entries.csv")
    codes, labels = set(), {}
    with path.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            codes.add(r["code"])
            labels[r["code"]] = r["label"][:1].upper() + r["label"][1:]
    return codes, labels


REF_RE = re.compile(r"\b(\d[A-E]\d{3})\.([a-z](?:\.[a-z0-9]+)*)")
referenced: dict[str, list[str]] = {}


def collect_references(data: dict) -> None:
    """Paragraphs that License Requirements lines and License Exceptions paragraphs name."""
    eccns = {e["eccn"] for e in data["entries"]}
    for e in data["entries"]:
        texts = [c["control"] for c in e["countryChart"]]
        texts += list(e["licenceExceptionFlags"].values())
        texts += [e.get("staSpecialConditions") or "", e.get("relatedControls") or ""]
        for t in texts:
            for eccn, para in REF_RE.findall(t):
                para = para.rstrip(".")
                if eccn in eccns and PARA_RE.match(para):
                    lst = referenced.setdefault(eccn, [])
                    if para not in lst:
                        lst.append(para)


def named_paragraphs(e: dict) -> list[str]:
    """Every paragraph the entry's text names (deep categories), reserved ones left out."""
    out = []
    for p, text in (e.get("topLevelParagraphs") or {}).items():
        if not RESERVED.match(text or "") and PARA_RE.match(p):
            out.append(p)
    for it in e.get("items") or []:
        p = it.get("paragraph")
        if p and it.get("kind") == "item" and PARA_RE.match(p) \
                and not RESERVED.match(it.get("text") or ""):
            out.append(p)
    seen, res = set(), []
    for p in out + referenced.get(e["eccn"], []):
        if p not in seen:
            seen.add(p)
            res.append(p)
    return res


def entry_tokens(e: dict) -> tuple[list[str], list[str]]:
    """The entry's tokens: those of lines for the entire entry, and every other as `-PART`."""
    whole: list[str] = []
    part: list[str] = []
    for c in e["countryChart"]:
        toks = chart_tokens(reason_of(c["control"]), c["countryChart"])
        kind, _ = scope_of(e["eccn"], c["control"])
        for t in toks:
            if kind == "whole" and t not in whole:
                whole.append(t)
            elif kind != "whole" and t + PART not in part:
                part.append(t + PART)
    return whole, [t for t in part if t[:-len(PART)] not in whole]


def build(data: dict) -> list[list[str]]:
    assert data["ecfrIssueDate"] == ISSUE, data["ecfrIssueDate"]
    assert data["entryCount"] == len(data["entries"]) == 633, data["entryCount"]
    wa_codes, wa_labels = load_wa_catalogue()
    collect_references(data)
    cat45 = build_cat45(data)
    check(cat45)
    hand = {r[0] for r in cat45}
    out: list[list[str]] = []
    origins: dict[str, str] = {}
    by_eccn = {e["eccn"]: e for e in data["entries"]}
    for e in data["entries"]:
        eccn = e["eccn"]
        if eccn in ROWS:
            rows = [r for r in cat45 if r[7].startswith(f"15 CFR 774 Supp. 1 ECCN {eccn} ")]
            rs = {t for r in rows for t in r[3].split(";") if t}
            origin = origin_of(eccn, {t[:2] for t in rs}, wa_codes)
            origins[eccn] = origin
            for r in rows:
                o = origin
                if r[5] == "true" and r[0] != "5A001.f.1" or "4A090" in r[0] or \
                        "RS-Z" in r[3] and not r[1]:
                    o = "us-unilateral"
                if r[1] and o == "wa":
                    o = ""
                out.append(r + [o, ""])
            continue
        for r in generic_rows(e, wa_codes, wa_labels):
            src = r["src"] + " | " + r["note"]
            origins.setdefault(eccn, r["origin"] or "wa")
            out.append([r["code"], r["item"], r["label"], ";".join(r["reasons"]),
                        ";".join(r["tags"]), "true" if r["special"] else "", r["excl"], src,
                        r["conf"], r["origin"], r["value"]])
    have = {r[0] for r in out}
    decided = {r[0] for r in out if "name-only" not in r[4].split(";")} | {
        r[1] for r in out if r[1]}
    # Paragraphs the entry text names, with no row of their own: names only (the entry's rows
    # decide them).
    for e in data["entries"]:
        eccn = e["eccn"]
        for p in [None] + named_paragraphs(e):
            code = f"{eccn}.{p}" if p else eccn
            if code in have or code in wa_codes:
                continue
            have.add(code)
            o = origins.get(eccn, "")
            if p and p.startswith("z"):
                o = "us-unilateral"
            o = "" if o == "wa" and eccn in wa_codes else o
            src = f"15 CFR 774 Supp. 1 ECCN {eccn} (eCFR {ISSUE})"
            ancestors = [eccn] + [f"{eccn}.{'.'.join(p.split('.')[:i])}"
                                  for i in range(1, len(p.split(".")))] if p else []
            if p and not any(a in decided for a in ancestors):
                # No row decides the entry as a whole (its hand rows are paragraphs): the
                # entry-wide lines apply, every other line may.
                whole, part = entry_tokens(e)
                out.append([code, "", label_for(eccn, p, {}), ";".join(whole + part), "",
                            "true" if p.startswith("z") else "", "", src + " | LR: no line names this paragraph; entire-entry lines "
                            "apply, the entry's other lines may reach it", "secondary", o, ""])
                continue
            out.append([code, "", label_for(eccn, p, {}), "", "name-only", "", "",
                        src + " | paragraph named in the entry; no License Requirements line "
                        "of its own", "primary", o, ""])
    # every ECCN has a row under its own code
    missing = {e["eccn"] for e in data["entries"]} - have - wa_codes
    assert not missing, sorted(missing)[:9]
    assert hand <= have
    codes = [r[0] for r in out]
    assert len(codes) == len(set(codes)), [c for c in codes if codes.count(c) > 1][:5]
    for r in out:
        assert r[9] in ("", "wa", "mtcr", "nsg", "ag", "cwc", "us-unilateral"), r
        assert r[7].startswith("15 CFR 774 Supp. 1 ECCN "), r[0]
    # known facts of the source
    row = {r[0]: dict(zip(OUT_HEADER, r)) for r in out}
    assert row["3A001"]["item"] == "3A001" and row["3A001"]["reasons"] == "NS2;AT1", row["3A001"]
    assert row["3A001.b.2"]["reasons"] == "NS2;AT1;NS1-PART;RS1-PART", row["3A001.b.2"]
    assert "RS-Z1" in row["3A001.z.1.a"]["reasons"] and row["3A001.z.1.a"]["special"] == "true"
    assert row["3A090"]["item"] == "" and row["3A090"]["origin"] == "us-unilateral"
    assert "RS-Z1" in row["3A090.a"]["reasons"], row["3A090.a"]
    assert set(row["0A501"]["reasons"].split(";")) == {"NS1", "RS1", "FC1", "UN", "AT1"}
    assert "NS1" not in row["0A501.y"]["reasons"].split(";"), row["0A501.y"]
    assert row["0A501"]["value_limit"] == "" and "lvs-part" in row["0A501"]["tags"]
    assert row["5A992.c"]["tags"] == "name-only", row["5A992.c"]
    assert "RS-CRV" in row["0A606.y"]["reasons"], row["0A606.y"]
    assert row["9A515"]["origin"] == "wa" and "ml" in row["9A515"]["tags"], row["9A515"]
    assert row["0A002"]["reasons"] == "ITAR", row["0A002"]
    assert "UN" in row["0A501"]["reasons"].split(";")
    assert row["1C355"]["origin"] == "cwc", row["1C355"]
    assert row["1C350"]["origin"] == "ag" and row["1C350"]["reasons"].startswith("CB2")
    assert by_eccn["1A001"]["licenceExceptionFlags"].get("LVS") == "$5000"
    assert row["1A001"]["value_limit"] == "5000" and "lvs" in row["1A001"]["tags"]
    return out


# ---------------------------------------------------------------------------------------------
# Generated rules (us/rules.ccl.toml): the reason tokens of the whole CCL that rules.toml does
# not define, the "-PART" tokens (a line that reaches only items meeting criteria in its text)
# and the licence exceptions the CCL names beyond ACE, ENC and GBS.
# ---------------------------------------------------------------------------------------------
RULES_OUT = Path("datasets/us/rules.ccl.toml")
HAND_TOKENS = {"NS1", "NS2", "AT1", "MT1", "CC1", "NP", "EI", "SL", "RS-Z1", "RS-Z2", "NS-WW",
               "RS-WW"}
PART_742 = {"CB": "742.2", "NP": "742.3", "NS": "742.4", "MT": "742.5", "RS": "742.6",
            "CC": "742.7", "FC": "742.17", "AT": "742.19"}
UN_DEST = "CF CD ER IR IQ LB LY KP SO SD"
# token -> (destinations, label, citation, confidence)
SPECIAL_RULES = {
    "CC-WW": ("@all -CA", "crime control (CC): licence to every destination but Canada",
              "15 CFR 742.7; 774 Supp. 1 (License Requirements of the entry)", "primary"),
    "AT-KP": ("KP", "anti-terrorism (AT): licence to North Korea",
              "15 CFR 742.19; 774 Supp. 1 (License Requirements of the entry)", "primary"),
    "RS-IQ": ("IQ", "regional stability (RS): licence to Iraq",
              "15 CFR 742.6; 746.3", "primary"),
    "RS-PK": ("PK", "regional stability (RS): licence to Pakistan",
              "15 CFR 742.6(a)(12)", "primary"),
    "RS-IQPK": ("IQ PK", "regional stability (RS): licence to Iraq or Pakistan",
                "15 CFR 742.6; 746.3", "primary"),
    "RS-CRV": ("CN HK RU VE", "regional stability (RS): .y item to China, Russia or Venezuela",
               "15 CFR 742.6(a)(7)", "primary"),
    "RS-D5": ("MO @D5", "regional stability (RS): {dest} is Macau or in Country Group D:5",
              "15 CFR 742.6; 740 Supp. 1 Country Group D:5", "primary"),
    "NS-D5": ("MO @D5", "national security (NS): {dest} is Macau or in Country Group D:5",
              "15 CFR 742.4(a)(4); 740 Supp. 1 Country Group D:5", "primary"),
    "RU-746": ("RU BY", "Russian industry sector sanctions: licence to Russia or Belarus",
               "15 CFR 746.5; 746.8", "secondary"),
}
OPEN_RULES = {
    "RS-A11": "regional stability (RS) under 742.6(a)(11): the destinations are not in the "
              "datasets",
    "CW": "chemical weapons (CW): licence to CWC non-States Parties (except Israel and Taiwan); "
          "Supp. 2 to Part 745 is not in the datasets",
    "SI": "significant item (SI) under 742.14: its licence requirement is not in the datasets",
    "ITAR": "the entry points to the ITAR (22 CFR 120-130): not decided under the EAR",
    "NO-LR": "the entry's License Requirements lines are not in the datasets",
    "MT-UNK": "missile technology (MT) line names no Country Chart column",
}
OPEN_CITES = {"RS-A11": "15 CFR 742.6(a)(11)", "CW": "15 CFR 742.18; 745 Supp. 2",
              "SI": "15 CFR 742.14", "ITAR": "15 CFR 734.3(b)(1); 22 CFR 120-130",
              "NO-LR": "15 CFR 774 Supp. 1", "MT-UNK": "15 CFR 742.5"}


def q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def token_rule(tok: str) -> tuple[str, str, str, str]:
    """-> destinations, label, citation, confidence of a definite token."""
    if tok in CHART_COLUMNS:
        sec = PART_742[tok[:2]]
        return (f"@chart:{tok}", f"{{dest}} has an X in Country Chart column {tok}",
                f"15 CFR {sec}; 738 Supp. 1 column {tok}", "primary")
    if tok in SPECIAL_RULES:
        return SPECIAL_RULES[tok]
    if tok == "UN":
        return (UN_DEST, "UN arms embargo: {dest} is listed in 746.1(b)(2)",
                "15 CFR 746.1(b)(2), (3)", "secondary")
    hand = {"NS1": "@chart:NS1", "NS2": "@chart:NS2", "AT1": "@chart:AT1", "MT1": "@chart:MT1",
            "CC1": "@chart:CC1", "NP": "@chart:NP1", "EI": "@all -CA", "SL": "@all",
            "RS-Z1": "@all", "RS-Z2": "AE @D1 @D4 @D5 -@A5 -@A6", "NS-WW": "@all",
            "RS-WW": "@all"}
    if tok in hand:
        return hand[tok], f"the {tok} line of the entry", f"see requirement {tok}", "primary"
    raise AssertionError(f"no rule for token {tok}")


def rules_toml(rows: list[list[str]]) -> str:
    toks = sorted({t for r in rows for t in r[3].split(";") if t})
    out = ["# GENERATED by tools/datasets/build_us_entries.py from the CCL (15 CFR 774 Supp. 1,",
           f"# eCFR {ISSUE}); edit the builder, not this file. Reason tokens of entries.csv that",
           "# rules.toml does not define, lines that reach only items meeting criteria in their",
           "# text (`-PART`), and the licence exceptions the CCL names beyond ACE, ENC and GBS.",
           ""]
    for tok in toks:
        base = tok[:-len(PART)] if tok.endswith(PART) else tok
        if tok in HAND_TOKENS:
            continue
        if base in OPEN_RULES:
            out += ["[[catch_all]]", f"id = {q(tok)}", f"items = [{q('@reason:' + tok)}]",
                    'outcome = "indeterminate"',
                    f"label = {q(OPEN_RULES[base])}",
                    f"citation = {q(OPEN_CITES[base])}", 'confidence = "secondary"', ""]
            continue
        dest, label, cite, conf = token_rule(base)
        if tok.endswith(PART):
            out += ["[[catch_all]]", f"id = {q(tok)}", f"items = [{q('@reason:' + tok)}]",
                    f"when = {{ destinations = {q(dest)} }}", 'outcome = "indeterminate"',
                    f"label = {q('the ' + base + ' line reaches {entry} only for items meeting criteria in its text: ' + label)}",
                    f"citation = {q(cite + '; 774 Supp. 1 (License Requirements of the entry)')}",
                    f'confidence = {q("secondary")}', ""]
        elif tok == "UN":
            # 746.1(b)(4): no licence exception but GOV to these destinations
            out += ["[[catch_all]]", 'id = "UN"', 'items = ["@reason:UN"]',
                    f"when = {{ destinations = {q(dest)} }}", 'outcome = "licence-required"',
                    f"label = {q(label)}", f"citation = {q(cite + ', (4)')}",
                    f"confidence = {q(conf)}",
                    'note = "746.1 text as of January 2025; no licence exception but GOV"', ""]
        else:
            out += ["[[requirement]]", f"id = {q(tok)}", f"items = [{q('@reason:' + tok)}]",
                    f"destinations = {q(dest)}", f"label = {q(label)}", f"citation = {q(cite)}",
                    f"confidence = {q(conf)}", ""]
    restr_wmd = ["  [[authorisation.restriction]]", '  id = "{id}-740.2"',
                 '  label = "no licence exception with a knowing WMD end use"',
                 '  citation = "15 CFR 740.2(a)"', '  confidence = "secondary"',
                 '  when = { end_uses = ["wmd"] }', "",
                 "  [[authorisation.restriction]]", '  id = "{id}-MT"',
                 '  label = "item controlled for missile-technology (MT) reasons"',
                 '  citation = "15 CFR 740.2(a)"', '  confidence = "secondary"',
                 '  note = "740.2 paragraph on MT items not in the sources"',
                 '  when = { items = ["@reason:MT1"] }', "",
                 "  [[authorisation.restriction]]", '  id = "{id}-ML"',
                 '  label = "600-series or 9x515 item to Macau or a Country Group D:5 destination"',
                 '  citation = "15 CFR 740.2(a)(12)"', '  confidence = "secondary"',
                 '  note = "740.2 paragraph on 600-series and 9x515 items not in the sources"',
                 '  when = { items = ["@tag:ml"], destinations = "MO @D5" }', ""]

    def auth(id_, name, tag, dest, cite, extra, restr=True):
        lines = ["[[authorisation]]", f"id = {q(id_)}", f"name = {q(name)}",
                 f"items = [{q('@tag:' + tag)}]", f"destinations = {q(dest)}"] + extra + \
                [f"citation = {q(cite)}", 'confidence = "secondary"', ""]
        if restr:
            lines += [x.replace("{id}", id_) for x in restr_wmd]
        return lines
    may = 'effect = "may-authorise"'
    out += ["# ---------------------------------------------------------------------------------",
            "# Licence exceptions named in the entries' License Exceptions paragraphs. Part 740",
            "# texts are not in the sources: confidence secondary; eligibility the scenario cannot",
            "# show is `may-authorise` with its condition.", ""]
    out += auth("LVS", "License Exception LVS (shipments of limited value)", "lvs", "@B",
                "15 CFR 740.3; value limit from the entry's LVS paragraph (774 Supp. 1)",
                ['max_value = "entry"', 'only_reasons = ["NS1", "NS2"]',
                 'conditions = "net value of the shipment within the entry\'s LVS limit"',
                 'condition_code = "LVS-CONDITIONS"'])
    out += auth("LVS-PART", "License Exception LVS, paragraph-specific value limits", "lvs-part",
                "@B", "15 CFR 740.3; LVS paragraph of the entry (774 Supp. 1)",
                [may, 'only_reasons = ["NS1", "NS2"]',
                 'note = "the entry gives LVS value limits per paragraph: which applies, and '
                 'whether the value is within it, is not established"',
                 'conditions = "LVS: the value limit of the item\'s paragraph applies"',
                 'condition_code = "LVS-PARAGRAPH"'])
    out += auth("TSR", "License Exception TSR (technology and software under restriction)",
                "tsr", "@B", "15 CFR 740.6; TSR paragraph of the entry (774 Supp. 1)",
                ['only_reasons = ["NS1", "NS2"]',
                 'conditions = "written assurance from the consignee before export (740.6(a)(3))"',
                 'condition_code = "TSR-ASSURANCE"'])
    out += auth("TSR-PART", "License Exception TSR, limited to some paragraphs", "tsr-part", "@B",
                "15 CFR 740.6; TSR paragraph of the entry (774 Supp. 1)",
                [may, 'only_reasons = ["NS1", "NS2"]',
                 'note = "the entry limits TSR to some paragraphs or destinations"'])
    out += auth("GBS-PART", "License Exception GBS, limited to some paragraphs", "gbs-part", "@B",
                "15 CFR 740.4; GBS paragraph of the entry (774 Supp. 1)",
                [may, 'only_reasons = ["NS1", "NS2"]',
                 'note = "the entry limits GBS to some paragraphs"'])
    out += auth("STA", "License Exception STA (strategic trade authorisation)", "sta",
                "@A5 @A6", "15 CFR 740.20; STA paragraph of the entry (774 Supp. 1)",
                [may, 'note = "eligibility under 740.20(b), (c) and the entry\'s STA paragraph '
                 'is not in the datasets"',
                 'conditions = "STA: prior consignee statement and notification (740.20(d))"',
                 'condition_code = "STA-CONDITIONS"'])
    for code, what in (("AIA", "advanced integrated circuits"), ("ACM", "advanced computing"),
                       ("LPP", "low processing performance"), ("HBM", "high-bandwidth memory"),
                       ("IEC", "the IEC exception"), ("APP", "computers (adjusted peak performance)")):
        tag = code.lower()
        if not any(tag in r[4].split(";") for r in rows):
            continue
        out += auth(code, f"License Exception {code} ({what})", tag, "@all",
                    f"Part 740 (License Exception {code}) as named in 15 CFR 774 Supp. 1",
                    [may, f'note = "the terms of {code} are not in the datasets"'], restr=False)
    return "\n".join(out).rstrip() + "\n"


def render(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(OUT_HEADER)
    w.writerows(rows)
    return buf.getvalue()


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    check_only = "--check" in sys.argv[1:]
    if len(args) != 1:
        print("usage: build_us_entries.py CCL.json [--check]", file=sys.stderr)
        return 2
    data = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    rows = build(data)
    outputs = [(OUT, render(rows)), (RULES_OUT, rules_toml(rows))]
    if check_only:
        bad = [p for p, text in outputs
               if not p.exists() or p.read_text(encoding="utf-8") != text]
        for p in bad:
            print(f"{p} differs from a fresh build", file=sys.stderr)
        if bad:
            return 1
        print(f"{OUT} and {RULES_OUT} match a fresh build ({len(rows)} rows)")
        return 0
    for p, text in outputs:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(rows)} rows) and {RULES_OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
