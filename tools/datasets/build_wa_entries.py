#!/usr/bin/env python3
"""Build datasets/wassenaar/entries.csv and datasets/wassenaar/list.toml.

Run from the repository root:

    python3 tools/datasets/build_wa_entries.py WA-LIST.json [--check]

Input: the parsed entry list of the Wassenaar dual-use list, WA-LIST (25) 1 Corr. (JSON, the
argument). `--check` builds and fails when a committed file differs. Only its codes, page
numbers and "Not used since YYYY" markers are used; every label below is written by hand in
the project's own words. Python 3.11, standard library only, deterministic output.

What the script does:
- entries and paragraphs the list marks "Not used since YYYY" carry the tag `unused`;
- one row per list entry/paragraph of the JSON, except the 37 group headings (`4.A`, `5.D`,
  ...), which are not items;
- adds the entries and paragraphs the parser folded into a neighbour's text (ADDED), among
  them every ancestor needed so that each paragraph row has its parent row;
- adds the CCL-style qualified catalogue rows (QUALIFIED), e.g. `4D001.a(4A005)`;
- tags rows (cyber, intrusion, surveillance, encryption, ...), see TAGS;
- checks known facts (ASSERTS) before writing anything.
"""
from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

DEFAULT_JSON = Path("wa-list-2025-corr-entries.json")
OUT_DIR = Path("datasets/wassenaar")
DOC = "WA-LIST (25) 1 Corr."
CFR_NAMING = "15 CFR 740.22(b)(1)"

LIST_META = {
    "version": DOC,
    "date": "2026-01-15",
    "plenary": "December 2025",
    "source": (
        "https://www.wassenaar.org/app/uploads/2026/01/"
        "List-of-Dual-Use-Goods-and-Technologies-and-ML-2025-Corr.pdf "
        "(Wassenaar Arrangement Public Documents Vol. II, List of Dual-Use Goods and "
        "Technologies and Munitions List, 2025 Corr., dated 15 Jan 2026)"
    ),
}

# Cyber milestones of the WA list (own words). Dates: plenary end date where known.
HISTORY = [
    {
        "date": "2012-12",
        "event": "Plenary approves the Note to the Cryptography Note (Cat. 5 Part 2); "
        "stated not to change the Note's scope",
        "source": f"{DOC} Cat. 5 Part 2, Statement of Understanding on the Cryptography Note",
    },
    {
        "date": "2013-12-04",
        "event": "Plenary adds intrusion-software controls (4.A.5, 4.D.4, 4.E.1.c and the "
        "definition) and IP network surveillance (5.A.1.j with 5.B.1.a, 5.D.1.a/.c, 5.E.1.a)",
        "source": "WA 2013 Plenary public statement (Vienna, 3-4 Dec 2013); WA-LIST (13) 1 "
        "| list designation inferred",
    },
    {
        "date": "2016-12-08",
        "event": "US attempt to renegotiate the intrusion-software entries fails at the "
        "plenary; no change to the text",
        "source": "Defense Daily, Dec 2016 (WA 2016 Plenary)",
    },
    {
        "date": "2017-12-07",
        "event": "Plenary adds Notes 1-2 to 4.E.1 (4.E.1.a/.c exclude vulnerability disclosure "
        "and cyber incident response), the update/upgrade Note to 4.D.4 and the two new "
        "definitions; the 4.A.5/4.D.4 wording moved to 'command and control, or delivery' "
        "probably at this plenary (year unconfirmed)",
        "source": "BIS FAQ Intrusion and Surveillance Items (after the Dec 2017 Plenary); "
        "The Register, 21 Dec 2017",
    },
    {
        "date": "2019-12",
        "event": "By this plenary the list has 5.A.4.b (forensic raw-data extraction) and "
        "5.D.1.e (law-enforcement monitoring software); ML21.b.5 offensive cyber software "
        "added (year of 5.D.1.e and ML21.b.5 inferred)",
        "source": "Reg. (EU) 2020/1749 Annex I (implements WA 2019 decisions), "
        "5A004.b and 5D001.e",
    },
    {
        "date": "2025-12-04",
        "event": "Plenary agrees the 2025 list, WA-LIST (25) 1, on which this catalogue rests",
        "source": "WA-LIST (25) 1 (Dec 2025) | plenary dates 3-4 Dec 2025 per a secondary summary",
    },
    {
        "date": "2026-01-15",
        "event": "Corrigendum restores a cross-reference in ML7.e.1; dual-use entries unchanged",
        "source": f"{DOC} cover note",
    },
]

