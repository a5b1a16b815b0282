//! The fuzz targets' entry points: how each target turns its input bytes into a call of the
//! library. Shared by the `cargo fuzz` targets (`fuzz/fuzz_targets/`) and by the regression
//! tests (`tests/it/fuzz_regressions.rs` includes this file as a module), so a saved input
//! replays through exactly the code the fuzzer ran.
//!
//! Every entry point must return normally on any input: a panic, a hang (libFuzzer's
//! `-timeout`) or a memory blow-up (`-rss_limit_mb`) is a failure.

use isc_scope_lint::catalog::Catalog;
use isc_scope_lint::discover::{self, SourceFile, lang};
use isc_scope_lint::{manifest, query, report, rules, solver, spec};
use std::path::{Path, PathBuf};

/// A target's entry point: one input, any bytes.
pub type Entry = fn(&[u8]);

/// The targets, by name (the names of `fuzz/fuzz_targets/*.rs` and of the folders of
/// `tests/fixtures/fuzz/`).
pub const TARGETS: &[(&str, Entry)] = &[
    ("lex", lex_code),
    ("discover", discover_project),
    ("formats", formats),
    ("manifest", manifest_file),
    ("spec", spec_file),
    ("route", route),
    ("scopes", scopes),
];

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// One file of an input: its first line is its path (relative, `/`-separated; the path
/// decides the kind, as in a real tree), the rest its text (invalid UTF-8 replaced, as the
/// walk does). `None` for an empty part.
pub fn file_of(part: &[u8]) -> Option<SourceFile> {
    if part.is_empty() {
        return None;
    }
    let (name, body) = match part.iter().position(|&b| b == b'\n') {
        Some(i) => (&part[..i], &part[i + 1..]),
        None => (part, &[][..]),
    };
    // What the walk can produce: a relative path without `.`, `..` or empty components.
    let name = text(&name[..name.len().min(200)]);
    let rel: Vec<&str> = name
        .trim_end_matches('\r')
        .split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != "." && *c != "..")
        .collect();
    let rel = if rel.is_empty() {
        "a".to_string()
    } else {
        rel.join("/")
    };
    let kind = lang::detect(Path::new(&rel), body);
    Some(SourceFile {
        rel,
        kind,
        text: text(body),
    })
}

/// The files of an input: up to three, separated by NUL bytes (see [`file_of`]); a path used
/// twice gets a folder of its own (`2/`), as the paths of a tree are unique.
pub fn project_files(data: &[u8]) -> Vec<SourceFile> {
    let mut files: Vec<SourceFile> = Vec::new();
    for (i, part) in data.split(|&b| b == 0).take(3).enumerate() {
        let Some(mut f) = file_of(part) else { continue };
        if files.iter().any(|g| g.rel == f.rel) {
            f.rel = format!("{i}/{}", f.rel);
        }
        files.push(f);
    }
    files
}

/// Input: one file (see [`file_of`]). Lexes it in the language of its kind (a CI YAML file:
/// its scripts) and builds the token/bracket/function view with its assignments, as
/// discovery does for each file.
pub fn lex_code(data: &[u8]) {
    let Some(f) = file_of(data) else { return };
    let Some(lang) = discover::code_lang(f.kind) else {
        return;
    };
    let src = match f.kind {
        discover::FileKind::Yaml => discover::http::shell::yaml_scripts(&f.text).0,
        _ => f.text,
    };
    let code = discover::code::Code::new(&src, lang);
    code.bindings();
    code.imports();
}

/// Discovery's entry point on `files`, on one thread. Discovery contains a file's failure
/// (a panic, or a budget cutting its analysis short) in a warning; here either is a failure
/// again, so the fuzzer sees it: a panic whose message holds the warning (with the original
/// panic's place).
fn analyze(files: &[SourceFile]) {
    use discover::WarningKind;
    let mut warnings = Vec::new();
    let mut calls = discover::analyze_files(Catalog::embedded(), files, 1, &mut warnings);
    discover::sort_calls(&mut calls);
    for w in &warnings {
        if matches!(w.kind, WarningKind::InternalError | WarningKind::Incomplete) {
            panic!("contained failure in {}: {}", w.path, w.message);
        }
    }
}

