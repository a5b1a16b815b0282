//! The call-discovery stage: finds the ISC API calls of a code base — raw HTTP in many
//! languages, SDK calls of both generations, `sail` commands, workflow exports, Postman
//! collections and `.http` files — and routes each to a catalog operation.
//!
//! Layout: [`walk`] reads the tree once (respecting ignore files, in parallel) and keeps the
//! files a literal [`prefilter`] flags; [`lang`] says what kind of file each is; front-ends
//! turn a file into [`RawCall`]s; [`resolve`] routes them to operations. Front-ends:
//! [`formats`] (workflow JSON, Postman, `.http`), [`sdk`] (SDK naming rules and index).

pub mod anchor;
pub mod budget;
pub mod call;
pub mod cli;
pub mod code;
pub mod config;
pub mod eval;
pub mod formats;
pub mod frontend;
pub mod guard;
pub mod http;
pub mod lang;
pub mod layers;
pub mod lex;
pub mod owners;
pub mod par;
pub mod prefilter;
pub mod sdk;
pub mod syntax;
pub mod taught;
pub mod text;
pub mod value;
pub mod walk;

use crate::catalog::route::{Routed, Seg, display_path, is_legacy, path_segments};
use crate::catalog::{Catalog, Method, OpId};
use serde::Serialize;

pub use call::{RawCall, Target, Via};
use eval::powershell as powershell_eval;
pub use lang::{FileKind, SourceFile};
pub use text::line_col;

/// One call, routed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FoundCall {
    /// Relative to the path given on the command line, `/`-separated.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub method: Option<Method>,
    /// `METHOD /full/path/template` of the catalog operation.
    #[serde(serialize_with = "ser_op")]
    pub operation: Option<String>,
    /// The path as found, parameters as `{}` (also for paths in no spec).
    pub path: Option<String>,
    pub via: Via,
    pub resolved: bool,
    pub reason: Option<String>,
    #[serde(skip)]
    pub op: Option<OpId>,
    #[serde(skip)]
    pub experimental_header: Option<bool>,
    /// For a candidate of a URL chosen in branches, reported at its own literal: where the
    /// request is (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_column: Option<usize>,
}

fn ser_op<S: serde::Serializer>(v: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    v.serialize(s)
}

/// Something the walk or a front-end skipped or could not read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Warning {
    pub path: String,
    pub message: String,
    pub kind: WarningKind,
}

impl Warning {
    pub fn new(kind: WarningKind, path: impl Into<String>, message: impl Into<String>) -> Warning {
        Warning {
            path: path.into(),
            message: message.into(),
            kind,
        }
    }
}

/// What a warning means for the answer: whether code may have gone unseen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    /// A file or folder that could not be read.
    Unreadable,
    /// A file over `--max-file-size`, not read.
    TooLarge,
    /// A file that looks minified or generated, not analysed.
    Minified,
    /// A file whose analysis was cut short (a budget).
    Incomplete,
    /// A file whose analysis failed on a bug of the finder (contained; the scan is
    /// incomplete, and the commands exit with code 3).
    InternalError,
    /// Nothing went unseen (a malformed annotation, a bad ignore-file line).
    Note,
}

impl WarningKind {
    /// Code may have gone unseen: calls, and so needed scopes, may be missing.
    pub fn lost(self) -> bool {
        self != WarningKind::Note
    }
}

/// Everything discovery found.
#[derive(Debug, Default)]
pub struct Discovery {
    pub calls: Vec<FoundCall>,
    pub warnings: Vec<Warning>,
    pub files_scanned: usize,
    /// The manifest's declared wrappers (indexes into [`taught::Taught::wrappers`]) that no
    /// scanned file defines or calls.
    pub unused_wrappers: Vec<usize>,
}

/// Discovery options.
#[derive(Clone, Debug)]
pub struct Options {
    /// Files larger than this are skipped with a warning.
    pub max_file_size: u64,
    /// Also scan documentation (Markdown, reStructuredText, text): off by default.
    pub include_docs: bool,
    /// Paths read even though they are documentation or lie under a skipped folder.
    pub include: walk::Include,
    /// Worker threads (0 = one per core).
    pub threads: usize,
    /// What the manifest's `discovery` section teaches (declared wrappers, base names).
    pub taught: std::sync::Arc<taught::Taught>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_file_size: 4 * 1024 * 1024,
            include_docs: false,
            include: walk::Include::default(),
            threads: 0,
            taught: Default::default(),
        }
    }
}

/// Line starts of a text, for many position lookups.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex {
            starts: std::iter::once(0)
                .chain(
                    text.bytes()
                        .enumerate()
                        .filter(|&(_, b)| b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect(),
        }
    }

    /// Byte offset → 1-based line and column (columns count characters).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let k = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[k.saturating_sub(1)];
        let seg = &text[start..offset];
        let column = if seg.is_ascii() {
            seg.len()
        } else {
            seg.chars().count()
        } + 1;
        (k.max(1), column)
    }
}

/// Routes front-end calls of one file.
pub fn resolve(cat: &Catalog, file: &SourceFile, raws: Vec<RawCall>) -> Vec<FoundCall> {
    if raws.is_empty() {
        return Vec::new();
    }
    let router = cat.router();
    let lines = LineIndex::new(&file.text);
    let mut out = Vec::with_capacity(raws.len());
    for r in raws {
        let (line, column) = lines.line_col(&file.text, r.offset);
        let request = r.request_offset.map(|o| lines.line_col(&file.text, o));
        let mut fc = FoundCall {
            file: file.rel.clone(),
            line,
            column,
            method: r.method,
            operation: None,
            path: None,
            via: r.via,
            resolved: false,
            reason: r.reason.clone(),
            op: None,
            experimental_header: r.experimental_header,
            request_line: request.map(|(l, _)| l),
            request_column: request.map(|(_, c)| c),
        };
        match &r.target {
            Target::Op(op) => settle(cat, &mut fc, *op),
            Target::Ops(ops) if ops.len() == 1 => settle(cat, &mut fc, ops[0]),
            Target::Ops(ops) => {
                let names: Vec<String> = ops.iter().map(|&o| cat.op(o).name()).collect();
                // One path, several methods: the path is known.
                if let Some((&first, rest)) = ops.split_first()
                    && rest.iter().all(|&o| cat.op(o).path == cat.op(first).path)
                {
                    fc.path = Some(crate::catalog::route::template_shape(&cat.op(first).path));
                }
                fc.reason = Some(
                    r.reason
                        .clone()
                        .unwrap_or_else(|| format!("one of {}", names.join(", "))),
                );
            }
            Target::Unknown => {
                if fc.reason.is_none() {
                    fc.reason = Some("the endpoint cannot be determined statically".into());
                }
            }
            Target::Url(url) => {
                let segs = path_segments(url);
                fc.path = Some(display_path(&segs));
                if r.via == Via::Auth {
                    fc.resolved = true;
                } else if is_legacy(&segs) {
                    fc.resolved = fc.method.is_some() && fc.reason.is_none();
                    fc.reason = Some(
                        "legacy private API (/cc/api, /v2): in no public spec, so no scope narrower than sp:scopes:all can be proven".into(),
                    );
                } else if segs.iter().all(|s| *s == Seg::Param) {
                    fc.reason
                        .get_or_insert_with(|| "the path is not known statically".into());
                } else {
                    match fc.method {
                        Some(m) => match router.route_quick(cat, m, &segs) {
                            Routed::Op(op) => {
                                settle(cat, &mut fc, op);
                                fc.reason = r.reason.clone();
                                fc.resolved = r.reason.is_none();
                            }
                            Routed::WrongMethod { methods, .. } => {
                                let m: Vec<&str> = methods.iter().map(|m| m.as_str()).collect();
                                fc.resolved = fc.reason.is_none();
                                fc.reason.get_or_insert_with(|| {
                                    format!(
                                        "no {} operation at this path (it accepts {})",
                                        fc.method.map_or("", |x| x.as_str()),
                                        m.join(", ")
                                    )
                                });
                            }
                            Routed::Legacy | Routed::Unknown { .. } => {
                                fc.resolved = fc.reason.is_none();
                                fc.reason.get_or_insert_with(|| {
                                    "not an operation of the catalog".into()
                                });
                            }
                        },
                        None => {
                            let ops = router.matches(cat, &segs);
                            let reason = if ops.is_empty() {
                                "the HTTP method is not known statically".to_string()
                            } else {
                                let names: Vec<String> =
                                    ops.iter().map(|&o| cat.op(o).name()).collect();
                                format!(
                                    "the HTTP method is not known statically; one of {}",
                                    names.join(", ")
                                )
                            };
                            fc.reason.get_or_insert(reason);
                        }
                    }
                }
            }
        }
        out.push(fc);
    }
    out
}

fn settle(cat: &Catalog, fc: &mut FoundCall, op: OpId) {
    let o = cat.op(op);
    fc.op = Some(op);
    fc.operation = Some(o.name());
    fc.method = Some(o.method);
    fc.path = Some(crate::catalog::route::template_shape(&o.path));
    fc.resolved = true;
}

/// What found calls are ordered by: file, line, column, then the rest (so the order is total
/// and equal keys mean the same call).
fn call_key(c: &FoundCall) -> impl Ord + '_ {
    (
        &c.file,
        c.line,
        c.column,
        &c.operation,
        &c.path,
        c.method,
        c.via,
    )
}

/// Sorts by file, line, column (then the rest, so the order is total) and drops exact
/// duplicates.
pub fn sort_calls(calls: &mut Vec<FoundCall>) {
    calls.sort_by(|a, b| call_key(a).cmp(&call_key(b)));
    // The same call found twice (a library method and a project helper of the same name):
    // once.
    calls.dedup_by(|a, b| call_key(a) == call_key(b));
}

/// Runs discovery over `roots`: walk, learn the project (constants, ISC context), find the
/// calls of every file (helpers that wrap requests are followed to their callers), route,
/// sort.
pub fn discover(cat: &Catalog, roots: &[std::path::PathBuf], opts: &Options) -> Discovery {
    let (files, d) = scan(cat, roots, opts);
    drop(files);
    d
}

/// [`discover`], with the files that were analysed (their text, for reports' excerpts).
///
/// Files without an ISC hint are set aside by the walk; when the project has request helpers
/// (functions that take the path), the set-aside files that call one of them are read again
/// and the project analysed once more with them (a caller need not name ISC:
/// `self.idn.api('workgroups', api='v2')`).
pub fn scan<'c>(
    cat: &'c Catalog,
    roots: &[std::path::PathBuf],
    opts: &Options,
) -> (Vec<SourceFile>, Discovery) {
    let walked = walk::walk_all(roots, opts);
    let mut files = walked.files;
    let mut warnings = walked.warnings.clone();
    let taught = &*opts.taught;
    // What each round learnt of the files it analysed, for the next round (which analyses
    // only the callers it adds), and the helpers it found.
    let mut cache = Cache::default();
    let analyse = |files: &[SourceFile], warnings: &mut Vec<Warning>, cache: &mut Cache<'c>| {
        par::on_worker(|| analyze_contained(cat, files, opts.threads, warnings, taught, cache))
    };
    // A few rounds: a file read again may bind a helper to a new name (`self.api = c.r`)
    // whose callers are set aside too.
    let mut deferred = walked.deferred;
    // In a project where nothing read names ISC (and no wrapper is declared), a file without
    // any hint that calls a helper cannot pass it an ISC path: no second round.
    if taught.is_empty() && !files.iter().any(|f| file_is_isc(&f.text)) {
        deferred.clear();
    }
    const ROUNDS: usize = 3;
    cache.keep = !deferred.is_empty();
    let mut calls = analyse(&files, &mut warnings, &mut cache);
    // The helper names the set-aside files were searched for: a file that named none of them
    // is only searched again for the names a later round adds.
    let mut searched: std::collections::HashSet<(lex::Lang, String)> = Default::default();
    for round in 0..ROUNDS {
        let mut helpers = std::mem::take(&mut cache.helpers);
        helpers.retain(|h| searched.insert(h.clone()));
        let callers = walk::read_callers(&deferred, &helpers, opts);
        if callers.is_empty() {
            break;
        }
        let taken: std::collections::HashSet<&str> =
            callers.iter().map(|f| f.rel.as_str()).collect();
        deferred.retain(|d| !taken.contains(d.rel.as_str()));
        // Appended: the files analysed already keep their places (and what the cache
        // knows of them).
        files.extend(callers);
        warnings = walked.warnings.clone();
        cache.keep = round + 1 < ROUNDS && !deferred.is_empty();
        calls = analyse(&files, &mut warnings, &mut cache);
    }
    // What the last analysis kept for a next one (the tokens of every file).
    par::drop_in_background((
        std::mem::take(&mut cache.lexed),
        std::mem::take(&mut cache.per_file),
        std::mem::take(&mut cache.idents),
        std::mem::take(&mut cache.yaml),
        cache.project.take(),
        std::mem::take(&mut cache.occ),
        std::mem::take(&mut deferred),
    ));
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    sort_calls(&mut calls);
    warnings.sort();
    warnings.dedup();
    (
        files,
        Discovery {
            calls,
            warnings,
            files_scanned: walked.scanned,
            unused_wrappers: cache.unused,
        },
    )
}

/// What a file's text says, read once per file for every analysis of a scan.
#[derive(Clone, Copy)]
struct TextFlags {
    /// It names ISC (`file_is_isc`).
    isc: bool,
    /// It names the experimental-operation header.
    header: bool,
    /// It may hold an `isc-scope-lint: call` annotation.
    annotated: bool,
}

