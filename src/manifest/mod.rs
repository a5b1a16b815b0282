//! The credentials manifest (`isc-scope-lint.yaml`): what the project says about its
//! credentials — kind, owner user levels, granted scopes, which code runs with each, extra
//! calls — plus verified user levels (`assume`), ignores, extra specs and the scope reading.
//!
//! Parsed with serde_yaml into typed structs (unknown keys and wrong types are errors at the
//! line); [`spans`] locates every entry for diagnostics and in-place fixes.

pub mod discovery;
pub mod fix;
pub mod init;
pub mod settings;
pub mod spans;

use crate::catalog::route::{Routed, char_distance, parse_call};
use crate::catalog::{Catalog, OpId};
use crate::error::{LineIndex, SourceError, line_span};
use crate::solver::{LevelIndex, Semantics};
use miette::Diagnostic;
use schemars::JsonSchema;
use serde::Deserialize;
use spans::YNode;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// File names looked for, in this order, in the checked folder and its parents.
pub const FILE_NAMES: [&str; 2] = ["isc-scope-lint.yaml", ".isc-scope-lint.yaml"];

/// The manifest.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "isc-scope-lint manifest",
    description = "Credentials of an ISC API integration and what the linter should assume about them."
)]
pub struct Manifest {
    /// The credentials the project uses (PATs and OAuth clients).
    #[serde(default)]
    pub credentials: Vec<Credential>,
    /// User levels verified in the tenant for operations the spec leaves undocumented.
    #[serde(default)]
    pub assume: Vec<Assume>,
    /// Findings to ignore, each with a reason.
    #[serde(default)]
    pub ignore: Vec<Ignore>,
    /// Extra OpenAPI spec files or folders (as `--spec`).
    #[serde(default)]
    pub spec: Vec<String>,
    /// `any-of` (SailPoint's documented reading, default) or `all-of` (literal OpenAPI).
    #[serde(default)]
    pub scope_semantics: Option<Semantics>,
    /// Per-rule settings: `rule-id: error | warning | info | off | on`, and `per_path`
    /// overrides by glob.
    #[serde(default)]
    pub rules: settings::RuleSettings,
    /// What the finder cannot know by itself: the project's own request wrappers and the
    /// names that hold the tenant's API base.
    #[serde(default)]
    pub discovery: discovery::Discovery,
}

/// What kind of token a credential is.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialKind {
    /// A personal access token: user context, the owner's user levels apply.
    Pat,
    /// An OAuth client used with client credentials: no user context.
    OauthClient,
    /// A user's own token from the authorization-code flow (a web app each user signs in to):
    /// user context, the signed-in user's levels apply (`owner.user_levels`: the levels its
    /// users must hold).
    UserToken,
}

/// One credential.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// A unique name (used in reports).
    pub name: String,
    pub kind: CredentialKind,
    /// The PAT's or OAuth client's id in the tenant (never its secret): what
    /// `isc-scope-lint tenant` joins on (else the name).
    #[serde(default)]
    pub id: Option<String>,
    /// The PAT's owner (PATs only).
    #[serde(default)]
    pub owner: Option<Owner>,
    /// Scopes as granted in the tenant; omitted means `sp:scopes:all`, as SailPoint does.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// Globs of the code that runs with this credential (relative to the manifest's folder);
    /// default: everything.
    #[serde(default)]
    pub paths: Option<Vec<String>>,
    /// Calls discovery cannot see (workflow steps, URLs built at run time), as `METHOD /path`.
    #[serde(default)]
    pub calls: Vec<String>,
}

/// The owner of a PAT.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    /// The owner identity's user levels (ORG_ADMIN, SOURCE_ADMIN, HELPDESK, ...).
    #[serde(default)]
    pub user_levels: Vec<String>,
    /// A dedicated non-human identity (not a person's account); omitted: not confirmed.
    #[serde(default)]
    pub service_account: Option<bool>,
}

