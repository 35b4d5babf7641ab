#!/usr/bin/env python3
"""Build FOLDER/entries.wa.csv: every Wassenaar list entry that a WA-based national list (or the
EU list) holds but whose national text the datasets have not read.

Run from the repository root:

    python3 tools/datasets/build_wa_inferred.py SCOMET.json [--check]

Inputs: the catalogue (datasets/wassenaar/entries.csv), each folder's hand-kept entries.csv (an
entry with a row there is left alone), and for India the parsed SCOMET List 2024 (JSON, the
argument): an Indian row is written only where SCOMET Category 8 has the code, so India's rows
are read, not inferred. Python 3.11, standard library only, deterministic output.

Every other folder transposes the Wassenaar list (the reason is the folder's own source, quoted
in each row's reading note); its rows carry the tag `inferred-listing` (authorisations can only
*may*-authorise them, because the general authorisations were written for Categories 4 and 5)
and the folder's confidence for inferred rows. Folders whose listing of even the cyber entries is
not established also carry `unverified-listing`, like their hand-kept rows.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

CATALOGUE = Path("datasets/wassenaar/entries.csv")
HEADER = ["local_code", "item", "label", "tags", "source", "confidence"]


def compact(code: str) -> str:
    return code


def wa_dotted(code: str) -> str:
    return f"{code[0]}.{code[1]}.{int(code[2:])}"


def canada(code: str) -> str:
    return "1-" + wa_dotted(code)


def russia(code: str) -> str:
    return f"{code[0]}.{'ABCDE'.index(code[1]) + 1}.{int(code[2:])}"


def india(code: str) -> str:
    return f"8{code[1]}{code[0]}{code[3:]}"


EU_SRC = "Reg. (EU) 2021/821 Annex I (as replaced by Del. Reg. (EU) 2025/2003) {code}"
EU_NOTE = ("inferred: Annex I text of this entry not in the sources; Annex I implements the "
           "Wassenaar list decisions (recitals of Del. Reg. (EU) 2025/2003), entry taken to "
           "follow WA {wa}")
# folder -> (local code, source template, reading note, confidence, extra tags)
FOLDERS = {
    "eu": (compact, EU_SRC, EU_NOTE, "secondary", []),
    "gb": (compact, "Assimilated Council Reg. (EC) No 428/2009 Annex I (GB, as amended to SI "
           "2025/1197, valid 2025-12-16) {code}",
           "inferred: same numbering as the EU list per the UK sources; entry text not read, "
           "taken to follow WA {wa}", "secondary", []),
    "no": (compact, "Export Control Regulations 2013 (FOR-2013-06-19-718) Appendix II, List II "
           "dual-use items (2021) {code}",
           "inferred: List II 2021 reproduces Annex I of Reg. (EU) 2021/821; entry not read, "
           "taken to follow WA {wa}", "secondary", []),
    "ch": (compact, "GKV (SR 946.202.1) Annex 2 Part 2, EKN {code}",
           "inferred: Annex 2 Part 2 uses EU/WA numbering; entry not read, taken to follow WA "
           "{wa}", "secondary", []),
    "au": (compact, "Defence and Strategic Goods List 2024 (F2024L01024) Part 2 {code}",
           "inferred: DSGL Part 2 is the EU/Wassenaar dual-use list; entry not read, taken to "
           "follow WA {wa}", "secondary", []),
    "nz": (compact, "New Zealand Strategic Goods List (Nov 2024) Part 2 {code}",
           "inferred: Part 2 is the Wassenaar dual-use list (MFAT); entry not read, taken to "
           "follow WA {wa}", "secondary", []),
    "kr": (compact, "Public Notice on Trade of Strategic Items (MOTIE, Notice No. 2025-37), "
           "Annex 2 dual-use items, {code}",
           "inferred: the annex follows the WA list in EU-style numbering; entry not read, "
           "taken to follow WA {wa}", "secondary", []),
    "ca": (canada, "A Guide to Canada's Export Control List (Jan 2023 ed.) Group 1 item {code}",
           "inferred: Group 1 transposes the Wassenaar Dual-Use List; entry not read, taken to "
           "follow WA {wa}", "secondary", []),
    "jp": (compact, "Export Trade Control Order (Cabinet Order No. 378 of 1949) Appended Table "
           "1 and the Goods Ordinance (MITI Ord. No. 49 of 1991), item for WA {wa}",
           "inferred: Japan transposes the Wassenaar list by annual amendment; row and article "
           "not established, WA code used as local code", "assumed", []),
    "ar": (wa_dotted, "Decree 603/1992 (as amended), annexed control lists, {code}",
           "inferred: listing and numbering not established; WA numbering used as local code",
           "assumed", ["unverified-listing"]),
    "mx": (wa_dotted, "Acuerdo de Control de Exportaciones (DOF 16 Jun 2011, as amended), Anexo "
           "I, Grupo {code}",
           "inferred: not established that the current annex lists this entry", "assumed",
           ["unverified-listing"]),
    "ru": (russia, "Government Resolution No. 1299 of 19 Jul 2022 (as amended 16.03.2024 No. "
           "308), list of dual-use goods, item {code}",
           "inferred: listing not established; numbering from the list's scheme", "assumed",
           ["unverified-listing"]),
    "tr": (wa_dotted, "Communiqué on the Control of Exports of Dual-Use and Sensitive Items "
           "(İhracat 2003/12, OG 02.12.2003 No. 25304) Art. 2, WA Dual-Use List {code}",
           "inferred: whether the reference to the WA list is dynamic is not established",
           "assumed", ["unverified-listing"]),
    "ua": (wa_dotted, "Cabinet of Ministers list of dual-use goods (Resolution No. 86 of 28 Jan "
           "2004, as amended), {code}",
           "inferred: listing and numbering not established", "assumed",
           ["unverified-listing"]),
    "za": (wa_dotted, "National Conventional Arms Control Act 41 of 2002 (WA 2003 lists "
           "incorporated, per DIRCO) or NPC declared lists, {code}",
           "inferred: which instrument lists this entry, if any, is not established", "assumed",
           ["unverified-listing"]),
    "in": (india, "SCOMET List 2024 (DGFT, Appendix 3 to Schedule 2 of ITC(HS), updated as on "
           "02.09.2024), Category 8, {code}",
           "entry code found in the parsed official list; entry text not compared with WA {wa}",
           "secondary", []),
}


def catalogue() -> list[dict]:
    with CATALOGUE.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def covered(folder: str) -> set[str]:
    """Entry-level codes with a hand-kept row of the folder (own or below)."""
    out = set()
    with Path(f"datasets/{folder}/entries.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            item = r["item"]
            if item:
                out.add(re.split(r"[.(]", item)[0])
    return out


def build(scomet: dict) -> dict[str, str]:
    cat = catalogue()
    entries = [r for r in cat if not r["parent"] and "(" not in r["code"]
               and "unused" not in r["tags"].split(";")]
    assert len(entries) == 167, len(entries)
    scomet_codes = {e["code"] for e in scomet["entries"] if re.match(r"^8[A-E]\d{3}$", e["code"])}
    assert len(scomet_codes) >= 150, len(scomet_codes)
    out: dict[str, str] = {}
    for folder, (fmt, src, note, conf, extra) in FOLDERS.items():
        have = covered(folder)
        rows = []
        for e in entries:
            code = e["code"]
            if code in have:
                continue
            local = fmt(code)
            if folder == "in" and local not in scomet_codes:
                continue
            tags = list(extra) if folder == "in" else ["inferred-listing"] + list(extra)
            source = src.format(code=local, wa=e["wa_code"]) + " | " + note.format(
                wa=e["wa_code"])
            rows.append([local, code, e["label"], ";".join(tags), source, conf])
        assert len({r[0] for r in rows}) == len(rows), folder
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
        out[folder] = buf.getvalue()
    # known facts: the EU and the UK lists get the whole of Category 1, India its SCOMET codes
    assert "1A001,1A001," in out["eu"] and "\n8A101,1A001," in out["in"]
    assert "4A005" not in out["eu"], "hand-kept cyber rows are left alone"
    return out


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        print("usage: build_wa_inferred.py SCOMET.json [--check]", file=sys.stderr)
        return 2
    scomet = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    files = build(scomet)
    bad = []
    for folder, text in sorted(files.items()):
        path = Path(f"datasets/{folder}/entries.wa.csv")
        if "--check" in sys.argv[1:]:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                bad.append(path)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path} ({text.count(chr(10)) - 1} rows)")
    for p in bad:
        print(f"{p} differs from a fresh build", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