# ---------------------------------------------------------------------------------------
# Labels, keyed by WA code. Own words, 3-10 words. Rows whose JSON text starts with
# "Not used since YYYY" get an automatic label and need no entry here.
LABELS = {
    # Category 1
    "1.A.1": "Fluorinated-compound seals and fuel bladders",
    "1.A.2": "Composite structures and laminates",
    "1.A.3": "Aromatic polyimide films, sheets and tapes",
    "1.A.4": "Civil CBRN protective and detection gear",
    "1.A.4.a": "Gas masks, filter canisters and decontamination kit",
    "1.A.4.a.1": "Protective masks against biological agents",
    "1.A.4.b": "Protective suits, gloves and shoes",
    "1.A.4.c": "CBRN agent detection systems",
    "1.A.4.d": "Explosives trace detection equipment",
    "1.A.5": "Body armour and its components",
    "1.A.6": "Equipment for disposing of IEDs",
    "1.A.7": "Electrical initiators for energetic materials",
    "1.A.8": "Shaped charges and cutting charges",
    "1.B.1": "Composite and fibre production equipment",
    "1.B.1.e": "Hot-melt prepreg production equipment",
    "1.B.2": "Metal alloy powder production equipment",
    "1.B.3": "Superplastic forming and diffusion bonding tools",
    "1.C.1": "Radiation absorbers and conductive polymers",
    "1.C.1.b": "Opaque near-infrared absorbing materials",
    "1.C.1.c": "Highly conductive polymer materials",
    "1.C.2": "Metal alloys, alloy powder, alloyed materials",
    "1.C.2.a": "Nickel and titanium aluminides",
    "1.C.2.b": "Alloys made from listed powder",
    "1.C.2.c": "Metal alloy powder or particulates",
    "1.C.2.c.1": "Composition systems for alloy powder",
    "1.C.2.c.1.a": "Nickel alloy powder for turbine parts",
    "1.C.2.c.2": "Powder made by controlled atomisation",
    "1.C.2.c.3": "Powder able to form listed alloys",
    "1.C.2.d": "Alloyed flakes, ribbons or thin rods",
    "1.C.3": "High-permeability and special magnetic metals",
    "1.C.4": "Uranium-titanium and heavy tungsten alloys",
    "1.C.5": "Superconductive composite conductors",
    "1.C.5.b": "Non-NbTi superconductive composite conductors",
    "1.C.5.c": "Superconductors working above 115 K",
    "1.C.6": "Special fluids and lubricating materials",
    "1.C.7": "Ceramic powders, composites and precursors",
    "1.C.7.c": "Ceramic-matrix composite materials",
    "1.C.7.e": "Precursor polymers for ceramic composites",
    "1.C.8": "Non-fluorinated high-performance polymers",
    "1.C.9": "Unprocessed fluorinated compounds",
    "1.C.10": "Fibrous and filamentary materials",
    "1.C.10.a": "High-strength organic fibres",
    "1.C.10.b": "High-strength carbon fibres",
    "1.C.10.c": "High-strength inorganic fibres",
    "1.C.10.d": "Fibres made from listed polymers",
    "1.C.10.e": "Prepregs, preforms and carbon fibre preforms",
    "1.C.10.e.2": "Prepregs with listed resins or high Tg",
    "1.C.11": "Fine metal powders and boron",
    "1.C.11.b": "Fine boron and boron alloy powder",
    "1.C.12": "Materials for nuclear heat sources",
    "1.C.12.b": "Previously separated neptunium-237",
    "1.D.1": "Software for Category 1 production equipment",
    "1.D.2": "Software for designing matrix composites",
    "1.D.3": "Software giving CBRN or explosive detection functions",
    "1.E.1": "Technology to develop or produce Cat. 1 items",
    "1.E.2": "Other Category 1 materials technology",
    "1.E.2.c": "Technology for ceramic powders and materials",
    "1.E.2.c.1": "Technology for listed ceramic powders",
    "1.E.2.c.2": "Technology for non-composite ceramics",
    "1.E.2.e": "Technology to install or repair absorbers",
    "1.E.2.f": "Technology to repair composite structures",
    "1.E.2.g": "Reference libraries for CBRN/explosive detectors",
    # Category 2
    "2.A.1": "Precision and magnetic bearing systems",
    "2.A.1.c": "Active magnetic bearing systems",
    "2.B.1": "Numerically controlled metal-removal machine tools",
    "2.B.1.a": "Machine tools for turning",
    "2.B.1.b": "Machine tools for milling",
    "2.B.1.b.4": "Precision fly cutting machines",
    "2.B.1.c": "Machine tools for grinding",
    "2.B.1.d": "Multi-axis non-wire EDM machines",
    "2.B.1.e": "Jet, beam and plasma removal machine tools",
    "2.B.1.f": "Very deep-hole drilling machines",
    "2.B.2": "Aspheric optical finishing machine tools",
    "2.B.3": "Hardened gear finishing machine tools",
    "2.B.4": "Hot isostatic presses and parts",
    "2.B.5": "Coating and surface modification equipment",
    "2.B.5.b": "Ion implantation coating equipment",
    "2.B.5.d": "Plasma spraying production equipment",
    "2.B.6": "Dimensional inspection and measuring systems",
    "2.B.6.b": "Linear displacement measuring instruments",
    "2.B.6.b.2": "Linear position feedback units for machine tools",
    "2.B.6.b.4": "Feedback electronics for linear measuring systems",
    "2.B.6.c": "Rotary position feedback units",
    "2.B.6.d": "Optical surface roughness measuring equipment",
    "2.B.7": "Robots, controllers and end-effectors",
    "2.B.8": "Compound rotary tables and tilting spindles",
    "2.B.9": "Spin-forming and flow-forming machines",
    "2.D.1": "Software for Category 2 equipment",
    "2.D.2": "Software for multi-axis numerical control units",
    "2.D.3": "Control software for optical finishing machines",
    "2.E.1": "Technology to develop Category 2 items",
    "2.E.2": "Technology to produce Category 2 equipment",
    "2.E.3": "Other Category 2 process technology",
    "2.E.3.b": "Metal-working manufacturing process technology",
    "2.E.3.c": "Technology for hydraulic stretch-forming machines",
    "2.E.3.f": "Technology for applying inorganic coatings",
    # Category 3
    "3.A.1": "Electronic components and devices",
    "3.A.1.a": "General-purpose integrated circuits",
    "3.A.1.a.1": "Radiation-hardened integrated circuits",
    "3.A.1.a.2": "Extreme-temperature microcircuits and converters",
    "3.A.1.a.2.a": "Chips rated above 125 degrees C",
    "3.A.1.a.3": "Compound-semiconductor fast microprocessors",
    "3.A.1.a.5": "High-speed ADC and DAC chips",
    "3.A.1.a.5.b": "High-speed digital-to-analogue converters",
    "3.A.1.a.6": "Electro-optical signal processing chips",
    "3.A.1.a.7": "High-end field programmable logic devices",
    "3.A.1.a.11": "Compound-semiconductor digital integrated circuits",
    "3.A.1.a.12": "Fast Fourier transform processor chips",
    "3.A.1.a.13": "Direct digital synthesizer integrated circuits",
    "3.A.1.a.14": "Chips with fast ADC plus data storage or processing",
    "3.A.1.b": "Microwave and millimetre-wave components",
    "3.A.1.b.1": "Vacuum electronic devices and cathodes",
    "3.A.1.b.1.a": "Travelling-wave vacuum electronic devices",
    "3.A.1.b.1.b": "Crossed-field amplifier vacuum devices",
    "3.A.1.b.2": "Monolithic microwave IC (MMIC) amplifiers",
    "3.A.1.b.2.e": "MMIC amplifiers for 37 to 43.5 GHz",
    "3.A.1.b.3": "Discrete microwave power transistors",
    "3.A.1.b.3.c": "Microwave transistors for 31.8 to 37 GHz",
    "3.A.1.b.4": "Microwave solid-state amplifiers and modules",
    "3.A.1.b.4.b": "Solid-state amplifiers for 6.8 to 31.8 GHz",
    "3.A.1.b.4.b.4": "High-power amplifiers for 16 to 31.8 GHz",
    "3.A.1.b.4.c": "Solid-state amplifiers for 31.8 to 37 GHz",
    "3.A.1.b.5": "Fast tunable band-pass or band-stop filters",
    "3.A.1.b.7": "Frequency converters and harmonic mixers",
    "3.A.1.b.7.b": "Range extenders for signal generators",
    "3.A.1.b.8": "Vacuum-tube microwave power amplifiers",
    "3.A.1.b.9": "Microwave power modules (MPMs)",
    "3.A.1.b.10": "Low phase-noise oscillators and assemblies",
    "3.A.1.b.11": "Fast-switching frequency synthesizer assemblies",
    "3.A.1.b.12": "Transmit/receive modules and MMICs",
    "3.A.1.c": "Acoustic wave signal devices",
    "3.A.1.c.2": "Bulk acoustic wave devices above 6 GHz",
    "3.A.1.c.3": "Acousto-optic signal processing devices",
    "3.A.1.d": "Superconductive electronic devices and circuits",
    "3.A.1.e": "High energy cells, capacitors and magnets",
    "3.A.1.e.2": "High energy storage capacitors",
    "3.A.1.e.3": "Fast superconductive electromagnets and solenoids",
    "3.A.1.e.4": "Space-qualified high-efficiency solar cells and arrays",
    "3.A.1.f": "High-accuracy absolute rotary position encoders",
    "3.A.1.g": "Pulsed power thyristor switching devices",
    "3.A.1.h": "High-temperature power semiconductor switches",
    "3.A.1.i": "Fast analogue electro-optic modulators",
    "3.A.2": "General-purpose electronic assemblies and test gear",
    "3.A.2.a": "Data recorders and oscilloscopes",
    "3.A.2.a.7": "Low-noise real-time oscilloscopes",
    "3.A.2.c": "High-frequency signal analysers",
    "3.A.2.d": "High-performance signal generators",
    "3.A.2.d.4": "Signal generators with very low phase noise",
    "3.A.2.d.5": "Signal generators with wide modulation bandwidth",
    "3.A.2.d.6": "Signal generators above 110 GHz",
    "3.A.2.e": "High-frequency network analysers",
    "3.A.2.f": "Microwave test receivers above 110 GHz",
    "3.A.2.g": "Atomic frequency standards (clocks)",
    "3.A.2.h": "Fast digitiser assemblies and modules",
    "3.A.3": "Spray cooling thermal management systems",
    "3.B.1": "Semiconductor manufacturing equipment",
    "3.B.1.b": "Ion implantation equipment",
    "3.B.1.f": "Semiconductor lithography equipment",
    "3.B.1.f.2": "Imprint lithography equipment",
    "3.B.1.f.3": "Beam-based mask making equipment",
    "3.B.1.f.4": "Direct-write electron beam processing equipment",
    "3.B.1.g": "Masks and reticles for listed chips",
    "3.B.1.h": "Phase-shift multilayer masks",
    "3.B.1.i": "Imprint lithography templates for listed chips",
    "3.B.1.j": "EUV multilayer mask substrate blanks",
    "3.B.2": "Semiconductor device test equipment",
    "3.C.1": "Hetero-epitaxial multilayer materials",
    "3.C.2": "Semiconductor lithography resist materials",
    "3.C.2.b": "Electron-beam and ion-beam resists",
    "3.C.3": "High-purity organo-metallic precursor compounds",
    "3.C.4": "High-purity phosphorus, arsenic, antimony hydrides",
    "3.C.5": "High resistivity wide-bandgap substrates",
    "3.C.6": "Epitaxial layers on wide-bandgap substrates",
    "3.D.1": "Software to develop or produce Cat. 3 equipment",
    "3.D.2": "Software to use semiconductor manufacturing equipment",
    "3.D.3": "Computational lithography software for EUV masks",
    "3.D.4": "Software to develop spray cooling systems",
    "3.D.5": "Software restoring microcomputers after EMP or ESD",
    "3.D.6": "Chip design (ECAD) software for GAAFET devices",
    "3.E.1": "Technology to develop or produce Cat. 3 items",
    "3.E.2": "Technology to develop or produce microprocessors",
    "3.E.3": "Other Category 3 device technology",
    "3.E.3.c": "Technology for superconductive electronic devices",
    "3.E.4": "Technology for polishing 300 mm wafers",
    # Category 4
    "4.A.1": "Ruggedised or radiation-hardened electronic computers",
    "4.A.3": "Digital computers and performance-boosting assemblies",
    "4.A.4": "Systolic array, neural and optical computers",
    "4.A.5": "Systems to generate, control or deliver intrusion software",
    "4.D.1": "Software for Category 4 items",
    "4.D.1.a": "Software to develop or produce Cat. 4 items",
    "4.D.1.b": "Software to develop high-performance computers",
    "4.D.4": "Software to generate, control or deliver intrusion software",
    "4.E.1": "Technology for Category 4 items",
    "4.E.1.a": "Technology to develop, produce or use Cat. 4 items",
    "4.E.1.b": "Technology to develop high-performance computers",
    "4.E.1.c": "Technology for developing intrusion software",
    # Category 5 Part 1
    "5.A.1": "Telecommunications systems, equipment and components",
    "5.A.1.a": "Hardened or extreme-temperature telecom equipment",
    "5.A.1.b": "Telecom equipment with listed special features",
    "5.A.1.b.2": "Adaptive HF/VHF radios (1.5-87.5 MHz)",
    "5.A.1.b.2.b": "HF/VHF radios with linear power amplifiers",
    "5.A.1.b.3": "Spread-spectrum and frequency-hopping radio equipment",
    "5.A.1.b.4": "Ultra-wideband radio equipment with programmable codes",
    "5.A.1.b.5": "Digitally controlled scanning radio receivers",
    "5.A.1.b.6": "Very low bit-rate voice coding equipment",
    "5.A.1.c": "High-strength long optical fibres",
    "5.A.1.d": "Electronically steerable phased array antennae",
    "5.A.1.e": "Wideband radio direction finding equipment",
    "5.A.1.f": "Mobile network interception, jamming or monitoring gear",
    "5.A.1.f.1": "Over-the-air voice or data interception equipment",
    "5.A.1.f.2": "Over-the-air identifier or metadata interception (IMSI catchers)",
    "5.A.1.f.3": "Selective mobile telecom jamming equipment",
    "5.A.1.f.4": "RF monitoring to detect interception or jamming gear",
    "5.A.1.g": "Passive coherent location (PCL) systems",
    "5.A.1.h": "Counter-IED radio transmitting equipment",
    "5.A.1.j": "Carrier-class IP network communications surveillance systems",
    "5.B.1": "Telecom test, inspection and production equipment",
    "5.B.1.a": "Equipment to develop or produce 5A001 items",
    "5.B.1.b": "Equipment to develop transmission or switching gear",
    "5.D.1": "Software for telecommunications items",
    "5.D.1.a": "Software to develop, produce or use 5A001 items",
    "5.D.1.c": "Software providing functions of 5A001/5B001 equipment",
    "5.D.1.d": "Software to develop transmission or switching gear",
    "5.D.1.e": "Law-enforcement monitoring and analysis software",
    "5.D.1.e.2": "Relational mapping or movement/location tracking function",
    "5.E.1": "Technology for telecommunications items",
    "5.E.1.a": "Technology for 5A001 items or 5D001.a/.e software",
    "5.E.1.b": "Specific telecom technology (space, laser, SDR, spread spectrum)",
    "5.E.1.c": "Technology for advanced transmission equipment",
    "5.E.1.c.3": "Technology for fast optical switching equipment",
    "5.E.1.c.4": "Technology for advanced radio equipment",
    "5.E.1.c.6": "Technology for ultraviolet mobile LAN equipment",
    "5.E.1.d": "Technology for telecom MMIC amplifiers",
    "5.E.1.d.1": "MMIC amplifier technology, 2.7-6.8 GHz",
    "5.E.1.d.2": "MMIC amplifier technology, 6.8-16 GHz",
    "5.E.1.e": "Technology for superconductive telecom circuits",
    # Category 5 Part 2
    "5.A.2": "Cryptographic information security items",
    "5.A.2.a": "Items using cryptography for data confidentiality",
    "5.A.2.b": "Cryptographic activation token items",
    "5.A.2.c": "Quantum cryptography (QKD) items",
    "5.A.2.d": "Cryptographic code generation for ultra-wideband systems",
    "5.A.2.e": "Cryptographic spreading-code generation for spread spectrum",
    "5.A.3": "Non-cryptographic information security items",
    "5.A.3.a": "Intrusion-detecting communications cable systems",
    "5.A.3.b": "Compromising-emanation suppression equipment",
    "5.A.4": "Items defeating, weakening or bypassing information security",
    "5.A.4.a": "Cryptanalytic systems and equipment",
    "5.A.4.b": "Forensic raw-data extraction bypassing device authentication",
    "5.B.2": "Information security test and production equipment",
    "5.B.2.a": "Equipment to develop or produce infosec items",
    "5.B.2.b": "Equipment evaluating information security functions",
    "5.D.2": "Information security software",
    "5.D.2.a": "Software to develop, produce or use infosec items",
    "5.D.2.b": "Cryptographic activation token software",
    "5.D.2.c": "Software with 5A002, 5A003 or 5A004 functions",
    "5.E.2": "Information security technology",
    "5.E.2.a": "Technology for infosec equipment and software",
    "5.E.2.b": "Cryptographic activation token technology",
    # Category 6
    "6.A.1": "Acoustic systems, equipment and components",
    "6.A.1.a": "Marine acoustic systems and equipment",
    "6.A.1.a.1": "Active marine acoustic systems",
    "6.A.1.a.1.a": "Acoustic seabed survey equipment",
    "6.A.1.a.1.a.2": "Underwater seabed survey equipment",
    "6.A.1.a.1.a.3": "Side-scan and synthetic aperture sonar",
    "6.A.1.a.1.b": "Sonar for object detection or location",
    "6.A.1.a.1.c": "Acoustic projectors and transducers",
    "6.A.1.a.1.c.1": "Low-frequency high-output acoustic projectors",
    "6.A.1.a.1.d": "Acoustic positioning systems for vessels",
    "6.A.1.a.1.e": "Sonars detecting swimmers or divers",
    "6.A.1.a.2": "Passive marine acoustic systems",
    "6.A.1.a.2.a": "Hydrophones meeting listed sensitivity criteria",
    "6.A.1.a.2.a.1": "Hydrophones with flexible sensing elements",
    "6.A.1.a.2.b": "Towed acoustic hydrophone arrays",
    "6.A.1.a.2.c": "Processing equipment for towed arrays",
    "6.A.1.a.2.d": "Underwater heading sensors for arrays",
    "6.A.1.a.2.e": "Bottom or bay-cable hydrophone arrays",
    "6.A.1.a.2.f": "Processing equipment for bottom-cable systems",
    "6.A.1.a.2.g": "Accelerometer-based hydro-acoustic sensors",
    "6.A.1.b": "Correlation and Doppler velocity sonar logs",
    "6.A.2": "Optical sensors, equipment and components",
    "6.A.2.a": "Optical detectors and detector arrays",
    "6.A.2.a.2": "Image intensifier tubes and components",
    "6.A.2.a.2.a": "Image intensifier tubes, 400-1,050 nm",
    "6.A.2.a.2.b": "Image intensifier tubes, 1,050-1,800 nm",
    "6.A.2.a.2.c": "Components for image intensifier tubes",
    "6.A.2.a.3": "Non-space-qualified focal plane arrays",
    "6.A.2.a.3.a": "Focal plane arrays, 900-1,050 nm",
    "6.A.2.a.3.b": "Focal plane arrays, 1,050-1,200 nm",
    "6.A.2.a.3.c": "Two-dimensional infrared focal plane arrays",
    "6.A.2.a.3.d": "Linear focal plane arrays, 1.2-3 micrometres",
    "6.A.2.a.3.e": "Linear focal plane arrays, 3-30 micrometres",
    "6.A.2.a.3.f": "Microbolometer infrared focal plane arrays",
    "6.A.2.a.3.g": "Focal plane arrays, 400-900 nm",
    "6.A.2.b": "Remote sensing imaging sensors",
    "6.A.2.c": "Direct view imaging equipment",
    "6.A.2.d": "Cryocoolers and support parts for sensors",
    "6.A.2.f": "Read-out ICs for focal plane arrays",
    "6.A.3": "Cameras, camera systems and components",
    "6.A.3.a": "High-speed instrumentation cameras",
    "6.A.3.a.6": "Plug-ins for modular instrumentation cameras",
    "6.A.3.b": "Imaging cameras (solid-state, scanning, intensified)",
    "6.A.3.b.2": "Scanning cameras and camera systems",
    "6.A.3.b.3": "Cameras with listed image intensifiers",
    "6.A.3.b.4": "Cameras with listed focal plane arrays",
    "6.A.3.b.5": "Cameras with space-qualified solid-state detectors",
    "6.A.4": "Optical equipment and components",
    "6.A.4.a": "Optical mirrors (reflectors)",
    "6.A.4.a.1": "Deformable mirrors and their components",
    "6.A.4.a.2": "Lightweight monolithic mirrors",
    "6.A.4.a.3": "Lightweight composite or foam mirrors",
    "6.A.4.a.4": "Mirrors for beam steering stages",
    "6.A.4.b": "Zinc selenide or sulphide infrared optics",
    "6.A.4.c": "Space-qualified optical system components",
    "6.A.4.d": "Optical control and steering equipment",
    "6.A.4.d.3": "Precision gimbals for optical pointing",
    "6.A.4.e": "Large precision aspheric optical elements",
    "6.A.4.f": "Dynamic wavefront measuring equipment",
    "6.A.5": "Lasers, laser components and optical equipment",
    "6.A.5.a": "Non-tunable continuous wave lasers",
    "6.A.5.a.6": "CW lasers, 975-1,150 nm",
    "6.A.5.a.7": "CW lasers, 1,150-1,555 nm",
    "6.A.5.b": "Non-tunable pulsed lasers",
    "6.A.5.b.3": "Pulsed lasers, 510-540 nm",
    "6.A.5.b.4": "Pulsed lasers, 540-800 nm",
    "6.A.5.b.5": "Pulsed lasers, 800-975 nm",
    "6.A.5.b.5.c": "Long-pulse lasers, 800-975 nm",
    "6.A.5.b.6": "Pulsed lasers, 975-1,150 nm",
    "6.A.5.b.6.c": "Nanosecond-to-microsecond lasers, 975-1,150 nm",
    "6.A.5.b.6.c.2": "Multimode nanosecond-class lasers, 975-1,150 nm",
    "6.A.5.b.6.d": "Long-pulse lasers, 975-1,150 nm",
    "6.A.5.b.7": "Pulsed lasers, 1,150-1,555 nm",
    "6.A.5.b.8": "Pulsed lasers, 1,555-1,850 nm",
    "6.A.5.b.9": "Pulsed lasers, 1,850-2,100 nm",
    "6.A.5.b.10": "Pulsed lasers above 2,100 nm",
    "6.A.5.c": "Tunable lasers of listed power",
    "6.A.5.c.2": "Tunable lasers, 600-1,400 nm",
    "6.A.5.d": "Other lasers (semiconductor, gas, chemical)",
    "6.A.5.d.1": "Semiconductor lasers (laser diodes)",
    "6.A.5.d.1.a": "Single-transverse-mode laser diodes",
    "6.A.5.d.1.b": "Multiple-transverse-mode laser diodes",
    "6.A.5.d.1.c": "Semiconductor laser diode bars",
    "6.A.5.d.1.d": "Laser diode stacked arrays",
    "6.A.5.d.1.d.2": "Stacked arrays, 1,400-1,900 nm",
    "6.A.5.d.1.d.3": "Stacked arrays, 1,900 nm and above",
    "6.A.5.d.1.d.4": "Stacked arrays containing listed bars",
    "6.A.5.d.1.e": "Combinable laser diode stacked arrays",
    "6.A.5.d.2": "High-power carbon monoxide lasers",
    "6.A.5.d.3": "High-power carbon dioxide lasers",
    "6.A.5.d.4": "Excimer lasers of listed output",
    "6.A.5.d.4.b": "Excimer lasers, 150-190 nm",
    "6.A.5.d.5": "Chemical lasers (HF, DF and others)",
    "6.A.5.d.6": "Non-repetitive pulsed Nd:glass lasers",
    "6.A.5.e": "Laser components (cooled mirrors, optics)",
    "6.A.5.e.2": "Optics for high-power laser use",
    "6.A.5.e.3": "Fibre laser components",
    "6.A.5.e.3.b": "Single-mode to multimode fibre combiners",
    "6.A.5.e.3.c": "Multi-layer dielectric gratings for beam combining",
    "6.A.5.f": "Optical equipment for high-power lasers",
    "6.A.5.g": "Laser acoustic detection equipment",
    "6.A.6": "Magnetic and electric field sensors",
    "6.A.6.a": "Magnetometers and their subsystems",
    "6.A.6.a.2": "Optically pumped or precession magnetometers",
    "6.A.6.b": "Sensitive underwater electric field sensors",
    "6.A.6.c": "Magnetic gradiometers of listed performance",
    "6.A.6.d": "Compensation systems for field sensors",
    "6.A.6.e": "Underwater electromagnetic receivers",
    "6.A.7": "Gravity meters and gravity gradiometers",
    "6.A.7.c": "Gravity gradiometers (all types)",
    "6.A.8": "Radar systems, equipment and assemblies",
    "6.A.8.a": "Radar operating at 40-230 GHz",
    "6.A.8.c": "Radar using several carrier frequencies",
    "6.A.8.f": "Radar able to find target height",
    "6.A.8.j": "Laser radar and LIDAR equipment",
    "6.A.8.k": "Radar with pulse compression processing",
    "6.A.8.l": "Radar with tracking data processing",
    "6.B.2": "Masks and reticles for optical sensors",
    "6.B.4": "Precision optical measuring equipment",
    "6.B.5": "Laser test equipment: none listed",
    "6.B.6": "Field sensor test equipment: none listed",
    "6.B.7": "Production and calibration equipment for gravimeters",
    "6.B.8": "Pulse radar cross-section measurement systems",
    "6.C.1": "Acoustic materials: none listed",
    "6.C.2": "Optical sensor materials",
    "6.C.2.b": "Single crystals for infrared detectors",
    "6.C.2.b.2": "Cadmium telluride crystals, any purity",
    "6.C.3": "Camera materials: none listed",
    "6.C.4": "Optical materials and substrate blanks",
    "6.C.4.b": "Electro-optic and non-linear optical crystals",
    "6.C.4.c": "Other non-linear optical materials",
    "6.C.4.d": "Large silicon carbide or Be/Be blanks",
    "6.C.4.e": "Low-loss fluoride and speciality glass",
    "6.C.4.f": "Low-absorption synthetic diamond material",
    "6.C.5": "Laser host and fibre materials",
    "6.C.6": "Field sensor materials: none listed",
    "6.C.7": "Gravimeter materials: none listed",
    "6.C.8": "Radar materials: none listed",
    "6.D.1": "Software to develop or produce optics, lasers, radar",
    "6.D.2": "Software to use remote sensors and radar",
    "6.D.3": "Other Category 6 software",
    "6.D.3.a": "Acoustic data processing software and code",
    "6.D.3.a.4": "Bottom-cable acoustic processing source code",
    "6.D.3.b": "Optical sensor software: none listed",
    "6.D.3.c": "Software lifting camera frame-rate limits",
    "6.D.3.d": "Segmented mirror alignment and phasing software",
    "6.D.3.e": "Laser software: none listed",
    "6.D.3.f": "Magnetic and electric field sensor software",
    "6.D.3.g": "Motion correction software for gravity meters",
    "6.D.3.h": "Air traffic control and radome software",
    "6.E.1": "Technology to develop Category 6 items",
    "6.E.2": "Technology to produce Category 6 items",
    "6.E.3": "Other Category 6 technology",
    "6.E.3.d": "Optical coating and fabrication technology",
    "6.E.3.e": "Technology for super-high-power laser testing",
    "6.E.3.f": "Field sensor technology: unused since 2004",
    "6.E.3.g": "Gravimeter technology: none listed",
    "6.E.3.h": "Radar technology: none listed",
    # Category 7
    "7.A.1": "Accelerometers and their components",
    "7.A.1.b": "Angular or rotational accelerometers",
    "7.A.2": "Gyros and angular rate sensors",
    "7.A.2.a": "Gyros for up to 100 g",
    "7.A.2.a.2": "High-rate gyros, 500 deg/s or more",
    "7.A.2.a.2.b": "High-rate gyros with low random walk",
    "7.A.2.b": "Gyros for above 100 g",
    "7.A.3": "Inertial measurement equipment and systems",
    "7.A.3.a": "Unaided inertial navigation for vehicles",
    "7.A.3.b": "Inertial systems with embedded position aiding",
    "7.A.3.c": "Heading and true-north finding systems",
    "7.A.3.d": "Multi-axis inertial measurement units",
    "7.A.4": "Star trackers and their components",
    "7.A.5": "Satellite navigation receiving equipment",
    "7.A.5.a": "Sat-nav receivers with government-code decryption",
    "7.A.6": "Airborne altimeters outside 4.2-4.4 GHz",
    "7.A.8": "Underwater sonar navigation systems",
    "7.B.1": "Test and calibration equipment for 7.A items",
    "7.B.2": "Test equipment for ring laser gyro mirrors",
    "7.B.3": "Production equipment for 7.A items",
    "7.D.1": "Software to develop or produce Cat. 7 items",
    "7.D.2": "Source code for inertial navigation equipment",
    "7.D.3": "Other navigation and flight control software",
    "7.D.3.b": "Source code for hybrid navigation systems",
    "7.D.3.e": "CAD software for active flight controls",
    "7.D.4": "Source code for advanced flight control systems",
    "7.D.5": "Software decrypting government sat-nav ranging code",
    "7.E.1": "Technology to develop Category 7 items",
    "7.E.2": "Technology to produce Category 7 equipment",
    "7.E.3": "Repair and overhaul technology for 7.A items",
    "7.E.4": "Other avionics and navigation technology",
    "7.E.4.a": "Technology for listed avionics subsystems",
    "7.E.4.a.6": "Technology for flight control optical sensor arrays",
    "7.E.4.a.7": "Technology for database-referenced underwater navigation",
    "7.E.4.b": "Development technology for active flight controls",
    "7.E.4.b.4": "Failure detection and control reconfiguration algorithms",
    "7.E.4.b.5": "Integrated digital flight management technology",
    "7.E.4.b.7": "Fly-by-wire inner-loop requirements technology",
    "7.E.4.b.8": "Fly-by-wire fault tolerance requirements technology",
    "7.E.4.c": "Technology for helicopter flight control systems",
    # Category 8
    "8.A.1": "Submersible vehicles and surface vessels",
    "8.A.1.a": "Manned tethered deep submersibles",
    "8.A.1.b": "Manned untethered submersible vehicles",
    "8.A.1.c": "Unmanned submersible vehicles",
    "8.A.1.e": "Deep ocean salvage systems",
    "8.A.2": "Marine systems, equipment and components",
    "8.A.2.b": "Automated motion control for submersibles",
    "8.A.2.c": "Fibre optic pressure hull penetrators",
    "8.A.2.h": "Computer-controlled underwater robots",
    "8.A.2.i": "Remote manipulators for submersible vehicles",
    "8.A.2.j": "Air independent underwater power systems",
    "8.A.2.j.2": "Diesel air-independent power systems",
    "8.A.2.j.3": "Fuel cell air-independent power systems",
    "8.A.2.j.4": "Stirling engine air-independent power systems",
    "8.A.2.o": "Propulsion, power and noise reduction systems",
    "8.A.2.o.3": "Noise reduction systems for large vessels",
    "8.A.2.o.4": "Permanent magnet motors for submersibles",
    "8.A.2.p": "High-power pumpjet propulsion systems",
    "8.A.2.q": "Rebreathers and diving equipment",
    "8.A.2.r": "Diver deterrent acoustic systems",
    "8.B.1": "Low-noise water tunnels for acoustics",
    "8.C.1": "Syntactic foam for deep underwater use",
    "8.D.1": "Software for Category 8 items",
    "8.D.2": "Software for quiet propeller work",
    "8.E.1": "Technology to develop or produce Cat. 8 items",
    "8.E.2": "Other marine technology (propellers, overhaul)",
    "8.E.2.c": "Technology for fast special-hull vessels",
    # Category 9
    "9.A.1": "Aero gas turbine engines with listed technology",
    "9.A.2": "Marine gas turbine engines (liquid fuel)",
    "9.A.3": "Advanced assemblies and components for aero engines",
    "9.A.4": "Space launch vehicles and spacecraft",
    "9.A.4.e": "Spacecraft on-board systems and equipment",
    "9.A.4.f": "Terrestrial equipment for spacecraft",
    "9.A.4.g": "Aircraft adapted as air-launch platforms",
    "9.A.4.h": "Sub-orbital craft (all)",
    "9.A.5": "Liquid rocket propulsion systems",
    "9.A.6": "Components for liquid rocket propulsion",
    "9.A.7": "Solid rocket propulsion systems",
    "9.A.8": "Components for solid rocket propulsion",
    "9.A.9": "Hybrid rocket propulsion systems",
    "9.A.10": "Launch vehicle and spacecraft components",
    "9.A.10.b": "Composite launch propulsion components",
    "9.A.10.c": "Active structural control for spacecraft",
    "9.A.10.d": "Fast-response pulsed liquid rocket engines",
    "9.A.11": "Ramjet, scramjet and combined cycle engines",
    "9.A.12": "Unmanned aerial vehicles and unmanned airships",
    "9.A.12.a": "UAVs flying beyond operator line of sight",
    "9.A.12.b": "UAV conversion kits and high-altitude engines",
    "9.B.1": "Turbine component manufacturing equipment and tooling",
    "9.B.2": "Engine development test instrumentation",
    "9.B.3": "Brush seal production and test equipment",
    "9.B.4": "Solid-state joining tools for aerofoils",
    "9.B.5": "Instrumentation for wind tunnels and test facilities",
    "9.B.6": "High-intensity acoustic vibration test equipment",
    "9.B.7": "Non-destructive inspection of rocket motors",
    "9.B.8": "High-temperature wall skin friction transducers",
    "9.B.9": "Tooling for powder metallurgy rotor parts",
    "9.B.10": "Production equipment for listed UAVs",
    "9.D.1": "Software to develop Category 9 items",
    "9.D.2": "Software to produce Category 9 equipment",
    "9.D.3": "FADEC software with listed technology",
    "9.D.4": "Other propulsion and aerospace software",
    "9.D.4.c": "Software controlling directional crystal growth",
    "9.D.5": "Software operating spacecraft and ground systems",
    "9.E.1": "Technology to develop Category 9 items",
    "9.E.2": "Technology to produce Category 9 items",
    "9.E.3": "Other propulsion and aerospace technology",
    "9.E.3.a": "Technology for gas turbine components",
    "9.E.3.a.2": "Technology for advanced combustors",
    "9.E.3.a.3": "Technology for composite engine components",
    "9.E.3.a.3.c": "Technology for compressor and fan parts",
    "9.E.3.a.4": "Technology for uncooled hot-section blades",
    "9.E.3.a.5": "Technology for cooled turbine blades",
    "9.E.3.a.6": "Technology for solid-state joined blade-disks",
    "9.E.3.a.11": "Technology for hollow fan blades",
    "9.E.3.b": "Technology for aero-models and composite propellers",
    "9.E.3.b.2": "Technology for composite propeller blades",
    "9.E.3.c": "Technology for drilling engine cooling holes",
    "9.E.3.d": "Technology for rotorcraft power transfer systems",
    "9.E.3.e": "Technology for compact diesel vehicle engines",
    "9.E.3.f": "Production technology for high-output diesel parts",
    "9.E.3.f.2": "Technology for diesel turbocharger systems",
    "9.E.3.f.3": "Technology for multifuel injection systems",
    "9.E.3.g": "Technology for diesel cylinder wall lubrication",
    "9.E.3.h": "Technology for engine FADEC systems",
    "9.E.3.i": "Technology for adjustable engine flow paths",
    "9.E.3.j": "Technology for wing-folding systems",
    "9.E.3.k": "Technology for supersonic-cruise engine subsystems",
    "4.A.3.b": "Computers above the APP threshold",
    "4.A.3.c": "Electronic assemblies aggregating processors",
    "4.A.3.g": "Equipment aggregating computers above the APP threshold",
    "5.A.2.a.2": "Items whose primary function is not information security (a.2)",
    "5.A.2.a.3": "Crypto items not covered by a.1, a.2 or a.4",
    "5.D.2.a.1": "Software to develop or produce 5A002.a items",
    "5.D.2.a.2": "Software to develop or produce 5A003 items",
    "5.D.2.a.3": "Software to develop or produce 5A004 items",
    "5.D.2.a.3.a": "Software to develop or produce cryptanalytic 5A004.a items",
    "5.D.2.c.1": "Software with the functions of 5A002.a items",
    "5.D.2.c.2": "Software with the functions of 5A003 items",
    "5.D.2.c.3": "Software with the functions of 5A004 items",
    "5.D.2.c.3.a": "Software with the functions of cryptanalytic 5A004.a items",
}