/// Verified user levels for an operation.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Assume {
    /// `METHOD /path` of the operation.
    pub operation: String,
    pub user_levels: Vec<String>,
    pub reason: String,
}

/// A finding to ignore: by rule, by path glob, or both.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Ignore {
    /// A rule id (`sunset-version`).
    #[serde(default)]
    pub rule: Option<String>,
    /// A glob of files (`legacy/**`).
    #[serde(default)]
    pub path: Option<String>,
    /// A credential name.
    #[serde(default)]
    pub credential: Option<String>,
    pub reason: String,
}

/// A manifest read from a file, with its text and position tree.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub path: PathBuf,
    /// The path as shown in reports (relative to the checked folder when inside it).
    pub display: String,
    pub text: String,
    pub manifest: Manifest,
    pub tree: Option<YNode>,
    /// Line starts of `text`.
    pub lines: LineIndex,
    /// The file starts with a UTF-8 byte-order mark (not part of `text`; kept on rewrite).
    pub bom: bool,
}

impl Loaded {
    /// The folder globs are relative to.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// The node of credential `i`.
    pub fn credential_node(&self, i: usize) -> Option<&YNode> {
        self.tree.as_ref()?.get("credentials")?.at(i)
    }

    /// A source error at a span of the manifest.
    pub fn error(
        &self,
        span: (usize, usize),
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> SourceError {
        SourceError::indexed(&self.display, &self.text, &self.lines, span, message, label)
    }

    /// The bytes of the file for a new text (with the byte-order mark the file had).
    pub fn file_bytes(&self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        out.extend_from_slice(text.as_bytes());
        out
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines.line_col(&self.text, offset)
    }
}

/// Finds the manifest for `start` (a folder or a file): in it or its parents.
pub fn find(start: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(start).ok()?;
    let mut dir = if abs.is_dir() {
        Some(abs.as_path())
    } else {
        abs.parent()
    };
    while let Some(d) = dir {
        for n in FILE_NAMES {
            let p = d.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
        dir = d.parent();
    }
    None
}

/// Several errors at once.
#[derive(Debug, Error, Diagnostic)]
#[error("the manifest has {} problem(s)", errors.len())]
pub struct ManifestErrors {
    #[related]
    pub errors: Vec<SourceError>,
}

fn many(mut errors: Vec<SourceError>) -> miette::Report {
    if errors.len() == 1 {
        errors.pop().expect("one").into()
    } else {
        ManifestErrors { errors }.into()
    }
}

/// Reads and parses a manifest: a regular file of at most
/// [`MAX_MANIFEST_BYTES`](crate::fsutil::MAX_MANIFEST_BYTES), UTF-8 (a byte-order mark is
/// dropped and kept for rewrites), nested at most [`MAX_DEPTH`](crate::nesting::MAX_DEPTH)
/// levels.
pub fn load(path: &Path, display: String) -> miette::Result<Loaded> {
    let bytes = crate::fsutil::read_input(path, "manifest", crate::fsutil::MAX_MANIFEST_BYTES)?;
    let (text, bom) = crate::fsutil::decode_utf8(&display, "manifest", bytes)?;
    crate::nesting::check(&display, "manifest", &text)?;
    let lines = LineIndex::new(&text);
    let tree = match spans::parse(&text) {
        Ok(t) => t,
        Err((off, msg)) => {
            return Err(SourceError::indexed(
                &display,
                &text,
                &lines,
                line_span(&text, off),
                format!("manifest `{display}` is not valid YAML"),
                msg,
            )
            .into());
        }
    };
    let manifest: Manifest = if text.trim().is_empty() || tree.is_none() {
        Manifest::default()
    } else {
        serde_yaml::from_str(&text).map_err(|e| {
            let off = e.location().map_or(0, |l| l.index());
            let msg = e.to_string();
            let msg = match msg.rfind(" at line ") {
                Some(i) => msg[..i].to_string(),
                None => msg,
            };
            let help = if msg.contains("unknown field") {
                Some("`isc-scope-lint schema` prints every key the manifest accepts".to_string())
            } else {
                None
            };
            let err = SourceError::indexed(
                &display,
                &text,
                &lines,
                line_span(&text, off),
                format!("invalid manifest `{display}`"),
                msg,
            );
            match help {
                Some(h) => err.with_help(h),
                None => err,
            }
        })?
    };
    Ok(Loaded {
        path: path.to_path_buf(),
        display,
        text,
        manifest,
        tree,
        lines,
        bom,
    })
}

/// Longest string the manifest may hold anywhere (names, globs, calls, reasons), in bytes.
pub const MAX_STRING: usize = 4096;
/// Longest `paths` or `ignore.path` glob, in bytes (globs compile to regexes: a long one is
/// refused before it is compiled).
pub const MAX_GLOB: usize = 1024;

/// Strings over [`MAX_STRING`], each at its place.
fn long_strings(l: &Loaded, node: &YNode, errors: &mut Vec<SourceError>) {
    match &node.kind {
        spans::YKind::Scalar(v) if v.len() > MAX_STRING => errors.push(
            l.error(
                (node.start, node.end.saturating_sub(node.start).clamp(1, 64)),
                format!(
                    "a string of {} bytes; the manifest holds strings of at most {MAX_STRING} bytes",
                    v.len()
                ),
                "too long",
            )
            .with_help("names, globs, calls and reasons are short; is this the right file?"),
        ),
        spans::YKind::Seq(items) => items.iter().for_each(|n| long_strings(l, n, errors)),
        spans::YKind::Map(pairs) => pairs.iter().for_each(|(k, v)| {
            long_strings(l, k, errors);
            long_strings(l, v, errors);
        }),
        _ => {}
    }
}

/// A glob of the manifest, parsed, or the error at its place.
fn glob(
    l: &Loaded,
    g: &str,
    span: (usize, usize),
    errors: &mut Vec<SourceError>,
) -> Option<globset::Glob> {
    if g.len() > MAX_GLOB {
        errors.push(l.error(
            (span.0, span.1.clamp(1, 64)),
            format!(
                "glob of {} bytes; globs are at most {MAX_GLOB} bytes",
                g.len()
            ),
            "too long",
        ));
        return None;
    }
    match globset::Glob::new(g) {
        Err(e) => {
            errors.push(l.error(span, format!("invalid glob `{g}`"), e.kind().to_string()));
            None
        }
        Ok(glob) => Some(glob),
    }
}

/// A glob to check against the files: must match one.
struct GlobCheck {
    glob: globset::Glob,
    span: (usize, usize),
    /// An `ignore` entry's (else a credential's `paths`).
    ignore: bool,
}

/// The globs that match none of `files`, with one pass over the files (a glob set), not one
/// per glob.
fn unmatched_globs(l: &Loaded, checks: Vec<GlobCheck>, files: &[String]) -> Vec<SourceError> {
    let mut b = globset::GlobSetBuilder::new();
    for c in &checks {
        b.add(c.glob.clone());
    }
    let mut matched = vec![false; checks.len()];
    match b.build() {
        Ok(set) => {
            let mut left = checks.len();
            let mut hits = Vec::new();
            for f in files {
                if left == 0 {
                    break;
                }
                set.matches_into(f, &mut hits);
                for &i in &hits {
                    if !matched[i] {
                        matched[i] = true;
                        left -= 1;
                    }
                }
            }
        }
        Err(_) => {
            // Too big together: one at a time.
            for (i, c) in checks.iter().enumerate() {
                let m = c.glob.compile_matcher();
                matched[i] = files.iter().any(|f| m.is_match(f));
            }
        }
    }
    checks
        .into_iter()
        .zip(matched)
        .filter(|(_, m)| !m)
        .map(|(c, _)| {
            let g = c.glob.glob();
            if c.ignore {
                l.error(
                    c.span,
                    format!("glob `{g}` matches no file"),
                    "this entry has no effect",
                )
            } else {
                l.error(
                    c.span,
                    format!("glob `{g}` matches no file"),
                    "nothing checked runs with this credential here",
                )
                .with_help("globs are relative to the manifest's folder, e.g. `sync/**`")
            }
        })
        .collect()
}

/// Operations the manifest names: per credential its extra calls, and the `assume` overrides.
#[derive(Clone, Debug, Default)]
pub struct Resolved {
    /// Per credential: (operation, span of the entry).
    pub calls: Vec<Vec<(OpId, (usize, usize))>>,
    pub assume: Vec<(OpId, Vec<String>)>,
}

/// Context for validation.
pub struct Checks<'a> {
    pub catalog: &'a Catalog,
    pub levels: &'a LevelIndex,
    /// Known rule ids.
    pub rules: &'a [&'a str],
    /// Paths of the checked files, relative to the manifest's folder, for glob checks.
    pub files: &'a [String],
}

