//! The discovery stage's layers are one-way: every module under `src/discover` is in a layer of
//! `discover::layers::LAYERS`, uses only modules of its own layer or below, and the modules of
//! one layer use each other without cycles (a module's use of its own ancestors — a directory
//! module's parts using its `mod.rs` — is not a cycle).
//!
//! The module paths a file uses are read from its text (comments, strings and `#[cfg(test)]`
//! items left out): `crate::discover::a::b`, `super::…`, `self::…`, and in a directory module
//! the paths that start with one of its child modules (`use detect_common::SdkContext`).

use isc_scope_lint::discover::layers::LAYERS;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module: its path under `src/discover` (`eval/powershell`; the root `discover` is `[]`).
type Module = Vec<String>;

fn name(m: &Module) -> String {
    if m.is_empty() {
        "discover".to_string()
    } else {
        m.join("/")
    }
}

/// The module of a file path relative to `src/discover` (`eval/mod.rs` → `eval`).
fn module_of(rel: &str) -> Module {
    let rel = rel.strip_suffix(".rs").unwrap_or(rel);
    let mut m: Module = rel.split('/').map(str::to_string).collect();
    if m.last().is_some_and(|s| s == "mod") {
        m.pop();
    }
    m
}

/// The layer of a module by the table (`eval/*` names every module under `eval`).
fn layer_of(m: &Module, layers: &[(&str, &[&str])]) -> Option<usize> {
    let n = name(m);
    for (k, (_, mods)) in layers.iter().enumerate() {
        for p in *mods {
            let hit = match p.strip_suffix("/*") {
                Some(dir) => n.starts_with(&format!("{dir}/")),
                None => *p == n,
            };
            if hit {
                return Some(k);
            }
        }
    }
    None
}