# ---------------------------------------------------------------------------------------
# Rows the parsed list lacks: (WA code, WA code of the JSON entry whose text holds it).
# Labels come from LABELS. Three kinds:
# (a) entries folded into a group heading or a neighbour's text by the parser;
# (b) intermediate paragraphs needed as parents of rows the JSON has;
# (c) first-level paragraphs of the Category 4/5 entries the comparison needs.
ADDED = [
    # (a) folded entries
    ("1.D.2", "1.D.1"),
    ("1.D.3", "1.D.1"),
    ("2.D.1", "2.D"),
    ("4.A.1", "4.A"),
    ("6.D.1", "6.D"),
    ("6.D.2", "6.D"),
    ("6.D.3", "6.D"),
    # (b) intermediate paragraphs (parents of JSON rows)
    ("1.A.4.a", "1.A.4"),
    ("1.C.2.c.1", "1.C.2.c"),
    ("1.E.2.c", "1.E.2"),
    ("2.E.3.b", "2.E.3"),
    ("3.A.1.a", "3.A.1"),
    ("3.A.1.b.1", "3.A.1.b"),
    ("3.A.2.a", "3.A.2"),
    ("5.A.1.b.2", "5.A.1.b"),
    ("5.B.1.b", "5.B.1"),
    ("6.A.1.a.1", "6.A.1.a"),
    ("6.A.2.a", "6.A.2"),
    ("6.A.3.a", "6.A.3"),
    ("6.A.4.a", "6.A.4"),
    ("6.A.5.b.6.c", "6.A.5.b.6"),
    ("6.A.5.d.1", "6.A.5.d"),
    ("6.C.2.b", "6.C.2"),
    ("7.A.2.a", "7.A.2"),
    ("7.E.4.a", "7.E.4"),
    ("9.E.3.a", "9.E.3"),
    # (c) Category 4 / 5 paragraphs
    ("4.D.1.a", "4.D.1"),
    ("4.D.1.b", "4.D.1"),
    ("4.E.1.a", "4.E.1"),
    ("4.E.1.b", "4.E.1"),
    ("4.E.1.c", "4.E.1"),
    ("5.A.1.a", "5.A.1"),
    ("5.A.1.f.1", "5.A.1.f"),
    ("5.A.1.f.2", "5.A.1.f"),
    ("5.A.1.f.3", "5.A.1.f"),
    ("5.A.1.f.4", "5.A.1.f"),
    ("5.B.1.a", "5.B.1"),
    ("5.D.1.a", "5.D.1"),
    ("5.D.1.c", "5.D.1"),
    ("5.D.1.d", "5.D.1"),
    ("5.E.1.a", "5.E.1"),
    ("5.E.1.b", "5.E.1"),
    ("5.A.2.a", "5.A.2"),
    ("5.A.3.a", "5.A.3"),
    ("5.A.4.a", "5.A.4"),
    ("5.B.2.a", "5.B.2"),
    ("5.B.2.b", "5.B.2"),
    ("5.D.2.a", "5.D.2"),
    ("5.E.2.a", "5.E.2"),
    ("5.E.2.b", "5.E.2"),
    # (d) paragraphs the US and EU lists split out (their rows carry different controls)
    ("4.A.3.b", "4.A.3"),
    ("4.A.3.c", "4.A.3"),
    ("4.A.3.g", "4.A.3"),
    ("5.A.2.a.2", "5.A.2"),
    ("5.A.2.a.3", "5.A.2"),
    ("5.D.2.a.1", "5.D.2"),
    ("5.D.2.a.2", "5.D.2"),
    ("5.D.2.a.3", "5.D.2"),
    ("5.D.2.a.3.a", "5.D.2"),
    ("5.D.2.c.1", "5.D.2"),
    ("5.D.2.c.2", "5.D.2"),
    ("5.D.2.c.3", "5.D.2"),
    ("5.D.2.c.3.a", "5.D.2"),
]