/// Validates names against the catalog and the tree: scopes, user levels, operations,
/// rules, globs. Every problem is reported, each at its place.
pub fn validate(l: &Loaded, c: &Checks) -> miette::Result<Resolved> {
    let mut errors = Vec::new();
    let mut out = Resolved::default();
    let m = &l.manifest;
    let tree = l.tree.as_ref();
    let whole = (0, l.text.len().max(1));
    let node_span = |n: Option<&YNode>| n.map_or(whole, |n| n.span());
    if let Some(t) = tree {
        long_strings(l, t, &mut errors);
        if !errors.is_empty() {
            return Err(many(errors));
        }
    }
    let mut names: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut glob_checks = Vec::new();
    let known_levels = c.levels.known_levels();
    let check_level = |lvl: &str, n: Option<&YNode>, errors: &mut Vec<SourceError>| {
        if !known_levels.contains(lvl)
            && !["USER", "Any", "API"].contains(&lvl)
            && lvl != "SOURCE_CONFIG_ASSIGNEE"
        {
            let near = nearest(lvl, known_levels.iter().copied());
            let mut e = l.error(
                node_span(n),
                format!("unknown user level `{lvl}`"),
                "not a user level of the catalog",
            );
            if let Some(s) = near {
                e = e.with_help(format!("did you mean `{s}`?"));
            }
            errors.push(e);
        }
    };
    for (i, cred) in m.credentials.iter().enumerate() {
        let cn = tree
            .and_then(|t| t.get("credentials"))
            .and_then(|x| x.at(i));
        if !names.insert(cred.name.as_str()) {
            errors.push(l.error(
                node_span(cn.and_then(|x| x.get("name"))),
                format!("duplicate credential name `{}`", cred.name),
                "already used above",
            ));
        }
        if cred.kind == crate::manifest::CredentialKind::OauthClient && cred.owner.is_some() {
            errors.push(
                l.error(
                    node_span(cn.and_then(|x| x.key("owner"))),
                    "`owner` applies to PATs only",
                    "an OAuth client with client credentials has no user",
                )
                .with_help("remove `owner`, or use `kind: pat`"),
            );
        }
        if let Some(scopes) = &cred.scopes {
            let sn = cn.and_then(|x| x.get("scopes"));
            for (j, s) in scopes.iter().enumerate() {
                if c.catalog.scope_id(s.trim()).is_none() {
                    let near = nearest(s, c.catalog.scopes.iter().map(String::as_str));
                    let mut e = l.error(
                        node_span(sn.and_then(|x| x.at(j))),
                        format!("unknown scope `{s}`"),
                        "no operation of the catalog accepts this scope",
                    );
                    if let Some(n) = near {
                        e = e.with_help(format!("did you mean `{n}`?"));
                    }
                    errors.push(e);
                }
            }
        }
        if let Some(o) = &cred.owner {
            let ln = cn
                .and_then(|x| x.get("owner"))
                .and_then(|x| x.get("user_levels"));
            for (j, lvl) in o.user_levels.iter().enumerate() {
                check_level(lvl, ln.and_then(|x| x.at(j)), &mut errors);
            }
            if let Some((a, b)) = crate::solver::levels::conflict(&o.user_levels) {
                errors.push(
                    l.error(
                        node_span(ln),
                        format!("user levels `{a}` and `{b}` cannot be combined on one identity"),
                        "impossible owner",
                    )
                    .with_help("see the incompatible pairs in the README"),
                );
            }
        }
        if let Some(paths) = &cred.paths {
            let pn = cn.and_then(|x| x.get("paths"));
            for (j, g) in paths.iter().enumerate() {
                let span = node_span(pn.and_then(|x| x.at(j)));
                if let Some(glob) = glob(l, g, span, &mut errors) {
                    glob_checks.push(GlobCheck {
                        glob,
                        span,
                        ignore: false,
                    });
                }
            }
        }
        let mut calls = Vec::new();
        let kn = cn.and_then(|x| x.get("calls"));
        for (j, call) in cred.calls.iter().enumerate() {
            let span = node_span(kn.and_then(|x| x.at(j)));
            match route(c.catalog, call) {
                Ok(op) => calls.push((op, span)),
                Err(msg) => {
                    errors.push(l.error(span, format!("cannot resolve call `{call}`"), msg))
                }
            }
        }
        out.calls.push(calls);
    }
    for (i, a) in m.assume.iter().enumerate() {
        let an = tree.and_then(|t| t.get("assume")).and_then(|x| x.at(i));
        match route(c.catalog, &a.operation) {
            Ok(op) => out.assume.push((op, a.user_levels.clone())),
            Err(msg) => errors.push(l.error(
                node_span(an.and_then(|x| x.get("operation"))),
                format!("cannot resolve operation `{}`", a.operation),
                msg,
            )),
        }
        let ln = an.and_then(|x| x.get("user_levels"));
        for (j, lvl) in a.user_levels.iter().enumerate() {
            check_level(lvl, ln.and_then(|x| x.at(j)), &mut errors);
        }
        if a.reason.trim().is_empty() {
            errors.push(l.error(
                node_span(an),
                "an `assume` entry needs a reason",
                "empty reason",
            ));
        }
    }
    for (i, ig) in m.ignore.iter().enumerate() {
        let inode = tree.and_then(|t| t.get("ignore")).and_then(|x| x.at(i));
        if ig.rule.is_none() && ig.path.is_none() && ig.credential.is_none() {
            errors.push(l.error(
                node_span(inode),
                "an `ignore` entry needs `rule`, `path` or `credential`",
                "ignores nothing",
            ));
        }
        if ig.reason.trim().is_empty() {
            errors.push(l.error(
                node_span(inode),
                "an `ignore` entry needs a reason",
                "empty reason",
            ));
        }
        if let Some(r) = &ig.rule
            && !c.rules.contains(&r.as_str())
        {
            let near = nearest(r, c.rules.iter().copied());
            let mut e = l.error(
                node_span(inode.and_then(|x| x.get("rule"))),
                format!("unknown rule `{r}`"),
                "no such rule",
            );
            if let Some(n) = near {
                e = e.with_help(format!(
                    "did you mean `{n}`? `isc-scope-lint rules` lists them"
                ));
            }
            errors.push(e);
        }
        if let Some(p) = &ig.path {
            let span = node_span(inode.and_then(|x| x.get("path")));
            if let Some(glob) = glob(l, p, span, &mut errors) {
                glob_checks.push(GlobCheck {
                    glob,
                    span,
                    ignore: true,
                });
            }
        }
        if let Some(cr) = &ig.credential
            && !names.contains(cr.as_str())
        {
            errors.push(l.error(
                node_span(inode.and_then(|x| x.get("credential"))),
                format!("no credential named `{cr}`"),
                "unknown credential",
            ));
        }
    }
    validate_rule_settings(l, c, &mut glob_checks, &mut errors);
    errors.extend(unmatched_globs(l, glob_checks, c.files));
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(many(errors))
    }
}

