//! A query: calls given by the user (command-line arguments or stdin lines), each resolved to a
//! catalog operation, with errors that point at the offending argument or line.

use crate::catalog::route::{CallSyntaxError, Routed, parse_call};
use crate::catalog::{Catalog, OpId};
use crate::error::{PlainError, SourceError};
use miette::{Diagnostic, Report};
use thiserror::Error;

/// One call as the user wrote it.
#[derive(Clone, Debug)]
pub struct CallText {
    pub text: String,
    /// Where it came from: `argument 2`, `<stdin>`.
    pub source: String,
    /// Line number in the source (stdin), 1-based.
    pub line: usize,
}

/// A call resolved to an operation.
#[derive(Clone, Debug)]
pub struct ResolvedCall {
    pub input: String,
    pub op: OpId,
}

#[derive(Debug, Error, Diagnostic)]
#[error("{count} call(s) could not be resolved to an ISC operation")]
pub struct QueryErrors {
    pub count: usize,
    #[related]
    pub errors: Vec<SourceError>,
}

/// Reads calls from arguments; `-` reads stdin (one a line, blank lines and `#` comments
/// skipped).
pub fn collect(
    args: &[String],
    stdin: impl FnOnce() -> miette::Result<String>,
) -> miette::Result<Vec<CallText>> {
    let mut out = Vec::new();
    let mut stdin = Some(stdin);
    for (i, a) in args.iter().enumerate() {
        if a == "-" {
            let Some(read) = stdin.take() else {
                return Err(PlainError::new("`-` (stdin) given twice").into());
            };
            let text = read()?;
            let before = out.len();
            for (n, line) in text.lines().enumerate() {
                let t = line.trim();
                if t.is_empty() || t.starts_with('#') {
                    continue;
                }
                out.push(CallText {
                    text: line.to_string(),
                    source: "<stdin>".into(),
                    line: n + 1,
                });
            }
            if out.len() == before {
                return Err(PlainError::new("no calls on stdin")
                    .with_help("give one call a line, e.g. `GET /v3/sources/{id}`")
                    .into());
            }
        } else {
            out.push(CallText {
                text: a.clone(),
                source: format!("argument {}", i + 1),
                line: 1,
            });
        }
    }
    if out.is_empty() {
        return Err(PlainError::new("no calls given")
            .with_help("pass calls like `isc-scope-lint scopes 'GET /v3/sources/{id}'`, or `-` to read them from stdin")
            .into());
    }
    Ok(out)
}

/// A call as shown in a message: at most 120 characters (a call line may be a megabyte).
fn shown(text: &str) -> String {
    let t = text.trim();
    match t.char_indices().nth(120) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t.to_string(),
    }
}

/// Resolves every call; all failures are reported together. A legacy private API call is an
/// error here (see [`resolve_with_legacy`]).
pub fn resolve(cat: &Catalog, calls: &[CallText]) -> Result<Vec<ResolvedCall>, Report> {
    resolve_inner(cat, calls, None)
}

/// [`resolve`], but legacy private API calls (`/cc/api`, `/v2`) are accepted and returned
/// apart, as written: they force `sp:scopes:all` (the rule every command applies).
pub fn resolve_with_legacy(
    cat: &Catalog,
    calls: &[CallText],
) -> Result<(Vec<ResolvedCall>, Vec<String>), Report> {
    let mut legacy = Vec::new();
    let ok = resolve_inner(cat, calls, Some(&mut legacy))?;
    Ok((ok, legacy))
}

fn resolve_inner(
    cat: &Catalog,
    calls: &[CallText],
    mut legacy: Option<&mut Vec<String>>,
) -> Result<Vec<ResolvedCall>, Report> {
    let router = cat.router();
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for c in calls {
        let name = if c.source == "<stdin>" {
            format!("<stdin> line {}", c.line)
        } else {
            c.source.clone()
        };
        let text = c.text.clone();
        let lead = text.len() - text.trim_start().len();
        let path_span = {
            let t = text.trim_start();
            let m = t.find(char::is_whitespace).unwrap_or(t.len());
            let rest = &t[m..];
            let start = lead + m + (rest.len() - rest.trim_start().len());
            (start, text.trim_end().len().saturating_sub(start).max(1))
        };
        let call = match parse_call(&text) {
            Ok(c) => c,
            Err(e) => {
                let span = match e {
                    CallSyntaxError::BadMethod(o, l) => (o, l.max(1)),
                    _ => (lead, text.trim().len().max(1)),
                };
                errors.push(SourceError::new(
                    &name,
                    text.clone(),
                    span,
                    format!("cannot read call `{}`", shown(&text)),
                    e.to_string(),
                ));
                continue;
            }
        };
        match router.route(cat, call.method, &call.segs) {
            Routed::Op(op) => ok.push(ResolvedCall { input: text.trim().to_string(), op }),
            Routed::Legacy if legacy.is_some() => {
                if let Some(l) = legacy.as_deref_mut() {
                    l.push(text.trim().to_string());
                }
            }
            Routed::Legacy => errors.push(
                SourceError::new(&name, text.clone(), path_span, format!("`{}` is a legacy private API", shown(&text)), "`/cc/api` and `/v2` paths are in no public spec")
                    .with_help("no scope narrower than `sp:scopes:all` can be proven for it; move to a documented v2025/v2026 or per-API endpoint"),
            ),
            Routed::WrongMethod { methods, path } => {
                let list: Vec<&str> = methods.iter().map(|m| m.as_str()).collect();
                errors.push(
                    SourceError::new(&name, text.clone(), path_span, format!("no {} operation at `{}`", call.method, shown(&path)), format!("this path accepts {}", list.join(", ")))
                        .with_help(format!("use one of {} for this path", list.join(", "))),
                );
            }
            Routed::Unknown { nearest } => {
                let help = if nearest.is_empty() {
                    "no operation of the catalog is close; check the API version prefix (v3, beta, v2024, v2025, v2026) or pass newer specs with --spec".to_string()
                } else {
                    let names: Vec<String> = nearest.iter().map(|&o| format!("`{}`", cat.op(o).name())).collect();
                    format!("nearest operations: {}", names.join(", "))
                };
                errors.push(SourceError::new(&name, text.clone(), path_span, format!("unknown operation `{}`", shown(&text)), "no catalog operation matches this path").with_help(help));
            }
        }
    }
    if errors.is_empty() {
        Ok(ok)
    } else if errors.len() == 1 {
        Err(errors.pop().expect("one error").into())
    } else {
        Err(QueryErrors {
            count: errors.len(),
            errors,
        }
        .into())
    }
}
