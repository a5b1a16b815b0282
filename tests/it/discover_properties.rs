//! Property tests of discovery's robustness: every fixture of `tests/fixtures/discover`,
//! damaged the ways real files are (cut short, lines lost or repeated, bytes flipped, other
//! line endings, a BOM, invalid UTF-8, an unbalanced quote or bracket), goes through
//! `analyze_files` without a panic and within its work budget. The cases are a fixed sample (fixed seed, a few hundred in
//! all) so the suite stays fast and deterministic; the fuzz targets (`fuzz/`) explore further.

use isc_scope_lint::catalog::Catalog;
use isc_scope_lint::discover::{SourceFile, WarningKind, analyze_files, lang};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use std::path::Path;
use std::sync::OnceLock;

const ROOT: &str = "tests/fixtures/discover";

/// Every fixture: (path relative to `ROOT`, bytes), sorted.
fn fixtures() -> &'static [(String, Vec<u8>)] {
    static ALL: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    ALL.get_or_init(|| {
        fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
            for e in std::fs::read_dir(dir).expect("fixture folder").flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(root, &p, out);
                } else {
                    let rel = p.strip_prefix(root).expect("under root");
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    out.push((rel, std::fs::read(&p).expect("fixture")));
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(ROOT);
        let mut out = Vec::new();
        walk(&root, &root, &mut out);
        out.sort();
        assert!(out.len() > 100, "fixtures of {ROOT}: {}", out.len());
        out
    })
}

/// Discovery on one file, as the walk hands it over (invalid UTF-8 replaced): its calls.
/// Discovery contains a file's panic and a budget cutting its analysis short in a warning;
/// either fails the property: no panic, and the work (fuel, counted deterministically)
/// within `FUEL_BASE + FUEL_PER_BYTE` × the file's size.
fn analyze(rel: &str, bytes: &[u8]) -> usize {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let file = SourceFile {
        rel: rel.to_string(),
        kind: lang::detect(Path::new(rel), bytes),
        text,
    };
    let mut warnings = Vec::new();
    let calls = analyze_files(Catalog::embedded(), &[file], 1, &mut warnings);
    for w in &warnings {
        assert!(
            !matches!(w.kind, WarningKind::InternalError | WarningKind::Incomplete),
            "{rel}: {}",
            w.message
        );
    }
    calls.len()
}

/// Runs `cases` cases of `mutate` (fixture bytes, random choices → damaged bytes) with a
/// fixed seed; a panic fails with the smallest case proptest finds.
fn check<S: Strategy>(cases: u32, choices: S, mutate: impl Fn(&[u8], S::Value) -> Vec<u8>)
where
    S::Value: std::fmt::Debug,
{
    let config = Config {
        cases,
        rng_seed: RngSeed::Fixed(0x15c_5c0e),
        failure_persistence: None,
        ..Config::default()
    };
    let n = fixtures().len();
    TestRunner::new(config)
        .run(&(0..n, choices), |(i, choice)| {
            let (rel, bytes) = &fixtures()[i];
            analyze(rel, &mutate(bytes, choice));
            Ok(())
        })
        .unwrap();
}

/// The harness sees what discovery sees: most fixtures, undamaged and alone, yield calls.
#[test]
fn undamaged_fixtures_yield_calls() {
    let with_calls = fixtures()
        .iter()
        .filter(|(rel, b)| analyze(rel, b) > 0)
        .count();
    assert!(
        with_calls * 2 > fixtures().len(),
        "{with_calls} of {} fixtures yield calls",
        fixtures().len()
    );
}

/// Byte position `at` (a fraction of the length) in `len`.
fn pos(len: usize, at: f64) -> usize {
    ((len as f64) * at) as usize
}

#[test]
fn truncated_at_any_byte() {
    check(64, 0.0..1.0f64, |b, at| b[..pos(b.len(), at)].to_vec());
}

#[test]
fn lines_deleted_or_duplicated() {
    check(
        48,
        (0.0..1.0f64, 1..4usize, any::<bool>()),
        |b, (at, k, dup)| {
            let lines: Vec<&[u8]> = b.split_inclusive(|&c| c == b'\n').collect();
            let first = pos(lines.len(), at);
            let mut out = Vec::with_capacity(b.len() * 2);
            for (n, l) in lines.iter().enumerate() {
                let hit = n >= first && n < first + k;
                if !hit || dup {
                    out.extend_from_slice(l);
                }
                if hit && dup {
                    out.extend_from_slice(l);
                }
            }
            out
        },
    );
}

#[test]
fn bytes_flipped() {
    check(
        64,
        prop::collection::vec((0.0..1.0f64, 1..=255u8), 1..8),
        |b, flips| {
            let mut out = b.to_vec();
            for (at, x) in flips {
                if let Some(c) = out.get_mut(pos(b.len(), at)) {
                    *c ^= x;
                }
            }
            out
        },
    );
}

#[test]
fn crlf_and_cr_line_endings_and_a_bom() {
    check(48, (0..3u8, any::<bool>()), |b, (ending, bom)| {
        let mut out = Vec::with_capacity(b.len() * 2 + 3);
        if bom {
            out.extend_from_slice("\u{feff}".as_bytes());
        }
        for &c in b {
            match (c, ending) {
                (b'\n', 0) => out.extend_from_slice(b"\r\n"),
                (b'\n', 1) => out.push(b'\r'),
                (b'\n', _) => out.extend_from_slice(b"\r\r\n"),
                _ => out.push(c),
            }
        }
        out
    });
}

#[test]
fn invalid_utf8_inserted() {
    // A lone continuation byte, a cut multi-byte sequence, bytes never valid, an overlong
    // encoding, a surrogate; the walk replaces them, so the text grows around them.
    const BAD: &[&[u8]] = &[
        b"\x80",
        b"\xc3",
        b"\xe2\x82",
        b"\xff\xfe",
        b"\xc0\xaf",
        b"\xed\xa0\x80",
    ];
    check(
        48,
        prop::collection::vec((0.0..1.0f64, 0..BAD.len()), 1..6),
        |b, inserts| {
            let mut out = b.to_vec();
            for (at, k) in inserts {
                let p = pos(out.len(), at);
                out.splice(p..p, BAD[k].iter().copied());
            }
            out
        },
    );
}

#[test]
fn unbalanced_quotes_and_brackets() {
    // Openers and closers of every language's strings, interpolations and blocks; non-ASCII
    // text, after an escape too.
    const PIECES: &[&str] = &[
        "\"", "'", "`", "\"\"\"", "'''", "(", ")", "[", "]", "{", "}", "$(", "${", "@\"", "@'",
        "f\"", "r\"\\", "<<EOF\n", "/*", "<#", "\\", "{{", "}}", "<script>", "```", "é", "\\€",
    ];
    check(
        64,
        prop::collection::vec((0.0..1.0f64, 0..PIECES.len()), 1..6),
        |b, inserts| {
            let mut out = b.to_vec();
            for (at, k) in inserts {
                let p = pos(out.len(), at);
                out.splice(p..p, PIECES[k].bytes());
            }
            out
        },
    );
}
