//! The manifest's `discovery:` section: what the project teaches the finder — its own request
//! wrappers and the names that hold the tenant's API base.
//!
//! ```yaml
//! discovery:
//!   wrappers:
//!     - name: Invoke-IscRequest   # function, method or cmdlet (qualified: IscClient.send, client.Do)
//!       url: Uri                  # parameter name or 0-based position of the URL or path
//!       method: Method            # parameter name or position; or a fixed method: GET
//!       default_method: GET       # when the method argument is absent at a call
//!   base_urls: [ISC_BASE, config.tenantUrl]
//! ```
//!
//! Checked here, each problem at its place (exit code 2), and turned into
//! [`Taught`](crate::discover::taught::Taught) for discovery.

use super::Loaded;
use crate::catalog::Method;
use crate::discover::taught::{ArgRef, Taught, TaughtMethod, TaughtWrapper};
use crate::error::SourceError;
use miette::Diagnostic;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::borrow::Cow;

/// What the finder is taught.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Discovery {
    /// The project's own request wrappers: each caller is a call site, the wrapper's own
    /// request is not.
    #[serde(default)]
    pub wrappers: Vec<WrapperDecl>,
    /// Names (variables, properties, constants, environment variables) whose value is the
    /// tenant's API base: `ISC_BASE`, `config.tenantUrl`.
    #[serde(default)]
    pub base_urls: Vec<String>,
}

/// One request wrapper of the project.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WrapperDecl {
    /// The function, method or cmdlet name, qualified where the language has it
    /// (`IscClient.send`, `client.Do`, `Invoke-IscRequest`).
    pub name: String,
    /// The parameter holding the URL or path: its name or 0-based position.
    pub url: ArgSpec,
    /// The parameter holding the HTTP method (name or 0-based position), or a fixed method
    /// (`GET`, `POST`, ...).
    #[serde(default)]
    pub method: Option<ArgSpec>,
    /// The method when the method argument is absent at a call.
    #[serde(default)]
    pub default_method: Option<String>,
}

/// A parameter name, or a 0-based position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgSpec {
    Name(String),
    Position(u64),
}