/// `rules:`: known rule ids, known values, valid globs (each error at its place).
fn validate_rule_settings(
    l: &Loaded,
    c: &Checks,
    glob_checks: &mut Vec<GlobCheck>,
    errors: &mut Vec<SourceError>,
) {
    let rs = &l.manifest.rules;
    if rs.is_empty() {
        return;
    }
    let whole = (0, l.text.len().max(1));
    let rn = l.tree.as_ref().and_then(|t| t.get("rules"));
    let check_map = |map: &[(String, settings::RawSetting)],
                     node: Option<&YNode>,
                     errors: &mut Vec<SourceError>| {
        for (id, v) in map {
            if !c.rules.contains(&id.as_str()) {
                let near = nearest(id, c.rules.iter().copied());
                let mut e = l.error(
                    node.and_then(|n| n.key(id)).map_or(whole, YNode::span),
                    format!("unknown rule `{id}`"),
                    "no such rule",
                );
                e = e.with_help(match near {
                    Some(n) => format!("did you mean `{n}`? `isc-scope-lint rules` lists them"),
                    None => "`isc-scope-lint rules` lists them".into(),
                });
                errors.push(e);
            }
            if v.parse().is_none() {
                errors.push(
                    l.error(
                        node.and_then(|n| n.get(id)).map_or(whole, YNode::span),
                        format!("`{}` is not a rule setting", v.text()),
                        "not a setting",
                    )
                    .with_help(format!("use one of: {}", settings::VALUES.join(", "))),
                );
            }
        }
    };
    check_map(&rs.rules, rn, errors);
    let pn = rn.and_then(|n| n.get(settings::PER_PATH));
    for (g, map) in &rs.per_path {
        let span = pn.and_then(|n| n.key(g)).map_or(whole, YNode::span);
        if let Some(glob) = glob(l, g, span, errors) {
            glob_checks.push(GlobCheck {
                glob,
                span,
                ignore: true,
            });
        }
        check_map(map, pn.and_then(|n| n.get(g)), errors);
    }
}