impl TextFlags {
    fn of(text: &str) -> TextFlags {
        TextFlags {
            isc: file_is_isc(text),
            header: mentions_experimental_header(text),
            annotated: text.contains(frontend::ANNOTATION),
        }
    }
}

/// Whether a file is a view of a document's code blocks (`README.md` read as Python): its
/// examples define nothing the project's code uses.
fn doc_view(f: &SourceFile) -> bool {
    lang::detect(std::path::Path::new(&f.rel), b"") == FileKind::Doc
}

/// The lexical rules of a file kind, for code files.
pub fn code_lang(kind: FileKind) -> Option<lex::Lang> {
    use lex::Lang;
    Some(match kind {
        FileKind::Python => Lang::Python,
        FileKind::JavaScript => Lang::Js,
        FileKind::Go => Lang::Go,
        FileKind::Java | FileKind::Kotlin => Lang::Java,
        FileKind::CSharp => Lang::CSharp,
        FileKind::PowerShell => Lang::PowerShell,
        FileKind::Shell | FileKind::Makefile | FileKind::Dockerfile | FileKind::Yaml => Lang::Shell,
        _ => return None,
    })
}

/// Whether a file's text ties it to ISC (hosts, the SDK, the CLI, ISC-named variables).
pub fn file_is_isc(text: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"(?i)identitynow|sailpoint|\b(isc|idn)(_|\b)|(isc|idn)_?(base|url|tenant|token|client|host|api|org)|\bsail\s+(api|search|transform|workflow|spconfig)")
            .expect("valid regex")
    });
    re.is_match(text)
}

/// Whether a URL value's literal text holds an ISC API root or host (`/v3/`, `/beta`,
/// `/v2025`, `/cc/api`, `identitynow`).
fn names_api_root(v: &Value) -> bool {
    v.cands.iter().flatten().any(|p| match p {
        value::Piece::Lit(l) => {
            let l = l.to_ascii_lowercase();
            ["/v3", "/beta", "/v202", "/cc/api", "identitynow", "/v2/"]
                .iter()
                .any(|r| l.contains(r))
        }
        value::Piece::Hole(_) => false,
    })
}

/// Whether a text names the experimental-operation header (any case).
fn mentions_experimental_header(text: &str) -> bool {
    code::contains_ignore_case(text, "x-sailpoint-experimental")
}

/// Finds the calls of a set of files (the library entry point behind `calls` and `check`).
///
/// Each file's analysis runs under [`budget`]: a file that makes the analysis panic or
/// exceed its work budget is skipped with a warning (and, in a project that mentions ISC,
/// reported as one unresolved call, so that verdicts say they may be incomplete); the other
/// files are analysed as usual. [`internal_errors`] counts the panics among the warnings.
pub fn analyze_files(
    cat: &Catalog,
    files: &[SourceFile],
    threads: usize,
    warnings: &mut Vec<Warning>,
) -> Vec<FoundCall> {
    par::on_worker(|| {
        analyze_contained(
            cat,
            files,
            threads,
            warnings,
            &Default::default(),
            &mut Cache::default(),
        )
    })
}

/// What one analysis of a scan's files keeps for the next one, which analyses the same
/// files followed by the set-aside callers a round adds.
///
/// Kept per file (by place, for the files the next analysis starts with): the structure
/// (lexing and the code's shape depend on the text alone) and the file's own calls and
/// request helpers. Kept for the project: its constants. The added files are analysed
/// against those, and add their constants to them; the files analysed before are not
/// analysed again (set-aside callers are read for their calls: what they define does not
/// change another file's calls, as it would not had they been read first), only followed
/// again to the callers of every helper.
#[derive(Default)]
struct Cache<'a> {
    rels: Vec<String>,
    lexed: Vec<Lexed>,
    per_file: Vec<Option<PerFile>>,
    idents: Vec<Option<IdentIndex>>,
    /// Where helpers' names occur among those files.
    occ: OccCache,
    yaml: Vec<Option<YamlTexts>>,
    /// What each file's text says (see [`TextFlags`]).
    text_flags: Vec<TextFlags>,
    sdk: Option<sdk::SdkContext<'a>>,
    project: Option<eval::Project>,
    /// Whether the project named ISC and the experimental header, when the calls were
    /// found (files' calls depend on both).
    flags: Option<(bool, bool)>,
    /// The analysis's answers: the names its helpers that can reach ISC are called by (for
    /// the set-aside files), the declared wrappers no file defines or calls.
    helpers: Vec<(lex::Lang, String)>,
    unused: Vec<usize>,
    /// Whether another analysis will follow (set by the scan): the per-file parts are kept
    /// only then.
    keep: bool,
}

/// Python and JavaScript functions by language and name: (file, function) each.
type FnsByName<'a> = rustc_hash::FxHashMap<(lex::Lang, &'a str), Vec<(usize, usize)>>;

/// A CI YAML file's shell text (the rest blanked in place) and its PowerShell steps.
type YamlTexts = (String, Option<String>);

/// What lexing made of a file.
enum Lexed {
    Code(Box<code::Detached>),
    NotCode,
    Minified(Warning),
    /// Not kept (its analysis failed, or it was not analysed).
    Redo,
}

/// A file's own calls, before helpers are followed: the calls, the offsets of its direct
/// requests and of those that name an operation, its request helpers, its context.
type PerFile = (
    Vec<RawCall>,
    (
        std::collections::HashSet<usize>,
        std::collections::HashSet<usize>,
    ),
    Vec<frontend::Wrapper>,
    value::Context,
);

impl Cache<'_> {
    /// How many of `files`, from the first, the cache describes.
    fn kept(&self, files: &[SourceFile]) -> usize {
        self.rels
            .iter()
            .zip(files)
            .take_while(|(r, f)| **r == f.rel)
            .count()
    }
}

/// How many files were skipped because their analysis panicked (a bug of the finder): the
/// scan is incomplete, and the commands say so in their exit code.
pub fn internal_errors(warnings: &[Warning]) -> usize {
    warnings
        .iter()
        .filter(|w| w.kind == WarningKind::InternalError)
        .count()
}