# Qualified catalogue rows, named as the US CCL names the cyber part of a paragraph.
# (code, WA code of the paragraph, label)
QUALIFIED = [
    ("4D001.a(4A005)", "4.D.1.a", "Software to develop or produce 4A005 or 4D004 items"),
    ("4E001.a(4A005)", "4.E.1.a", "Technology for 4A005, 4D001.a(4A005) or 4D004"),
    ("5B001.a(5A001.j)", "5.B.1.a", "Equipment to develop or produce 5A001.j systems"),
    ("5D001.a(5A001.j)", "5.D.1.a", "Software to develop, produce or use 5A001.j"),
    ("5D001.c(5A001.j)", "5.D.1.c", "Software giving functions of 5A001.j or 5B001.a(5A001.j)"),
    ("5E001.a(5A001.j)", "5.E.1.a", "Technology for 5A001.j or 5D001.a(5A001.j)"),
    # Qualified rows the US and EU lists use for other paragraphs (not cyber items).
    ("5D001.a(5A001.f)", "5.D.1.a", "Software to develop, produce or use 5A001.f"),
    ("5D001.c(5A001.f)", "5.D.1.c", "Software giving functions of 5A001.f equipment"),
    ("5E001.a(5A001.f)", "5.E.1.a", "Technology for 5A001.f equipment or software"),
    ("5D001(5A001.f.1)", "5.D.1", "Software for 5A001.f.1 interception jammers"),
    ("5E001.a(5A001.f.1)", "5.E.1.a", "Technology for 5A001.f.1 interception jammers"),
    ("5E002.a(5A003)", "5.E.2.a", "Technology for 5A003 and related Part 2 items"),
    ("5E002.a(5A004.a)", "5.E.2.a", "Technology for cryptanalytic items (Annex IV)"),
]

