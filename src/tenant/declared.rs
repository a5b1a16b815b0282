//! What the code needs: the credentials that manifests declare, each with the operations its
//! code calls — from projects analysed as `check DIR` does (`--project`), or from saved
//! `check --format json` reports (`--report`).

use crate::catalog::{Catalog, Method, OpId};
use crate::check;
use crate::error::{LineIndex, PlainError, SourceError};
use crate::manifest::CredentialKind;
use crate::rules::Location;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Largest saved report read.
pub const MAX_REPORT_BYTES: u64 = 64 * 1024 * 1024;

/// A manifest `ignore` entry without a path: (rule, credential).
pub type IgnoreEntry = (Option<String>, Option<String>);

/// A credential a manifest declares, with what its code needs.
#[derive(Clone, Debug)]
pub struct Declared {
    pub name: String,
    pub kind: CredentialKind,
    /// The tenant id of the PAT or OAuth client (manifest `id:`).
    pub id: Option<String>,
    /// Declared scopes (`None`: omitted, i.e. `sp:scopes:all`).
    pub scopes: Option<Vec<String>>,
    /// Declared owner levels (`None`: not given).
    pub levels: Option<Vec<String>>,
    pub service_account: bool,
    /// Operations its code calls (and its manifest's `calls`).
    pub ops: Vec<OpId>,
    /// Some call could not be settled: its needs may be larger.
    pub incomplete: bool,
    /// Some call uses a legacy private API: only `sp:scopes:all` (and ORG_ADMIN) work.
    pub needs_all: bool,
    /// The manifest or report it comes from.
    pub source: String,
    /// Its `name:` in the manifest (projects), or [`Location::Project`] (reports).
    pub location: Location,
    /// The manifest's `ignore` entries without a path: (rule, credential).
    pub ignores: Vec<IgnoreEntry>,
}

/// Everything the projects and reports declare.
#[derive(Default)]
pub struct Declarations {
    pub creds: Vec<Declared>,
    /// Manifest texts by the path findings name (excerpts and inline ignores).
    pub sources: BTreeMap<String, String>,
    /// Discovery warnings of the projects (printed as `check` prints them).
    pub warnings: Vec<crate::discover::Warning>,
}

fn slash(p: &Path) -> String {
    p.display().to_string().replace('\\', "/")
}

/// `--project DIR`: the project analysed as `check DIR` does; its manifest is required.
pub fn add_project(d: &mut Declarations, dir: &Path, base: &check::Input) -> miette::Result<()> {
    let mut input = base.clone();
    input.paths = vec![dir.to_path_buf()];
    input.config = None;
    let run = check::prepare(&input)?;
    let Some(m) = run.manifest.as_ref() else {
        return Err(PlainError::new(format!("`{}` has no manifest (isc-scope-lint.yaml in it or above)", dir.display()))
            .with_help("the audit joins the tenant's credentials with the credentials a manifest declares; `isc-scope-lint init` writes one")
            .into());
    };
    let solver = run.solver();
    let cx = run.context(&solver);
    // The manifest as the user would name it: under the folder given, as given.
    let file = if Path::new(&m.display).is_absolute() {
        slash(&m.path)
    } else {
        slash(&dir.join(&m.display))
    };
    let ignores: Vec<IgnoreEntry> = m
        .manifest
        .ignore
        .iter()
        .filter(|i| i.path.is_none())
        .map(|i| (i.rule.clone(), i.credential.clone()))
        .collect();
    for c in &cx.creds {
        let spec = &m.manifest.credentials[c.index];
        let (offset, _) = cx.cred_span(c, &[]);
        let (line, column) = m.line_col(offset);
        d.creds.push(Declared {
            name: c.name.clone(),
            kind: c.kind,
            id: spec.id.clone(),
            scopes: spec.scopes.clone(),
            levels: spec.owner.as_ref().map(|o| o.user_levels.clone()),
            service_account: c.service_account == Some(true),
            ops: c.ops.clone(),
            incomplete: c.incomplete,
            needs_all: c.legacy,
            source: file.clone(),
            location: Location::Code {
                file: file.clone(),
                line,
                column,
            },
            ignores: ignores.clone(),
        });
    }
    d.sources.insert(file, m.text.clone());
    d.warnings.extend(run.discovery.warnings.iter().cloned());
    Ok(())
}