fn analyze_contained<'a>(
    cat: &'a Catalog,
    files: &[SourceFile],
    threads: usize,
    warnings: &mut Vec<Warning>,
    taught: &taught::Taught,
    cache: &mut Cache<'a>,
) -> Vec<FoundCall> {
    use eval::{Env, Project};
    use frontend::Site;
    let failures = budget::Failures::default();
    // Documentation that was read (on request): its fenced code blocks, one view per
    // language, in place of the document.
    let expanded: Vec<SourceFile>;
    let mut doc_failures = Vec::new();
    let files = if files.iter().any(|f| f.kind == FileKind::Doc) {
        let mut out = Vec::new();
        for f in files {
            match f.kind {
                FileKind::Doc => match budget::run(budget::fuel_for(f.text.len()), || {
                    budget::fault_injection(&f.text);
                    formats::markdown::code_views(f)
                }) {
                    Ok(views) => out.extend(views),
                    Err(e) => {
                        doc_failures.push((out.len(), e));
                        out.push(SourceFile {
                            rel: f.rel.clone(),
                            kind: FileKind::Doc,
                            text: String::new(),
                        });
                    }
                },
                _ => out.push(f.clone()),
            }
        }
        expanded = out;
        &expanded[..]
    } else {
        files
    };
    for (fi, e) in doc_failures {
        failures.record(fi, e);
    }
    // Files an earlier analysis of this scan lexed (the same text at the same place).
    let kept = cache.kept(files);
    // CI YAML: only the command values are shell (the rest blanked in place); PowerShell
    // steps are a text of their own (kept for the next analysis, like the lexing).
    let mut kept_yaml = std::mem::take(&mut cache.yaml);
    kept_yaml.truncate(kept);
    kept_yaml.resize_with(files.len(), || None);
    let yaml: Vec<Option<YamlTexts>> = par::map(threads, files, |fi, f| match f.kind {
        FileKind::Yaml => kept_yaml[fi]
            .clone()
            .or_else(|| failures.guard(fi, f.text.len(), || http::shell::yaml_scripts(&f.text))),
        _ => None,
    });
    drop(kept_yaml);
    let ps_texts: Vec<Option<&str>> = yaml
        .iter()
        .map(|y| y.as_ref().and_then(|(_, ps)| ps.as_deref()))
        .collect();
    let texts: Vec<&str> = files
        .iter()
        .zip(&yaml)
        .map(|(f, y)| match (f.kind, y) {
            (FileKind::Yaml, Some((sh, _))) => sh.as_str(),
            (FileKind::Yaml, None) => "",
            _ => f.text.as_str(),
        })
        .collect();
    // The identifiers of those files (see `IdentIndex`), as far as they were needed.
    let mut kept_idents = std::mem::take(&mut cache.idents);
    kept_idents.truncate(kept);
    let ident_index: Vec<std::sync::OnceLock<IdentIndex>> = (0..files.len())
        .map(|fi| match kept_idents.get_mut(fi).and_then(Option::take) {
            Some(ix) => std::sync::OnceLock::from(ix),
            None => std::sync::OnceLock::new(),
        })
        .collect();
    drop(kept_idents);
    let mut occ_cache = std::mem::take(&mut cache.occ);
    occ_cache.restrict(kept);
    let mut lexed = std::mem::take(&mut cache.lexed);
    lexed.truncate(kept);
    lexed.resize_with(files.len(), || Lexed::Redo);
    let relex: Vec<bool> = lexed.iter().map(|l| matches!(l, Lexed::Redo)).collect();
    // Lexing and each file's assignments, in parallel.
    let made = par::map(threads, files, |fi, f| {
        if !relex[fi] {
            return None;
        }
        let lang = code_lang(f.kind)?;
        // Generated SDK sources: their operations are found at the SDK calls that use them.
        if sdk::is_generated_isc_client(lang, &f.text) {
            return None;
        }
        if let Some(longest) = minified(&f.text) {
            return Some(Err(Warning {
                kind: WarningKind::Minified,
                path: f.rel.clone(),
                message: format!(
                    "skipped: looks minified or generated ({} bytes, a line of {longest} bytes); scan its sources instead",
                    f.text.len()
                ),
            }));
        }
        failures
            .guard(fi, f.text.len(), || {
                budget::fault_injection(&f.text);
                let c = code::Code::new(texts[fi], lang);
                c.bindings();
                c
            })
            .map(Ok)
    });
    let mut minified_at: Vec<Option<Warning>> = vec![None; files.len()];
    let codes: Vec<Option<code::Code>> = made
        .into_iter()
        .zip(lexed)
        .enumerate()
        .map(|(fi, (m, kept))| {
            let made = match kept {
                Lexed::Redo => m?,
                Lexed::NotCode => return None,
                Lexed::Minified(w) => Err(w),
                Lexed::Code(d) => match d.attach(texts[fi]) {
                    Some(c) => Ok(c),
                    None => failures
                        .guard(fi, files[fi].text.len(), || {
                            let c = code::Code::new(texts[fi], code_lang(files[fi].kind)?);
                            c.bindings();
                            Some(c)
                        })
                        .flatten()
                        .map(Ok)?,
                },
            };
            match made {
                Ok(c) => Some(c),
                Err(w) => {
                    minified_at[fi] = Some(w.clone());
                    warnings.push(w);
                    None
                }
            }
        })
        .collect();
    // The project: string constants of every file (two rounds, so constants built from
    // other files' constants resolve), configuration files, ISC context.
    // The second round re-evaluates only the files whose first round consulted the
    // (then empty) project: the others' values cannot change.
    let mut project = Project {
        tenant_bases: taught.base_urls.clone(),
        ..Default::default()
    };
    // After an earlier analysis: its project, with the added files' constants (read
    // against it) and configuration.
    let earlier = cache.project.take().filter(|_| kept > 0);
    let incremental = earlier.is_some();
    if let Some(earlier) = earlier {
        project = earlier;
        let added = par::map(threads, &codes, |fi, c| {
            match c.as_ref().filter(|_| fi >= kept && !doc_view(&files[fi])) {
                Some(c) => failures
                    .guard(fi, files[fi].text.len(), || {
                        Env::new(c, &project).module_values()
                    })
                    .unwrap_or_default(),
                None => Vec::new(),
            }
        });
        for (f, vals) in files.iter().zip(added).skip(kept) {
            config::add_to(&mut project, &config::constants(f));
            let module = eval::module_stem_of(&f.rel);
            for (name, v) in vals {
                project.add_exact(&format!("{module}::{name}"), &v);
                project.add(&name, &v);
            }
        }
    }
    let mut values: Vec<(Vec<(String, Value)>, bool)> = Vec::new();
    // Configuration files' constants (the same in both rounds).
    let configs: Vec<Vec<(String, Value)>> = if incremental {
        Vec::new()
    } else {
        par::map(threads, files, |_, f| config::constants(f))
    };
    // Examples in documentation define nothing the project's code uses.
    let doc_views: Vec<bool> = if incremental {
        Vec::new()
    } else {
        par::map(threads, files, |fi, f| codes[fi].is_some() && doc_view(f))
    };
    for round in (0..2).filter(|_| !incremental) {
        values = par::map(threads, &codes, |fi, c| {
            let Some(c) = c.as_ref().filter(|_| !doc_views[fi]) else {
                return Default::default();
            };
            if round > 0 && !values[fi].1 {
                return values[fi].clone();
            }
            failures
                .guard(fi, files[fi].text.len(), || {
                    let before = Project::reads_on_this_thread();
                    let vals = Env::new(c, &project).module_values();
                    (vals, Project::reads_on_this_thread() != before)
                })
                .unwrap_or_default()
        });
        let mut next = Project {
            tenant_bases: taught.base_urls.clone(),
            ..Default::default()
        };
        for ((f, (vals, _)), config) in files.iter().zip(&values).zip(&configs) {
            config::add_to(&mut next, config);
            let module = eval::module_stem_of(&f.rel);
            for (name, v) in vals {
                next.add_exact(&format!("{module}::{name}"), v);
                next.add(name, v);
            }
        }
        // PowerShell modules: script-scoped state and functions' results (their parameters
        // settled to what the module passes them).
        let ps_envs: Vec<Env> = codes
            .iter()
            .enumerate()
            .filter(|(fi, _)| !doc_views[*fi])
            .filter_map(|(_, c)| c.as_ref().filter(|c| c.lang == lex::Lang::PowerShell))
            .map(|c| Env::new(c, &project))
            .collect();
        if !ps_envs.is_empty() {
            let refs: Vec<&Env> = ps_envs.iter().collect();
            let len: usize = refs.iter().map(|e| e.code.src.len()).sum();
            // Out of fuel or failed: no constants from it (the requests stay unresolved).
            let vals = budget::run(budget::fuel_for(len), || {
                http::powershell::script_scope_values(&refs)
            })
            .unwrap_or_default();
            for (name, v) in vals {
                if name.starts_with("psfn:") {
                    next.add_exact(&name, &v);
                } else {
                    next.add(&name, &v);
                }
            }
        }
        project = next;
    }
    drop(values);
    let mut text_flags: Vec<TextFlags> = std::mem::take(&mut cache.text_flags);
    text_flags.truncate(kept);
    let added = par::map(threads, &files[text_flags.len()..], |_, f| {
        TextFlags::of(&f.text)
    });
    text_flags.extend(added);
    let project_isc = text_flags.iter().any(|t| t.isc);
    let project_has_header = text_flags.iter().any(|t| t.header);

    // SDK calls: the index, the generation of each folder, what the project defines.
    let sdk = match cache.sdk.take().filter(|_| kept > 0) {
        Some(mut sdk) => {
            sdk.extend(files, &codes, kept, &failures);
            sdk
        }
        None => sdk::SdkContext::new(cat, files, &codes, &failures),
    };

    // Each file's calls; requests whose URL comes from a parameter of their function are
    // helpers (wrappers), followed to their callers below.
    let per_file_calls = |fi: usize, f: &SourceFile, ctx: value::Context| {
        let mut raws = Vec::new();
        let mut wrappers = Vec::new();
        match f.kind {
            FileKind::Json => raws.extend(formats_json(&f.text)),
            FileKind::HttpFile => raws.extend(formats_http(&f.text)),
            _ => {}
        }
        if let Some(ps) = ps_texts[fi] {
            // PowerShell steps of CI YAML: their requests and `sail` commands.
            let pc = code::Code::new(ps, lex::Lang::PowerShell);
            let penv = Env::new(&pc, &project);
            let sites = http::powershell::sites(&penv, project_has_header);
            raws.extend(frontend::site_calls(cat, &sites, ctx));
            let (cli_sites, cli_raws) = cli::calls(cat, &penv, ctx);
            raws.extend(frontend::site_calls(cat, &cli_sites, ctx));
            raws.extend(cli_raws);
        }
        let Some(c) = &codes[fi] else {
            return (raws, Default::default(), wrappers, ctx);
        };
        let env = Env::new(c, &project);
        raws.extend(sdk.calls(f, &env));
        let mut sites: Vec<Site> = match c.lang {
            lex::Lang::Python => http::python::sites(&env, project_has_header),
            lex::Lang::PowerShell => http::powershell::sites(&env, project_has_header),
            lex::Lang::Shell => http::shell::sites(&env, project_has_header),
            lex::Lang::Js => http::javascript::sites(&env, project_has_header),
            lex::Lang::Go => http::go::sites(&env, project_has_header),
            lex::Lang::Java => http::java::sites(&env, project_has_header),
            lex::Lang::CSharp => http::csharp::sites(&env, project_has_header),
        };
        if matches!(c.lang, lex::Lang::Shell | lex::Lang::PowerShell) {
            let (cli_sites, cli_raws) = cli::calls(cat, &env, ctx);
            sites.extend(cli_sites);
            raws.extend(cli_raws);
        }
        let mut direct = Vec::new();
        for s in sites {
            // A request whose URL comes from a parameter of its function is a helper —
            // unless the parameters only fill path parameters of an operation it names, or
            // of a path that names its API root (an endpoint in no spec).
            let params = frontend::param_holes(&s.url);
            let func = c.enclosing_fn(s.tok);
            let settles = !params.is_empty() && {
                let found = frontend::site_calls(cat, std::slice::from_ref(&s), ctx);
                routes_to_op(cat, &found)
                    || !found.is_empty() && frontend::params_fill_id_segments(cat, &s.url)
            };
            if let (false, false, Some(fx)) = (params.is_empty(), settles, func) {
                let def = &c.fns[fx];
                if params.iter().all(|p| {
                    def.params
                        .iter()
                        .any(|q| q == p || q.eq_ignore_ascii_case(p))
                }) {
                    wrappers.push(frontend::Wrapper {
                        lang: c.lang,
                        name: def.name.clone(),
                        params: def.params.clone(),
                        url: s.url.clone(),
                        method: s.method.clone(),
                        via: s.via,
                        experimental_header: s.experimental_header,
                        file: fi,
                        offset: s.offset,
                        defaults: param_defaults(c, &env, fx),
                        alias_of: None,
                        scope: None,
                        guards: url_guards(c, &env, &s),
                        taught: None,
                    });
                    continue;
                }
            }
            direct.push(s);
        }
        let offsets: std::collections::HashSet<usize> = direct.iter().map(|s| s.offset).collect();
        let direct_raws = frontend::site_calls(cat, &direct, ctx);
        let settled: std::collections::HashSet<usize> = direct_raws
            .iter()
            .filter(|r| routes_to_op(cat, std::slice::from_ref(*r)) && r.method.is_some())
            .map(|r| r.offset)
            .collect();
        raws.extend(direct_raws);
        (raws, (offsets, settled), wrappers, ctx)
    };
    // An earlier analysis found the calls of the files it shares with this one (unless the
    // project named ISC or the header only since).
    let reuse = incremental && cache.flags == Some((project_isc, project_has_header));
    let mut earlier_calls = std::mem::take(&mut cache.per_file);
    earlier_calls.truncate(if reuse { kept } else { 0 });
    earlier_calls.resize_with(files.len(), || None);
    let per_file = par::map(threads, files, |fi, f| {
        if let Some(found) = &earlier_calls[fi] {
            return found.clone();
        }
        let ctx = value::Context {
            isc: text_flags[fi].isc,
            project: project_isc,
        };
        failures
            .guard(fi, f.text.len(), || per_file_calls(fi, f, ctx))
            .unwrap_or_else(|| (Vec::new(), Default::default(), Vec::new(), ctx))
    });
    let mut raws: Vec<Vec<RawCall>> = Vec::with_capacity(files.len());
    // Where each file's direct requests are: a call that is also a call of a project helper
    // is reported once, as the helper's request (it knows the base URL).
    let mut direct_offsets: Vec<std::collections::HashSet<usize>> = Vec::with_capacity(files.len());
    // Direct requests that name an operation by themselves (method and full path): a helper
    // of the same name elsewhere (`request`, `get`) does not take them over.
    let mut settled_offsets: Vec<std::collections::HashSet<usize>> =
        Vec::with_capacity(files.len());
    let mut wrappers: Vec<frontend::Wrapper> = Vec::new();
    let mut contexts = Vec::with_capacity(files.len());
    drop(earlier_calls);
    // Kept only when another analysis of this scan will use them.
    let kept_calls: Vec<Option<PerFile>> = if cache.keep {
        per_file.iter().cloned().map(Some).collect()
    } else {
        Vec::new()
    };
    for (r, (d, settled), w, ctx) in per_file {
        raws.push(r);
        direct_offsets.push(d);
        settled_offsets.push(settled);
        wrappers.extend(w);
        contexts.push(ctx);
    }
    // Follow helpers to their callers (helpers calling helpers: a few rounds). Each file's
    // environment is made once for all helpers. The callers of each round's new helpers are
    // found in one pass over the project's identifiers (not one pass per helper and file).
    let envs: Vec<Option<Env>> = codes
        .iter()
        .map(|c| c.as_ref().map(|c| Env::new(c, &project)))
        .collect();
    // Wrappers the manifest declares: among the helpers, their definitions' own requests
    // dropped.
    let mut taught_state = taught::plant(
        taught,
        files,
        &codes,
        &envs,
        &mut wrappers,
        &mut raws,
        &failures,
    );
    let js_calls: Vec<std::cell::OnceCell<http::javascript::Calls>> =
        (0..codes.len()).map(|_| Default::default()).collect();
    let shell_cmds: Vec<std::cell::OnceCell<Vec<http::shell::Command>>> =
        (0..codes.len()).map(|_| Default::default()).collect();
    // Where helpers' own requests are, and which functions are helpers already.
    let mut wrapper_sites: std::collections::HashSet<(usize, usize)> =
        wrappers.iter().map(|w| (w.file, w.offset)).collect();
    let mut wrapper_defs: std::collections::HashSet<(String, usize, Vec<String>)> = wrappers
        .iter()
        .map(|w| (w.name.clone(), w.file, w.params.clone()))
        .collect();
    let mut done = 0;
    let mut used = vec![false; wrappers.len()];
    // Helpers made of callers of a helper that can reach ISC (`def offboard(p): isc(p)`):
    // they can reach it too, whatever their own file names.
    let mut reach_isc: std::collections::HashSet<usize> = Default::default();
    // Whether a file can name another's module (see `reaches_module`), per pair.
    let mut nameable: std::collections::HashMap<(usize, usize), bool> = Default::default();
    // Python and JavaScript classes and their methods (class, method), and the class of each
    // helper method: a receiver built from another class of the project does not call it.
    // (Built when first needed.)
    let fns_by_name: std::cell::OnceCell<FnsByName> = Default::default();
    let fns_by_name = || {
        fns_by_name.get_or_init(|| {
            let mut m = FnsByName::default();
            for (fi, c) in codes.iter().enumerate() {
                if let Some(c) = c
                    && matches!(c.lang, lex::Lang::Python | lex::Lang::Js)
                {
                    for (f, def) in c.fns.iter().enumerate() {
                        m.entry((c.lang, def.name.as_str()))
                            .or_default()
                            .push((fi, f));
                    }
                }
            }
            m
        })
    };
    let mut fn_class: std::collections::HashMap<(usize, usize), Option<String>> =
        Default::default();
    let mut script_owner: Vec<Option<String>> = Vec::new();
    for _round in 0..4 {
        let end = wrappers.len();
        if done == end {
            break;
        }
        // Names that hold a helper as a value (`self.api = client.r`, `call = c.send`,
        // `const send = api.request.bind(api)`): their calls are calls of the helper.
        // The identifier indexes of the files these helpers may be called from, built in
        // parallel (the searches below would build them one by one).
        let langs: Vec<lex::Lang> = wrappers[done..end].iter().map(|w| w.lang).collect();
        par::map(threads, &codes, |fi, c| {
            if let Some(c) = c
                && ident_index[fi].get().is_none()
                && langs.contains(&c.lang)
                && !failures.failed(fi)
            {
                ident_index[fi].get_or_init(|| IdentIndex::new(c));
            }
        });
        let aliases = helper_aliases(&codes, &ident_index, &wrappers, done..end, &failures);
        for a in aliases {
            if wrapper_defs.insert((a.name.clone(), a.file, a.params.clone())) {
                wrappers.push(a);
                used.push(false);
            }
        }
        let end = wrappers.len();
        script_owner.extend(
            wrappers[script_owner.len()..end]
                .iter()
                .map(|w| owners::script_wrapper_class(&codes, w)),
        );
        let names: Vec<(lex::Lang, String)> = wrappers[done..end]
            .iter()
            .map(|w| (w.lang, w.name.clone()))
            .collect();
        let occ = name_occurrences_cached(
            threads,
            &codes,
            &ident_index,
            &names,
            &failures,
            &mut occ_cache,
        );
        // Go, Java, C#: each call of a name is credited to the helpers of that name it can
        // reach (receiver type, class, package), found once per call rather than once per
        // helper and call (see `owners`).
        let narrowed = narrowed_invocations(&codes, files, &wrappers, done..end, &occ, &failures);
        for w in done..end {
            let wr = wrappers[w].clone();
            // Declared wrappers check their receivers themselves (`taught`).
            let narrow = owners::narrows(wr.lang) && wr.taught.is_none();
            let places: Vec<(usize, &[usize])> = if narrow {
                narrowed
                    .calls
                    .get(&w)
                    .map(|v| v.iter().map(|(fi, _)| (*fi, &[][..])).collect())
                    .unwrap_or_default()
            } else {
                match occ.get(&occurrence_key(wr.lang, &wr.name)) {
                    Some(p) => p.iter().map(|(fi, t)| (*fi, t.as_slice())).collect(),
                    None => continue,
                }
            };
            for (pi, (fi, toks)) in places.into_iter().enumerate() {
                let Some(c) = &codes[fi] else { continue };
                if c.lang != wr.lang {
                    continue;
                }
                let Some(env) = &envs[fi] else { continue };
                failures.guard(fi, files[fi].text.len(), || {
                    let qualified = wr.taught.is_some_and(|o| {
                        taught.wrappers[o.index].qualifier().is_some() && wr.alias_of.is_none()
                    });
                    let taught_invs = taught::invocations(c, &wr, qualified, toks);
                    let invocations = match c.lang {
                        _ if taught_invs.is_some() => taught_invs.unwrap_or_default(),
                        lex::Lang::PowerShell => {
                            http::powershell::invocations_at(env, &wr.name, &wr.params, toks)
                        }
                        lex::Lang::Shell => {
                            let cmds = shell_cmds[fi].get_or_init(|| http::shell::commands(c));
                            http::shell::invocations_in(c, cmds, &wr.name)
                        }
                        _ if narrow => narrowed
                            .calls
                            .get(&w)
                            .map(|v| v[pi].1.clone())
                            .unwrap_or_default(),
                        _ => frontend::c_invocations_at(c, &wr.name, toks),
                    };
                    for inv in invocations {
                        // A name bound to the helper in a function's local is called bare,
                        // in that function (`get = c.send; get('x')`, not `cfg.get('x')`).
                        if let Some((sf, sx)) = wr.scope
                            && (sf != fi
                                || c.enclosing_fn(inv.tok) != Some(sx)
                                || inv.tok.checked_sub(1).is_some_and(|k| c.is_punct(k, ".")))
                        {
                            continue;
                        }
                        // The helper's own request (`self.s.request(method, url)` inside
                        // `def request(self, method, path)`) is not a call of the helper.
                        if fi == wr.file
                            && c.enclosing_fn(inv.tok).is_some_and(|f| {
                                c.fns[f].name == wr.name
                                    // Java/C#: another overload calling this one is a caller.
                                    && (!matches!(c.lang, lex::Lang::Java | lex::Lang::CSharp)
                                        || c.fns[f].params.len() == wr.params.len())
                            })
                        {
                            continue;
                        }
                        // Java/C# overloads: a call binds the helper whose parameters its
                        // arguments fill (C#: those without a default).
                        if matches!(c.lang, lex::Lang::Java | lex::Lang::CSharp)
                            && wr.taught.is_none()
                            && wr.alias_of.is_none()
                            && !wr.params.is_empty()
                        {
                            let given = inv.positional.len() + inv.named.len();
                            let required = wr
                                .params
                                .iter()
                                .filter(|p| !wr.defaults.iter().any(|(n, _)| n == *p))
                                .count();
                            // (Defaults the evaluation cannot read, `object? body = null`,
                            // leave C# calls with fewer arguments possible.)
                            if given > wr.params.len()
                                || c.lang == lex::Lang::Java && given < required
                            {
                                continue;
                            }
                        }
                        // Python, JavaScript: `w = Weather(); w.send(...)` calls the `send` of
                        // the project's class `Weather`, not a helper of another class.
                        if let Some(owner) = &script_owner[w]
                            && let Some(rc) = script_receiver_class(c, env, inv.tok)
                            && rc != *owner
                            && fns_by_name()
                                .get(&(c.lang, wr.name.as_str()))
                                .into_iter()
                                .flatten()
                                .take(64)
                                .any(|&(hf, hx)| {
                                    fn_class
                                        .entry((hf, hx))
                                        .or_insert_with(|| {
                                            codes[hf]
                                                .as_ref()
                                                .and_then(|hc| owners::script_fn_class(hc, hx))
                                        })
                                        .as_deref()
                                        == Some(rc.as_str())
                                })
                        {
                            continue;
                        }
                        let fit = taught::fit(&mut taught_state, taught, fi, c, env, &inv, &wr);
                        if fit == taught::Fit::Skip {
                            continue;
                        }
                        // `axios.get(...)`, `app.get(...)`, `map.get(...)` are not calls of a
                        // project helper named `get`.
                        if c.lang == lex::Lang::Js
                            && fit.library_filter()
                            && !js_calls[fi]
                                .get_or_init(|| http::javascript::Calls::new(env))
                                .project_call(inv.tok)
                        {
                            continue;
                        }
                        // A Python method (`def r(self, …)`) is called on an object, never
                        // bare: `r(3)` calls a function or parameter of the same name (a name
                        // bound to the method, `call = c.r`, is called bare).
                        if c.lang == lex::Lang::Python
                            && wr.alias_of.is_none()
                            && python_method(&codes, &wr)
                            && !inv.tok.checked_sub(1).is_some_and(|k| c.is_punct(k, "."))
                        {
                            continue;
                        }
                        // A Python function (not a method) is called bare or on its module
                        // (`client.get(p)`, `import client as c; c.get(p)`): `requests.get(u)`
                        // is not a call of the project's `def get(path)`.
                        if c.lang == lex::Lang::Python
                            && wr.alias_of.is_none()
                            && wr.taught.is_none()
                            && !python_method(&codes, &wr)
                            && inv.tok >= 2
                            && c.is_punct(inv.tok - 1, ".")
                            && let Some(recv) = c.ident(inv.tok - 2)
                        {
                            let stem = eval::module_stem_of(&files[wr.file].rel);
                            let module = recv == stem
                                || c.imports()
                                    .get(recv)
                                    .is_some_and(|(m, n)| *m == stem || *n == stem);
                            if !module {
                                continue;
                            }
                        }
                        // An argument the caller leaves out (or that cannot be read) is an unknown
                        // value, no longer a parameter of anything.
                        let arg = |p: &str| -> Option<Value> {
                            match bound_arg(c, env, &inv, &wr, p) {
                                ArgVal::Val(v) => Some(v),
                                _ => Some(Value::hole(p)),
                            }
                        };
                        let given = |p: &str| given_arg(c, env, &inv, &wr, p);
                        let url = guarded_substitute(&wr, &arg, &given);
                        let by_name = || match frontend::method_from_name(&wr.name) {
                            Some(m) => frontend::MethodSpec::Known(m),
                            None => frontend::MethodSpec::Unknown,
                        };
                        let method = match &wr.method {
                            frontend::MethodSpec::Known(m) => frontend::MethodSpec::Known(*m),
                            frontend::MethodSpec::Param(p)
                            | frontend::MethodSpec::ParamOr(p, _) => {
                                let default = match &wr.method {
                                    frontend::MethodSpec::ParamOr(_, d) => Some(*d),
                                    _ => None,
                                };
                                match bound_arg(c, env, &inv, &wr, p) {
                                    ArgVal::Val(v) => {
                                        // `"GET"`, `http.MethodGet`, `HttpMethod.Post`.
                                        match frontend::method_spec_of_value(&v) {
                                            Some(m) => m,
                                            // The caller passes its own parameter on.
                                            None => match v.param_hole().map(str::to_string) {
                                                Some(h) => match default {
                                                    Some(d) => frontend::MethodSpec::ParamOr(h, d),
                                                    None => frontend::MethodSpec::Param(h),
                                                },
                                                None => by_name(),
                                            },
                                        }
                                    }
                                    ArgVal::Absent => {
                                        default.map_or_else(by_name, frontend::MethodSpec::Known)
                                    }
                                    ArgVal::Unknown => by_name(),
                                }
                            }
                            frontend::MethodSpec::OneOf(ms) => {
                                frontend::MethodSpec::OneOf(ms.clone())
                            }
                            frontend::MethodSpec::Unknown => by_name(),
                        };
                        // The endpoint is named by the argument bound to the URL parameter (or by
                        // the property of an options argument: `request({ url: '/v3/x' })`).
                        // Of the parameters in the URL (`/{api}/{endpoint}`), the last one the
                        // caller passes carries the path.
                        let url_arg = wr
                            .url
                            .cands
                            .first()
                            .into_iter()
                            .flatten()
                            .rev()
                            .filter_map(|p| match p {
                                value::Piece::Hole(h) => h.strip_prefix("param:"),
                                _ => None,
                            })
                            .find_map(|full| {
                                let (p, prop) = match full.split_once('.') {
                                    Some((p, k)) => (p, Some(k)),
                                    None => (full, None),
                                };
                                let idx = wr.params.iter().position(|q| same_param(c, q, p))?;
                                let r = inv
                                    .named
                                    .iter()
                                    .find(|(n, _)| same_param(c, n, p))
                                    .map(|(_, r)| *r)
                                    .or_else(|| inv.positional.get(idx).copied())?;
                                Some(prop.and_then(|k| object_literal_prop(c, r, k)).unwrap_or(r))
                            });
                        // A declared wrapper: the arguments its declaration names.
                        let (url, method, url_arg) = taught::bind(taught, c, env, &inv, &wr)
                            .unwrap_or((url, method, url_arg));
                        let ctx = taught::context(&wr, contexts[fi]);
                        let offset = url_arg
                            .or(inv.positional.first().copied())
                            .map_or(c.toks[inv.tok].start, |r| {
                                c.toks[c.skip_newlines(r.0, r.1).min(c.len() - 1)].start
                            });
                        // A direct request that names an operation by itself, or the request of
                        // another helper (`requests.request(method, url)` inside `def api(...)`),
                        // is a library call that happens to share the helper's name.
                        if settled_offsets[fi].contains(&offset)
                            || wrapper_sites.contains(&(fi, offset))
                        {
                            continue;
                        }
                        // Still depends on the caller's parameters (beyond path parameters of an
                        // operation): the caller is a helper too.
                        let params = frontend::param_holes(&url);
                        let probe = Site {
                            offset,
                            tok: inv.tok,
                            url: url.clone(),
                            method: method.clone(),
                            via: wr.via,
                            experimental_header: None,
                        };
                        let settles = routes_to_op(cat, &frontend::site_calls(cat, &[probe], ctx));
                        if !params.is_empty()
                            && !settles
                            && let Some(fx) = c.enclosing_fn(inv.tok)
                        {
                            let def = &c.fns[fx];
                            // One wrapper per function: helpers of the same name in other
                            // files or classes (`get` in two clients) are wrappers too.
                            if (def.name != wr.name || def.params.len() != wr.params.len())
                                && wrapper_defs.insert((def.name.clone(), fi, def.params.clone()))
                            {
                                wrapper_sites.insert((fi, offset));
                                let origin = wr.alias_of.unwrap_or(w);
                                if (contexts[wr.file].isc
                                    || names_api_root(&wr.url)
                                    || reach_isc.contains(&origin)
                                    || reach_isc.contains(&w))
                                    && reaches_module(&mut nameable, files, c.lang, fi, wr.file)
                                {
                                    reach_isc.insert(wrappers.len());
                                }
                                let guards =
                                    derived_guards(c, env, &wr, &inv, url_arg, &url, &arg, &given);
                                wrappers.push(frontend::Wrapper {
                                    lang: c.lang,
                                    name: def.name.clone(),
                                    params: def.params.clone(),
                                    url,
                                    method,
                                    via: wr.via,
                                    experimental_header: wr.experimental_header,
                                    file: fi,
                                    offset,
                                    defaults: param_defaults(c, env, fx),
                                    alias_of: None,
                                    scope: None,
                                    guards,
                                    taught: wr.taught.map(|o| taught::Origin {
                                        declared: false,
                                        ..o
                                    }),
                                });
                                used[w] = true;
                                used.push(false);
                                continue;
                            }
                        }
                        let site = Site {
                            offset,
                            tok: inv.tok,
                            url: url.clone(),
                            method: method.clone(),
                            via: wr.via,
                            experimental_header: wr.experimental_header,
                        };
                        let found = frontend::site_calls(cat, &[site], ctx);
                        let mut found =
                            taught::settle(taught, fit, &wr, &url, url_arg, &method, offset, found);
                        // Still built from the caller's own parameters, in a function that is
                        // a helper already (made at its other request): a hole where the
                        // resource goes is no path to route — unresolved.
                        if !params.is_empty() && !settles && wr.taught.is_none() {
                            for r in found.iter_mut().filter(|r| r.via != Via::Auth) {
                                r.reason.get_or_insert_with(|| {
                                    format!(
                                        "the URL comes from a parameter of its function (`{}`), not known here",
                                        params.join("`, `")
                                    )
                                });
                            }
                        }
                        // Fail closed: a caller of a helper that can reach ISC (its file names
                        // ISC or its URL holds an API root) whose URL is wholly unknown (`base +
                        // path` with both from where analysis cannot follow) is unresolved,
                        // even when other callers pass ISC paths.
                        if found.is_empty()
                            && wr.taught.is_none()
                            && !direct_offsets[fi].contains(&offset)
                            // The caller's URL argument is no literal (one that is, and is
                            // still unknown, was not bound to this helper's parameter).
                            && url_arg.is_some_and(|r| {
                                !(r.0..r.1).any(|k| matches!(c.tok(k), Some(lex::Tok::Str(_))))
                            })
                            && (contexts[wr.file].isc
                                || names_api_root(&wr.url)
                                || reach_isc.contains(&w)
                                || wr.alias_of.is_some_and(|o| reach_isc.contains(&o)))
                            && reaches_module(&mut nameable, files, c.lang, fi, wr.file)
                            && let Some(from) = value::opaque_sources(&url)
                        {
                            found.push(
                                RawCall::new(
                                    offset,
                                    match &method {
                                        frontend::MethodSpec::Known(m) => Some(*m),
                                        _ => None,
                                    },
                                    Target::Unknown,
                                    wr.via,
                                )
                                .with_reason(format!(
                                    "the URL `{}` sends is built from {from}, not known statically",
                                    wr.name
                                )),
                            );
                        }
                        // A call the code says is the helper's (`WeatherApi.GetAsync(p)`) is
                        // never also a library request of the same name, even when the
                        // helper's host is not the tenant.
                        if found.is_empty()
                            && narrowed.sure.contains(&(fi, inv.tok))
                            && direct_offsets[fi].remove(&offset)
                        {
                            raws[fi].retain(|r| r.offset != offset);
                        }
                        if !found.is_empty() {
                            used[w] = true;
                            if direct_offsets[fi].remove(&offset) {
                                raws[fi].retain(|r| r.offset != offset);
                            }
                        }
                        // The URL argument on a later line than the call (`self.idn.api(\n
                        // endpoint=e)`): the call's line is the request's.
                        let call_at = c.toks[inv.tok].start;
                        let later_line = call_at < offset
                            && c.src.get(call_at..offset).is_some_and(|t| t.contains('\n'));
                        raws[fi].extend(found.into_iter().map(|mut r| {
                            if later_line && r.offset == offset {
                                r.request_offset.get_or_insert(call_at);
                            }
                            r
                        }));
                    }
                });
            }
        }
        done = end;
    }
    // The names under which helpers are called (for the files the walk set aside).
    // Only helpers that can make a call to ISC from a file without any hint: the caller can
    // pass no host or version, so the helper's file names ISC or its URL holds an API root
    // (`f"{base}/v3/{endpoint}"`); a generic `get(url)` of a file that never names ISC is
    // not followed into the set-aside files.
    let mut relevant = vec![false; wrappers.len()];
    for (k, w) in wrappers.iter().enumerate() {
        relevant[k] = w.taught.is_some()
            || contexts.get(w.file).is_some_and(|c| c.isc)
            || names_api_root(&w.url)
            || w.alias_of
                .is_some_and(|o| relevant.get(o).copied().unwrap_or(true));
    }
    let mut seen: std::collections::HashSet<(lex::Lang, &str)> = Default::default();
    cache.helpers.clear();
    for (k, w) in wrappers.iter().enumerate() {
        if relevant[k] && seen.insert((w.lang, w.name.as_str())) {
            cache.helpers.push((w.lang, w.name.clone()));
        }
    }
    cache.unused = taught_state
        .seen
        .iter()
        .enumerate()
        .filter(|(_, s)| !**s)
        .map(|(d, _)| d)
        .collect();
    // A helper is used when a name bound to it is.
    for w in 0..wrappers.len() {
        if let Some(o) = wrappers[w].alias_of
            && used[w]
        {
            used[o] = true;
        }
    }
    // Helpers no caller passes an ISC path to: their own request, as far as it is known
    // (once: not again for each name bound to it).
    for (w, wr) in wrappers.iter().enumerate() {
        if taught::declared(wr) || used[w] || wr.alias_of.is_some() {
            continue;
        }
        let site = Site {
            offset: wr.offset,
            tok: 0,
            url: wr.url.clone(),
            method: wr.method.clone(),
            via: wr.via,
            experimental_header: wr.experimental_header,
        };
        let ctx = taught::context(wr, contexts[wr.file]);
        let found = failures.guard(wr.file, files[wr.file].text.len(), || {
            frontend::site_calls(cat, &[site], ctx)
        });
        let mut found = found.unwrap_or_default();
        // Fail closed: a request whose URL is wholly unknown (`base_url() + path`) in a file
        // that names ISC may well reach it — unresolved, with where the URL comes from.
        if found.is_empty()
            && (ctx.isc || reach_isc.contains(&w))
            && let Some(from) = value::opaque_sources(&wr.url)
        {
            found.push(
                RawCall::new(
                    wr.offset,
                    match &wr.method {
                        frontend::MethodSpec::Known(m) => Some(*m),
                        _ => None,
                    },
                    Target::Unknown,
                    wr.via,
                )
                .with_reason(format!(
                    "the URL is built from {from}, not known statically, and no caller of `{}` passes an ISC path",
                    wr.name
                )),
            );
        }
        for mut r in found {
            if r.via != Via::Auth {
                r.reason.get_or_insert_with(|| {
                    format!(
                        "the URL comes from a parameter of `{}`, and no caller passes an ISC path",
                        wr.name
                    )
                });
            }
            raws[wr.file].push(r);
        }
    }
    // Annotations, then routing.
    let mut out = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        let mut r = std::mem::take(&mut raws[fi]);
        let routed = failures.guard(fi, f.text.len(), || {
            let mut bad_annotations = Vec::new();
            if let Some(c) = &codes[fi] {
                let (anns, bad) = match text_flags[fi].annotated {
                    true => frontend::annotations(&f.text, &c.comments),
                    false => Default::default(),
                };
                for (off, msg) in bad {
                    let (line, _) = line_col(&f.text, off);
                    bad_annotations.push(Warning {
                        kind: WarningKind::Note,
                        path: format!("{}:{line}", f.rel),
                        message: msg,
                    });
                }
                frontend::apply_annotations(&mut r, &f.text, &anns);
                anchor::anchor_candidates(c, &mut r);
            }
            (resolve(cat, f, r), bad_annotations)
        });
        if let Some((calls, bad)) = routed {
            out.extend(calls);
            warnings.extend(bad);
        }
    }
    // Files whose analysis failed: a warning each, and in a project that mentions ISC an
    // unresolved call at the top of the file (its calls are not known: the verdict of its
    // credential is incomplete, and `--fix` does not narrow it).
    let failed = failures.into_map();
    // For the next analysis: what is known of the files whose analysis did not fail.
    drop(js_calls);
    drop(envs);
    cache.flags = Some((project_isc, project_has_header));
    if !cache.keep {
        cache.rels.clear();
        cache.lexed.clear();
        cache.per_file.clear();
        cache.idents.clear();
        cache.occ = OccCache::default();
        cache.yaml.clear();
        cache.text_flags.clear();
        cache.project = None;
        drop(codes);
        drop(minified_at);
        drop(kept_calls);
        drop(project);
    } else {
        cache.rels = files.iter().map(|f| f.rel.clone()).collect();
        cache.lexed = codes
            .into_iter()
            .zip(minified_at)
            .enumerate()
            .map(|(fi, (c, minified))| match (c, minified) {
                _ if failed.contains_key(&fi) => Lexed::Redo,
                (Some(c), _) => Lexed::Code(Box::new(c.detach())),
                (None, Some(w)) => Lexed::Minified(w),
                (None, None) => Lexed::NotCode,
            })
            .collect();
        cache.per_file = kept_calls
            .into_iter()
            .enumerate()
            .map(|(fi, k)| k.filter(|_| !failed.contains_key(&fi)))
            .collect();
        drop(ps_texts);
        drop(texts);
        cache.yaml = yaml;
        cache.text_flags = text_flags;
        cache.sdk = Some(sdk);
        cache.idents = ident_index
            .into_iter()
            .enumerate()
            .map(|(fi, ix)| ix.into_inner().filter(|_| !failed.contains_key(&fi)))
            .collect();
        cache.project = Some(project);
        // (A file whose analysis failed is lexed again: what was found in it is dropped.)
        if failed.is_empty() {
            cache.occ = occ_cache;
        }
    }
    for (fi, failure) in failed {
        let f = &files[fi];
        out.retain(|c| c.file != f.rel);
        let message = failure.describe();
        warnings.push(Warning {
            kind: match failure {
                budget::Failure::Panic(_) => WarningKind::InternalError,
                budget::Failure::Exhausted => WarningKind::Incomplete,
            },
            path: f.rel.clone(),
            message: message.clone(),
        });
        if project_isc {
            out.push(FoundCall {
                file: f.rel.clone(),
                line: 1,
                column: 1,
                method: None,
                operation: None,
                path: None,
                via: Via::Http,
                resolved: false,
                reason: Some(message),
                op: None,
                experimental_header: None,
                request_line: None,
                request_column: None,
            });
        }
    }
    out
}