/// Input: a project of one to three files (see [`project_files`]). Runs discovery on it.
pub fn discover_project(data: &[u8]) {
    analyze(&project_files(data));
}

/// Input: one file (see [`file_of`]) of a structured format: a workflow export or Postman
/// collection (`.json`), a notebook, `.http`, Markdown, CI YAML. Runs the format's own
/// readers, then discovery on the file.
pub fn formats(data: &[u8]) {
    use discover::formats;
    let Some(f) = file_of(data) else { return };
    match f.kind {
        discover::FileKind::Json | discover::FileKind::Notebook => {
            formats::scan_json(&f.text);
            formats::workflow::scan(&f.text);
            formats::postman::scan(&f.text);
        }
        discover::FileKind::HttpFile => {
            formats::httpfile::scan(&f.text);
        }
        discover::FileKind::Doc => {
            formats::markdown::fenced_blocks(&f.text);
            formats::markdown::code_views(&f);
        }
        discover::FileKind::Yaml => {
            discover::http::shell::yaml_scripts(&f.text);
        }
        _ => return,
    }
    analyze(&[f]);
}

/// The solver's indexes of the embedded catalog, built once.
fn embedded_solver() -> &'static solver::Solver<'static> {
    static SOLVER: std::sync::OnceLock<solver::Solver<'static>> = std::sync::OnceLock::new();
    SOLVER.get_or_init(|| solver::Solver::new(Catalog::embedded()))
}

/// A diagnostic as the binary prints it (the graphical report with its source excerpt).
fn render(report: &miette::Report) -> String {
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .render_report(&mut out, report.as_ref())
        .expect("rendering into a String does not fail");
    out
}

/// A file of this process and thread in the temporary folder, holding `bytes`, removed when
/// dropped: the loaders read paths.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let dir = std::env::temp_dir().join(format!(
            "isc-scope-lint-fuzz-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).expect("temporary folder");
        let p = dir.join(name);
        std::fs::write(&p, bytes).expect("temporary file");
        TempFile(p)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Input: the text of `isc-scope-lint.yaml`. Loads it, validates it against the embedded
/// catalog (as `check` does, with a few project files for its globs), renders any error, and
/// rewrites each credential's grant as `--fix` does.
pub fn manifest_file(data: &[u8]) {
    let file = TempFile::new("isc-scope-lint.yaml", data);
    let loaded = match manifest::load(&file.0, "isc-scope-lint.yaml".into()) {
        Ok(l) => l,
        Err(e) => {
            render(&e);
            return;
        }
    };
    let cat = Catalog::embedded();
    let probe = embedded_solver();
    let ids = rules::ids();
    let files: Vec<String> = ["src/a.py", "scripts/sync.sh", "flows/f.json"]
        .into_iter()
        .map(String::from)
        .collect();
    let checks = manifest::Checks {
        catalog: cat,
        levels: &probe.levels,
        rules: &ids,
        files: &files,
    };
    if let Err(e) = manifest::validate(&loaded, &checks) {
        render(&e);
        return;
    }
    // `--fix`: scopes for every credential, owner levels for the PATs (as `check --fix`
    // does). A refusal is an answer (rendered at its place); a rewrite must read back as
    // exactly the grants meant.
    let grants: Vec<manifest::fix::NewGrant> = loaded
        .manifest
        .credentials
        .iter()
        .enumerate()
        .map(|(i, c)| manifest::fix::NewGrant {
            credential: i,
            scopes: Some(vec!["idn:sources:read".into(), "sp:scopes:all".into()]),
            user_levels: (c.kind == manifest::CredentialKind::Pat)
                .then(|| vec!["SOURCE_ADMIN".into(), "HELPDESK".into()]),
            comments: [("sp:scopes:all".to_string(), "fuzz".to_string())].into(),
            notes: Some(vec!["fuzz note".into()]),
        })
        .collect();
    if grants.is_empty() {
        return;
    }
    let text = match manifest::fix::apply(&loaded, &grants) {
        Ok(t) => t,
        Err(r) => {
            render(
                &loaded
                    .error(r.span, r.message, "cannot be rewritten")
                    .into(),
            );
            return;
        }
    };
    let new: manifest::Manifest = serde_yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("--fix wrote an invalid manifest ({e}):\n{text}"));
    for g in &grants {
        let c = &new.credentials[g.credential];
        assert_eq!(
            c.scopes.as_ref(),
            g.scopes.as_ref(),
            "--fix scopes:\n{text}"
        );
        if let Some(l) = &g.user_levels {
            assert_eq!(
                c.owner.as_ref().map(|o| &o.user_levels),
                Some(l),
                "--fix user levels:\n{text}"
            );
        }
    }
}

