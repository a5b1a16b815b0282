//! Turns the committed catalog (`specs/catalog.tsv`) into static tables compiled into the
//! binary, so start-up reads no text at all. The runtime parser and this script share the
//! line splitter (`src/catalog/tsv.rs`).

#[path = "src/catalog/tsv.rs"]
#[allow(dead_code)]
mod tsv;

use std::collections::HashMap;
use std::fmt::Write as _;

const METHODS: [&str; 8] = [
    "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "TRACE",
];

fn intern<'a>(map: &mut HashMap<&'a str, usize>, list: &mut Vec<&'a str>, s: &'a str) -> usize {
    *map.entry(s).or_insert_with(|| {
        list.push(s);
        list.len() - 1
    })
}

/// The rule registry: one entry per `rules/<id>.yaml`, whose check is `src/rules/<id>.rs`
/// (dashes become underscores). A metadata file without its source file fails the build.
fn rules_registry() {
    println!("cargo:rerun-if-changed=rules");
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let mut ids: Vec<String> = std::fs::read_dir("rules")
        .expect("rules/ exists")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".yaml").map(str::to_string)
        })
        .collect();
    ids.sort();
    let mut out = String::new();
    for id in &ids {
        let module = id.replace('-', "_");
        let src = format!("{root}/src/rules/{module}.rs");
        assert!(
            std::path::Path::new(&src).exists(),
            "rules/{id}.yaml has no check: create src/rules/{module}.rs"
        );
        println!("cargo:rerun-if-changed={src}");
        let _ = writeln!(out, "#[path = {src:?}]\npub mod {module};");
    }
    out.push_str("/// (id, metadata YAML, check) of every rule, sorted by id.\n");
    out.push_str("pub static RULES: &[(&str, &str, Check)] = &[\n");
    for id in &ids {
        let module = id.replace('-', "_");
        let _ = writeln!(
            out,
            "    ({id:?}, include_str!({:?}), {module}::check),",
            format!("{root}/rules/{id}.yaml")
        );
    }
    out.push_str("];\n");
    let dest =
        std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("rules_registry.rs");
    std::fs::write(dest, out).expect("write the rules registry");
}

fn main() {
    rules_registry();
    println!("cargo:rerun-if-changed=specs/catalog.tsv");
    println!("cargo:rerun-if-changed=src/catalog/tsv.rs");
    let text = std::fs::read_to_string("specs/catalog.tsv").expect("specs/catalog.tsv is readable");
    let mut label = String::new();
    let mut sources = String::new();
    let (mut scope_ids, mut scopes) = (HashMap::new(), Vec::new());
    intern(&mut scope_ids, &mut scopes, "sp:scopes:all");
    let (mut alt_ids, mut alt_fields) = (HashMap::new(), Vec::new());
    let (mut level_ids, mut level_fields) = (HashMap::new(), Vec::new());
    let (mut family_ids, mut families) = (HashMap::new(), Vec::new());
    let mut ops = String::new();
    tsv::for_each_record(
        &text,
        |line, f| {
            match f[0] {
                "label" => label = f.get(1).copied().unwrap_or("").to_string(),
                "source" if f.len() == 4 => {
                    let n: usize = f[3].parse().map_err(|_| format!("line {line}: bad count"))?;
                    let _ = write!(sources, "({:?}, {:?}, {n}),", f[1], f[2]);
                }
                "op" if f.len() == 10 => {
                    let m = METHODS
                        .iter()
                        .position(|m| *m == f[1])
                        .ok_or_else(|| format!("line {line}: unknown method"))?;
                    for field in [f[7], f[8]] {
                        for alt in tsv::alternatives(field) {
                            for s in alt {
                                intern(&mut scope_ids, &mut scopes, s);
                            }
                        }
                    }
                    let ua = intern(&mut alt_ids, &mut alt_fields, f[7]);
                    let aa = intern(&mut alt_ids, &mut alt_fields, f[8]);
                    let lv = intern(&mut level_ids, &mut level_fields, f[9]);
                    let fam = intern(&mut family_ids, &mut families, f[4]);
                    let flags = u8::from(f[6].contains('p'))
                        | (u8::from(f[6].contains('d')) << 1)
                        | (u8::from(f[6].contains('x')) << 2)
                        | (u8::from(f[6].contains('a')) << 3);
                    let _ = writeln!(
                        ops,
                        "StaticOp{{method:{m},path:{:?},operation_id:{:?},family:{fam},tag:{:?},flags:{flags},user:{ua},app:{aa},levels:{lv}}},",
                        f[2], f[3], f[5]
                    );
                }
                other => return Err(format!("line {line}: unexpected `{other}` record")),
            }
            Ok(())
        },
        || "specs/catalog.tsv lacks the catalog header".to_string(),
    )
    .unwrap_or_else(|e| panic!("specs/catalog.tsv: {e}"));

    let mut out = String::new();
    let _ = writeln!(out, "pub(super) static LABEL: &str = {label:?};");
    let _ = writeln!(
        out,
        "pub(super) static SOURCES: &[(&str, &str, usize)] = &[{sources}];"
    );
    let _ = writeln!(out, "pub(super) static SCOPES: &[&str] = &{scopes:?};");
    let _ = writeln!(out, "pub(super) static FAMILIES: &[&str] = &{families:?};");
    out.push_str("pub(super) static ALT_SETS: &[&[&[u16]]] = &[");
    for field in &alt_fields {
        out.push_str("&[");
        for alt in tsv::alternatives(field) {
            let ids: Vec<usize> = alt.map(|s| scope_ids[s]).collect();
            let _ = write!(out, "&{ids:?},");
        }
        out.push_str("],");
    }
    out.push_str("];\n");
    out.push_str("pub(super) static LEVEL_SETS: &[&[&str]] = &[");
    for field in &level_fields {
        let l: Vec<&str> = tsv::levels(field).collect();
        let _ = write!(out, "&{l:?},");
    }
    out.push_str("];\n");
    let _ = writeln!(out, "pub(super) static OPS: &[StaticOp] = &[\n{ops}];");
    let dest =
        std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("catalog_tables.rs");
    std::fs::write(dest, out).expect("write generated catalog tables");
}