/// Whether a helper is a Python method (`def r(self, …)`): its request's function takes
/// `self` or `cls` first.
fn python_method(codes: &[Option<code::Code>], wr: &frontend::Wrapper) -> bool {
    let Some(Some(c)) = codes.get(wr.file) else {
        return false;
    };
    let Ok(t) = c.toks.binary_search_by_key(&wr.offset, |t| t.start) else {
        return false;
    };
    c.enclosing_fn(t).is_some_and(|f| {
        let n = c.fns[f].name_tok;
        c.is_punct(n + 1, "(") && matches!(c.ident(n + 2), Some("self" | "cls"))
    })
}

/// The guards of a helper's URL candidates (see [`guard`]): when the URL is a name assigned
/// in branches (`if api == 'cc': url = …` / `else: url = …`), each candidate with the
/// condition of its branch; empty when nothing is guarded.
fn url_guards(c: &code::Code, env: &eval::Env, s: &frontend::Site) -> Vec<Option<guard::Guard>> {
    let Ok(k) = c.toks.binary_search_by_key(&s.offset, |t| t.start) else {
        return Vec::new();
    };
    // The URL argument is a name assigned in branches: each candidate from its branch.
    let bare = c
        .ident(k)
        .filter(|_| c.is_punct(k + 1, ",") || c.is_punct(k + 1, ")"))
        .map(str::to_string)
        .or_else(|| powershell_var_word(c, k));
    let bare = bare.as_deref();
    if let Some(name) = bare {
        let ids = env.reaching_assigns(name, s.tok);
        if ids.len() >= 2 {
            let branches = guarded_branches(c, env, &ids);
            if branches.iter().all(|(_, g)| g.is_none()) {
                return Vec::new();
            }
            return guard_per_candidate(&s.url, &branches);
        }
    }
    // A name inside the URL's expression (or inside the one assignment of the URL's name)
    // assigned literals in branches — `let v = 'v3'; if (t == 'x') { v = 'beta' }` then
    // `` `${base}/${v}/sources/${id}/${t}` ``: each candidate by the literal it holds.
    let Some(fx) = c.enclosing_fn(s.tok) else {
        return Vec::new();
    };
    let range = match bare.map(|n| env.reaching_assigns(n, s.tok)) {
        Some(ids) if ids.len() == 1 => {
            let (a, b) = env.assigns[ids[0]].rhs;
            (
                c.toks[a].start,
                c.toks.get(b).map_or(c.src.len(), |t| t.start),
            )
        }
        Some(_) => return Vec::new(),
        None => {
            // Up to the `,` or `)` that ends the argument.
            let d = c.depth[k];
            let close = c
                .parent
                .get(k)
                .filter(|&&p| p != u32::MAX)
                .and_then(|&p| c.close_of(p as usize))
                .unwrap_or(c.len());
            let e = (k..close)
                .find(|&e| c.depth[e] == d && c.is_punct(e, ","))
                .unwrap_or(close);
            budget::spend((e - k) as u64);
            (s.offset, c.toks.get(e).map_or(c.src.len(), |t| t.start))
        }
    };
    let text = c.src.get(range.0..range.1.max(range.0)).unwrap_or("");
    budget::spend(text.len() as u64);
    let mut names: Vec<&str> = env
        .assigns
        .iter()
        .filter(|a| a.func == Some(fx) && a.tok < s.tok)
        .map(|a| a.name.as_str())
        .filter(|n| !n.is_empty() && n.len() <= 64 && holds_word(text, n))
        .collect();
    names.sort_unstable();
    names.dedup();
    for n in names {
        let ids = env.reaching_assigns(n, s.tok);
        if ids.len() < 2 {
            continue;
        }
        let branches = guarded_branches(c, env, &ids);
        let lits: Vec<Option<String>> = branches.iter().map(|(v, _)| v.as_literal()).collect();
        if branches.iter().all(|(_, g)| g.is_none()) || lits.iter().any(Option::is_none) {
            continue;
        }
        return s
            .url
            .cands
            .iter()
            .map(|cand| {
                let t = value::cand_text(cand);
                let mut gs = branches
                    .iter()
                    .zip(&lits)
                    .filter(|(_, l)| l.as_deref().is_some_and(|l| holds_word(&t, l)))
                    .map(|((_, g), _)| g);
                match (gs.next(), gs.next()) {
                    (Some(g), None) => g.clone(),
                    _ => None,
                }
            })
            .collect();
    }
    Vec::new()
}