/// The text with comments, string and character literals blanked (offsets and lines kept).
fn blank_non_code(src: &str) -> Vec<u8> {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, a: usize, z: usize| {
        for c in &mut out[a..z.min(b.len())] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = src[i..].find('\n').map_or(b.len(), |e| i + e);
                blank(&mut out, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                let mut j = i;
                while j < b.len() {
                    if b[j..].starts_with(b"/*") {
                        depth += 1;
                        j += 2;
                    } else if b[j..].starts_with(b"*/") {
                        depth -= 1;
                        j += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        j += 1;
                    }
                }
                blank(&mut out, i, j);
                i = j;
            }
            b'r' if (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#'))
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                // Raw string `r#"…"#`.
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let end = src[j + 1..]
                    .find(&close)
                    .map_or(b.len(), |e| j + 1 + e + close.len());
                blank(&mut out, i, end);
                i = end;
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                blank(&mut out, i, j + 1);
                i = j + 1;
            }
            b'\'' => {
                // A character literal (`'a'`, `'\n'`, `'\u{1F}'`), not a lifetime (`'a`).
                let end = if b.get(i + 1) == Some(&b'\\') {
                    src[i + 2..].find('\'').map(|e| i + 2 + e + 1)
                } else {
                    let ch = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                    (b.get(i + 1 + ch) == Some(&b'\'')).then_some(i + 2 + ch)
                };
                match end {
                    Some(e) => {
                        blank(&mut out, i, e);
                        i = e;
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// Blanks every item marked `#[cfg(test)]` (a `mod tests { … }`, a test-only function or
/// `use`): what only the tests use is not a dependency of the module.
fn blank_test_items(code: &mut [u8]) {
    let pat = b"#[cfg(test)]";
    let mut i = 0;
    while i + pat.len() <= code.len() {
        if &code[i..i + pat.len()] != pat {
            i += 1;
            continue;
        }
        // The item ends at its first `;` outside brackets, or at the `}` closing its first `{`.
        let mut j = i + pat.len();
        let mut depth = 0i32;
        while j < code.len() {
            match code[j] {
                b'{' | b'(' | b'[' => depth += 1,
                b'}' | b')' | b']' => {
                    depth -= 1;
                    if depth == 0 && code[j] == b'}' {
                        j += 1;
                        break;
                    }
                }
                b';' if depth == 0 => {
                    j += 1;
                    break;
                }
                _ => {}
            }
            j += 1;
        }
        let end = j.min(code.len());
        for c in &mut code[i..end] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
        i = j;
    }
}

/// A token of the path scanner.
#[derive(Debug, PartialEq)]
enum T {
    Id(String),
    Sep,
    Open,
    Close,
    Comma,
    Other,
}

fn tokens(code: &[u8]) -> Vec<(T, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < code.len() {
        let c = code[i];
        if c.is_ascii_alphabetic() || c == b'_' {
            let s = i;
            while i < code.len() && (code[i].is_ascii_alphanumeric() || code[i] == b'_') {
                i += 1;
            }
            out.push((T::Id(String::from_utf8_lossy(&code[s..i]).into_owned()), s));
            continue;
        }
        let t = match c {
            b':' if code.get(i + 1) == Some(&b':') => {
                out.push((T::Sep, i));
                i += 2;
                continue;
            }
            b'{' => T::Open,
            b'}' => T::Close,
            b',' => T::Comma,
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => T::Other,
        };
        out.push((t, i));
        i += 1;
    }
    out
}

/// The paths of a (possibly grouped) path starting at token `k` (`a::b::{c, d::e}` →
/// `a::b::c`, `a::b::d::e`), with where it ends.
fn expand(toks: &[(T, usize)], mut k: usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = prefix;
    loop {
        match toks.get(k) {
            Some((T::Id(s), _)) => {
                path.push(s.clone());
                k += 1;
            }
            Some((T::Open, _)) => {
                // A group: each element is a path of its own under `path`.
                k += 1;
                loop {
                    match toks.get(k) {
                        Some((T::Id(_), _)) | Some((T::Open, _)) => {
                            let mut inner = Vec::new();
                            expand(toks, k, path.clone(), &mut inner);
                            out.extend(inner);
                            // Skip to the `,` or `}` ending this element.
                            let mut depth = 0;
                            while let Some((t, _)) = toks.get(k) {
                                match t {
                                    T::Open => depth += 1,
                                    T::Close if depth == 0 => break,
                                    T::Close => depth -= 1,
                                    T::Comma if depth == 0 => break,
                                    _ => {}
                                }
                                k += 1;
                            }
                        }
                        Some((T::Comma, _)) => k += 1,
                        _ => return,
                    }
                }
            }
            _ => break,
        }
        if matches!(toks.get(k), Some((T::Sep, _))) {
            k += 1;
        } else {
            break;
        }
    }
    out.push(path);
}

/// The modules `m` uses, with the byte offset of each use.
fn uses(
    m: &Module,
    src: &str,
    modules: &BTreeSet<Module>,
    children: &BTreeSet<String>,
) -> Vec<(Module, usize)> {
    let mut code = blank_non_code(src);
    blank_test_items(&mut code);
    let toks = tokens(&code);
    let mut out = Vec::new();
    for k in 0..toks.len() {
        let (T::Id(first), at) = &toks[k] else {
            continue;
        };
        // A path starts here: not after `::`, and followed by `::`.
        if (k > 0 && toks[k - 1].0 == T::Sep) || !matches!(toks.get(k + 1), Some((T::Sep, _))) {
            continue;
        }
        let (base, start): (Module, usize) = match first.as_str() {
            "crate" => {
                if !matches!(toks.get(k + 2), Some((T::Id(d), _)) if d == "discover") {
                    continue;
                }
                (Vec::new(), k + 4)
            }
            "super" => {
                let mut base = m.clone();
                base.pop();
                let mut j = k + 2;
                while matches!(toks.get(j), Some((T::Id(s), _)) if s == "super") {
                    base.pop();
                    j += 2;
                }
                (base, j)
            }
            "self" => (m.clone(), k + 2),
            c if children.contains(c) => (m.clone(), k),
            _ => continue,
        };
        let mut paths = Vec::new();
        expand(&toks, start, Vec::new(), &mut paths);
        for p in paths {
            // The longest prefix that names a module (else the base module's own items).
            let mut target = base.clone();
            let mut cand = base.clone();
            for s in p {
                cand.push(s);
                if modules.contains(&cand) {
                    target = cand.clone();
                } else {
                    break;
                }
            }
            if &target != m {
                out.push((target, *at));
            }
        }
    }
    out
}

fn line_of(src: &str, at: usize) -> usize {
    src[..at.min(src.len())].matches('\n').count() + 1
}

/// Every breach of the layering among `files` (path under `src/discover`, text).
fn violations(files: &[(String, String)], layers: &[(&str, &[&str])]) -> Vec<String> {
    let modules: BTreeSet<Module> = files.iter().map(|(p, _)| module_of(p)).collect();
    let mut bad = Vec::new();
    // Edges within a layer, to an ancestor excepted (for the cycle check).
    let mut same: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (path, src) in files {
        let m = module_of(path);
        let Some(lm) = layer_of(&m, layers) else {
            bad.push(format!(
                "src/discover/{path}: module `{}` is in no layer of discover::layers::LAYERS",
                name(&m)
            ));
            continue;
        };
        let children: BTreeSet<String> = if path.ends_with("mod.rs") {
            modules
                .iter()
                .filter(|c| c.len() == m.len() + 1 && c.starts_with(&m))
                .filter_map(|c| c.last().cloned())
                .collect()
        } else {
            BTreeSet::new()
        };
        for (t, at) in uses(&m, src, &modules, &children) {
            let Some(lt) = layer_of(&t, layers) else {
                continue;
            };
            if lt > lm {
                bad.push(format!(
                    "src/discover/{path}:{}: `{}` ({}) uses `{}` of a higher layer ({})",
                    line_of(src, at),
                    name(&m),
                    layers[lm].0,
                    name(&t),
                    layers[lt].0
                ));
            } else if lt == lm && !(t.len() < m.len() && m.starts_with(&t)) {
                same.entry(m.clone()).or_default().insert(t);
            }
        }
    }
    // Cycles: a module that reaches itself through modules of its layer.
    let mut reported: BTreeSet<BTreeSet<Module>> = BTreeSet::new();
    for start in same.keys() {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start.clone()];
        let mut from: BTreeMap<Module, Module> = BTreeMap::new();
        while let Some(x) = stack.pop() {
            for y in same.get(&x).into_iter().flatten() {
                if y == start {
                    let mut cycle = vec![start.clone()];
                    let mut z = x.clone();
                    while &z != start {
                        cycle.push(z.clone());
                        z = from[&z].clone();
                    }
                    let key: BTreeSet<Module> = cycle.iter().cloned().collect();
                    if reported.insert(key) {
                        cycle[1..].reverse();
                        cycle.push(start.clone());
                        let names: Vec<String> = cycle.iter().map(name).collect();
                        bad.push(format!("import cycle: {}", names.join(" -> ")));
                    }
                } else if seen.insert(y.clone()) {
                    from.insert(y.clone(), x.clone());
                    stack.push(y.clone());
                }
            }
        }
    }
    bad
}

fn discover_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/discover");
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn discovery_layers_are_one_way() {
    let files = discover_files();
    assert!(files.len() > 40, "read {} files", files.len());
    let bad = violations(&files, LAYERS);
    assert!(bad.is_empty(), "layering broken:\n{}", bad.join("\n"));
}

/// The checker itself: it sees each form of use, and reports a use of a higher layer, a cycle
/// within a layer and a module in no layer; test-only code and ancestors do not count.
#[test]
fn the_checker_reports_breaches() {
    let layers: &[(&str, &[&str])] = &[
        ("low", &["code", "lex"]),
        ("mid", &["eval", "eval/*", "value"]),
        ("high", &["discover", "http", "http/*"]),
    ];
    let files = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(p, s)| (p.to_string(), s.to_string()))
            .collect()
    };
    let clean = files(&[
        ("mod.rs", "pub mod code;\nuse http::go::sites;\n"),
        ("lex.rs", "pub struct Tok;\n"),
        (
            "code.rs",
            "use super::lex::Tok;\n// use super::eval::Env;\nconst S: &str = \"super::eval::x\";\n#[cfg(test)]\nmod tests {\n    use crate::discover::eval::Env;\n}\n",
        ),
        ("value.rs", "use super::{code::Code, lex};\n"),
        (
            "eval/mod.rs",
            "pub mod shell;\nfn f() { shell::eval(); crate::discover::value::join(); }\n",
        ),
        (
            "eval/shell.rs",
            "use super::Env;\nuse super::super::lex::Tok;\n",
        ),
        ("http/mod.rs", "pub mod go;\n"),
        (
            "http/go.rs",
            "use super::super::eval::{Env, shell::eval};\nfn f<'a>(c: char) -> bool { c == '{' }\n",
        ),
    ]);
    assert_eq!(violations(&clean, layers), Vec::<String>::new());

    let mut up = clean.clone();
    up[2].1.push_str("fn g() { super::eval::Env::new(); }\n");
    let bad = violations(&up, layers);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(
        bad[0].starts_with("src/discover/code.rs:8: `code` (low) uses `eval`"),
        "{bad:?}"
    );

    let mut grouped = clean.clone();
    grouped[1]
        .1
        .push_str("use crate::discover::{eval::Env, value::Value};\n");
    assert_eq!(violations(&grouped, layers).len(), 2);

    let mut cycle = clean.clone();
    cycle[4].1.push_str("use super::value::Value;\n");
    cycle[3].1.push_str("fn h() { super::eval::f(); }\n");
    assert_eq!(
        violations(&cycle, layers),
        vec!["import cycle: eval -> value -> eval".to_string()]
    );

    let mut unlisted = clean.clone();
    unlisted.push(("walk.rs".to_string(), String::new()));
    let bad = violations(&unlisted, layers);
    assert!(
        bad.len() == 1 && bad[0].contains("`walk` is in no layer"),
        "{bad:?}"
    );
}
