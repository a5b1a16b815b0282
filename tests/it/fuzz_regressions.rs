//! Every input the fuzzers found failing (`tests/fixtures/fuzz/<target>/`, minimised), replayed
//! through the same entry point as its fuzz target (`fuzz/src/lib.rs`, included here): each
//! must return normally. A new failure of `cargo fuzz run <target>` is added to the folder of
//! its target (see the README's Development section).

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod entry;

use std::path::Path;

const ROOT: &str = "tests/fixtures/fuzz";

/// The saved inputs of one target, sorted.
fn inputs(target: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(ROOT)
        .join(target);
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut v: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    v.sort();
    v
}

/// Runs one input on a thread with the stack of a main thread (8 MiB, as under libFuzzer) and
/// returns the panic message, if any.
fn replay(run: fn(&[u8]), data: Vec<u8>) -> Option<String> {
    let h = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || run(&data))
        .expect("thread");
    h.join().err().map(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into())
    })
}

#[test]
fn every_saved_input_is_a_target() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(ROOT);
    let mut count = 0;
    for e in std::fs::read_dir(&dir)
        .expect("tests/fixtures/fuzz")
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(
            entry::TARGETS.iter().any(|(t, _)| *t == name),
            "{name}: no fuzz target of that name"
        );
        count += inputs(&name).len();
    }
    assert!(count > 0, "no saved input under {ROOT}");
}

/// One test per target, so a failure names its target.
macro_rules! target_test {
    ($name:ident, $target:literal) => {
        #[test]
        fn $name() {
            let (_, run) = entry::TARGETS
                .iter()
                .find(|(t, _)| *t == $target)
                .expect("a target");
            let failures: Vec<String> = inputs($target)
                .into_iter()
                .filter_map(|p| {
                    let data = std::fs::read(&p).expect("saved input");
                    replay(*run, data).map(|m| format!("{}: {m}", p.display()))
                })
                .collect();
            assert!(failures.is_empty(), "{}", failures.join("\n"));
        }
    };
}

target_test!(lex, "lex");
target_test!(discover, "discover");
target_test!(formats, "formats");
target_test!(manifest, "manifest");
target_test!(spec, "spec");
target_test!(route, "route");
target_test!(scopes, "scopes");