/// A PowerShell argument word that is one variable (`-Uri $u`): its name as assignments
/// hold it.
fn powershell_var_word(c: &code::Code, k: usize) -> Option<String> {
    let lex::Tok::Var(v) = c.tok(k)? else {
        return None;
    };
    if c.lang != lex::Lang::PowerShell
        || c.toks.get(k + 1).is_some_and(|t| {
            t.start == c.toks[k].end
                && !matches!(
                    t.tok,
                    lex::Tok::Newline | lex::Tok::Punct(")" | "," | ";" | "}" | "|")
                )
        })
    {
        return None;
    }
    let n = v.trim_start_matches('$');
    let n = ["script:", "global:", "local:"]
        .iter()
        .find_map(|p| n.strip_prefix(p))
        .unwrap_or(n);
    Some(n.to_string())
}

/// The guards of a helper found at a caller that is a helper itself (`Get-Item` passes
/// `$url`, built in branches on its own parameters, to `Invoke-Rest`): each candidate of its
/// URL with the condition of the branch its argument comes from; empty when none is guarded.
#[allow(clippy::too_many_arguments)]
fn derived_guards(
    c: &code::Code,
    env: &eval::Env,
    wr: &frontend::Wrapper,
    inv: &frontend::Invocation,
    url_arg: Option<(usize, usize)>,
    url: &Value,
    arg: &dyn Fn(&str) -> Option<Value>,
    given: &dyn Fn(&str) -> Option<guard::Given>,
) -> Vec<Option<guard::Guard>> {
    let Some(r) = url_arg else {
        return Vec::new();
    };
    // The helper's parameter the argument binds.
    let Some(p) = inv
        .named
        .iter()
        .find(|(_, x)| *x == r)
        .map(|(n, _)| n.clone())
        .or_else(|| {
            let i = inv.positional.iter().position(|x| *x == r)?;
            wr.params.get(i).cloned()
        })
    else {
        return Vec::new();
    };
    let a = c.skip_newlines(r.0, r.1);
    if a + 1 != r.1 {
        return Vec::new();
    }
    let Some(name) = c
        .ident(a)
        .map(str::to_string)
        .or_else(|| powershell_var_word(c, a))
    else {
        return Vec::new();
    };
    let ids = env.reaching_assigns(&name, inv.tok);
    if ids.len() < 2 || ids.len() > 16 {
        return Vec::new();
    }
    let branches = guarded_branches(c, env, &ids);
    if branches.iter().all(|(_, g)| g.is_none()) {
        return Vec::new();
    }
    let per: Vec<(Value, Option<guard::Guard>)> = branches
        .into_iter()
        .map(|(v, g)| {
            let each = |q: &str| {
                if same_param(c, q, &p) {
                    Some(v.clone())
                } else {
                    arg(q)
                }
            };
            (guarded_substitute(wr, &each, given), g)
        })
        .collect();
    let out = guard_per_candidate(url, &per);
    if out.iter().all(Option::is_none) {
        return Vec::new();
    }
    out
}

