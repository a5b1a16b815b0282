//! The specs stage: reads ISC OpenAPI 3.0 documents (YAML or JSON) with `openapiv3` and turns
//! every operation into a normalised [`RawOperation`], reporting each normalisation.

use crate::catalog::{
    ALL_SCOPES, Catalog, Method, PER_API_FAMILY, Provenance, RawOperation, SourceRecord,
};
use crate::error::{PlainError, SourceError, line_span, offset_of};
use miette::Result;
use openapiv3::{OpenAPI, Parameter, ReferenceOr, SecurityRequirement, SecurityScheme};
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::{Path, PathBuf};

/// What a normalisation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NormKind {
    /// A scope name with surrounding whitespace was trimmed.
    TrimmedScope,
    /// `x-sailpont-userLevels` was read as `x-sailpoint-userLevels`.
    MisspelledUserLevels,
    /// An entry of a user-level list that is a scope name (contains `:`) was dropped.
    ScopeInUserLevels,
    /// A user-level entry that is not a string was dropped.
    InvalidUserLevel,
    /// The operation has no `security` and inherits the document's global one.
    InheritedSecurity,
    /// `security: []` or a `{}` requirement: the operation needs no scope.
    Public,
    /// A requirement with an empty scope list was read as `sp:scopes:all`.
    EmptyScopeList,
    /// The `UserContextAuth` scheme was read as `userAuth`.
    UserContextAuth,
    /// A security scheme other than userAuth/applicationAuth was classified by its flows.
    OtherScheme,
    /// The operation has no operationId; the SDK generator's synthesised id is used.
    SynthesisedOperationId,
    /// A path item given as `$ref` could not be read and was skipped.
    SkippedReference,
    /// The same `METHOD /path` appears in two documents; the first is kept.
    DuplicateOperation,
    /// The description says every listed scope is needed: the operation is read as all-of
    /// under the any-of default.
    AllOfScopes,
}

/// One normalisation applied to one operation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Normalisation {
    pub file: String,
    pub operation: String,
    pub kind: NormKind,
    pub detail: String,
}

impl fmt::Display for Normalisation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.operation, self.file, self.detail)
    }
}

/// The operations read from a set of spec files.
#[derive(Debug)]
pub struct SpecSet {
    pub ops: Vec<RawOperation>,
    pub sources: Vec<SourceRecord>,
    pub warnings: Vec<Normalisation>,
}

impl SpecSet {
    /// Turns the operations into a catalog with a provenance record.
    pub fn into_catalog(self, label: String) -> (Catalog, Vec<Normalisation>) {
        let prov = Provenance {
            label,
            sources: self.sources,
        };
        (Catalog::from_raw(prov, self.ops), self.warnings)
    }

    /// A default label naming the files, for catalogs built without `--label`.
    pub fn default_label(&self) -> String {
        let names: Vec<&str> = self.sources.iter().map(|s| s.file.as_str()).collect();
        format!("user specs: {}", names.join(", "))
    }
}

/// Expands files and folders (their `*.yaml`, `*.yml` and `*.json` files, recursively, sorted).
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| {
            PlainError::new(format!("cannot read spec `{}`: {e}", p.display()))
                .with_help("pass OpenAPI files or folders that hold them")
        })?;
        if meta.is_dir() {
            let before = out.len();
            collect_dir(p, &mut out)?;
            if out.len() == before {
                return Err(PlainError::new(format!(
                    "spec folder `{}` holds no .yaml, .yml or .json file",
                    p.display()
                ))
                .into());
            }
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Spec files of a folder, recursively; symlinked folders are not entered (no loops), and
/// only regular files (or symlinks to them) are taken.
fn collect_dir(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| {
        PlainError::new(format!("cannot read spec folder `{}`: {e}", dir.display()))
    })?;
    let mut entries: Vec<(PathBuf, std::fs::FileType)> = rd
        .filter_map(|e| e.ok().and_then(|e| Some((e.path(), e.file_type().ok()?))))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (e, ft) in entries {
        if ft.is_dir() {
            collect_dir(&e, out)?;
        } else if matches!(
            e.extension().and_then(|x| x.to_str()),
            Some("yaml" | "yml" | "json")
        ) && std::fs::metadata(&e).is_ok_and(|m| m.is_file())
        {
            out.push(e);
        }
    }
    Ok(())
}

