//! Scenario input: every malformed file is refused with file, line, column, value and what is
//! accepted; good files in every format give the same scenarios.

use wassenaar::input::{Format, parse_records, resolve};

use super::world;

fn parse(text: &[u8], format: Format) -> Result<usize, String> {
    let records = parse_records("in.csv", text, format).map_err(|e| e.to_string())?;
    let csv = format == Format::Csv;
    resolve(world(), "in.csv", &records, csv)
        .map(|s| s.len())
        .map_err(|e| e.to_string())
}

fn err(text: &str) -> String {
    match parse(text.as_bytes(), Format::Csv) {
        Ok(n) => panic!("expected an error, got {n} scenarios for {text:?}"),
        Err(e) => e,
    }
}

/// Columns outside the contract pass through; `--strict-columns` refuses them with a
/// suggestion.
#[test]
fn unknown_column_is_refused_with_a_suggestion() {
    assert_eq!(
        parse(
            b"id,item,destination,end_usr\na,4A005,DE,commercial\n",
            Format::Csv
        ),
        Ok(1)
    );
    let strict = wassenaar::input::Options {
        strict_columns: true,
        ..Default::default()
    };
    let e = match wassenaar::input::parse_records_with(
        "in.csv",
        b"id,item,destination,end_usr\na,4A005,DE,commercial\n",
        Format::Csv,
        &strict,
    ) {
        Ok(_) => panic!("strict columns must refuse end_usr"),
        Err(e) => e.to_string(),
    };
    assert!(
        e.contains("in.csv:1: column `end_usr`: unknown column"),
        "{e}"
    );
    assert!(e.contains("did you mean `end_user`?"), "{e}");
}

#[test]
fn missing_required_column() {
    let e = err("id,item\na,4A005\n");
    assert!(
        e.contains("column `destination`: missing required column"),
        "{e}"
    );
}

#[test]
fn unknown_country_suggests_the_nearest_name() {
    let e = err("id,item,destination\na,4A005,DE\nb,4A005,Germny\n");
    assert!(
        e.contains("in.csv:3: column `destination`: unknown country"),
        "{e}"
    );
    assert!(e.contains("value: `Germny`"), "{e}");
    assert!(e.contains("did you mean `Germany`?"), "{e}");
}

#[test]
fn unknown_item_bad_enum_duplicate_id() {
    let e = err("id,item,destination\na,4A999,DE\n");
    assert!(e.contains("unknown item") && e.contains("`4A999`"), "{e}");
    let e = err("id,item,destination,end_use\na,4A005,DE,espionage\n");
    assert!(e.contains("column `end_use`: unknown end use"), "{e}");
    assert!(
        e.contains("vulnerability-disclosure"),
        "accepted values listed: {e}"
    );
    let e = err("id,item,destination\na,4A005,DE\na,4A005,FR\n");
    assert!(
        e.contains("in.csv:3: column `id`: duplicate scenario id"),
        "{e}"
    );
    let e = err("id,item,destination,us_content_pct\na,4A005,DE,140\n");
    assert!(e.contains("not a percentage"), "{e}");
}

#[test]
fn ragged_empty_and_binary_files() {
    let e = err("id,item,destination\na,4A005\n");
    assert!(
        e.contains("in.csv:2: this row has 2 fields but the header has 3"),
        "{e}"
    );
    let e = err("");
    assert!(e.contains("empty"), "{e}");
    let e = match parse(b"id,item\x00,destination\n", Format::Csv) {
        Ok(_) => panic!("binary accepted"),
        Err(e) => e,
    };
    assert!(e.contains("NUL byte"), "{e}");
    let e = match parse(b"id,item,destination\na,4A005,\xff\xfe\n", Format::Csv) {
        Ok(_) => panic!("bad UTF-8 accepted"),
        Err(e) => e,
    };
    assert!(e.contains("UTF-8"), "{e}");
    let e = err("id,item,destination\n");
    assert!(e.contains("no scenarios"), "{e}");
}

/// The contract: `exporter` may be any ISO place; one whose law is not modelled is kept
/// (its own outcome is indeterminate, the US re-export question is still answered).
#[test]
fn unmodelled_exporter_is_accepted() {
    assert_eq!(
        parse(
            b"id,item,destination,exporter\na,4A005,DE,Brazil\n",
            Format::Csv
        ),
        Ok(1)
    );
    let e = err("id,item,destination,exporter\na,4A005,DE,Brazill\n");
    assert!(e.contains("column `exporter`: unknown place"), "{e}");
}

#[test]
fn bom_crlf_names_and_blank_lines_are_accepted() {
    let text = "\u{feff}id,item,destination\r\na,4A005,Korea, South\r\n";
    // A comma inside an unquoted cell makes the row ragged; quoted it is fine.
    assert!(parse(text.as_bytes(), Format::Csv).is_err());
    let text =
        "\u{feff}id,item,destination\r\na,4A005,\"Korea, South\"\r\nb,5.A.1.j,Türkiye\r\n\r\n";
    assert_eq!(parse(text.as_bytes(), Format::Csv), Ok(2));
}

#[test]
fn toml_and_json_give_the_same_scenarios() {
    let toml =
        b"[[scenario]]\nid = \"a\"\nitem = \"4A005\"\ndestination = \"DE\"\ndeemed = false\n";
    assert_eq!(parse(toml, Format::Toml), Ok(1));
    let json = br#"[{"id": "a", "item": "4A005", "destination": "DE", "us_content_pct": 30}]"#;
    assert_eq!(parse(json, Format::Json), Ok(1));
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    assert!(parse(deep.as_bytes(), Format::Json).is_err());
    let deep = format!("x = {}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse(deep.as_bytes(), Format::Toml).is_err());
    let e = parse(br#"{"id": "a"}"#, Format::Json).unwrap_err();
    assert!(e.contains("JSON array"), "{e}");
}
