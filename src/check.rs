//! `check`: the whole pipeline for one project — catalog (embedded or `--spec`/manifest
//! `spec`), discovery, the manifest, each credential's minimal grant, the rules — producing
//! everything the reports and `--fix`/`init` need.

use crate::catalog::OpId;
use crate::discover::{self, Discovery, FoundCall};
use crate::error::PlainError;
use crate::manifest::{self, Loaded, Resolved};
use crate::rules::{self, Context, Finding, engine};
use crate::solver::{Semantics, Solver};
use crate::spec::{self, LoadedCatalog};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// What `check` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct Input {
    pub paths: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub spec: Vec<PathBuf>,
    pub semantics: Option<Semantics>,
    pub walk: discover::Options,
    pub engine: engine::Options,
}

/// Everything a check computed.
pub struct Run {
    pub catalog: LoadedCatalog,
    pub discovery: Discovery,
    pub manifest: Option<Loaded>,
    pub resolved: Resolved,
    pub sources: BTreeMap<String, String>,
    pub semantics: Semantics,
    pub manifest_prefix: String,
    pub overrides: HashMap<OpId, Vec<String>>,
    /// Warnings at places of the manifest (declared wrappers no scanned file defines or
    /// calls).
    pub manifest_warnings: Vec<manifest::discovery::SourceWarning>,
}

impl Run {
    /// The solver (with the manifest's verified user levels).
    pub fn solver(&self) -> Solver<'_> {
        Solver::with_overrides(&self.catalog, &self.overrides)
    }

    /// The rule context over a solver.
    pub fn context<'a>(&'a self, solver: &'a Solver<'a>) -> Context<'a> {
        rules::context::build(
            &self.catalog,
            solver,
            self.semantics,
            &self.discovery.calls,
            self.manifest.as_ref(),
            &self.resolved,
            &self.sources,
            &self.manifest_prefix,
        )
    }

    pub fn calls(&self) -> &[FoundCall] {
        &self.discovery.calls
    }
}

/// Runs discovery and loads the manifest (validated against the catalog and the files).
pub fn prepare(input: &Input) -> miette::Result<Run> {
    prepare_inner(input, true)
}

/// Runs discovery only (for `init`): no manifest is read.
pub fn prepare_without_manifest(input: &Input) -> miette::Result<Run> {
    prepare_inner(input, false)
}

fn prepare_inner(input: &Input, with_manifest: bool) -> miette::Result<Run> {
    let paths = if input.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        input.paths.clone()
    };
    for p in &paths {
        if std::fs::symlink_metadata(p).is_err() {
            return Err(
                PlainError::new(format!("no such file or folder: `{}`", p.display())).into(),
            );
        }
    }
    let root = &paths[0];
    let manifest = load_manifest(input.config.as_deref(), root, with_manifest)?;
    let (catalog, walk) = with_manifest_settings(manifest.as_ref(), &input.spec, &input.walk)?;
    let semantics = input
        .semantics
        .or(manifest.as_ref().and_then(|m| m.manifest.scope_semantics))
        .unwrap_or_default();
    let (files, found) = discover::scan(&catalog, &paths, &walk);
    let manifest_warnings = match &manifest {
        Some(m) => manifest::discovery::unused_warnings(m, &walk.taught, &found.unused_wrappers)
            .into_iter()
            .map(|(w, _)| w)
            .collect(),
        None => Vec::new(),
    };
    let discover::Discovery {
        calls,
        warnings,
        files_scanned: scanned,
        unused_wrappers,
    } = found;
    let sources: BTreeMap<String, String> = files
        .iter()
        .filter(|f| f.kind != discover::FileKind::Manifest || f.rel.ends_with(".json"))
        .map(|f| (f.rel.clone(), f.text.clone()))
        .collect();
    // Paths relative to the manifest's folder.
    let manifest_prefix = match &manifest {
        Some(m) => prefix_between(m.dir(), root),
        None => String::new(),
    };
    let resolved = match &manifest {
        Some(m) => {
            let probe = Solver::new(&catalog);
            let ids = rules::ids();
            let mut all_files: Vec<String> = files
                .iter()
                .map(|f| format!("{manifest_prefix}{}", f.rel))
                .collect();
            all_files.extend(
                list_files(root, &input.walk)
                    .into_iter()
                    .map(|f| format!("{manifest_prefix}{f}")),
            );
            all_files.sort();
            all_files.dedup();
            manifest::validate(
                m,
                &manifest::Checks {
                    catalog: &catalog,
                    levels: &probe.levels,
                    rules: &ids,
                    files: &all_files,
                },
            )?
        }
        None => Resolved::default(),
    };
    let overrides: HashMap<OpId, Vec<String>> = resolved.assume.iter().cloned().collect();
    Ok(Run {
        catalog,
        discovery: Discovery {
            calls,
            warnings,
            files_scanned: scanned,
            unused_wrappers,
        },
        manifest,
        resolved,
        sources,
        semantics,
        manifest_prefix,
        overrides,
        manifest_warnings,
    })
}

