//! The `isc-scope-lint` command line: parses arguments and wires the pipeline stages.

use clap::{Args, Parser, Subcommand};
use isc_scope_lint::catalog::route::{Routed, parse_call};
use isc_scope_lint::catalog::{Catalog, format as catalog_format};
use isc_scope_lint::discover;
use isc_scope_lint::error::PlainError;
use isc_scope_lint::fsutil;
use isc_scope_lint::report::{
    AnswerFormat, calls as calls_report, catalog_show, check as check_report, scopes::ScopesReport,
};
use isc_scope_lint::rules::{self, Severity};
use isc_scope_lint::solver::{Semantics, Solver};
use isc_scope_lint::{check, query, spec};
use std::path::PathBuf;
use std::process::ExitCode;

/// `eprintln!` that ignores a closed or failing stderr (it must never end the run).
macro_rules! note {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($t)*);
    }};
}

fn version() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        format!(
            "{} (catalog: {})",
            env!("CARGO_PKG_VERSION"),
            Catalog::embedded_label()
        )
    })
}

/// Least privilege for SailPoint Identity Security Cloud API integrations: finds the ISC API
/// calls of a project and computes the minimal scopes and user levels each credential needs.
#[derive(Parser)]
#[command(name = "isc-scope-lint", version = version(), max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The minimal grant (PAT scopes, owner user levels, client credentials) for a list of calls.
    Scopes(ScopesArgs),
    /// Lint a project: its calls and its credentials manifest against the minimal grants.
    Check(CheckArgs),
    /// List the ISC API calls found in files or folders.
    Calls(CallsArgs),
    /// Write a manifest (isc-scope-lint.yaml) for the calls found, with minimal grants.
    Init(InitArgs),
    /// List the rules.
    Rules,
    /// Print a rule's documentation.
    Rule {
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Print the manifest's JSON Schema (for editor completion).
    Schema,
    /// Build or inspect the operation catalog.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Audit the tenant's PATs and OAuth clients against what the code needs (exports, or live
    /// and read-only).
    Tenant(Box<TenantArgs>),
}

#[derive(Args)]
struct TenantArgs {
    /// `GET /v2025/personal-access-tokens` saved as JSON (an array, or pages one after another).
    #[arg(long, value_name = "FILE")]
    pats: Option<PathBuf>,
    /// `GET /v2025/oauth-clients` saved as JSON.
    #[arg(long, value_name = "FILE")]
    oauth_clients: Option<PathBuf>,
    /// `GET /v2025/auth-users/{id}` bodies: a JSON file (objects or arrays) or a folder of them.
    #[arg(long, value_name = "FILE|DIR")]
    auth_users: Option<PathBuf>,
    /// A folder holding personal-access-tokens.json, oauth-clients.json and auth-users.json
    /// (or auth-users/), as --save-export writes it.
    #[arg(long, value_name = "DIR")]
    export: Option<PathBuf>,
    /// Audit the tenant NAME live (https://NAME.api.identitynow.com), read-only; the client id
    /// and secret come from SAIL_CLIENT_ID and SAIL_CLIENT_SECRET.
    #[arg(long, value_name = "NAME", conflicts_with = "base_url")]
    tenant: Option<String>,
    /// Audit the tenant at this API base URL live (https; http only for a loopback host).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Save what a live run read as an export folder (secrets removed), for --export.
    #[arg(long, value_name = "DIR")]
    save_export: Option<PathBuf>,
    /// Connect and read timeout of each live request, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    timeout: f64,
    /// Retries of a live request after a 429, a 5xx or a timeout.
    #[arg(long, value_name = "N", default_value_t = 4)]
    max_retries: u32,
    /// The longest wait before a retry, in seconds (caps Retry-After and the back-off).
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    max_retry_wait: f64,
    /// The `limit` of the paginated live requests.
    #[arg(long, value_name = "N", default_value_t = 250)]
    page_size: usize,
    /// Print the minimal grant the live audit needs (computed from the operations it calls)
    /// and exit.
    #[arg(long)]
    required_grant: bool,
    /// A project to analyse as `check DIR` does (its manifest and its code; repeatable).
    #[arg(long, value_name = "DIR")]
    project: Vec<PathBuf>,
    /// A saved `check --format json` report, or a folder of them (repeatable).
    #[arg(long, value_name = "FILE|DIR")]
    report: Vec<PathBuf>,
    /// A token is stale when unused for more than this many days.
    #[arg(long, value_name = "DAYS", default_value_t = 90)]
    stale_days: u32,
    /// The day the audit is as of (YYYY-MM-DD or an RFC 3339 date-time; default: now).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    #[command(flatten)]
    spec: SpecArgs,
    #[arg(long, value_enum, default_value = "any-of")]
    scope_semantics: SemanticsArg,
    #[arg(long, value_enum, default_value = "human")]
    format: isc_scope_lint::tenant::report::Format,
    /// Write the report to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 when a shown finding is at or above this severity (never: always exit 0).
    #[arg(long, value_enum, default_value = "warning")]
    fail_on: FailOn,
    /// Show only findings at or above this severity.
    #[arg(long, value_enum)]
    min_severity: Option<Severity>,
    /// Show findings that inline comments or the manifests ignore.
    #[arg(long)]
    no_ignores: bool,
    /// Report only findings not in this baseline.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    #[command(flatten)]
    walk: WalkArgs,
}