# ---------------------------------------------------------------------------------------
# Tags. Category 5 rows also get cat5p1 / cat5p2 (by entry number: x.1 = Part 1).
CYBER = {
    "4A005", "4D001.a(4A005)", "4D004", "4E001.a(4A005)", "4E001.c",
    "5A001.j", "5B001.a(5A001.j)", "5D001.a(5A001.j)", "5D001.c(5A001.j)", "5E001.a(5A001.j)",
}
TAGS = {}


def _tag(codes, *tags):
    for c in codes:
        TAGS.setdefault(c, [])
        for t in tags:
            if t not in TAGS[c]:
                TAGS[c].append(t)


_tag(CYBER, "cyber")
_tag(["4A005", "4D001.a(4A005)", "4D004", "4E001.a(4A005)", "4E001.c"], "intrusion")
_tag(["5A001.j", "5B001.a(5A001.j)", "5D001.a(5A001.j)", "5D001.c(5A001.j)",
      "5E001.a(5A001.j)", "5A001.f", "5D001.e"], "surveillance")
_tag(["5A004.a"], "cryptanalytic")
_tag(["5A004.b"], "forensics")
_tag(["5A001.f", "5D001.e", "5A004.b", "5A004.a"], "related-cyber")
ENCRYPTION_ROOTS = ("5A002", "5D002", "5E002")  # whole families, unused stubs excepted
TAG_ORDER = ["cyber", "intrusion", "surveillance", "encryption", "cryptanalytic", "forensics",
             "related-cyber", "cat5p1", "cat5p2", "unused"]

