//! The `isc-scope-lint` command line: parses arguments and wires the pipeline stages.

use clap::{Args, Parser, Subcommand};
use isc_scope_lint::catalog::route::{Routed, parse_call};
use isc_scope_lint::catalog::{Catalog, format as catalog_format};
use isc_scope_lint::discover;
use isc_scope_lint::error::PlainError;
use isc_scope_lint::report::{
    AnswerFormat, calls as calls_report, catalog_show, scopes::ScopesReport,
};
use isc_scope_lint::solver::{Semantics, Solver};
use isc_scope_lint::{query, spec};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

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
    /// List the ISC API calls found in files or folders.
    Calls(CallsArgs),
    /// Build or inspect the operation catalog.
    #[command(subcommand)]
    Catalog(CatalogCommand),
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
    #[command(flatten)]
    spec: SpecArgs,
    #[command(flatten)]
    walk: WalkArgs,
    #[arg(long, value_enum, default_value = "human")]
    format: AnswerFormat,
}

#[derive(Args)]
struct WalkArgs {
    /// Skip files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 4 * 1024 * 1024)]
    max_file_size: u64,
    /// Also scan documentation (Markdown, reStructuredText, text), skipped by default.
    #[arg(long)]
    include_docs: bool,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    threads: usize,
}

impl WalkArgs {
    fn options(&self) -> discover::Options {
        discover::Options {
            max_file_size: self.max_file_size,
            include_docs: self.include_docs,
            threads: self.threads,
        }
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

fn main() -> ExitCode {
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
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> miette::Result<ExitCode> {
    match cli.command {
        Command::Scopes(a) => {
            let cat = spec::catalog_for(&a.spec.spec)?;
            let calls = query::collect(&a.calls, || {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s).map(|_| s)
            })?;
            let resolved = query::resolve(&cat, &calls)?;
            let solver = Solver::new(&cat);
            let ops: Vec<usize> = resolved.iter().map(|r| r.op).collect();
            let reqs = solver.solve(&ops, a.scope_semantics.into());
            let report = ScopesReport::new(&solver, &resolved, &reqs);
            print!(
                "{}",
                match a.format {
                    AnswerFormat::Human => report.to_human(),
                    AnswerFormat::Json => report.to_json(),
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Calls(a) => {
            let cat = spec::catalog_for(&a.spec.spec)?;
            for p in &a.paths {
                if std::fs::symlink_metadata(p).is_err() {
                    return Err(PlainError::new(format!(
                        "no such file or folder: `{}`",
                        p.display()
                    ))
                    .into());
                }
            }
            let found = discover::discover(&cat, &a.paths, &a.walk.options());
            for w in &found.warnings {
                eprintln!("warning: {}: {}", w.path, w.message);
            }
            print!(
                "{}",
                match a.format {
                    AnswerFormat::Human => calls_report::human(&found, &cat.provenance.label),
                    AnswerFormat::Json => calls_report::json(&found),
                }
            );
            Ok(ExitCode::SUCCESS)
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
                    eprintln!(
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
                "{} operations from {} file(s), {} normalisation(s), label `{}`",
                cat.ops.len(),
                cat.provenance.sources.len(),
                warnings.len(),
                cat.provenance.label
            );
            match output {
                Some(path) => {
                    isc_scope_lint::fsutil::write_atomic(&path, text.as_bytes()).map_err(|e| {
                        PlainError::new(format!("cannot write `{}`: {e}", path.display()))
                    })?;
                    eprintln!("wrote {}: {summary}", path.display());
                }
                None => {
                    print!("{text}");
                    eprintln!("{summary}");
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
            print!(
                "{}",
                match format {
                    AnswerFormat::Human => catalog_show::human(&solver, &ops),
                    AnswerFormat::Json => catalog_show::json(&solver, &ops),
                }
            );
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