/// Reads and normalises spec files (in parallel; the result is in argument order).
pub fn load(paths: &[PathBuf]) -> Result<SpecSet> {
    let files = expand_paths(paths)?;
    if files.is_empty() {
        return Err(PlainError::new("no spec file given").into());
    }
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(files.len());
    let mut results: Vec<Option<Result<FileOps>>> = (0..files.len()).map(|_| None).collect();
    std::thread::scope(|s| {
        let chunks: Vec<Vec<usize>> = (0..workers)
            .map(|w| (w..files.len()).step_by(workers).collect())
            .collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|idx| {
                let files = &files;
                s.spawn(move || {
                    idx.into_iter()
                        .map(|i| (i, read_file(&files[i])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            for (i, r) in h.join().expect("spec reader thread panicked") {
                results[i] = Some(r);
            }
        }
    });
    let mut set = SpecSet {
        ops: Vec::new(),
        sources: Vec::new(),
        warnings: Vec::new(),
    };
    let mut seen = std::collections::HashMap::new();
    for r in results {
        let f = r.expect("every file read")?;
        let mut kept = 0;
        for op in f.ops {
            let key = (op.method, op.path.clone());
            if let Some(first) = seen.get(&key) {
                set.warnings.push(Normalisation {
                    file: f.record.file.clone(),
                    operation: format!("{} {}", op.method, op.path),
                    kind: NormKind::DuplicateOperation,
                    detail: format!("also defined in {first}; the first definition is kept"),
                });
                continue;
            }
            seen.insert(key, f.record.file.clone());
            set.ops.push(op);
            kept += 1;
        }
        set.warnings.extend(f.warnings);
        set.sources.push(SourceRecord {
            operations: kept,
            ..f.record
        });
    }
    Ok(set)
}

struct FileOps {
    record: SourceRecord,
    ops: Vec<RawOperation>,
    warnings: Vec<Normalisation>,
}

fn read_file(path: &Path) -> Result<FileOps> {
    let bytes = crate::fsutil::read_input(path, "spec", crate::fsutil::MAX_SPEC_BYTES)?;
    let name = path.display().to_string();
    let (text, _bom) = crate::fsutil::decode_utf8(&name, "spec", bytes)?;
    crate::nesting::check(&name, "spec", &text)?;
    let sha = hex(&Sha256::digest(text.as_bytes()));
    let doc = parse_document(&name, &text)?;
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.clone());
    let (ops, warnings) = operations(&file, &doc);
    Ok(FileOps {
        record: SourceRecord {
            file,
            sha256: sha,
            operations: ops.len(),
        },
        ops,
        warnings,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn is_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

/// Parses one OpenAPI document, with errors that point at the place.
pub fn parse_document(name: &str, text: &str) -> Result<OpenAPI> {
    let typed: std::result::Result<OpenAPI, (String, Option<usize>)> = if is_json(text) {
        serde_json::from_str(text)
            .map_err(|e| (e.to_string(), Some(offset_of(text, e.line(), e.column()))))
    } else {
        serde_yaml::from_str(text).map_err(|e| (yaml_message(&e), e.location().map(|l| l.index())))
    };
    let err = match typed {
        Ok(doc) => {
            if !doc.openapi.starts_with("3.") {
                return Err(not_openapi(name, text, "openapi", &doc.openapi));
            }
            return Ok(doc);
        }
        Err(e) => e,
    };
    // Tell a syntax error from a valid document that is not OpenAPI 3.
    let value: std::result::Result<serde_json::Value, (String, Option<usize>)> = if is_json(text) {
        serde_json::from_str(text)
            .map_err(|e| (e.to_string(), Some(offset_of(text, e.line(), e.column()))))
    } else {
        serde_yaml::from_str(text).map_err(|e| (yaml_message(&e), e.location().map(|l| l.index())))
    };
    match value {
        Err((msg, off)) => {
            let kind = if is_json(text) { "JSON" } else { "YAML" };
            let off = off.unwrap_or(0);
            Err(SourceError::new(
                name,
                text,
                line_span(text, off),
                format!("spec `{name}` is not valid {kind}"),
                msg,
            )
            .into())
        }
        Ok(v) => {
            let obj = v.as_object();
            match obj.and_then(|o| o.get("openapi").or_else(|| o.get("swagger"))) {
                None => Err(PlainError::new(format!(
                    "`{name}` is not an OpenAPI document: it has no top-level `openapi` field"
                ))
                .with_help("pass ISC OpenAPI 3.0 specs, e.g. ../shared/specs/isc/")
                .into()),
                Some(ver) if obj.is_some_and(|o| o.contains_key("swagger")) => {
                    Err(not_openapi(name, text, "swagger", &ver.to_string()))
                }
                Some(_) => {
                    let off = err.1.unwrap_or(0);
                    Err(SourceError::new(
                        name,
                        text,
                        line_span(text, off),
                        format!("spec `{name}` is not a valid OpenAPI 3.0 document"),
                        err.0,
                    )
                    .into())
                }
            }
        }
    }
}

/// serde_yaml's message without the trailing ` at line L column C` (the span shows the place).
fn yaml_message(e: &serde_yaml::Error) -> String {
    let m = e.to_string();
    match m.rfind(" at line ") {
        Some(i) if m[i..].contains(" column ") => m[..i].to_string(),
        _ => m,
    }
}

fn not_openapi(name: &str, text: &str, key: &str, version: &str) -> miette::Report {
    let off = text.find(key).unwrap_or(0);
    SourceError::new(
        name,
        text,
        line_span(text, off),
        format!("`{name}` is not an OpenAPI 3.x document"),
        format!("version {version}"),
    )
    .with_help("only OpenAPI 3.0 documents are read (the ISC specs are 3.0.1)")
    .into()
}

/// The base path of the document's first server URL (`https://{tenant}.api.identitynow.com/v3`
/// → `/v3`); empty for the per-API spec.
pub fn server_prefix(doc: &OpenAPI) -> String {
    let Some(server) = doc.servers.first() else {
        return String::new();
    };
    let url = server.url.as_str();
    let rest = match url.find("://") {
        Some(i) => &url[i + 3..],
        None => url,
    };
    let path = if url.starts_with('/') {
        url
    } else {
        rest.find('/').map_or("", |j| &rest[j..])
    };
    path.trim_end_matches('/').to_string()
}

fn family_of_prefix(prefix: &str) -> String {
    let f = prefix.trim_matches('/');
    if f.is_empty() {
        PER_API_FAMILY.to_string()
    } else {
        f.to_string()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    User,
    App,
}

/// Classifies a security scheme: `userAuth`/`UserContextAuth` carry a user, `applicationAuth`
/// is client credentials; other OAuth2 schemes by their flows.
fn scheme_kind(doc: &OpenAPI, name: &str) -> (Kind, Option<NormKind>) {
    match name {
        "userAuth" => (Kind::User, None),
        "applicationAuth" => (Kind::App, None),
        "UserContextAuth" => (Kind::User, Some(NormKind::UserContextAuth)),
        other => {
            let scheme = doc
                .components
                .as_ref()
                .and_then(|c| c.security_schemes.get(other))
                .and_then(|s| s.as_item());
            let only_client = matches!(scheme, Some(SecurityScheme::OAuth2 { flows, .. })
                if flows.client_credentials.is_some()
                    && flows.authorization_code.is_none()
                    && flows.implicit.is_none()
                    && flows.password.is_none());
            let kind = if only_client { Kind::App } else { Kind::User };
            (kind, Some(NormKind::OtherScheme))
        }
    }
}

/// The generator's operationId for operations that lack one: path without braces + method,
/// split on `/`, first part lower-first, the others camelized.
pub fn synthesised_operation_id(path: &str, method: &str) -> String {
    let full = format!("{}/{}", path.replace(['{', '}'], ""), method.to_lowercase());
    let mut out = String::new();
    for part in full.split('/').filter(|p| !p.is_empty()) {
        let camel: String = part
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect();
        if out.is_empty() {
            let mut c = camel.chars();
            if let Some(f) = c.next() {
                out.push(f.to_ascii_lowercase());
                out.push_str(c.as_str());
            }
        } else {
            out.push_str(&camel);
        }
    }
    out
}

fn is_experimental_header(p: &ReferenceOr<Parameter>) -> bool {
    matches!(p, ReferenceOr::Item(Parameter::Header { parameter_data, .. })
        if parameter_data.name.eq_ignore_ascii_case("X-SailPoint-Experimental"))
}

/// Normalises every operation of a document.
pub fn operations(file: &str, doc: &OpenAPI) -> (Vec<RawOperation>, Vec<Normalisation>) {
    let prefix = server_prefix(doc);
    let family = family_of_prefix(&prefix);
    let mut ops = Vec::new();
    let mut warns = Vec::new();
    for (path, item) in doc.paths.iter() {
        let full_path = format!("{prefix}{path}");
        let item = match item {
            ReferenceOr::Item(i) => i,
            ReferenceOr::Reference { reference } => {
                warns.push(Normalisation {
                    file: file.into(),
                    operation: full_path.clone(),
                    kind: NormKind::SkippedReference,
                    detail: format!("path item is a reference (`{reference}`) and was skipped"),
                });
                continue;
            }
        };
        let item_experimental = item.parameters.iter().any(is_experimental_header);
        for (m, op) in item.iter() {
            let method = Method::parse(m).expect("openapiv3 yields HTTP methods");
            let opname = format!("{method} {full_path}");
            let mut warn = |kind: NormKind, detail: String| {
                warns.push(Normalisation {
                    file: file.into(),
                    operation: opname.clone(),
                    kind,
                    detail,
                })
            };
            let operation_id = match &op.operation_id {
                Some(id) if !id.trim().is_empty() => id.trim().to_string(),
                _ => {
                    let id = synthesised_operation_id(path, m);
                    warn(
                        NormKind::SynthesisedOperationId,
                        format!("no operationId; using the SDK generator's `{id}`"),
                    );
                    id
                }
            };
            // Security.
            let (reqs, inherited): (&[SecurityRequirement], bool) = match &op.security {
                Some(s) => (s.as_slice(), false),
                None => (doc.security.as_deref().unwrap_or(&[]), true),
            };
            if inherited {
                let shown = describe_requirements(reqs);
                warn(
                    NormKind::InheritedSecurity,
                    format!("no `security`; inherits the document's global security {shown}"),
                );
            }
            let mut public = false;
            if reqs.is_empty() {
                public = true;
                warn(
                    NormKind::Public,
                    "`security: []`: no scope needed (public)".into(),
                );
            }
            let mut user_auth: Vec<Vec<String>> = Vec::new();
            let mut app_auth: Vec<Vec<String>> = Vec::new();
            for req in reqs {
                if req.is_empty() {
                    if !public {
                        warn(
                            NormKind::Public,
                            "security requirement `{}`: no scope needed (public)".into(),
                        );
                    }
                    public = true;
                    continue;
                }
                for (scheme, scopes) in req {
                    let (kind, note) = scheme_kind(doc, scheme);
                    match note {
                        Some(NormKind::UserContextAuth) => warn(
                            NormKind::UserContextAuth,
                            "scheme `UserContextAuth` read as `userAuth`".into(),
                        ),
                        Some(n) => warn(
                            n,
                            format!(
                                "unknown security scheme `{scheme}` read as {}",
                                if kind == Kind::App {
                                    "`applicationAuth` (client credentials only)"
                                } else {
                                    "`userAuth`"
                                }
                            ),
                        ),
                        None => {}
                    }
                    let mut list: Vec<String> = Vec::new();
                    for s in scopes {
                        let t = s.trim();
                        if t != s {
                            warn(
                                NormKind::TrimmedScope,
                                format!("scope `{s}` trimmed to `{t}` ({scheme})"),
                            );
                        }
                        if !t.is_empty() && !list.iter().any(|x| x == t) {
                            list.push(t.to_string());
                        }
                    }
                    if list.is_empty() {
                        warn(
                            NormKind::EmptyScopeList,
                            format!("`{scheme}: []` read as `{ALL_SCOPES}`"),
                        );
                        list.push(ALL_SCOPES.to_string());
                    }
                    let target = if kind == Kind::App {
                        &mut app_auth
                    } else {
                        &mut user_auth
                    };
                    if !target.contains(&list) {
                        target.push(list);
                    }
                }
            }
            // A description that says every listed scope is needed overrides any-of.
            let all_of = match op.description.as_deref().and_then(states_all_of) {
                Some(said) if !public => {
                    warn(
                        NormKind::AllOfScopes,
                        format!(
                            "the description says \"{said}\": read as all-of (every scope of a requirement object is needed)"
                        ),
                    );
                    true
                }
                _ => false,
            };
            // User levels.
            let mut user_levels = Vec::new();
            let proper = op.extensions.get("x-sailpoint-userLevels");
            let misspelt = op.extensions.get("x-sailpont-userLevels");
            if misspelt.is_some() {
                warn(
                    NormKind::MisspelledUserLevels,
                    "`x-sailpont-userLevels` read as `x-sailpoint-userLevels`".into(),
                );
            }
            for v in proper.into_iter().chain(misspelt) {
                let entries: Vec<&serde_json::Value> = match v {
                    serde_json::Value::Array(a) => a.iter().collect(),
                    other => vec![other],
                };
                for e in entries {
                    let Some(s) = e.as_str() else {
                        warn(
                            NormKind::InvalidUserLevel,
                            format!("user-level entry `{e}` is not a string; dropped"),
                        );
                        continue;
                    };
                    let s = s.trim();
                    if s.contains(':') {
                        warn(
                            NormKind::ScopeInUserLevels,
                            format!("`{s}` in the user-level list is a scope name; dropped"),
                        );
                        continue;
                    }
                    if !s.is_empty() && !user_levels.iter().any(|l| l == s) {
                        user_levels.push(s.to_string());
                    }
                }
            }
            ops.push(RawOperation {
                method,
                path: full_path.clone(),
                operation_id,
                family: family.clone(),
                tag: op.tags.first().cloned().unwrap_or_default(),
                public,
                deprecated: op.deprecated,
                experimental: item_experimental || op.parameters.iter().any(is_experimental_header),
                user_auth,
                app_auth,
                user_levels,
                all_of,
            });
        }
    }
    (ops, warns)
}

/// The sentence of an operation's description that says all of its listed scopes are needed
/// (`To use this endpoint, you need all the listed scopes.`), if one does. Matches the family
/// of wordings — a need word (need, require, must have/hold) with `all`/`every`/`each`/`both`
/// of the (listed, following, above) scopes, or those scopes said to be required — and never
/// an any-of statement (`one of the following scopes`).
pub fn states_all_of(description: &str) -> Option<String> {
    use std::sync::OnceLock;
    static RES: OnceLock<[regex::Regex; 2]> = OnceLock::new();
    let res = RES.get_or_init(|| {
        [
            // "you need all the listed scopes", "requires all of the following scopes",
            // "must have every scope listed", "needs both scopes"
            regex::Regex::new(
                r"(?i)\b(?:need|needs|needed|require|requires|required|must\s+(?:have|hold|be\s+granted))\b[^.;:]{0,40}?\b(?:all|every|each|both)\b(?:\s+(?:of|the|these|those|listed|following|above|below|security|oauth))*\s+scopes?\b",
            )
            .expect("valid regex"),
            // "all (of the) listed scopes are required", "every scope above is needed"
            regex::Regex::new(
                r"(?i)\b(?:all|every|each|both)\b(?:\s+(?:of|the|these|those|listed|following|above|below|security|oauth))*\s+scopes?\b(?:\s+(?:listed|above|below))?\s+(?:are|is)\s+(?:all\s+)?(?:needed|required|necessary|mandatory)\b",
            )
            .expect("valid regex"),
        ]
    });
    // Markdown emphasis, quote markers and line breaks do not change the wording.
    let flat: String = description
        .chars()
        .map(|c| {
            if matches!(c, '*' | '_' | '>' | '`' | '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    for sentence in flat.split_inclusive(['.', '!', '?']) {
        let lower = sentence.to_ascii_lowercase();
        if lower.contains("one of") || lower.contains("any of") || lower.contains("either") {
            continue;
        }
        if res.iter().any(|re| re.is_match(sentence)) {
            return Some(sentence.trim().trim_end_matches('.').to_string());
        }
    }
    None
}

fn describe_requirements(reqs: &[SecurityRequirement]) -> String {
    if reqs.is_empty() {
        return "`[]` (public)".into();
    }
    let parts: Vec<String> = reqs
        .iter()
        .map(|r| {
            let inner: Vec<String> = r
                .iter()
                .map(|(k, v)| format!("{k}: [{}]", v.join(", ")))
                .collect();
            format!("{{{}}}", inner.join(", "))
        })
        .collect();
    format!("`[{}]`", parts.join(", "))
}

/// The catalog a command works on: the embedded one, or one built from `--spec` files.
pub enum LoadedCatalog {
    Embedded(&'static Catalog),
    Built(Box<Catalog>),
}

impl std::ops::Deref for LoadedCatalog {
    type Target = Catalog;
    fn deref(&self) -> &Catalog {
        match self {
            LoadedCatalog::Embedded(c) => c,
            LoadedCatalog::Built(c) => c,
        }
    }
}

/// The embedded catalog when `specs` is empty, else a catalog built from them (normalisations
/// are summarised on stderr; `catalog build` lists them).
pub fn catalog_for(specs: &[PathBuf]) -> Result<LoadedCatalog> {
    if specs.is_empty() {
        return Ok(LoadedCatalog::Embedded(Catalog::embedded()));
    }
    let set = load(specs)?;
    let label = set.default_label();
    let (cat, warnings) = set.into_catalog(label);
    if !warnings.is_empty() {
        use std::io::Write as _;
        // A closed stderr is no reason to fail.
        let _ = writeln!(
            std::io::stderr(),
            "note: {} normalisation(s) applied to the given specs; `isc-scope-lint catalog build --spec ...` lists them",
            warnings.len()
        );
    }
    Ok(LoadedCatalog::Built(Box::new(cat)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthesises_generator_ids() {
        assert_eq!(
            synthesised_operation_id("/das/v1/owners/resources/{resourceId}", "get"),
            "dasV1OwnersResourcesResourceIdGet"
        );
        assert_eq!(
            synthesised_operation_id("/das/owners/resources/{resourceId}", "get"),
            "dasOwnersResourcesResourceIdGet"
        );
        assert_eq!(
            synthesised_operation_id(
                "/das/owners/{sourceIdentityId}/reassign/{destinationIdentityId}",
                "post"
            ),
            "dasOwnersSourceIdentityIdReassignDestinationIdentityIdPost"
        );
    }

    #[test]
    fn all_of_statements_in_descriptions() {
        // The wording of the ISC specs, and the family around it.
        for yes in [
            "Create an access profile.\n>**Note:** To use this endpoint, you need all the listed scopes.",
            "This call requires all of the following scopes.",
            "The token must have every scope listed.",
            "All listed scopes are required.",
            "Both scopes are needed to approve.",
            "You need **all** of the *listed* scopes",
        ] {
            assert!(states_all_of(yes).is_some(), "{yes}");
        }
        assert_eq!(
            states_all_of(
                "Create an access profile.\n>**Note:** To use this endpoint, you need all the listed scopes."
            )
            .as_deref(),
            Some("Note: To use this endpoint, you need all the listed scopes")
        );
        for no in [
            "The request will need one of the following security scopes:",
            "Requires authorization scope of 'idn:identity-history:read'",
            "Use this API to get a list of all campaign templates. Scope can be reduced through standard V3 query params.",
            "Returns all scopes of the tenant.",
            "You need any of the listed scopes.",
            "To unlock an account that has `forceProvisioning`, the `idn:accounts-provisioning:manage` scope is required.",
            "Lists all access profiles. Each scope is described below.",
        ] {
            assert!(states_all_of(no).is_none(), "{no}");
        }
    }

    #[test]
    fn server_prefixes() {
        let doc: OpenAPI = serde_yaml::from_str(
            "openapi: 3.0.1\ninfo: {title: t, version: '1'}\nservers:\n  - url: https://{tenant}.api.identitynow.com/v2025\npaths: {}\n",
        )
        .unwrap();
        assert_eq!(server_prefix(&doc), "/v2025");
        let doc: OpenAPI = serde_yaml::from_str(
            "openapi: 3.0.1\ninfo: {title: t, version: '1'}\nservers:\n  - url: https://{tenant}.api.identitynow.com\npaths: {}\n",
        )
        .unwrap();
        assert_eq!(server_prefix(&doc), "");
    }
}