/// Input: the text of an OpenAPI file given with `--spec` (YAML, or JSON when it starts with
/// `{`). Loads it, renders any error, and builds the catalog, its router and the solver's
/// indexes from it; routes each operation's own path.
pub fn spec_file(data: &[u8]) {
    let name = if data.trim_ascii_start().starts_with(b"{") {
        "spec.json"
    } else {
        "spec.yaml"
    };
    let file = TempFile::new(name, data);
    let set = match spec::load(std::slice::from_ref(&file.0)) {
        Ok(s) => s,
        Err(e) => {
            render(&e);
            return;
        }
    };
    let (cat, _warnings) = set.into_catalog("fuzz".into());
    let router = cat.router();
    for op in &cat.ops {
        let segs = isc_scope_lint::catalog::route::path_segments(&op.path);
        router.route(&cat, op.method, &segs);
    }
    solver::Solver::new(&cat);
}

/// Input: one `METHOD PATH` call a line. Parses and routes each against the embedded catalog,
/// with the nearest-operation suggestions and the finder's quick route.
pub fn route(data: &[u8]) {
    use isc_scope_lint::catalog::route::{parse_call, path_segments};
    let cat = Catalog::embedded();
    let router = cat.router();
    for line in text(data).lines().take(64) {
        path_segments(line);
        if let Ok(call) = parse_call(line) {
            router.route(cat, call.method, &call.segs);
            router.route_quick(cat, call.method, &call.segs);
            router.family_of(cat, &call.segs);
        }
    }
}

/// Input: the arguments of `isc-scope-lint scopes`, one a line (`-` reads the rest of the
/// input as stdin). Collects, resolves and solves them as the command does, and renders the
/// report or the error.
pub fn scopes(data: &[u8]) {
    let all = text(data);
    let (args, stdin) = match all.split_once("\n-\n") {
        Some((a, s)) => (format!("{a}\n-"), s.to_string()),
        None => (all.clone(), String::new()),
    };
    let args: Vec<String> = args.lines().take(64).map(String::from).collect();
    let calls = match query::collect(&args, || Ok(stdin)) {
        Ok(c) => c,
        Err(e) => {
            render(&e);
            return;
        }
    };
    let cat = Catalog::embedded();
    let resolved = match query::resolve(cat, &calls) {
        Ok(r) => r,
        Err(e) => {
            render(&e);
            return;
        }
    };
    let solver = embedded_solver();
    let ops: Vec<usize> = resolved.iter().map(|r| r.op).collect();
    let reqs = solver.solve(&ops, solver::Semantics::AnyOf);
    let report = report::scopes::ScopesReport::new(solver, &resolved, &[], &reqs);
    report.to_human();
    report.to_json();
}