# ---------------------------------------------------------------------------------------
WA_RE = re.compile(r"^([0-9])\.([A-E])\.([0-9]{1,2})((?:\.(?:[a-z]|[0-9]{1,2}))*)$")
CODE_RE = re.compile(r"^[0-9][A-E][0-9]{3}(?:\.(?:[a-z]|[0-9]{1,2}))*(?:\([0-9A-Z.a-z()]+\))?$")
UNUSED_RE = re.compile(r"^Not used since (\d{4})\b")


def compact(wa: str) -> str:
    m = WA_RE.match(wa)
    if not m:
        raise ValueError(f"not a WA entry code: {wa!r}")
    cat, grp, num, rest = m.groups()
    return f"{cat}{grp}{int(num):03d}{rest}"


def wa_parent(wa: str) -> str | None:
    parts = wa.split(".")
    return ".".join(parts[:-1]) if len(parts) > 3 else None


def sort_key(wa: str, qualifier: str = ""):
    key = []
    for p in wa.split("."):
        key.append((0, int(p), "") if p.isdigit() else (1, 0, p))
    if qualifier:  # qualified rows follow their paragraph (and its sub-paragraphs)
        key.append((2, 0, qualifier))
    return key


def section(wa: str) -> str:
    cat = wa[0]
    if cat == "5":
        part = "Part 1" if wa.split(".")[2] == "1" else "Part 2"
        return f"Cat. 5 {part}"
    return f"Cat. {cat}"