impl<'de> Deserialize<'de> for ArgSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ArgSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a parameter name or a 0-based position")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ArgSpec, E> {
                Ok(ArgSpec::Position(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ArgSpec, E> {
                u64::try_from(v).map(ArgSpec::Position).map_err(|_| {
                    E::custom(format!(
                        "{v} is not a position: positions count from 0 (the first argument)"
                    ))
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ArgSpec, E> {
                Ok(ArgSpec::Name(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for ArgSpec {
    fn schema_name() -> Cow<'static, str> {
        "ArgSpec".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A parameter name, or a 0-based position of the argument.",
            "oneOf": [
                {"type": "string", "minLength": 1},
                {"type": "integer", "minimum": 0},
            ],
        })
    }
}

/// Longest position accepted (a call with more arguments is not a wrapper's).
const MAX_POSITION: u64 = 255;

/// Names of the manifest: identifier characters, `-` (PowerShell) and `.` between segments.
fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|seg| {
            !seg.is_empty()
                && seg
                    .chars()
                    .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '-' || ch == '$')
        })
}

/// A parameter name as the manifest may write it (`Uri`, `$Uri`, `-Uri`), without the sigils.
fn param_name(s: &str) -> Option<String> {
    let n = s.trim().trim_start_matches(['$', '-']);
    (!n.is_empty() && n.chars().all(|ch| ch.is_alphanumeric() || ch == '_')).then(|| n.to_string())
}

/// A base name as the manifest may write it (`$ISC_BASE`, `$env:ISC_BASE`,
/// `process.env.ISC_BASE`, `$script:Config.BaseUrl`): the name the code evaluates.
fn base_name(s: &str) -> String {
    let mut n = s.trim().trim_start_matches('$');
    for p in ["env:", "script:", "global:", "process.env.", "os.environ."] {
        if let Some(rest) = n.strip_prefix(p) {
            n = rest;
        }
    }
    n.to_string()
}

fn methods_list() -> String {
    Method::ALL
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks the `discovery` section (each problem at its place) and turns it into what
/// discovery takes.
pub fn taught(l: &Loaded) -> miette::Result<Taught> {
    let d = &l.manifest.discovery;
    let mut out = Taught::default();
    if d.wrappers.is_empty() && d.base_urls.is_empty() {
        return Ok(out);
    }
    let whole = (0, l.text.len().max(1));
    let dn = l.tree.as_ref().and_then(|t| t.get("discovery"));
    let span = |n: Option<&super::YNode>| n.map_or(whole, |n| n.span());
    let mut errors: Vec<SourceError> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for (i, w) in d.wrappers.iter().enumerate() {
        let wn = dn.and_then(|n| n.get("wrappers")).and_then(|n| n.at(i));
        let at = |key: &str| span(wn.and_then(|n| n.get(key)));
        let name = w.name.trim();
        if name.is_empty() {
            errors.push(l.error(at("name"), "a wrapper needs a name", "empty name"));
        } else if !valid_name(name) {
            errors.push(
                l.error(at("name"), format!("`{name}` is not a function, method or cmdlet name"), "not a name")
                    .with_help("write the name as the code calls it: `isc_get`, `Invoke-IscRequest`, or qualified `IscClient.send`, `client.Do`"),
            );
        } else if names.iter().any(|n| n == name) {
            errors.push(l.error(
                at("name"),
                format!("wrapper `{name}` is declared twice"),
                "already declared above",
            ));
        }
        names.push(name.to_string());
        let arg = |a: &ArgSpec, key: &str, errors: &mut Vec<SourceError>| -> Option<ArgRef> {
            match a {
                ArgSpec::Position(k) if *k > MAX_POSITION => {
                    errors.push(l.error(
                        at(key),
                        format!("position {k} is out of range (at most {MAX_POSITION})"),
                        "not a position",
                    ));
                    None
                }
                ArgSpec::Position(k) => Some(ArgRef::Position(*k as usize)),
                ArgSpec::Name(n) => match param_name(n) {
                    Some(p) => Some(ArgRef::Name(p)),
                    None => {
                        errors.push(
                            l.error(at(key), format!("`{n}` is not a parameter name"), "not a parameter")
                                .with_help("give the parameter's name (`Uri`, `path`) or its 0-based position (`0`)"),
                        );
                        None
                    }
                },
            }
        };
        let url = arg(&w.url, "url", &mut errors);
        let method = match &w.method {
            None => Some(TaughtMethod::Unknown),
            Some(ArgSpec::Name(s)) if Method::parse(s.trim()).is_some() => {
                Method::parse(s.trim()).map(TaughtMethod::Fixed)
            }
            Some(ArgSpec::Name(s)) if param_name(s).is_none() => {
                errors.push(
                    l.error(
                        at("method"),
                        format!("`{s}` is neither an HTTP method nor a parameter name"),
                        "bad method",
                    )
                    .with_help(format!(
                        "give a fixed method ({}) or the parameter holding it (`Method`, or its 0-based position)",
                        methods_list()
                    )),
                );
                None
            }
            Some(a) => arg(a, "method", &mut errors).map(TaughtMethod::Arg),
        };
        let default_method = match &w.default_method {
            None => None,
            Some(s) => match Method::parse(s.trim()) {
                Some(m) => {
                    if let Some(TaughtMethod::Fixed(f)) = &method {
                        errors.push(
                            l.error(
                                span(wn.and_then(|n| n.key("default_method"))),
                                "`default_method` applies when `method` names a parameter",
                                format!("`method` is always {f} here"),
                            )
                            .with_help(
                                "remove `default_method`, or name the parameter in `method`",
                            ),
                        );
                    }
                    Some(m)
                }
                None => {
                    errors.push(
                        l.error(
                            at("default_method"),
                            format!("`{s}` is not an HTTP method"),
                            "bad method",
                        )
                        .with_help(format!("use one of: {}", methods_list())),
                    );
                    None
                }
            },
        };
        if let (Some(url), Some(method)) = (url, method) {
            out.wrappers.push(TaughtWrapper {
                name: name.to_string(),
                url,
                method,
                default_method,
            });
        }
    }
    for (j, b) in d.base_urls.iter().enumerate() {
        let bn = dn.and_then(|n| n.get("base_urls")).and_then(|n| n.at(j));
        let n = base_name(b);
        if !valid_name(&n) || n.contains('-') {
            errors.push(
                l.error(span(bn), format!("`{b}` is not a variable, property or environment variable name"), "not a name")
                    .with_help("give the name the code reads the base URL from: `ISC_BASE`, `config.tenantUrl`, `$env:ISC_BASE`"),
            );
            continue;
        }
        if !out.base_urls.contains(&n) {
            out.base_urls.push(n);
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(super::many(errors))
    }
}

/// A warning at a place of the manifest (rendered like its errors, as a warning).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SourceWarning(pub SourceError);

impl Diagnostic for SourceWarning {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Warning)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.0.help()
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.0.source_code()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.0.labels()
    }
}

/// The declared wrappers `unused` (indexes into the `discovery.wrappers` as taught) that no
/// scanned file defines or calls: a warning at each one's name, and the same as a discovery
/// warning (for the JSON of `calls`).
pub fn unused_warnings(
    l: &Loaded,
    taught: &Taught,
    unused: &[usize],
) -> Vec<(SourceWarning, crate::discover::Warning)> {
    let dn = l.tree.as_ref().and_then(|t| t.get("discovery"));
    let mut out = Vec::new();
    for &u in unused {
        let Some(w) = taught.wrappers.get(u) else {
            continue;
        };
        // The entry of that name (invalid entries were refused, so the order is the file's).
        let Some(i) = l
            .manifest
            .discovery
            .wrappers
            .iter()
            .position(|d| d.name.trim() == w.name)
        else {
            continue;
        };
        let node = dn
            .and_then(|n| n.get("wrappers"))
            .and_then(|n| n.at(i))
            .and_then(|n| n.get("name"));
        let span = node.map_or((0, 1), |n| n.span());
        let message = format!(
            "declared wrapper `{}` is neither defined nor called in the scanned files",
            w.name
        );
        let help = match w.qualifier() {
            Some(q) => format!(
                "check the spelling and the paths scanned; `{}` is called only on a receiver of class, type, package or module `{q}`",
                w.name
            ),
            None => "check the spelling and the paths scanned".to_string(),
        };
        let (line, col) = l.line_col(span.0);
        let warning = crate::discover::Warning::new(
            crate::discover::WarningKind::Note,
            format!("{}:{line}:{col}", l.display),
            message.clone(),
        );
        out.push((
            SourceWarning(
                l.error(span, message, "no scanned file defines or calls this")
                    .with_help(help),
            ),
            warning,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(valid_name("Invoke-IscRequest"));
        assert!(valid_name("IscClient.send"));
        assert!(!valid_name("a b"));
        assert!(!valid_name(".send"));
        assert!(!valid_name("a..b"));
        assert_eq!(param_name("-Uri").as_deref(), Some("Uri"));
        assert_eq!(param_name("$path").as_deref(), Some("path"));
        assert_eq!(param_name("url path"), None);
        assert_eq!(base_name("$env:ISC_BASE"), "ISC_BASE");
        assert_eq!(base_name("process.env.ISC_BASE"), "ISC_BASE");
        assert_eq!(base_name("config.tenantUrl"), "config.tenantUrl");
    }

    #[test]
    fn positions_and_names_deserialise() {
        let d: Discovery = serde_yaml::from_str(
            "wrappers:\n  - {name: a, url: 0, method: GET}\n  - {name: b, url: path, method: 1}\n",
        )
        .unwrap();
        assert_eq!(d.wrappers[0].url, ArgSpec::Position(0));
        assert_eq!(d.wrappers[1].method, Some(ArgSpec::Position(1)));
        assert!(serde_yaml::from_str::<Discovery>("wrappers:\n  - {name: a, url: -1}\n").is_err());
        assert!(serde_yaml::from_str::<Discovery>("wrappers:\n  - {name: a, url: [x]}\n").is_err());
        assert!(serde_yaml::from_str::<Discovery>("wrappers:\n  - {name: a}\n").is_err());
    }
}