/// The manifest: `config` (`--config`), else — when `find` — `isc-scope-lint.yaml` found in
/// `root`'s folder or its parents; read and parsed (not yet validated against the catalog).
pub fn load_manifest(
    config: Option<&Path>,
    root: &Path,
    find: bool,
) -> miette::Result<Option<Loaded>> {
    let path = match config {
        Some(c) => {
            if std::fs::metadata(c).is_err() {
                return Err(PlainError::new(format!("no manifest at `{}`", c.display())).into());
            }
            Some(c.to_path_buf())
        }
        None if find => manifest::find(root),
        None => None,
    };
    match &path {
        Some(p) => Ok(Some(manifest::load(p, display_path(p, root))?)),
        None => Ok(None),
    }
}

/// What a manifest changes before discovery: the catalog (`--spec` plus its `spec` entries,
/// relative to its folder) and the discovery options (its `discovery` section, checked).
pub fn with_manifest_settings(
    manifest: Option<&Loaded>,
    spec: &[PathBuf],
    walk: &discover::Options,
) -> miette::Result<(LoadedCatalog, discover::Options)> {
    let mut specs = spec.to_vec();
    let mut walk = walk.clone();
    if let Some(m) = manifest {
        walk.taught = std::sync::Arc::new(manifest::discovery::taught(m)?);
        for s in &m.manifest.spec {
            specs.push(m.dir().join(s));
        }
    }
    Ok((spec::catalog_for(&specs)?, walk))
}