def pages_text(p1: int, p2: int) -> str:
    return f"p. {p1}" if p1 == p2 else f"pp. {min(p1, p2)}-{max(p1, p2)}"


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    src = Path(args[0]) if args else DEFAULT_JSON
    data = json.loads(src.read_text(encoding="utf-8"))
    entries = data["entries"]
    assert data["count"] == len(entries) == 568, "expected the 568-entry parse of WA-LIST (25) 1"
    by_wa = {e["code"]: e for e in entries}
    assert len(by_wa) == len(entries), "duplicate codes in the JSON"

    headings = [e["code"] for e in entries if len(e["code"].split(".")) == 2]
    assert len(headings) == 37, headings
    assert {e["code"] for e in entries if e["text_completeness"] == "heading_only"} == set(headings)
    items = [e for e in entries if e["code"] not in set(headings)]

    rows = {}  # code -> row dict

    def add_row(code, wa, label, pg, note="", qualifier=""):
        assert code not in rows, f"duplicate code {code}"
        source = f"{DOC} {section(wa)} {wa} {pg}"
        if qualifier:
            source += f"; {CFR_NAMING}"
        if note:
            source += f" | {note}"
        rows[code] = {"code": code, "wa_code": wa, "label": label, "source": source,
                      "_pg": pg, "_key": sort_key(wa, qualifier)}

    unused = set()
    for e in items:
        wa = e["code"]
        m = UNUSED_RE.match(e["text"])
        if m:
            label = f"Unused paragraph (since {m.group(1)})"
            unused.add(wa)
            assert wa not in LABELS, f"{wa} is an unused stub; drop its hand label"
        else:
            label = LABELS[wa]
        add_row(compact(wa), wa, label, f"p. {e['page']}")

    added_codes = [a for a, _ in ADDED]
    assert len(set(added_codes)) == len(added_codes)
    for wa, holder in ADDED:
        assert wa not in by_wa, f"{wa} is already in the JSON; remove it from ADDED"
        h = by_wa[holder]
        first_child = min((e for e in items if e["code"].startswith(wa + ".")),
                          key=lambda e: e["page"], default=None)
        pg = pages_text(h["page"], first_child["page"]) if first_child else f"p. {h['page']}"
        add_row(compact(wa), wa, LABELS[wa], pg, note=f"paragraph read from the {holder} text")

    for code, wa, label in QUALIFIED:
        base = compact(wa)
        assert code.startswith(base + "("), code
        add_row(code, wa, label, rows[base]["_pg"], note="qualified form as the CCL names it",
                qualifier=code[len(base):])

    # parents, categories, tags
    for code, r in rows.items():
        wa = r["wa_code"]
        if "(" in code:
            r["parent"] = code.split("(", 1)[0]
        else:
            pw = wa_parent(wa)
            r["parent"] = compact(pw) if pw else ""
        r["category"] = wa[0]
        tags = list(TAGS.get(code, []))
        if (code.startswith(ENCRYPTION_ROOTS) and wa not in unused):
            tags.append("encryption")
        if wa[0] == "5":
            tags.append("cat5p1" if wa.split(".")[2] == "1" else "cat5p2")
        if wa in unused:
            tags.append("unused")
        r["tags"] = ";".join(sorted(set(tags), key=TAG_ORDER.index))

    # ---------------- assertions: known facts and integrity ----------------
    for code, r in rows.items():
        assert CODE_RE.match(code), code
        if "(" not in code:
            assert compact(r["wa_code"]) == code
        if r["parent"]:
            assert r["parent"] in rows, f"{code}: parent {r['parent']} missing"
        else:
            assert len(r["wa_code"].split(".")) == 3 and "(" not in code, f"{code} lacks a parent"
        words = len(r["label"].split())
        assert 3 <= words <= 10, f"{code}: label has {words} words: {r['label']!r}"
        assert "," not in r["tags"] and " " not in r["tags"]
    # every JSON item made it, and nothing but the headings was dropped
    assert {compact(e["code"]) for e in items} <= set(rows)
    # no stray hand labels
    stray = set(LABELS) - {r["wa_code"] for r in rows.values()}
    assert not stray, f"labels for codes not in the output: {sorted(stray)}"
    # the ancestors list is exactly what the JSON needs
    json_codes = {e["code"] for e in items}
    needed = set()
    for c in json_codes:
        p = wa_parent(c)
        while p:
            if p not in json_codes:
                needed.add(p)
            p = wa_parent(p)
    assert needed <= set(added_codes), f"missing ancestors: {sorted(needed - set(added_codes))}"
    # labels are not copied source sentences (no 6+ word label verbatim in the text)
    for r in rows.values():
        e = by_wa.get(r["wa_code"])
        if e and len(r["label"].split()) >= 6:
            assert r["label"].lower() not in e["text"].lower(), f"copied label: {r['code']}"

    required = ["4A005", "4D001", "4D001.a", "4D004", "4E001", "4E001.a", "4E001.b", "4E001.c",
                "5A001"] + [f"5A001.{x}" for x in "abcdefghij"] + [
                "5A001.f.1", "5A001.f.2", "5A001.f.3", "5A001.f.4",
                "5B001", "5B001.a", "5D001", "5D001.a", "5D001.c", "5D001.e", "5E001", "5E001.a",
                "5A002", "5A002.a", "5A004", "5A004.a", "5A004.b", "5D002", "5E002", "5E002.a",
                "9A012", "6A002.c", "1C010.e.2"]
    for c in required:
        assert c in rows, f"required row {c} missing"
    cyber_rows = {c for c, r in rows.items() if "cyber" in r["tags"].split(";")}
    assert cyber_rows == CYBER, cyber_rows ^ CYBER
    for c in ["4A005", "4D004", "4E001.c", "5A001.j"]:
        assert "cyber" in rows[c]["tags"].split(";")
    for c in ["4A005", "4D004", "4E001.c", "4D001.a(4A005)", "4E001.a(4A005)"]:
        assert "intrusion" in rows[c]["tags"].split(";")
    for c in ["4D001", "4D001.a", "4E001", "4E001.a", "5B001.a", "5D001.a", "5D001.c",
              "5E001.a", "5A001", "5A001.f"]:
        assert "cyber" not in rows[c]["tags"].split(";"), c
    assert rows["4E001.c"]["parent"] == "4E001"
    assert rows["5A001.f.1"]["parent"] == "5A001.f"
    assert rows["5A001.j"]["parent"] == "5A001" and rows["5A001"]["parent"] == ""
    assert rows["4D001.a(4A005)"]["parent"] == "4D001.a"
    assert rows["5D001.c(5A001.j)"]["parent"] == "5D001.c"
    assert rows["4A005"]["source"] == f"{DOC} Cat. 4 4.A.5 p. 80"
    assert rows["5A001.j"]["source"] == f"{DOC} Cat. 5 Part 1 5.A.1.j p. 88"
    assert rows["5A002"]["tags"] == "encryption;cat5p2"
    assert rows["5A004.a"]["tags"] == "cryptanalytic;related-cyber;cat5p2"
    assert rows["5A004.b"]["tags"] == "forensics;related-cyber;cat5p2"
    assert rows["5D001.e"]["tags"] == "surveillance;related-cyber;cat5p1"
    assert rows["5A001.f"]["tags"] == "surveillance;related-cyber;cat5p1"
    for c, r in rows.items():
        if r["category"] == "5":
            assert ("cat5p1" in r["tags"]) != ("cat5p2" in r["tags"]), c
        elif r["tags"]:
            assert set(r["tags"].split(";")) <= {"cyber", "intrusion", "unused"}, c
    # known compact forms
    for wa, code in [("4.A.5", "4A005"), ("5.A.1.j", "5A001.j"), ("4.E.1.c", "4E001.c"),
                     ("5.A.2.a", "5A002.a"), ("9.A.12", "9A012"), ("5.A.1.f.1", "5A001.f.1"),
                     ("6.A.1.a.1.a.2", "6A001.a.1.a.2")]:
        assert compact(wa) == code

    # ---------------- write ----------------
    ordered = sorted(rows.values(), key=lambda r: r["_key"])
    cols = ["code", "wa_code", "parent", "category", "label", "tags", "source"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(cols)
    for r in ordered:
        w.writerow([r[c] for c in cols])
    outputs = {OUT_DIR / "entries.csv": buf.getvalue()}

    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "# Wassenaar Arrangement List of Dual-Use Goods and Technologies: the version the",
        "# catalogue (entries.csv) follows. Generated by tools/datasets/build_wa_entries.py.",
        f"version = {q(LIST_META['version'])}",
        f"date = {q(LIST_META['date'])}",
        f"plenary = {q(LIST_META['plenary'])}",
        f"source = {q(LIST_META['source'])}",
        f"entries = {len(ordered)}",
    ]
    for h in HISTORY:
        lines += ["", "[[history]]", f"date = {q(h['date'])}", f"event = {q(h['event'])}",
                  f"source = {q(h['source'])}"]
    outputs[OUT_DIR / "list.toml"] = "\n".join(lines) + "\n"
    if "--check" in argv[1:]:
        bad = [p for p, t in outputs.items()
               if not p.exists() or p.read_text(encoding="utf-8") != t]
        for p in bad:
            print(f"{p} differs from a fresh build", file=sys.stderr)
        return 1 if bad else 0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for p, t in outputs.items():
        p.write_text(t, encoding="utf-8")

    n_json = sum(1 for r in ordered if r["wa_code"] in json_codes and "(" not in r["code"])
    print(f"entries.csv: {len(ordered)} rows ({n_json} from the JSON, {len(ADDED)} added, "
          f"{len(QUALIFIED)} qualified; {len(headings)} group headings skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