#[derive(Deserialize)]
struct ReportJson {
    version: u32,
    #[serde(default)]
    manifest: Option<String>,
    #[serde(default)]
    credentials: Vec<ReportCred>,
}

#[derive(Deserialize)]
struct ReportCred {
    name: String,
    kind: CredentialKind,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    service_account: bool,
    #[serde(default)]
    incomplete: bool,
    granted: ReportGrant,
    minimal: ReportGrant,
    #[serde(default)]
    scopes_needed_by: BTreeMap<String, Vec<ReportNeed>>,
    #[serde(default)]
    user_levels_needed_by: BTreeMap<String, Vec<ReportNeed>>,
}

#[derive(Deserialize)]
struct ReportGrant {
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    user_levels: Vec<String>,
}

#[derive(Deserialize)]
struct ReportNeed {
    operation: String,
}

/// `--report FILE|DIR`: saved `check --format json` reports (a folder: every `*.json` under
/// it, sorted by path).
pub fn add_reports(d: &mut Declarations, cat: &Catalog, path: &Path) -> miette::Result<()> {
    let mut files = Vec::new();
    if path.is_dir() {
        collect_json(path, &mut files, 0);
        files.sort();
        if files.is_empty() {
            return Err(
                PlainError::new(format!("no `*.json` report under `{}`", path.display())).into(),
            );
        }
    } else {
        files.push(path.to_path_buf());
    }
    for f in files {
        add_report(d, cat, &f)?;
    }
    Ok(())
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 16 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let Ok(ft) = e.file_type() else { continue };
        let p = e.path();
        if ft.is_dir() {
            collect_json(&p, out, depth + 1);
        } else if ft.is_file() && p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

fn add_report(d: &mut Declarations, cat: &Catalog, path: &Path) -> miette::Result<()> {
    let name = slash(path);
    let bytes = crate::fsutil::read_input(path, "report", MAX_REPORT_BYTES)?;
    let (text, _) = crate::fsutil::decode_utf8(&name, "report", bytes)?;
    crate::nesting::check(&name, "report", &text)?;
    let r: ReportJson = serde_json::from_str(&text).map_err(|e| {
        let lines = LineIndex::new(&text);
        let off = lines.offset_of(&text, e.line(), e.column());
        SourceError::indexed(
            &name,
            &text,
            &lines,
            crate::error::line_span(&text, off),
            format!("`{name}` is not a `check --format json` report"),
            e.to_string(),
        )
        .with_help("save the report with `isc-scope-lint check --format json -o FILE`")
    })?;
    if r.version != crate::report::check::JSON_VERSION {
        return Err(PlainError::new(format!(
            "`{name}`: report version {} (this isc-scope-lint reads version {})",
            r.version,
            crate::report::check::JSON_VERSION
        ))
        .into());
    }
    let source = match &r.manifest {
        Some(m) => format!("{name} ({m})"),
        None => name.clone(),
    };
    let all = crate::catalog::ALL_SCOPES;
    for c in r.credentials {
        let mut ops = Vec::new();
        let mut unknown = false;
        for need in c
            .scopes_needed_by
            .values()
            .chain(c.user_levels_needed_by.values())
            .flatten()
        {
            match need
                .operation
                .split_once(' ')
                .and_then(|(m, p)| Method::parse(m).and_then(|m| cat.by_name(m, p)))
            {
                Some(op) => ops.push(op),
                None => unknown = true,
            }
        }
        ops.sort_unstable();
        ops.dedup();
        let pat = c.kind == CredentialKind::Pat;
        let needs_all = c.minimal.scopes.iter().any(|s| s == all);
        d.creds.push(Declared {
            name: c.name,
            kind: c.kind,
            id: c.id,
            scopes: Some(c.granted.scopes),
            levels: (pat && !c.granted.user_levels.is_empty()).then_some(c.granted.user_levels),
            service_account: c.service_account,
            ops,
            incomplete: c.incomplete || unknown,
            needs_all,
            source: source.clone(),
            location: Location::Project,
            ignores: Vec::new(),
        });
    }
    Ok(())
}