/// What the caller `inv` gives parameter `p` of helper `wr`, for the guards that test it;
/// `None` when its arguments cannot be listed (a splat, `*args`) or `p` is not the helper's.
fn given_arg(
    c: &code::Code,
    env: &eval::Env,
    inv: &frontend::Invocation,
    wr: &frontend::Wrapper,
    p: &str,
) -> Option<guard::Given> {
    if inv.opaque {
        return None;
    }
    let idx = wr.params.iter().position(|q| same_param(c, q, p))?;
    let passed =
        inv.named.iter().any(|(n, _)| same_param(c, n, p)) || inv.positional.get(idx).is_some();
    let truth = match bound_arg(c, env, inv, wr, p) {
        ArgVal::Val(v) => truth_of(&v),
        ArgVal::Absent => Some(false),
        ArgVal::Unknown => None,
    };
    Some(guard::Given { passed, truth })
}

/// Whether a value is truthy, when every candidate says the same: `''`, `$null`, `None`,
/// `null`, `false`, `0` are not; other literals and values read from names are (a caller that
/// passes `-Id $x` has an id); a parameter of the caller's own decides nothing yet.
fn truth_of(v: &Value) -> Option<bool> {
    let mut out = None;
    for cand in &v.cands {
        if cand
            .iter()
            .any(|p| matches!(p, value::Piece::Hole(h) if h.starts_with("param:")))
        {
            return None;
        }
        let t = match cand.as_slice() {
            [] => false,
            [value::Piece::Lit(l)] => {
                !matches!(l.trim(), "" | "0" | "false" | "False" | "$false" | "$null")
            }
            [value::Piece::Hole(h)] => !matches!(
                h.trim_start_matches('$'),
                "null" | "None" | "nil" | "undefined" | "false" | "False" | "NULL"
            ),
            _ => true,
        };
        if out.is_some_and(|o| o != t) {
            return None;
        }
        out = Some(t);
    }
    out
}

/// For each candidate of `url`, the guard of the one branch whose value holds it (none when
/// several branches, or none, hold it).
fn guard_per_candidate(
    url: &Value,
    branches: &[(Value, Option<guard::Guard>)],
) -> Vec<Option<guard::Guard>> {
    url.cands
        .iter()
        .map(|cand| {
            let mut gs = branches
                .iter()
                .filter(|(v, _)| v.cands.contains(cand))
                .map(|(_, g)| g);
            match (gs.next(), gs.next()) {
                (Some(g), None) => g.clone(),
                _ => None,
            }
        })
        .collect()
}

/// The value and guard of each assignment `ids` (to one name). An unguarded first assignment
/// that guarded ones of the same test overwrite (`v = 'v3'` then `if (t == 'x') { v = 'beta' }`)
/// holds when none of their conditions does.
fn guarded_branches(
    c: &code::Code,
    env: &eval::Env,
    ids: &[usize],
) -> Vec<(Value, Option<guard::Guard>)> {
    let mut branches: Vec<(Value, Option<guard::Guard>)> = ids
        .iter()
        .map(|&i| {
            (
                env.value_of_assign(i),
                guard::guard_of(c, env.assigns[i].tok),
            )
        })
        .collect();
    let first = ids
        .iter()
        .enumerate()
        .min_by_key(|(_, i)| env.assigns[**i].tok)
        .map(|(n, _)| n);
    if let Some(f) = first
        && branches[f].1.is_none()
        && branches
            .iter()
            .enumerate()
            .all(|(n, (_, g))| n == f || g.as_ref().is_some_and(|g| !g.negated))
    {
        let others: Vec<guard::Guard> = branches
            .iter()
            .enumerate()
            .filter(|(n, _)| *n != f)
            .filter_map(|(_, (_, g))| g.clone())
            .collect();
        branches[f].1 = guard::negate_all(others);
    }
    branches
}

/// Whether `word` occurs in `text` as a whole word (not inside a longer identifier).
fn holds_word(text: &str, word: &str) -> bool {
    let is_id = |ch: char| ch.is_alphanumeric() || ch == '_';
    text.match_indices(word).any(|(i, _)| {
        !text[..i].chars().next_back().is_some_and(is_id)
            && !text[i + word.len()..].chars().next().is_some_and(is_id)
    })
}

/// A helper's URL for one caller: its guarded candidates ([`guarded_url`]) with the caller's
/// arguments in place. When the caller passes the tested parameter one of several literals
/// (chosen in its own branches), each literal takes only its own branches
/// (`t = 'schemas'` or `t = 'correlation-config'`, the helper picking `v3` or `beta` by `t`).
fn guarded_substitute(
    wr: &frontend::Wrapper,
    arg: &dyn Fn(&str) -> Option<Value>,
    given: &dyn Fn(&str) -> Option<guard::Given>,
) -> Value {
    let tested = wr
        .guards
        .iter()
        .flatten()
        .find(|g| g.test == guard::Test::Equals)
        .and_then(|g| {
            wr.params
                .iter()
                .find(|p| p.eq_ignore_ascii_case(g.var()))
                .cloned()
        });
    if let Some(p) = tested
        && let Some(v) = arg(&p)
        && v.cands.len() > 1
        && v.cands.len() <= 16
    {
        let lits: Vec<Value> = v
            .cands
            .iter()
            .map(|c| Value {
                cands: vec![c.clone()],
            })
            .collect();
        if lits.iter().all(|l| l.as_literal().is_some()) {
            let mut out = Value::default();
            for one in lits {
                let each = |q: &str| {
                    if q == p { Some(one.clone()) } else { arg(q) }
                };
                out = out.union(&frontend::substitute(&guarded_url(wr, &each, given), &each));
            }
            return out;
        }
    }
    frontend::substitute(&guarded_url(wr, arg, given), arg)
}

/// A helper's URL candidates that may hold for a caller: a candidate guarded by a condition
/// on a parameter the caller passes as a literal is kept only when the condition holds for it
/// (`api='beta'` does not take the `api == 'cc'` branch).
/// A guard on what the caller passes (a parameter's value or binding, the parameter set) keeps
/// a candidate when the caller's arguments fit it (`given`), or cannot tell.
fn guarded_url(
    wr: &frontend::Wrapper,
    arg: &dyn Fn(&str) -> Option<Value>,
    given: &dyn Fn(&str) -> Option<guard::Given>,
) -> Value {
    if wr.guards.len() != wr.url.cands.len() {
        return wr.url.clone();
    }
    let keep: Vec<value::Cand> = wr
        .url
        .cands
        .iter()
        .zip(&wr.guards)
        .filter(|(_, g)| {
            let Some(g) = g else { return true };
            if g.test != guard::Test::Equals {
                return g.holds(given).unwrap_or(true);
            }
            let Some(p) = wr.params.iter().find(|p| p.eq_ignore_ascii_case(g.var())) else {
                return true;
            };
            match arg(p).and_then(|v| v.as_literal()) {
                Some(lit) => g.allows(&lit),
                None => true,
            }
        })
        .map(|(c, _)| c.clone())
        .collect();
    if keep.is_empty() {
        return wr.url.clone();
    }
    Value { cands: keep }
}

/// Names bound to one of `helpers` as a value, not called: `self.api = Api(t).r`,
/// `call = c.send`, `const send = api.request.bind(api)`, `f := c.do` — each a copy of the
/// helper under the name (the last segment of the assigned name: `self.api(...)` and
/// `self.tools.api(...)` are its calls). Not PowerShell or shell, whose commands have no such
/// values.
fn helper_aliases(
    codes: &[Option<code::Code>],
    index: &[std::sync::OnceLock<IdentIndex>],
    wrappers: &[frontend::Wrapper],
    new: std::ops::Range<usize>,
    failures: &budget::Failures,
) -> Vec<frontend::Wrapper> {
    let mut out = Vec::new();
    // The new helpers by language and name; a file that spells none of their names binds
    // none of them.
    let mut by_name: rustc_hash::FxHashMap<(lex::Lang, &str), Vec<usize>> = Default::default();
    let mut hashes: rustc_hash::FxHashMap<lex::Lang, Vec<u32>> = Default::default();
    for w in new.clone() {
        let h = &wrappers[w];
        by_name
            .entry((h.lang, h.name.as_str()))
            .or_default()
            .push(w);
        hashes.entry(h.lang).or_default().push(ident_hash(&h.name));
    }
    for (fi, c) in codes.iter().enumerate() {
        let Some(c) = c else { continue };
        if matches!(c.lang, lex::Lang::PowerShell | lex::Lang::Shell) || failures.failed(fi) {
            continue;
        }
        let Some(hs) = hashes.get(&c.lang) else {
            continue;
        };
        if !index[fi].get_or_init(|| IdentIndex::new(c)).any(hs) {
            continue;
        }
        for a in &c.bindings().assigns {
            let (x, mut y) = a.rhs;
            // `.bind(obj)` keeps the function.
            if y >= x + 4
                && c.is_punct(y - 1, ")")
                && c.close_of(y - 1).is_some_and(|o| {
                    o >= 2 && c.ident(o - 1) == Some("bind") && c.is_punct(o - 2, ".")
                })
            {
                y = c.close_of(y - 1).unwrap_or(y) - 2;
            }
            let Some(last) = y.checked_sub(1).and_then(|k| c.ident(k)) else {
                continue;
            };
            let bare = y == x + 1;
            let member = y >= x + 3 && c.is_punct(y - 2, ".");
            if !(bare || member) {
                continue;
            }
            let alias = eval::last_segment(&a.name);
            for &w in by_name.get(&(c.lang, last)).into_iter().flatten() {
                let h = &wrappers[w];
                if alias == h.name || alias.is_empty() {
                    continue;
                }
                let mut copy = h.clone();
                copy.name = alias.to_string();
                copy.alias_of = Some(h.alias_of.unwrap_or(w));
                // A plain local (`get = c.send` in a function): only there.
                copy.scope = a
                    .func
                    .filter(|_| !a.name.contains(['.', ':']) && local_decl(c, a.tok))
                    .map(|f| (fi, f));
                out.push(copy);
            }
        }
    }
    out
}

/// Whether a call in file `fi` can reach a helper of file `hf` through an object whose origin
/// the finder does not see: in Python and JavaScript only when `fi` is `hf` or names its module
/// (`from client import Api`, `require('./client')`); a file that never names it calls a
/// method of the same name on something else (`headers.get(k)` is not `client.py`'s `get`).
/// Other languages: always (their receivers are narrowed by `owners`). Memoised per pair.
fn reaches_module(
    memo: &mut std::collections::HashMap<(usize, usize), bool>,
    files: &[SourceFile],
    lang: lex::Lang,
    fi: usize,
    hf: usize,
) -> bool {
    if fi == hf || !matches!(lang, lex::Lang::Python | lex::Lang::Js) {
        return true;
    }
    *memo.entry((fi, hf)).or_insert_with(|| {
        let stem = eval::module_stem_of(&files[hf].rel);
        stem.is_empty() || holds_word(&files[fi].text, &stem)
    })
}