/// Every file path under `root` (relative), respecting ignore files: what `paths` globs may
/// match, including files without calls.
fn list_files(root: &Path, opts: &discover::Options) -> Vec<String> {
    let _ = opts;
    let mut out = Vec::new();
    if root.is_file() {
        if let Some(n) = root.file_name() {
            out.push(n.to_string_lossy().into_owned());
        }
        return out;
    }
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .build();
    for e in walker.flatten() {
        if e.file_type().is_some_and(|t| t.is_file())
            && let Ok(rel) = e.path().strip_prefix(root)
        {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    out
}

/// `a/b` relative to `a` → `b/`; the prefix that turns paths under `root` into paths under
/// `dir` (empty when they are the same folder).
fn prefix_between(dir: &Path, root: &Path) -> String {
    let (Ok(d), Ok(r)) = (std::fs::canonicalize(dir), std::fs::canonicalize(root)) else {
        return String::new();
    };
    let r = if r.is_file() {
        r.parent().map(Path::to_path_buf).unwrap_or(r)
    } else {
        r
    };
    match r.strip_prefix(&d) {
        Ok(rest) if rest.as_os_str().is_empty() => String::new(),
        Ok(rest) => format!("{}/", rest.to_string_lossy().replace('\\', "/")),
        Err(_) => String::new(),
    }
}

/// How a manifest path is shown: relative to the checked folder when inside it.
fn display_path(p: &Path, root: &Path) -> String {
    let (Ok(ap), Ok(ar)) = (std::fs::canonicalize(p), std::fs::canonicalize(root)) else {
        return p.display().to_string();
    };
    let ar = if ar.is_file() {
        ar.parent().map(Path::to_path_buf).unwrap_or(ar)
    } else {
        ar
    };
    match ap.strip_prefix(&ar) {
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => p.display().to_string(),
    }
}

/// Exit status: 1 when a shown finding is at or above `fail_on`.
pub fn failed(findings: &[Finding], fail_on: rules::Severity) -> bool {
    findings.iter().any(|f| f.severity >= fail_on)
}

/// `--fix`: the manifest text with each credential's scopes and owner user levels set to its
/// minimal grant, and notes on what was left alone (incomplete verdicts, impossible grants).
/// The new text is checked to parse as a manifest before it is returned.
pub fn fix(cx: &Context, m: &Loaded) -> miette::Result<(String, Vec<String>)> {
    use crate::catalog::AuthKind;
    use manifest::fix::NewGrant;
    let mut grants = Vec::new();
    let mut notes = Vec::new();
    for c in &cx.creds {
        if c.incomplete {
            notes.push(format!("`{}` not fixed: some of its calls could not be settled, so the minimal grant may be short", c.name));
            continue;
        }
        let scopes = match c.auth {
            AuthKind::User => Some(&c.minimal.pat_scopes.scopes),
            AuthKind::App if c.minimal.client.possible => Some(&c.minimal.client.scopes),
            AuthKind::App => {
                notes.push(format!(
                    "`{}` not fixed: some of its calls need user context (a PAT)",
                    c.name
                ));
                None
            }
        };
        let levels = (c.auth == AuthKind::User).then(|| c.minimal.pat_levels.levels.clone());
        // The same comments and notes `init` writes, so none goes stale.
        let sites = crate::report::check::sites_of(cx, &c.calls, &c.extra);
        let legacy = crate::report::check::legacy_of(cx, &c.calls);
        let comments = if scopes.is_some() {
            manifest::init::item_comments(cx.solver, &c.minimal, c.auth, &sites, &legacy)
        } else {
            Default::default()
        };
        let cred_notes = manifest::init::credential_notes(
            cx.solver,
            &c.minimal,
            c.auth,
            c.kind == manifest::CredentialKind::Pat,
        );
        for n in &cred_notes {
            notes.push(format!(
                "`{}`: {}",
                c.name,
                n.trim_start_matches(manifest::init::NOTE).trim()
            ));
        }
        grants.push(NewGrant {
            credential: c.index,
            scopes: scopes.map(|s| cx.scope_names(s).into_iter().map(str::to_string).collect()),
            user_levels: levels,
            comments,
            notes: scopes.is_some().then_some(cred_notes),
        });
    }
    let text = manifest::fix::apply(m, &grants).map_err(|r| {
        m.error(r.span, r.message, "cannot be rewritten in place")
            .with_help(r.help)
    })?;
    // The new text must parse, and to exactly the grants meant.
    let ok = match serde_yaml::from_str::<manifest::Manifest>(&text) {
        Err(e) => Err(e.to_string()),
        Ok(new) => grants
            .iter()
            .all(|g| {
                let c = new.credentials.get(g.credential);
                g.scopes
                    .as_ref()
                    .is_none_or(|s| c.and_then(|c| c.scopes.as_ref()) == Some(s))
                    && g.user_levels.as_ref().is_none_or(|l| {
                        c.and_then(|c| c.owner.as_ref())
                            .is_some_and(|o| &o.user_levels == l)
                    })
            })
            .then_some(())
            .ok_or_else(|| "the rewritten grants do not read back as meant".to_string()),
    };
    if let Err(e) = ok {
        return Err(PlainError::new(format!(
            "--fix would write an invalid manifest ({e}); `{}` left as it was",
            m.display
        ))
        .with_help("please report this with the manifest")
        .into());
    }
    Ok((text, notes))
}

/// `--fix` and `init` write grants computed from the calls found: refused when code may have
/// gone unseen (a file unreadable, too large, minified, or its analysis cut short), since the
/// grant could then miss what that code needs.
pub fn require_complete(d: &Discovery, action: &str) -> miette::Result<()> {
    let lost: Vec<&discover::Warning> = d.warnings.iter().filter(|w| w.kind.lost()).collect();
    if lost.is_empty() {
        return Ok(());
    }
    let mut list: Vec<String> = lost
        .iter()
        .take(10)
        .map(|w| format!("  {}: {}", w.path, w.message))
        .collect();
    if lost.len() > 10 {
        list.push(format!("  ... and {} more", lost.len() - 10));
    }
    Err(PlainError::new(format!(
        "{action} refused: {} file(s) could not be read or were skipped, so the grants computed could miss what their calls need:\n{}",
        lost.len(),
        list.join("\n")
    ))
    .with_help(format!(
        "make them readable, raise --max-file-size, or exclude them (an .ignore or .gitignore entry) if they hold no ISC calls; then run {action} again"
    ))
    .into())
}
