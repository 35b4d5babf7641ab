#!/usr/bin/env python3
"""Build datasets/us/entries.csv: the CCL Categories 4 and 5 (Parts 1 and 2).

Run from the project root (/work/main):

    python3 tools/datasets/build_us_entries.py

Input: the eCFR-derived CCL (../shared/sources/us/derived/ccl-ecfr-2026-07-23.json) and the
hand-written ROWS table below. Python 3.11, standard library only, deterministic output.

How a row's reasons are found:
- every License Requirements line of an entry is turned into one reason token (TOKEN_RULES);
- an entry whose lines all apply to the entire entry may take its reasons automatically
  (`reasons=None` in ROWS);
- where lines give different reasons to different paragraphs, ROWS splits the entry and names
  the tokens of each row; the builder checks that every token a row names comes from the entry,
  that the rows of an entry together use every token of the entry, and that every
  entire-entry token is on every row.
The ten ACE cyber rows and other known facts are asserted before anything is written.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

SRC = Path("../shared/sources/us/derived/ccl-ecfr-2026-07-23.json")
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

WA_BASED = re.compile(r"^\d[A-E]0[0-8]\d$")  # 0xx series except 09x: Wassenaar-based ECCNs


def build() -> list[list[str]]:
    data = json.loads(SRC.read_text(encoding="utf-8"))
    assert data["ecfrIssueDate"] == ISSUE, data["ecfrIssueDate"]
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


def main() -> int:
    rows = build()
    check(rows)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(buf.getvalue(), encoding="utf-8")
    print(f"wrote {OUT} ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