/// Python, JavaScript: the class a call's receiver is built from (`w = Weather()`, `const w =
/// new WeatherClient()`, `self.w = Weather()`) or declared as (`w: WeatherClient`).
fn script_receiver_class(c: &code::Code, env: &eval::Env, tok: usize) -> Option<String> {
    if !matches!(c.lang, lex::Lang::Python | lex::Lang::Js) || tok < 2 || !c.is_punct(tok - 1, ".")
    {
        return None;
    }
    let q = c.ident(tok - 2)?;
    let member = tok >= 4 && c.is_punct(tok - 3, ".");
    let name = match c.ident(tok.wrapping_sub(4)) {
        Some(o @ ("self" | "this")) if member => format!("{o}.{q}"),
        _ if member => return None,
        _ => q.to_string(),
    };
    let built = env.assigns_named(&name).rev().find_map(|a| {
        let mut k = c.skip_newlines(a.rhs.0, a.rhs.1);
        if c.ident(k) == Some("new") {
            k += 1;
        }
        let cls = c.ident(k)?;
        (c.is_punct(k + 1, "(") && cls.starts_with(|ch: char| ch.is_ascii_uppercase()))
            .then(|| cls.to_string())
    });
    built.or_else(|| {
        (c.lang == lex::Lang::Js && !member)
            .then(|| http::brace::declared_type(c, q))
            .flatten()
    })
}

/// Whether the assignment at `tok` binds a local of its function: any plain name in Python;
/// `get := c.Get` in Go; a name declared with `const`/`let`/`var` or a type in the other brace
/// languages (`Func<string, Task> send = c.SendAsync`), not a field assigned in a constructor.
fn local_decl(c: &code::Code, tok: usize) -> bool {
    match c.lang {
        lex::Lang::Python => true,
        lex::Lang::Go => c.is_punct(tok + 1, ":="),
        _ => tok
            .checked_sub(1)
            .is_some_and(|k| c.ident(k).is_some() || c.is_punct(k, ">")),
    }
}

/// The key under which [`name_occurrences`] files a helper's name: PowerShell names ignore
/// case.
/// See [`narrowed_invocations`].
#[derive(Default)]
struct Narrowed {
    /// Per helper: the files (ascending) and the calls in each credited to it.
    calls: std::collections::HashMap<usize, Vec<(usize, Vec<frontend::Invocation>)>>,
    /// Calls (file, token) the code says are calls of the project's helper (by the type or
    /// class of the receiver, or by the package): never a library call of the same name.
    sure: std::collections::HashSet<(usize, usize)>,
}

/// Calls of this round's Go/Java/C# helpers (`new`), per helper and file (ascending): each
/// call of a name is found once and credited to the helpers of that name it can reach
/// ([`owners::pick`]: receiver type, class, package; all of them when the code does not
/// tell). O(calls × helpers picked) instead of O(helpers × calls) for same-named helpers.
#[allow(clippy::type_complexity)]
fn narrowed_invocations(
    codes: &[Option<code::Code>],
    files: &[SourceFile],
    wrappers: &[frontend::Wrapper],
    new: std::ops::Range<usize>,
    occ: &std::collections::HashMap<(lex::Lang, String), Vec<(usize, Vec<usize>)>>,
    failures: &budget::Failures,
) -> Narrowed {
    let mut out = Narrowed::default();
    let keys: std::collections::HashSet<(lex::Lang, String)> = wrappers[new.clone()]
        .iter()
        .filter(|w| owners::narrows(w.lang) && w.taught.is_none())
        .map(|w| occurrence_key(w.lang, &w.name))
        .collect();
    // Every helper of those names, of this round and the earlier ones (a call credited to an
    // earlier helper is not credited to a new one of the same name as well).
    let mut groups: std::collections::HashMap<(lex::Lang, String), Vec<usize>> = Default::default();
    for (i, w) in wrappers[..new.end].iter().enumerate() {
        let k = occurrence_key(w.lang, &w.name);
        if w.taught.is_none() && keys.contains(&k) {
            groups.entry(k).or_default().push(i);
        }
    }
    for (key, members) in &groups {
        let Some(places) = occ.get(key) else { continue };
        let owner_of: Vec<Option<String>> = members
            .iter()
            .map(|&m| owners::wrapper_owner(codes, &wrappers[m]))
            .collect();
        let member_files: Vec<(usize, &str)> = members
            .iter()
            .map(|&m| {
                let f = wrappers[m].file;
                (f, owners::folder(&files[f].rel))
            })
            .collect();
        let group = owners::Group {
            members,
            owners: &owner_of,
            files: &member_files,
        };
        for (fi, toks) in places {
            let fi = *fi;
            let Some(c) = &codes[fi] else { continue };
            if c.lang != key.0 {
                continue;
            }
            let dir = owners::folder(&files[fi].rel);
            let picked = failures.guard(fi, files[fi].text.len(), || {
                let mut types = std::collections::HashMap::new();
                frontend::c_invocations_at(c, &key.1, toks)
                    .into_iter()
                    .map(|inv| {
                        let p = owners::pick(c, fi, dir, &inv, &group, &mut types);
                        (inv, p)
                    })
                    .collect::<Vec<_>>()
            });
            for (inv, (picks, sure)) in picked.into_iter().flatten() {
                if sure {
                    out.sure.insert((fi, inv.tok));
                }
                for m in picks.into_iter().filter(|m| new.contains(m)) {
                    let e = out.calls.entry(m).or_default();
                    match e.last_mut() {
                        Some((f, v)) if *f == fi => v.push(inv.clone()),
                        _ => e.push((fi, vec![inv.clone()])),
                    }
                }
            }
        }
    }
    out
}

fn occurrence_key(lang: lex::Lang, name: &str) -> (lex::Lang, String) {
    match lang {
        lex::Lang::PowerShell => (lang, name.to_ascii_lowercase()),
        _ => (lang, name.to_string()),
    }
}

/// Names sought in the files of one language: the names, the lengths they have, their
/// [`ident_hash`]es.
type NameSet<'a> = (rustc_hash::FxHashSet<&'a str>, [bool; 64], Vec<u32>);

/// An identifier as [`occurrence_key`] files it: PowerShell names (`ps`) in lower case,
/// written into `buf` only when they have an upper-case letter.
fn folded<'b>(ps: bool, id: &'b str, buf: &'b mut String) -> &'b str {
    if ps && id.bytes().any(|b| b.is_ascii_uppercase()) {
        buf.clear();
        buf.push_str(id);
        buf.make_ascii_lowercase();
        buf
    } else {
        id
    }
}

/// The hash of an identifier as [`occurrence_key`] files it (PowerShell: lower case).
fn ident_hash(key: &str) -> u32 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(key.as_bytes());
    h.finish() as u32
}

/// The identifiers a file spells (their [`ident_hash`]es, sorted): which files can call a
/// helper is answered from these without reading the tokens again, in every round of
/// following and every analysis of a scan (a hash shared by another identifier only costs a
/// read of the tokens).
#[derive(Clone, Default)]
struct IdentIndex(Vec<u32>);

impl IdentIndex {
    fn new(c: &code::Code) -> IdentIndex {
        let ps = c.lang == lex::Lang::PowerShell;
        let mut lower = String::new();
        let mut v: Vec<u32> = c
            .toks
            .iter()
            .filter_map(|t| t.ident())
            .map(|id| ident_hash(folded(ps, id, &mut lower)))
            .collect();
        v.sort_unstable();
        v.dedup();
        IdentIndex(v)
    }

    /// Whether the file may spell one of `hashes`.
    fn any(&self, hashes: &[u32]) -> bool {
        hashes.iter().any(|h| self.0.binary_search(h).is_ok())
    }
}

/// Where a name occurs: files, each with the identifier tokens that spell it.
type Occurrences = Vec<(usize, Vec<usize>)>;

/// What [`name_occurrences`] found in earlier analyses of the scan, per key: how many files
/// (from the first) were searched, and the occurrences among them. A later analysis shares
/// those files (see [`Cache::kept`]) and searches only the files it adds.
#[derive(Default)]
struct OccCache(rustc_hash::FxHashMap<(lex::Lang, String), (usize, Occurrences)>);

impl OccCache {
    /// Keeps what is known of the first `kept` files only.
    fn restrict(&mut self, kept: usize) {
        for (searched, places) in self.0.values_mut() {
            if *searched > kept {
                *searched = kept;
                places.retain(|(fi, _)| *fi < kept);
            }
        }
    }
}

/// Where the project's files name each of `names` (helpers of one round): key (see
/// [`occurrence_key`]) → files, each with the identifier tokens that spell it. One parallel
/// pass over every file's tokens: O(tokens) per round, whatever the number of helpers.
#[cfg(test)]
#[allow(clippy::type_complexity)]
fn name_occurrences(
    threads: usize,
    codes: &[Option<code::Code>],
    index: &[std::sync::OnceLock<IdentIndex>],
    names: &[(lex::Lang, String)],
    failures: &budget::Failures,
) -> std::collections::HashMap<(lex::Lang, String), Occurrences> {
    name_occurrences_cached(
        threads,
        codes,
        index,
        names,
        failures,
        &mut OccCache::default(),
    )
}

/// [`name_occurrences`], searching for each name only the files `known` has not searched
/// for it (and recording what it finds there).
#[allow(clippy::type_complexity)]
fn name_occurrences_cached(
    threads: usize,
    codes: &[Option<code::Code>],
    index: &[std::sync::OnceLock<IdentIndex>],
    names: &[(lex::Lang, String)],
    failures: &budget::Failures,
    known: &mut OccCache,
) -> std::collections::HashMap<(lex::Lang, String), Occurrences> {
    let wanted: std::collections::HashSet<(lex::Lang, String)> =
        names.iter().map(|(l, n)| occurrence_key(*l, n)).collect();
    // The names by the number of files already searched for them.
    let mut groups: std::collections::BTreeMap<usize, Vec<(lex::Lang, String)>> =
        Default::default();
    for key in wanted {
        let from = known.0.get(&key).map_or(0, |(n, _)| (*n).min(codes.len()));
        groups.entry(from).or_default().push(key);
    }
    let mut out: std::collections::HashMap<(lex::Lang, String), Occurrences> =
        std::collections::HashMap::new();
    for (from, keys) in groups {
        let mut found = scan_occurrences(threads, codes, index, from, &keys);
        for key in keys {
            let mut places: Occurrences = match known.0.get(&key) {
                Some((_, p)) => p.iter().filter(|(fi, _)| *fi < from).cloned().collect(),
                None => Vec::new(),
            };
            places.extend(found.remove(&key).unwrap_or_default());
            known.0.insert(key.clone(), (codes.len(), places.clone()));
            // Files whose analysis failed are left alone.
            places.retain(|(fi, _)| !failures.failed(*fi));
            if !places.is_empty() {
                out.insert(key, places);
            }
        }
    }
    out
}

/// Where the files from `from` on spell each of `keys` (see [`name_occurrences`]).
#[allow(clippy::type_complexity)]
fn scan_occurrences(
    threads: usize,
    codes: &[Option<code::Code>],
    index: &[std::sync::OnceLock<IdentIndex>],
    from: usize,
    keys: &[(lex::Lang, String)],
) -> std::collections::HashMap<(lex::Lang, String), Occurrences> {
    // Per language: the names (as keys) and the lengths they have, so that most identifiers
    // are passed over on their length alone; the rest are looked up with a fast hash.
    let mut by_lang: rustc_hash::FxHashMap<lex::Lang, NameSet> = Default::default();
    for (l, n) in keys {
        let (set, lens, hashes) = by_lang
            .entry(*l)
            .or_insert_with(|| (Default::default(), [false; 64], Vec::new()));
        set.insert(n.as_str());
        lens[n.len().min(63)] = true;
        hashes.push(ident_hash(n));
    }
    if from >= codes.len() {
        return Default::default();
    }
    let per_file = par::map(threads, &codes[from..], |k, c| {
        let fi = from + k;
        let mut found: Vec<((lex::Lang, String), usize)> = Vec::new();
        let Some(c) = c else { return found };
        let Some((set, lens, hashes)) = by_lang.get(&c.lang) else {
            return found;
        };
        if !index[fi].get_or_init(|| IdentIndex::new(c)).any(hashes) {
            return found;
        }
        // Identifiers are checked against the names without building a key for each one.
        let ps = c.lang == lex::Lang::PowerShell;
        let mut lower = String::new();
        for (i, t) in c.toks.iter().enumerate() {
            let Some(id) = t.ident() else { continue };
            if !lens[id.len().min(63)] {
                continue;
            }
            if let Some(name) = set.get(folded(ps, id, &mut lower)) {
                found.push(((c.lang, name.to_string()), i));
            }
        }
        found
    });
    let mut out: std::collections::HashMap<(lex::Lang, String), Occurrences> =
        std::collections::HashMap::new();
    for (k, found) in per_file.into_iter().enumerate() {
        let fi = from + k;
        for (key, tok) in found {
            let places = out.entry(key).or_default();
            match places.last_mut() {
                Some((f, toks)) if *f == fi => toks.push(tok),
                _ => places.push((fi, vec![tok])),
            }
        }
    }
    out
}

/// Code files this large with lines this long are bundles or generated code: their calls are
/// in the sources they were built from, and analysing them costs more than it finds.
const MINIFIED_SIZE: usize = 512 * 1024;
const MINIFIED_LINE: usize = 16 * 1024;

/// The longest line's length, when a file looks minified.
fn minified(text: &str) -> Option<usize> {
    if text.len() < MINIFIED_SIZE {
        return None;
    }
    let longest = text.split('\n').map(str::len).max().unwrap_or(0);
    (longest >= MINIFIED_LINE).then_some(longest)
}

/// What a caller passes for a parameter of a helper (or a property of it, `opts.method`).
enum ArgVal {
    Val(Value),
    /// Not passed, no default: `undefined`.
    Absent,
    /// Passed, but not a value the finder can read.
    Unknown,
}