#[derive(Args)]
struct SpecArgs {
    /// Use this OpenAPI file or folder instead of the embedded catalog (repeatable).
    #[arg(long = "spec", value_name = "PATH")]
    spec: Vec<PathBuf>,
}

#[derive(Args)]
struct ScopesArgs {
    /// Calls like `GET /v3/sources/{id}` or `delete https://acme.api.identitynow.com/beta/accounts/2c91...`;
    /// `-` reads them from stdin, one a line (blank lines and `#` comments skipped).
    #[arg(value_name = "CALL")]
    calls: Vec<String>,
    #[command(flatten)]
    spec: SpecArgs,
    /// any-of: one listed scope suffices (SailPoint's documented reading); all-of: every scope of
    /// one security requirement object (the literal OpenAPI reading, conservative).
    #[arg(long, value_enum, default_value = "any-of")]
    scope_semantics: SemanticsArg,
    #[arg(long, value_enum, default_value = "human")]
    format: AnswerFormat,
}

#[derive(Args)]
struct CallsArgs {
    /// Files or folders to scan.
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<PathBuf>,
    /// A manifest whose `discovery` section (declared wrappers, base URL names) and `spec`
    /// entries apply, as in `check`.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(flatten)]
    spec: SpecArgs,
    #[command(flatten)]
    walk: WalkArgs,
    #[arg(long, value_enum, default_value = "human")]
    format: AnswerFormat,
}

#[derive(Args)]
struct CheckArgs {
    /// Files or folders to check (the manifest is looked for in the first one and its parents).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The manifest to use instead of the isc-scope-lint.yaml found.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(flatten)]
    spec: SpecArgs,
    /// Overrides the manifest's scope_semantics.
    #[arg(long, value_enum)]
    scope_semantics: Option<SemanticsArg>,
    #[arg(long, value_enum, default_value = "human")]
    format: check_report::Format,
    /// Write the report to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 when a shown finding is at or above this severity (never: always exit 0).
    #[arg(long, value_enum, default_value = "warning")]
    fail_on: FailOn,
    /// Show only findings at or above this severity.
    #[arg(long, value_enum)]
    min_severity: Option<Severity>,
    /// Show findings that inline comments or the manifest ignore.
    #[arg(long)]
    no_ignores: bool,
    /// Report only findings not in this baseline.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Report only what the change since this git revision introduced (findings on added or
    /// modified lines, grant findings whose cause changed), e.g. `origin/main`.
    #[arg(long, value_name = "REF")]
    diff_base: Option<String>,
    /// Record the current findings in this baseline file.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Rewrite the scopes and owner user levels of each credential to the minimal grant.
    #[arg(long)]
    fix: bool,
    /// The date shown in the HTML report's header (none by default, so that the report is
    /// deterministic), e.g. `--report-date "$(date -u +%F)"`.
    #[arg(long, value_name = "DATE")]
    report_date: Option<String>,
    #[command(flatten)]
    walk: WalkArgs,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Args)]
struct InitArgs {
    /// The project folder.
    #[arg(value_name = "PATH", default_value = ".")]
    path: PathBuf,
    /// One credential per top-level folder instead of one for everything.
    #[arg(long)]
    per_folder: bool,
    /// Where to write the manifest (default: PATH/isc-scope-lint.yaml; `-` for stdout).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Overwrite an existing manifest.
    #[arg(long)]
    force: bool,
    /// The tokens' owners are dedicated service identities: write `service_account: true`
    /// (else it is left unconfirmed, and `check` reports it as info).
    #[arg(long)]
    service_account: bool,
    #[command(flatten)]
    spec: SpecArgs,
    #[arg(long, value_enum, default_value = "any-of")]
    scope_semantics: SemanticsArg,
    #[command(flatten)]
    walk: WalkArgs,
}