/// `METHOD /path` to an operation, or why not.
fn route(cat: &Catalog, call: &str) -> Result<OpId, String> {
    let c = parse_call(call).map_err(|e| e.to_string())?;
    match cat.router().route(cat, c.method, &c.segs) {
        Routed::Op(op) => Ok(op),
        Routed::Legacy => Err("a legacy private API (/cc/api, /v2): in no public spec".into()),
        Routed::WrongMethod { methods, .. } => {
            let m: Vec<&str> = methods.iter().map(|m| m.as_str()).collect();
            Err(format!("this path accepts {}", m.join(", ")))
        }
        Routed::Unknown { nearest } => Err(match nearest.first() {
            Some(&o) => format!("no such operation; nearest: {}", cat.op(o).name()),
            None => "no such operation".into(),
        }),
    }
}

/// The nearest name by edit distance (for "did you mean").
///
/// A name whose length differs from `s` by more than the distance accepted is skipped without
/// computing the distance (it bounds the distance from below): O(names) for a long `s`.
pub fn nearest<'a>(s: &str, names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let len = s.chars().count();
    names
        .filter(|n| {
            let nl = n.chars().count();
            nl.abs_diff(len) <= (n.len() / 3).max(2)
        })
        .map(|n| {
            (
                char_distance(&s.to_ascii_lowercase(), &n.to_ascii_lowercase()),
                n,
            )
        })
        .filter(|(d, n)| *d <= (n.len() / 3).max(2))
        .min()
        .map(|(_, n)| n)
}

/// The manifest's JSON Schema.
pub fn schema() -> String {
    let s = schemars::schema_for!(Manifest);
    serde_json::to_string_pretty(&s).expect("schema serialises") + "\n"
}