fn bound_arg(
    c: &code::Code,
    env: &eval::Env,
    inv: &frontend::Invocation,
    wr: &frontend::Wrapper,
    p: &str,
) -> ArgVal {
    let (head, prop) = match p.split_once('.') {
        Some((h, k)) => (h, Some(k)),
        None => (p, None),
    };
    let Some(idx) = wr.params.iter().position(|q| same_param(c, q, head)) else {
        return ArgVal::Unknown;
    };
    let r = inv
        .named
        .iter()
        .find(|(n, _)| same_param(c, n, head))
        .map(|(_, r)| *r)
        .or_else(|| inv.positional.get(idx).copied())
        // JavaScript: `undefined` takes the parameter's default (`send('x', 'POST', undefined, body)`).
        .filter(|r| {
            let a = c.skip_newlines(r.0, r.1);
            !(c.lang == lex::Lang::Js && a + 1 == r.1 && c.ident(a) == Some("undefined"))
        });
    let Some(r) = r else {
        return match wr.defaults.iter().find(|(n, _)| n == p) {
            Some((_, v)) => ArgVal::Val(v.clone()),
            None => ArgVal::Absent,
        };
    };
    let Some(key) = prop else {
        return ArgVal::Val(match c.lang {
            // Arguments are words (`Invoke-Isc /v3/sources -Method Get`).
            lex::Lang::PowerShell => powershell_eval::eval_word(env, r, inv.tok),
            _ => env.eval(r, inv.tok),
        });
    };
    // A property of the argument: an object literal, or a name assigned one.
    if let Some(v) = object_literal_prop(c, r, key) {
        return ArgVal::Val(env.eval(v, inv.tok));
    }
    let a = c.skip_newlines(r.0, r.1);
    if c.is_punct(a, "{") {
        let spread = c.object_props(a).iter().any(|(k, _)| k.is_none());
        return if spread {
            ArgVal::Unknown
        } else {
            ArgVal::Absent
        };
    }
    if a + 1 == r.1
        && let Some(name) = c.ident(a)
    {
        let full = format!("{name}.{key}");
        if env.assigns.iter().any(|x| x.name == full) {
            return ArgVal::Val(env.lookup(&full, inv.tok));
        }
        if env
            .assigns
            .iter()
            .any(|x| x.name == name && c.is_punct(x.rhs.0, "{"))
        {
            return ArgVal::Absent;
        }
    }
    ArgVal::Unknown
}

/// Parameter names match exactly, or ignoring case in PowerShell (`$path` for `[string]$Path`).
fn same_param(c: &code::Code, a: &str, b: &str) -> bool {
    a == b || c.lang == lex::Lang::PowerShell && a.eq_ignore_ascii_case(b)
}

/// The value range of property `key` when range `r` is an object literal.
fn object_literal_prop(c: &code::Code, r: (usize, usize), key: &str) -> Option<(usize, usize)> {
    let a = c.skip_newlines(r.0, r.1);
    if !c.is_punct(a, "{") {
        return None;
    }
    c.object_props(a)
        .into_iter()
        .rev()
        .find(|(k, _)| k.as_deref() == Some(key))
        .map(|(_, v)| v)
}

/// Default values of a function's parameters (and of the properties of default objects).
fn param_defaults(c: &code::Code, env: &eval::Env, fx: usize) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for p in &c.fns[fx].params {
        let Some(r) = c.param_default(fx, p) else {
            continue;
        };
        let a = c.skip_newlines(r.0, r.1);
        if c.is_punct(a, "{") {
            for (k, v) in c.object_props(a) {
                if let Some(k) = k {
                    out.push((format!("{p}.{k}"), env.eval(v, a)));
                }
            }
        }
        let v = env.eval(r, a);
        if !v.is_empty() {
            out.push((p.clone(), v));
        }
    }
    out
}

/// Whether a call names an operation of the catalog (its path, with any method when the
/// method is not known).
fn routes_to_op(cat: &Catalog, raws: &[RawCall]) -> bool {
    raws.iter().any(|r| match (&r.target, r.method) {
        // A legacy path (`/cc/api/source/get/{id}`) names its endpoint as far as any can —
        // when its resource is written out (`/cc/api/{endpoint}` leaves it to the caller).
        (Target::Url(u), Some(m)) if r.reason.is_none() => {
            let segs = path_segments(u);
            let resource = match segs.as_slice() {
                [Seg::Lit(a), Seg::Lit(b), rest @ ..] if a == "cc" && b == "api" => rest.first(),
                [_, rest @ ..] => rest.first(),
                _ => None,
            };
            is_legacy(&segs) && matches!(resource, Some(Seg::Lit(_)))
                || matches!(cat.router().route_quick(cat, m, &segs), Routed::Op(_))
        }
        (Target::Url(u), None) => !cat.router().matches(cat, &path_segments(u)).is_empty(),
        // The operations a method chosen in branches pairs with (a version-less guess carries
        // a reason and does not count).
        (Target::Ops(ops), _) if r.reason.is_none() => !ops.is_empty(),
        _ => false,
    })
}

fn formats_json(text: &str) -> Vec<RawCall> {
    formats::scan_json(text)
}

fn formats_http(text: &str) -> Vec<RawCall> {
    formats::httpfile::scan(text)
}

use value::Value;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let t = "ab\nçd /v3\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        let off = t.find("/v3").unwrap();
        assert_eq!(line_col(t, off), (2, 4));
    }

    /// The rounds that add set-aside callers analyse only what they add: the result is the
    /// one analysis of every file at once gives.
    #[test]
    fn rounds_find_what_one_analysis_of_all_files_finds() {
        let cat = Catalog::embedded();
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |name: &str, text: &str| {
            std::fs::write(dir.path().join(name), text).expect("write");
        };
        // A helper in a file that names ISC; callers in files that do not, one of them a
        // helper itself whose callers are in a third file; a constant in an ISC file.
        write(
            "client.py",
            "import requests\nVERSION = 'v3'\nclass Api:\n    def __init__(self, tenant):\n        self.base = f'https://{tenant}.api.identitynow.com'\n    def r(self, endpoint, method='GET', api=VERSION):\n        return requests.request(method, f'{self.base}/{api}/{endpoint}')\n",
        );
        write(
            "jobs.py",
            "from client import Api\nc = Api('acme')\nc.r('sources')\ndef remove(kind):\n    return c.r(kind, method='DELETE', api='beta')\n",
        );
        write(
            "later.py",
            "from jobs import remove\nremove('workgroups/7')\n",
        );
        write("other.py", "print('nothing here')\n");
        let opts = Options::default();
        let (files, found) = scan(cat, &[dir.path().to_path_buf()], &opts);
        let rels: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["client.py", "jobs.py", "later.py"]);
        let mut warnings = Vec::new();
        let mut all = analyze_files(cat, &files, 1, &mut warnings);
        sort_calls(&mut all);
        let show = |calls: &[FoundCall]| -> Vec<String> {
            calls
                .iter()
                .map(|c| format!("{}:{} {:?} {:?}", c.file, c.line, c.method, c.path))
                .collect()
        };
        assert_eq!(show(&found.calls), show(&all));
        assert!(
            show(&all).iter().any(|c| c.starts_with("later.py:2")),
            "{:?}",
            show(&all)
        );
    }

    #[test]
    fn resolves_urls_and_reports_what_it_cannot() {
        let cat = Catalog::embedded();
        let file = SourceFile {
            rel: "a.py".into(),
            kind: FileKind::Python,
            text: "x".repeat(10),
        };
        let raws = vec![
            RawCall::new(
                0,
                Some(Method::Get),
                Target::Url("{}/v3/sources/{}".into()),
                Via::Http,
            ),
            RawCall::new(
                1,
                None,
                Target::Url("https://x.api.identitynow.com/v3/sources".into()),
                Via::Http,
            ),
            RawCall::new(
                2,
                Some(Method::Get),
                Target::Url("/cc/api/source/get/{}".into()),
                Via::Http,
            ),
            RawCall::new(
                3,
                Some(Method::Post),
                Target::Url("/oauth/token".into()),
                Via::Auth,
            ),
        ];
        let found = resolve(cat, &file, raws);
        assert_eq!(found[0].operation.as_deref(), Some("GET /v3/sources/{id}"));
        assert_eq!(found[0].path.as_deref(), Some("/v3/sources/{}"));
        assert!(found[0].resolved);
        assert!(!found[1].resolved);
        assert!(
            found[1]
                .reason
                .as_deref()
                .unwrap()
                .contains("GET /v3/sources")
        );
        assert_eq!(found[2].path.as_deref(), Some("/cc/api/source/get/{}"));
        assert!(found[2].operation.is_none());
        assert_eq!(found[3].via, Via::Auth);
        assert!(found[3].operation.is_none());
    }
}

#[cfg(test)]
mod occurrence_tests {
    use super::*;

    /// Every identifier token spelling a sought name, found by reading every token (what
    /// `name_occurrences` answers without reading files whose index rules the names out).
    fn brute(
        codes: &[Option<code::Code>],
        names: &[(lex::Lang, String)],
    ) -> Vec<(String, usize, usize)> {
        let mut out = Vec::new();
        for (fi, c) in codes.iter().enumerate() {
            let Some(c) = c else { continue };
            for (i, t) in c.toks.iter().enumerate() {
                let Some(id) = t.ident() else { continue };
                for (l, n) in names {
                    if *l == c.lang && occurrence_key(*l, n).1 == occurrence_key(*l, id).1 {
                        out.push((occurrence_key(*l, n).1, fi, i));
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn occurrences_through_the_identifier_index_are_those_of_every_token() {
        let texts = [
            (
                "def r(self, p):\n    return get(p)\nx = api.r('sources')\n",
                lex::Lang::Python,
            ),
            (
                "const send = (p) => fetch(p);\nsend('/v3/x'); other.Send(1)\n",
                lex::Lang::Js,
            ),
            (
                "function Invoke-IscRest($Url) {}\ninvoke-iscrest -Url '/v3/x'\nINVOKE-ISCREST '/beta/y'\n",
                lex::Lang::PowerShell,
            ),
            (
                "func (c *C) Do(p string) {}\nc.Do(\"/v3/x\")\n",
                lex::Lang::Go,
            ),
            ("x = 1\n", lex::Lang::Python),
        ];
        let codes: Vec<Option<code::Code>> = texts
            .iter()
            .map(|(t, l)| Some(code::Code::new(t, *l)))
            .collect();
        let index: Vec<std::sync::OnceLock<IdentIndex>> =
            (0..codes.len()).map(|_| Default::default()).collect();
        let names: Vec<(lex::Lang, String)> = [
            (lex::Lang::Python, "r"),
            (lex::Lang::Python, "get"),
            (lex::Lang::Js, "send"),
            (lex::Lang::PowerShell, "Invoke-IscRest"),
            (lex::Lang::Go, "Do"),
            (lex::Lang::Go, "Missing"),
            (lex::Lang::Java, "send"),
        ]
        .iter()
        .map(|(l, n)| (*l, n.to_string()))
        .collect();
        let failures = budget::Failures::default();
        // (name, file, token) of every occurrence, sorted.
        let flatten = |occ: &std::collections::HashMap<(lex::Lang, String), Occurrences>| {
            let mut got: Vec<(String, usize, usize)> = occ
                .iter()
                .flat_map(|((_, n), places)| {
                    places
                        .iter()
                        .flat_map(move |(fi, toks)| toks.iter().map(move |t| (n.clone(), *fi, *t)))
                })
                .collect();
            got.sort();
            got
        };
        // Twice: the second time from the index built by the first.
        for _ in 0..2 {
            let got = flatten(&name_occurrences(2, &codes, &index, &names, &failures));
            assert_eq!(got, brute(&codes, &names));
            assert_eq!(got.iter().filter(|g| g.0 == "invoke-iscrest").count(), 3);
            assert_eq!(got.iter().filter(|g| g.0 == "send").count(), 2);
        }
        // Across analyses: what was found in the first files is reused, the added files
        // are searched (and a name asked for the first time, in every file); the answers
        // are those of a search of every file.
        for split in 0..=codes.len() {
            let mut known = OccCache::default();
            let fresh: Vec<std::sync::OnceLock<IdentIndex>> =
                (0..codes.len()).map(|_| Default::default()).collect();
            let first = name_occurrences_cached(
                2,
                &codes[..split],
                &fresh[..split],
                &names[..4],
                &failures,
                &mut known,
            );
            assert_eq!(flatten(&first), brute(&codes[..split], &names[..4]));
            // The next analysis shares only the first `split - 1` files.
            known.restrict(split.saturating_sub(1));
            let all = name_occurrences_cached(2, &codes, &fresh, &names, &failures, &mut known);
            assert_eq!(flatten(&all), brute(&codes, &names), "split at {split}");
        }
        // A file whose analysis failed is left out.
        let failed = budget::Failures::default();
        failed.record(2, budget::Failure::Exhausted);
        let occ = name_occurrences(2, &codes, &index, &names, &failed);
        assert!(flatten(&occ).iter().all(|g| g.1 != 2));
        assert!(flatten(&occ).iter().any(|g| g.1 == 3));
        // A file that spells none of the names is ruled out by its index.
        let ix = IdentIndex::new(codes[4].as_ref().unwrap());
        assert!(!ix.any(&[ident_hash("r"), ident_hash("get")]));
        assert!(ix.any(&[ident_hash("x")]));
    }
}