#[derive(Args)]
struct WalkArgs {
    /// Skip files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 4 * 1024 * 1024)]
    max_file_size: u64,
    /// Also scan documentation (Markdown, reStructuredText, text), skipped by default.
    #[arg(long)]
    include_docs: bool,
    /// Also read paths matching GLOB (relative to the path given; `**` crosses folders) that
    /// are documentation or under a skipped folder like `vendor` (repeatable).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Worker threads (default 0: one per core; at most the number of cores).
    #[arg(long, value_name = "N", default_value_t = 0)]
    threads: usize,
}

/// Longest `--include` glob, in bytes (as the manifest's globs).
const MAX_INCLUDE_GLOB: usize = isc_scope_lint::manifest::MAX_GLOB;

impl WalkArgs {
    fn options(&self) -> miette::Result<discover::Options> {
        if let Some(g) = self.include.iter().find(|g| g.len() > MAX_INCLUDE_GLOB) {
            return Err(PlainError::new(format!(
                "--include glob of {} bytes; globs are at most {MAX_INCLUDE_GLOB} bytes",
                g.len()
            ))
            .into());
        }
        // More threads than cores only costs memory and start-up (100,000 took 1.3 GB).
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Ok(discover::Options {
            max_file_size: self.max_file_size,
            include_docs: self.include_docs,
            include: discover::walk::Include::new(&self.include).map_err(PlainError::new)?,
            threads: self.threads.min(cores),
            taught: Default::default(),
        })
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SemanticsArg {
    AnyOf,
    AllOf,
}

impl From<SemanticsArg> for Semantics {
    fn from(s: SemanticsArg) -> Semantics {
        match s {
            SemanticsArg::AnyOf => Semantics::AnyOf,
            SemanticsArg::AllOf => Semantics::AllOf,
        }
    }
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// Build a catalog from ISC OpenAPI 3.0 documents (YAML or JSON; files or folders).
    Build {
        #[arg(long = "spec", value_name = "PATH", num_args = 1.., required = true)]
        spec: Vec<PathBuf>,
        /// Write the catalog here instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Release label recorded in the provenance, e.g. "api-specs 81ef79d0 (2026-08-22)".
        #[arg(long)]
        label: Option<String>,
        /// Do not print the normalisation warnings.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Print one catalog entry, by `METHOD /path` or operationId (all families that have it).
    Show {
        #[arg(value_name = "OPERATION")]
        operation: String,
        #[command(flatten)]
        spec: SpecArgs,
        #[arg(long, value_enum, default_value = "human")]
        format: AnswerFormat,
    },
}

/// Transparent huge pages off for this process: the allocator asks for them, and on a busy
/// machine the kernel then zeroes or compacts 2 MiB pages on first touch — measured as runs of
/// `calls` over the official SDKs stalling from 0.8 s to 2.4 s of which 2.4 s system time, and
/// a fifth more peak memory. Small pages cost nothing measurable here.
#[cfg(target_os = "linux")]
fn no_transparent_huge_pages() {
    const PR_SET_THP_DISABLE: std::ffi::c_int = 41;
    unsafe extern "C" {
        fn prctl(option: std::ffi::c_int, ...) -> std::ffi::c_int;
    }
    // SAFETY: prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) passes integers only and changes a flag
    // of the process's memory map, no memory the program uses; its failure (an old kernel)
    // only leaves huge pages on.
    unsafe {
        prctl(
            PR_SET_THP_DISABLE,
            1 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn no_transparent_huge_pages() {}

fn main() -> ExitCode {
    no_transparent_huge_pages();
    miette::set_hook(Box::new(|_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .terminal_links(false)
                .build(),
        )
    }))
    .ok();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(report) if report.downcast_ref::<fsutil::BrokenPipe>().is_some() => {
            ExitCode::from(fsutil::BROKEN_PIPE_EXIT)
        }
        Err(report) => {
            note!("{report:?}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> miette::Result<ExitCode> {
    match cli.command {
        Command::Scopes(a) => {
            let cat = spec::catalog_for(&a.spec.spec)?;
            let calls = query::collect(&a.calls, || {
                let bytes =
                    fsutil::read_stream(std::io::stdin().lock(), "stdin", fsutil::MAX_STDIN_BYTES)?;
                Ok(fsutil::decode_utf8("<stdin>", "stdin", bytes)?.0)
            })?;
            let (resolved, legacy) = query::resolve_with_legacy(&cat, &calls)?;
            let solver = Solver::new(&cat);
            let ops: Vec<usize> = resolved.iter().map(|r| r.op).collect();
            let reqs = solver.solve_calls(&ops, !legacy.is_empty(), a.scope_semantics.into());
            if !reqs.exact() {
                note!("warning: {}", isc_scope_lint::solver::NOT_PROVEN);
            }
            let report = ScopesReport::new(&solver, &resolved, &legacy, &reqs);
            fsutil::print(&match a.format {
                AnswerFormat::Human => report.to_human(),
                AnswerFormat::Json => report.to_json(),
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(a) => run_check(a),
        Command::Tenant(a) => run_tenant(*a),
        Command::Init(a) => run_init(a),
        Command::Rules => {
            let mut o = String::new();
            for r in rules::all() {
                o.push_str(&format!(
                    "{:<28} {:<8} {}\n",
                    r.meta.id,
                    r.meta.severity.as_str(),
                    r.meta.title
                ));
            }
            fsutil::print(&o)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rule { id } => {
            let Some(r) = rules::get(&id) else {
                let ids = rules::ids();
                let near = isc_scope_lint::manifest::nearest(&id, ids.iter().copied());
                let mut e = PlainError::new(format!("no rule `{id}`"));
                e = e.with_help(match near {
                    Some(n) => format!("did you mean `{n}`? `isc-scope-lint rules` lists them"),
                    None => "`isc-scope-lint rules` lists them".into(),
                });
                return Err(e.into());
            };
            let m = &r.meta;
            fsutil::print(&format!(
                "{} ({})\n{}\n\nWhy: {}\n\nFix: {}\n",
                m.id,
                m.severity.as_str(),
                m.title,
                m.rationale,
                m.fix
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema => {
            fsutil::print(&isc_scope_lint::manifest::schema())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Calls(a) => {
            for p in &a.paths {
                if std::fs::symlink_metadata(p).is_err() {
                    return Err(PlainError::new(format!(
                        "no such file or folder: `{}`",
                        p.display()
                    ))
                    .into());
                }
            }
            let root = a
                .paths
                .first()
                .cloned()
                .unwrap_or_else(|| PathBuf::from("."));
            let manifest = check::load_manifest(a.config.as_deref(), &root, false)?;
            let (cat, walk) =
                check::with_manifest_settings(manifest.as_ref(), &a.spec.spec, &a.walk.options()?)?;
            let mut found = discover::discover(&cat, &a.paths, &walk);
            for w in &found.warnings {
                note!("warning: {}: {}", w.path, w.message);
            }
            if let Some(m) = &manifest {
                for (diag, w) in isc_scope_lint::manifest::discovery::unused_warnings(
                    m,
                    &walk.taught,
                    &found.unused_wrappers,
                ) {
                    note!("{}", render_warning(&diag));
                    found.warnings.push(w);
                }
            }
            fsutil::print(&match a.format {
                AnswerFormat::Human => calls_report::human(&found, &cat.provenance.label),
                AnswerFormat::Json => calls_report::json(&found),
            })?;
            Ok(incomplete_or(&found.warnings, ExitCode::SUCCESS))
        }
        Command::Catalog(CatalogCommand::Build {
            spec: specs,
            output,
            label,
            quiet,
        }) => {
            let set = spec::load(&specs)?;
            let label = label.unwrap_or_else(|| set.default_label());
            let (cat, warnings) = set.into_catalog(label);
            if !quiet {
                for w in &warnings {
                    note!(
                        "warning[{}]: {w}",
                        serde_json::to_value(w.kind)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default()
                    );
                }
            }
            let text = catalog_format::write(&cat);
            let summary = format!(
                "{} operations from {} file(s), {} normalisation(s), {} all-of by their description, label `{}`",
                cat.ops.len(),
                cat.provenance.sources.len(),
                warnings.len(),
                cat.ops.iter().filter(|o| o.all_of).count(),
                cat.provenance.label
            );
            match output.filter(|p| p.as_os_str() != "-") {
                Some(path) => {
                    fsutil::write_output(&path, text.as_bytes())?;
                    note!("wrote {}: {summary}", path.display());
                }
                None => {
                    fsutil::print(&text)?;
                    note!("{summary}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Catalog(CatalogCommand::Show {
            operation,
            spec: s,
            format,
        }) => {
            let cat = spec::catalog_for(&s.spec)?;
            let ops = find_operations(&cat, &operation)?;
            let solver = Solver::new(&cat);
            fsutil::print(&match format {
                AnswerFormat::Human => catalog_show::human(&solver, &ops),
                AnswerFormat::Json => catalog_show::json(&solver, &ops),
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `METHOD /path` (routed like any call) or an operationId.
fn find_operations(cat: &Catalog, what: &str) -> miette::Result<Vec<usize>> {
    if what.trim().contains(char::is_whitespace) {
        let calls = vec![query::CallText {
            text: what.to_string(),
            source: "argument".into(),
            line: 1,
        }];
        return Ok(query::resolve(cat, &calls)?
            .into_iter()
            .map(|r| r.op)
            .collect());
    }
    let ops = cat.by_operation_id(what.trim());
    if !ops.is_empty() {
        return Ok(ops);
    }
    let mut help =
        "give `METHOD /path` (e.g. `GET /v3/sources/{id}`) or an operationId".to_string();
    if let Ok(c) = parse_call(&format!("GET {what}"))
        && let Routed::Op(_) | Routed::WrongMethod { .. } =
            cat.router().route(cat, c.method, &c.segs)
    {
        help = format!("to look up a path, give its method too: `GET {what}`");
    }
    Err(
        PlainError::new(format!("no operation `{what}` in the catalog"))
            .with_help(help)
            .into(),
    )
}

fn check_input(a: &CheckArgs) -> miette::Result<check::Input> {
    Ok(check::Input {
        paths: a.paths.clone(),
        config: a.config.clone(),
        spec: a.spec.spec.clone(),
        semantics: a.scope_semantics.map(Into::into),
        walk: a.walk.options()?,
        engine: rules::engine::Options {
            no_ignores: a.no_ignores,
            baseline: None,
            min_severity: a.min_severity,
        },
    })
}

fn run_check(a: CheckArgs) -> miette::Result<ExitCode> {
    let mut input = check_input(&a)?;
    if let Some(b) = &a.baseline {
        input.engine.baseline = Some(read_baseline(b)?);
    }
    let mut run = check::prepare(&input)?;
    if a.fix {
        let Some(m) = run.manifest.clone() else {
            return Err(PlainError::new("`--fix` needs a manifest")
                .with_help("`isc-scope-lint init` writes one for the calls found")
                .into());
        };
        check::require_complete(&run.discovery, "--fix")?;
        let solver = run.solver();
        let cx = run.context(&solver);
        let (text, notes) = check::fix(&cx, &m)?;
        for n in &notes {
            note!("{n}");
        }
        if text != m.text {
            fsutil::write_output(&m.path, &m.file_bytes(&text))?;
            note!("fixed {}", m.display);
        } else {
            note!("{}: nothing to fix", m.display);
        }
        drop(cx);
        drop(solver);
        run = check::prepare(&input)?;
    }
    let solver = run.solver();
    let cx = run.context(&solver);
    for c in cx.creds.iter().filter(|c| !c.minimal.exact()) {
        note!(
            "warning: `{}`: {}",
            c.name,
            isc_scope_lint::solver::NOT_PROVEN
        );
    }
    let mut outcome = rules::engine::run(&cx, &input.engine);
    let mut outside_diff = None;
    if let Some(base) = &a.diff_base {
        let root = a
            .paths
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        let (changes, prefix) = isc_scope_lint::diff::changes_since(&root, base)?;
        outside_diff = Some(isc_scope_lint::diff::retain_changed(
            &cx,
            &changes,
            &prefix,
            &mut outcome.findings,
        ));
    }
    if let Some(path) = &a.write_baseline {
        let base = rules::engine::Baseline::of(&outcome.all);
        let text = serde_json::to_string_pretty(&base).expect("serialises") + "\n";
        fsutil::write_output(path, text.as_bytes())?;
        note!(
            "wrote {} finding(s) to the baseline {}",
            base.findings.len(),
            path.display()
        );
    }
    let html = isc_scope_lint::report::html::Options {
        project: project_name(a.paths.first().map_or(std::path::Path::new("."), |p| p)),
        date: a.report_date.clone(),
    };
    let report = check_report::render(a.format, &run, &cx, &outcome, &html);
    fsutil::emit(a.output.as_deref(), &report)?;
    for w in &run.discovery.warnings {
        note!("warning: {}: {}", w.path, w.message);
    }
    for w in &run.manifest_warnings {
        note!("{}", render_warning(w));
    }
    if let Some(n) = outside_diff {
        note!(
            "{n} finding(s) outside the change since `{}`",
            a.diff_base.as_deref().unwrap_or("")
        );
    }
    if a.baseline.is_some() {
        note!(
            "{} finding(s) baselined, {} suppressed",
            outcome.baselined,
            outcome.suppressed
        );
    }
    let fail_on = match a.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    Ok(incomplete_or(
        &run.discovery.warnings,
        match fail_on {
            Some(s) if check::failed(&outcome.findings, s) => ExitCode::from(1),
            _ => ExitCode::SUCCESS,
        },
    ))
}

fn fail_on(f: FailOn) -> Option<Severity> {
    match f {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    }
}

fn run_tenant(a: TenantArgs) -> miette::Result<ExitCode> {
    use isc_scope_lint::tenant::{self, declared, inventory, time};
    let as_of = match &a.as_of {
        Some(d) => time::parse(d).ok_or_else(|| {
            PlainError::new(format!("--as-of `{d}` is not a date"))
                .with_help("give YYYY-MM-DD or an RFC 3339 date-time (2026-12-01T00:00:00Z)")
        })?,
        None => time::now(),
    };
    let cat = spec::catalog_for(&a.spec.spec)?;
    let semantics: Semantics = a.scope_semantics.into();
    if a.required_grant {
        return required_grant(&cat, semantics, a.format);
    }
    let offline = a.pats.is_some()
        || a.oauth_clients.is_some()
        || a.export.is_some()
        || a.auth_users.is_some();
    let live = a.tenant.is_some() || a.base_url.is_some();
    if offline && live {
        return Err(PlainError::new("give either an export (--export, --pats, --oauth-clients, --auth-users) or a live tenant (--tenant, --base-url), not both").into());
    }
    if !offline && !live {
        return Err(PlainError::new("no tenant inventory to audit")
            .with_help("give --export DIR, or --pats FILE and/or --oauth-clients FILE (with --auth-users for the owners' levels), or --tenant NAME / --base-url URL to read it live")
            .into());
    }
    if a.save_export.is_some() && !live {
        return Err(PlainError::new(
            "--save-export saves what a live run reads: give --tenant or --base-url",
        )
        .into());
    }
    if a.auth_users.is_some() && a.pats.is_none() && a.export.is_none() {
        return Err(
            PlainError::new("--auth-users without PATs: the owners are those of --pats").into(),
        );
    }
    let mut inv = inventory::Inventory::default();
    if live {
        let secs = |v: f64, flag: &str| {
            if v.is_finite() && v > 0.0 && v <= 3600.0 {
                Ok(std::time::Duration::from_secs_f64(v))
            } else {
                Err(PlainError::new(format!(
                    "{flag} must be a number of seconds between 0 and 3600"
                )))
            }
        };
        let opts = tenant::live::Options {
            base: tenant::live::base_url(a.tenant.as_deref(), a.base_url.as_deref())?,
            timeout: secs(a.timeout, "--timeout")?,
            max_retries: a.max_retries.min(10),
            max_wait: secs(a.max_retry_wait, "--max-retry-wait")?,
            backoff: std::time::Duration::from_millis(500),
            page_size: a.page_size.clamp(1, 10_000),
        };
        let creds = tenant::live::credentials_from_env()?;
        let fetched = tenant::live::fetch(&opts, &creds)?;
        inv = fetched.inventory()?;
        if fetched.missing_users > 0 {
            note!(
                "warning: {} PAT owner(s) have no auth user (404): their levels are unknown",
                fetched.missing_users
            );
        }
        if let Some(dir) = &a.save_export {
            fetched.save(dir)?;
            note!("saved the export (secrets removed) to {}", dir.display());
        }
        note!("read the tenant in {} request(s)", fetched.requests);
    }
    if let Some(d) = &a.export {
        inventory::read_export(&mut inv, d)?;
    }
    if let Some(p) = &a.pats {
        inventory::read_file(&mut inv, inventory::Kind::Pats, p)?;
    }
    if let Some(p) = &a.oauth_clients {
        inventory::read_file(&mut inv, inventory::Kind::Clients, p)?;
    }
    if let Some(p) = &a.auth_users {
        inventory::read_users(&mut inv, p)?;
    }
    if inv.duplicates > 0 {
        note!(
            "warning: {} record(s) seen twice (overlapping pages?); the first of each id is kept",
            inv.duplicates
        );
    }
    let mut decl = declared::Declarations::default();
    let base = check::Input {
        paths: Vec::new(),
        config: None,
        spec: a.spec.spec.clone(),
        semantics: Some(semantics),
        walk: a.walk.options()?,
        engine: Default::default(),
    };
    for p in &a.project {
        declared::add_project(&mut decl, p, &base)?;
    }
    for r in &a.report {
        declared::add_reports(&mut decl, &cat, r)?;
    }
    let mut engine = rules::engine::Options {
        no_ignores: a.no_ignores,
        baseline: None,
        min_severity: a.min_severity,
    };
    if let Some(b) = &a.baseline {
        engine.baseline = Some(read_baseline(b)?);
    }
    let warnings = std::mem::take(&mut decl.warnings);
    let solver = Solver::new(&cat);
    let settings = tenant::Settings {
        semantics,
        as_of,
        stale_days: i64::from(a.stale_days),
    };
    let res = tenant::audit(inv, decl, &cat, &solver, &settings, &engine);
    if let Some(path) = &a.write_baseline {
        let base = rules::engine::Baseline::of(&res.outcome.all);
        let text = serde_json::to_string_pretty(&base).expect("serialises") + "\n";
        fsutil::write_output(path, text.as_bytes())?;
        note!(
            "wrote {} finding(s) to the baseline {}",
            base.findings.len(),
            path.display()
        );
    }
    let report = tenant::report::render(
        a.format,
        &res.audit,
        &cat,
        &solver,
        &res.outcome,
        &res.sources,
    );
    fsutil::emit(a.output.as_deref(), &report)?;
    for w in &warnings {
        note!("warning: {}: {}", w.path, w.message);
    }
    if a.baseline.is_some() {
        note!(
            "{} finding(s) baselined, {} suppressed",
            res.outcome.baselined,
            res.outcome.suppressed
        );
    }
    Ok(incomplete_or(
        &warnings,
        match fail_on(a.fail_on) {
            Some(s) if check::failed(&res.outcome.findings, s) => ExitCode::from(1),
            _ => ExitCode::SUCCESS,
        },
    ))
}

/// `tenant --required-grant`: the minimal grant of the live audit's own calls, by the solver.
fn required_grant(
    cat: &Catalog,
    semantics: Semantics,
    format: isc_scope_lint::tenant::report::Format,
) -> miette::Result<ExitCode> {
    let calls: Vec<query::CallText> = isc_scope_lint::tenant::LIVE_OPERATIONS
        .iter()
        .map(|c| query::CallText {
            text: c.to_string(),
            source: "tenant".into(),
            line: 1,
        })
        .collect();
    let resolved = query::resolve(cat, &calls)?;
    let solver = Solver::new(cat);
    let ops: Vec<usize> = resolved.iter().map(|r| r.op).collect();
    let reqs = solver.solve(&ops, semantics);
    let report = ScopesReport::new(&solver, &resolved, &[], &reqs);
    fsutil::print(&match format {
        isc_scope_lint::tenant::report::Format::Json => report.to_json(),
        _ => report.to_human(),
    })?;
    Ok(ExitCode::SUCCESS)
}

fn run_init(a: InitArgs) -> miette::Result<ExitCode> {
    let mut input = check::Input {
        paths: vec![a.path.clone()],
        config: None,
        spec: a.spec.spec.clone(),
        semantics: Some(a.scope_semantics.into()),
        walk: a.walk.options()?,
        engine: Default::default(),
    };
    let dest = a.output.clone().unwrap_or_else(|| {
        let dir = if a.path.is_dir() {
            a.path.clone()
        } else {
            a.path.parent().map(PathBuf::from).unwrap_or_default()
        };
        dir.join("isc-scope-lint.yaml")
    });
    let to_stdout = dest.as_os_str() == "-";
    if !to_stdout && dest.exists() && !a.force {
        return Err(PlainError::new(format!("`{}` exists", dest.display()))
            .with_help("use --force to overwrite it, -o to write elsewhere, or `check --fix` to update its grants")
            .into());
    }
    // The manifest being replaced teaches discovery as it does for `check`, and its
    // `discovery` section is carried into the new one.
    let mut kept = None;
    if !to_stdout
        && dest.exists()
        && let Some(old) = replaced_manifest(&dest)?
    {
        input.walk.taught = std::sync::Arc::new(isc_scope_lint::manifest::discovery::taught(&old)?);
        kept = isc_scope_lint::manifest::init::kept_discovery(&old);
    }
    let run = check::prepare_without_manifest(&input)?;
    check::require_complete(&run.discovery, "init")?;
    let grouping = if a.per_folder {
        isc_scope_lint::manifest::init::Grouping::PerFolder
    } else {
        isc_scope_lint::manifest::init::Grouping::One
    };
    let project = project_name(&a.path);
    let text = isc_scope_lint::manifest::init::manifest(
        &run.catalog,
        run.calls(),
        &run.sources,
        run.semantics,
        grouping,
        &project,
        a.service_account,
    );
    if text.contains(isc_scope_lint::solver::NOT_PROVEN) {
        note!("warning: {}", isc_scope_lint::solver::NOT_PROVEN);
    }
    let text = match kept {
        Some(section) => format!("{text}\n{section}"),
        None => text,
    };
    if to_stdout {
        fsutil::print(&text)?;
    } else {
        fsutil::write_output(&dest, text.as_bytes())?;
        let tokens = calls_report::token_requests(run.calls());
        note!(
            "wrote {} ({} call(s), {tokens} token request(s))",
            dest.display(),
            run.calls().len() - tokens
        );
    }
    for w in &run.discovery.warnings {
        note!("warning: {}: {}", w.path, w.message);
    }
    Ok(incomplete_or(&run.discovery.warnings, ExitCode::SUCCESS))
}

/// The manifest `init --force` is about to replace, read for its `discovery` section. One that
/// cannot be read is no obstacle unless it has a top-level `discovery:` key (that section would
/// be lost): then its error stands (exit code 2) and nothing is written.
fn replaced_manifest(
    dest: &std::path::Path,
) -> miette::Result<Option<isc_scope_lint::manifest::Loaded>> {
    let display = dest.display().to_string();
    match isc_scope_lint::manifest::load(dest, display.clone()) {
        Ok(l) => Ok(Some(l)),
        Err(e) => {
            let text = std::fs::read(dest).unwrap_or_default();
            let text = String::from_utf8_lossy(&text);
            let has_discovery = text
                .lines()
                .any(|l| l.trim_start_matches('\u{feff}').starts_with("discovery:"));
            if has_discovery {
                Err(e.wrap_err(format!(
                    "`{display}` has a `discovery` section that `init --force` would lose: fix the manifest, or remove the section to overwrite it"
                )))
            } else {
                Ok(None)
            }
        }
    }
}

/// A warning at a place of the manifest, rendered as miette renders diagnostics.
fn render_warning(w: &isc_scope_lint::manifest::discovery::SourceWarning) -> String {
    struct Show<'a>(&'a dyn miette::Diagnostic);
    impl std::fmt::Debug for Show<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            use miette::ReportHandler as _;
            miette::MietteHandlerOpts::new()
                .terminal_links(false)
                .build()
                .debug(self.0, f)
        }
    }
    format!("{:?}", Show(w))
}

/// The project's name: the checked folder's name (of its canonical path, so `.` too).
fn project_name(path: &std::path::Path) -> String {
    path.canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| path.display().to_string())
}

/// Exit code 3 when the analysis of some file failed (an internal error, contained and
/// reported as a warning): the scan is incomplete, whatever else the run found.
fn incomplete_or(warnings: &[discover::Warning], code: ExitCode) -> ExitCode {
    let n = discover::internal_errors(warnings);
    if n == 0 {
        return code;
    }
    note!(
        "error: the analysis of {n} file(s) failed (see the warnings above); the scan is incomplete (exit code 3)"
    );
    ExitCode::from(3)
}

/// Reads a baseline: a regular file within [`fsutil::MAX_BASELINE_BYTES`], UTF-8, nested at
/// most [`isc_scope_lint::nesting::MAX_DEPTH`] levels, with errors at their place.
fn read_baseline(b: &std::path::Path) -> miette::Result<rules::engine::Baseline> {
    let name = b.display().to_string();
    let bytes = fsutil::read_input(b, "baseline", fsutil::MAX_BASELINE_BYTES)?;
    let (text, _) = fsutil::decode_utf8(&name, "baseline", bytes)?;
    isc_scope_lint::nesting::check(&name, "baseline", &text)?;
    serde_json::from_str(&text).map_err(|e| {
        use isc_scope_lint::error::{LineIndex, SourceError, line_span};
        let lines = LineIndex::new(&text);
        SourceError::indexed(
            &name,
            &text,
            &lines,
            line_span(&text, lines.offset_of(&text, e.line(), e.column())),
            format!("invalid baseline `{name}`"),
            e.to_string(),
        )
        .into()
    })
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
