//! Shell front-end (scripts, Makefiles, Dockerfiles, CI YAML): calls in every form, and
//! negatives beside them.

use crate::common;

const DIR: &str = "tests/fixtures/discover/shell";

#[test]
fn shell_calls() {
    common::snapshot_calls!(DIR);
}

#[test]
fn shell_negative_forms_yield_nothing() {
    let v = common::calls_json(DIR);
    common::assert_no_calls(&v, "negatives.sh");
    // Commented-out recipe lines, YAML comments and prose values, `echo` of a URL, a
    // health check against localhost.
    let lines = |file: &str| common::lines_in(&v, file);
    assert!(!lines("Makefile").contains(&12));
    assert!(
        !lines("docker/Dockerfile")
            .iter()
            .any(|l| *l == 5 || *l == 8)
    );
    let yml = lines(".github/workflows/isc.yml");
    assert!(!yml.contains(&18) && !yml.contains(&27), "{yml:?}");
    assert!(!lines(".gitlab-ci.yml").contains(&11));
    // PowerShell steps are read as PowerShell: a commented-out request and an `echo` of one
    // in a shell step are not calls.
    assert_eq!(lines("azure-pipelines.yml"), [8, 15, 16]);
}

#[test]
fn methods_follow_the_tool_options() {
    let v = common::calls_json(DIR);
    let at = |line: u64| -> Vec<String> {
        common::calls_in(&v, "sync.sh")
            .iter()
            .filter(|c| c["line"] == line)
            .map(|c| c["method"].as_str().unwrap_or("?").to_string())
            .collect()
    };
    assert_eq!(at(15), ["GET"]); // no option
    assert_eq!(at(20), ["POST"]); // -XPOST
    assert_eq!(at(23), ["POST"]); // --json
    assert_eq!(at(24), ["GET"]); // -G with data
    assert_eq!(at(25), ["HEAD"]); // -I
    assert_eq!(at(26), ["PUT"]); // -T
    assert_eq!(at(41), ["DELETE"]); // -X "$METHOD"
    assert_eq!(at(45), ["PUT"]); // wget --method=PUT
    assert_eq!(at(46), ["POST"]); // wget --post-data
    assert_eq!(at(48), ["POST"]); // http with a data item
    assert_eq!(at(68), ["DELETE"]); // pass-through helper with -X DELETE
    assert_eq!(at(71), ["POST"]); // helper with -X POST inside
}

/// A relative URL whose first segment is a placeholder (`"$/sources"`, an unset variable in
/// an ISC script; fuzzing found a panic here): one call, unresolved, the version named as
/// what is unknown.
#[test]
fn relative_url_with_an_unknown_version_segment_is_unresolved() {
    use isc_scope_lint::catalog::Catalog;
    use isc_scope_lint::discover::{FileKind, SourceFile, analyze_files};
    let file = SourceFile {
        rel: "sync.sh".into(),
        kind: FileKind::Shell,
        text: "# ISC sync\ncurl \"$/sources\"\n".into(),
    };
    let calls = analyze_files(Catalog::embedded(), &[file], 1, &mut Vec::new());
    assert_eq!(calls.len(), 1, "{calls:#?}");
    assert!(!calls[0].resolved);
    assert_eq!(calls[0].line, 2);
    let reason = calls[0].reason.as_deref().unwrap_or("");
    assert!(reason.contains("API version"), "{reason}");
}
