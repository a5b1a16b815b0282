//! The `sail` CLI in shell scripts, Makefiles, Dockerfiles, CI YAML and PowerShell scripts:
//! `sail api <verb> <endpoint>` is a raw call to that endpoint; every other subcommand calls the
//! operations listed for it in the CLI's source (sailpoint-cli 2.2.10, the table of
//! `cli-operations.md`), resolved against the catalog by operationId and family (then by method
//! and path). The `sail connectors …` commands call endpoints that are in no spec: they are
//! reported with their path and no operation. Commands without an ISC API (`sail environment`,
//! `set`, `sdk`, `jsonpath`, `sanitize`, ...) yield nothing.

use super::call::{RawCall, Target, Via};
use super::eval::Env;
use super::frontend::{MethodSpec, Site, param_holes};
use super::http::{powershell, shell};
use super::lex::Lang;
use super::value::{Context, Value, raw_calls};
use crate::catalog::{Catalog, Method};

/// An operation a command calls.
#[derive(Clone, Copy, Debug)]
enum OpRef {
    /// In a spec: operationId, family, and method + full path (used if the id drifted).
    Spec(&'static str, &'static str, Method, &'static str),
    /// Raw HTTP to an endpoint in no spec.
    Raw(Method, &'static str),
}

use Method::{Delete as DEL, Get as GET, Patch as PATCH, Post as POST, Put as PUT};
use OpRef::{Raw, Spec};

/// The method of an endpoint in no spec that the `sail` CLI's source calls (the connector
/// endpoints, `/beta/platform-connectors/{}/invoke` is a POST), when the CLI calls that path
/// with one method only: what a request whose method the code does not say (a Postman script
/// rewriting its request's URL) uses there. `url` may hold a host; parameters are `{}`.
pub fn raw_endpoint_method(url: &str) -> Option<Method> {
    use crate::catalog::route::{Seg, path_segments};
    let segs = path_segments(url);
    if segs.is_empty() {
        return None;
    }
    let mut found: Option<Method> = None;
    for (_, ops) in TABLE {
        for op in *ops {
            let Raw(m, path) = op else { continue };
            let known = path_segments(path);
            let same = known.len() == segs.len()
                && known.iter().zip(&segs).all(|(k, s)| match (k, s) {
                    (Seg::Param, _) => true,
                    (Seg::Lit(a), Seg::Lit(b)) => a == b,
                    (Seg::Lit(_), Seg::Param) => false,
                });
            if !same {
                continue;
            }
            match found {
                Some(f) if f != *m => return None,
                _ => found = Some(*m),
            }
        }
    }
    found
}

const LIST_TRANSFORMS: OpRef = Spec("listTransforms", "v3", GET, "/v3/transforms");
const LIST_WORKFLOWS: OpRef = Spec("listWorkflows", "beta", GET, "/beta/workflows");
const SEARCH_POST: OpRef = Spec("searchPost", "v3", POST, "/v3/search");
const EXPORT_SPCONFIG: OpRef = Spec("exportSpConfig", "beta", POST, "/beta/sp-config/export");
const EXPORT_STATUS: OpRef = Spec(
    "getSpConfigExportStatus",
    "beta",
    GET,
    "/beta/sp-config/export/{id}",
);
const EXPORT_DOWNLOAD: OpRef = Spec(
    "getSpConfigExport",
    "beta",
    GET,
    "/beta/sp-config/export/{id}/download",
);
const IMPORT_SPCONFIG: OpRef = Spec("importSpConfig", "beta", POST, "/beta/sp-config/import");
const IMPORT_STATUS: OpRef = Spec(
    "getSpConfigImportStatus",
    "beta",
    GET,
    "/beta/sp-config/import/{id}",
);
const IMPORT_DOWNLOAD: OpRef = Spec(
    "getSpConfigImport",
    "beta",
    GET,
    "/beta/sp-config/import/{id}/download",
);
const GET_CLUSTERS: OpRef = Spec("getManagedClusters", "beta", GET, "/beta/managed-clusters");
const CLIENT_STATUS: OpRef = Spec(
    "getManagedClientStatus",
    "beta",
    GET,
    "/beta/managed-clients/{id}/status",
);

/// Subcommand paths (canonical words) and the operations they call.
const TABLE: &[(&[&str], &[OpRef])] = &[
    (&["transform", "list"], &[LIST_TRANSFORMS]),
    (&["transform", "download"], &[LIST_TRANSFORMS]),
    (
        &["transform", "delete"],
        &[Spec("deleteTransform", "v3", DEL, "/v3/transforms/{id}")],
    ),
    (
        &["transform", "create"],
        &[Spec("createTransform", "beta", POST, "/beta/transforms")],
    ),
    (
        &["transform", "update"],
        &[Spec(
            "updateTransform",
            "beta",
            PUT,
            "/beta/transforms/{id}",
        )],
    ),
    (
        &["transform", "preview"],
        &[
            Spec("listIdentityProfiles", "v3", GET, "/v3/identity-profiles"),
            Spec(
                "getIdentityProfile",
                "v2024",
                GET,
                "/v2024/identity-profiles/{identity-profile-id}",
            ),
            Spec("createTransform", "v2024", POST, "/v2024/transforms"),
            Spec(
                "generateIdentityPreview",
                "v2024",
                POST,
                "/v2024/identity-profiles/identity-preview",
            ),
            Spec("deleteTransform", "v2024", DEL, "/v2024/transforms/{id}"),
            Spec(
                "createIdentityAttribute",
                "beta",
                POST,
                "/beta/identity-attributes",
            ),
            Spec(
                "deleteIdentityAttribute",
                "beta",
                DEL,
                "/beta/identity-attributes/{name}",
            ),
            SEARCH_POST,
        ],
    ),
    (&["workflow", "list"], &[LIST_WORKFLOWS]),
    (&["workflow", "get"], &[LIST_WORKFLOWS]),
    (&["workflow", "download"], &[LIST_WORKFLOWS]),
    (
        &["workflow", "create"],
        &[Spec("createWorkflow", "beta", POST, "/beta/workflows")],
    ),
    (
        &["workflow", "update"],
        &[Spec("putWorkflow", "beta", PUT, "/beta/workflows/{id}")],
    ),
    (
        &["workflow", "delete"],
        &[Spec("deleteWorkflow", "beta", DEL, "/beta/workflows/{id}")],
    ),
    (
        &["spconfig", "export"],
        &[EXPORT_SPCONFIG, EXPORT_STATUS, EXPORT_DOWNLOAD],
    ),
    (
        &["spconfig", "template"],
        &[EXPORT_SPCONFIG, EXPORT_STATUS, EXPORT_DOWNLOAD],
    ),
    (
        &["spconfig", "import"],
        &[IMPORT_SPCONFIG, IMPORT_STATUS, IMPORT_DOWNLOAD],
    ),
    (&["spconfig", "status"], &[EXPORT_STATUS, IMPORT_STATUS]),
    (
        &["spconfig", "download"],
        &[
            EXPORT_STATUS,
            EXPORT_DOWNLOAD,
            IMPORT_STATUS,
            IMPORT_DOWNLOAD,
        ],
    ),
    (
        &["rule", "list"],
        &[EXPORT_SPCONFIG, EXPORT_STATUS, EXPORT_DOWNLOAD],
    ),
    (
        &["rule", "download"],
        &[
            Spec("getConnectorRuleList", "beta", GET, "/beta/connector-rules"),
            EXPORT_SPCONFIG,
            EXPORT_STATUS,
            EXPORT_DOWNLOAD,
        ],
    ),
    (&["search", "query"], &[SEARCH_POST]),
    (&["search", "template"], &[SEARCH_POST]),
    (
        &["report"],
        &[Spec("searchCount", "v3", POST, "/v3/search/count")],
    ),
    (&["cluster", "list"], &[GET_CLUSTERS]),
    (
        &["cluster", "get"],
        &[Spec(
            "getManagedCluster",
            "beta",
            GET,
            "/beta/managed-clusters/{id}",
        )],
    ),
    (
        &["cluster", "log", "get"],
        &[Spec(
            "getClientLogConfiguration",
            "beta",
            GET,
            "/beta/managed-clusters/{id}/log-config",
        )],
    ),
    (
        &["cluster", "log", "set"],
        &[Spec(
            "putClientLogConfiguration",
            "beta",
            PUT,
            "/beta/managed-clusters/{id}/log-config",
        )],
    ),
    (&["va", "list"], &[GET_CLUSTERS, CLIENT_STATUS]),
    (&["va", "get"], &[GET_CLUSTERS, CLIENT_STATUS]),
    // SSH and local files: no API.
    (&["va", "collect"], &[]),
    (&["va", "troubleshoot"], &[]),
    (&["va", "update"], &[]),
    (&["va", "parse"], &[]),
    (
        &["reassign"],
        &[
            Spec(
                "getAccessProfile",
                "v2024",
                GET,
                "/v2024/access-profiles/{id}",
            ),
            Spec("listAccessProfiles", "v2024", GET, "/v2024/access-profiles"),
            Spec("getEntitlement", "v2024", GET, "/v2024/entitlements/{id}"),
            Spec("listEntitlements", "v2024", GET, "/v2024/entitlements"),
            Spec("getWorkgroup", "v2024", GET, "/v2024/workgroups/{id}"),
            Spec("listWorkgroups", "v2024", GET, "/v2024/workgroups"),
            Spec("listIdentities", "v2024", GET, "/v2024/identities"),
            Spec(
                "getIdentityProfile",
                "v2024",
                GET,
                "/v2024/identity-profiles/{identity-profile-id}",
            ),
            Spec(
                "listIdentityProfiles",
                "v2024",
                GET,
                "/v2024/identity-profiles",
            ),
            Spec("getRole", "v2024", GET, "/v2024/roles/{id}"),
            Spec("listRoles", "v2024", GET, "/v2024/roles"),
            Spec("getSource", "v2024", GET, "/v2024/sources/{id}"),
            Spec("listSources", "v2024", GET, "/v2024/sources"),
            Spec("getWorkflow", "v2024", GET, "/v2024/workflows/{id}"),
            Spec("listWorkflows", "v2024", GET, "/v2024/workflows"),
        ],
    ),
    // `sail connectors …`: raw HTTP to endpoints in no spec.
    (
        &["connectors", "list"],
        &[
            Raw(GET, "/beta/platform-connectors"),
            Raw(GET, "/beta/platform-connectors/{}/tags"),
        ],
    ),
    (
        &["connectors", "get"],
        &[Raw(GET, "/beta/platform-connectors/{}")],
    ),
    (
        &["connectors", "create"],
        &[Raw(POST, "/beta/platform-connectors")],
    ),
    (
        &["connectors", "update"],
        &[Raw(PUT, "/beta/platform-connectors/{}")],
    ),
    (
        &["connectors", "delete"],
        &[Raw(DEL, "/beta/platform-connectors/{}")],
    ),
    (
        &["connectors", "versions"],
        &[Raw(GET, "/beta/platform-connectors/{}/versions")],
    ),
    (
        &["connectors", "upload"],
        &[
            Raw(GET, "/beta/platform-connectors/{}/tags/{}"),
            Raw(POST, "/beta/platform-connectors/{}/tags"),
            Raw(POST, "/beta/platform-connectors/{}/versions"),
            Raw(PUT, "/beta/platform-connectors/{}/tags/{}"),
        ],
    ),
    (
        &["connectors", "validate-sources"],
        &[Raw(GET, "/beta/platform-connectors")],
    ),
    (
        &["connectors", "invoke"],
        &[Raw(POST, "/beta/platform-connectors/{}/invoke")],
    ),
    (
        &["connectors", "logs"],
        &[Raw(POST, "/beta/platform-logs/query")],
    ),
    (
        &["connectors", "stats"],
        &[Raw(GET, "/beta/platform-logs/stats")],
    ),
    (
        &["connectors", "tags", "list"],
        &[Raw(GET, "/beta/platform-connectors/{}/tags")],
    ),
    (
        &["connectors", "tags", "create"],
        &[Raw(POST, "/beta/platform-connectors/{}/tags")],
    ),
    (
        &["connectors", "tags", "update"],
        &[Raw(PUT, "/beta/platform-connectors/{}/tags/{}")],
    ),
    (
        &["connectors", "customizers", "list"],
        &[Raw(GET, "/beta/connector-customizers")],
    ),
    (
        &["connectors", "customizers", "get"],
        &[Raw(GET, "/beta/connector-customizers/{}")],
    ),
    (
        &["connectors", "customizers", "create"],
        &[Raw(POST, "/beta/connector-customizers")],
    ),
    (
        &["connectors", "customizers", "update"],
        &[Raw(PUT, "/beta/connector-customizers/{}")],
    ),
    (
        &["connectors", "customizers", "delete"],
        &[Raw(DEL, "/beta/connector-customizers/{}")],
    ),
    (
        &["connectors", "customizers", "upload"],
        &[Raw(POST, "/beta/connector-customizers/{}/versions")],
    ),
    (
        &["connectors", "customizers", "link"],
        &[Raw(PATCH, "/beta/connector-instances/{}")],
    ),
    (
        &["connectors", "customizers", "unlink"],
        &[Raw(PATCH, "/beta/connector-instances/{}")],
    ),
    (
        &["connectors", "instances", "list"],
        &[Raw(GET, "/beta/connector-instances")],
    ),
];

/// Top-level commands that call no ISC API.
const LOCAL: &[&str] = &[
    "environment",
    "set",
    "sdk",
    "jsonpath",
    "sanitize",
    "help",
    "completion",
    "version",
    "init",
];

/// The canonical name of a command word at a depth of the command path.
fn canon(word: &str, depth: usize) -> String {
    let w = word.to_ascii_lowercase();
    let c = match (depth, w.as_str()) {
        (0, "a") => "api",
        (0, "transforms" | "tran" | "trans") => "transform",
        (0, "workflows" | "wf") => "workflow",
        (0, "conn" | "connector") => "connectors",
        (0, "rules") => "rule",
        (0, "clusters") => "cluster",
        (0, "env" | "environments") => "environment",
        (_, "ls") => "list",
        (_, "del" | "rm") => "delete",
        (_, "customizer") => "customizers",
        (_, "tag") => "tags",
        (_, "instance") => "instances",
        (_, "version") if depth > 0 => "versions",
        _ => return w,
    };
    c.to_string()
}

/// One argument word of a `sail` command: its literal text (when it has no expansion) and
/// its value.
pub struct Word {
    pub lit: Option<String>,
    pub value: Value,
    pub offset: usize,
}

/// What the `sail` commands of a file call: raw calls, and `sail api` sites whose endpoint
/// comes from a parameter of the enclosing function (followed to the callers as wrappers).
pub fn calls(cat: &Catalog, env: &Env, ctx: Context) -> (Vec<Site>, Vec<RawCall>) {
    let mut sites = Vec::new();
    let mut raws = Vec::new();
    let mut handle = |name: &str, offset: usize, main_tok: usize, words: Vec<Word>| {
        if name != "sail" {
            return;
        }
        command_calls(cat, &words, offset, main_tok, ctx, &mut sites, &mut raws);
    };
    match env.code.lang {
        Lang::Shell => shell::for_each_command(env, &mut |code, cmd, eval, main_tok| {
            if cmd.name != "sail" {
                return;
            }
            let words = cmd
                .args
                .iter()
                .map(|&w| Word {
                    lit: shell::literal(code, w),
                    value: eval(w),
                    offset: code.toks[w.0].start,
                })
                .collect();
            handle(&cmd.name, code.toks[cmd.tok].start, main_tok, words);
        }),
        Lang::PowerShell => {
            let code = env.code;
            for cmd in powershell::commands(code) {
                if cmd.name != "sail" {
                    continue;
                }
                let words = cmd
                    .args
                    .iter()
                    .map(|&w| {
                        let value = super::eval::powershell::eval_word(env, w, cmd.tok);
                        Word {
                            lit: value.as_literal(),
                            value,
                            offset: code.toks[w.0].start,
                        }
                    })
                    .collect();
                handle(&cmd.name, code.toks[cmd.tok].start, cmd.tok, words);
            }
        }
        _ => {}
    }
    (sites, raws)
}

fn is_option(w: &Word) -> bool {
    w.lit
        .as_deref()
        .is_some_and(|t| t.starts_with('-') && t.len() > 1)
}

/// `sail api` options that take a value.
const API_VALUE_OPTIONS: &[&str] = &[
    "-q",
    "--query",
    "-H",
    "--header",
    "--headers",
    "--body",
    "--body-file",
    "-b",
    "-f",
    "--file",
    "-o",
    "--output",
    "--env",
    "-e",
    "-c",
    "--content-type",
    "-j",
    "--jsonpath",
    "--pages",
    "--limit",
    "--offset",
];

/// `sail api` options without a value (and the CLI's global `--debug`).
const API_BOOL_OPTIONS: &[&str] = &["-p", "--pretty", "--all", "--debug", "-h", "--help"];

fn command_calls(
    cat: &Catalog,
    words: &[Word],
    offset: usize,
    main_tok: usize,
    ctx: Context,
    sites: &mut Vec<Site>,
    raws: &mut Vec<RawCall>,
) {
    // The command path: non-option words, options (and values that are not subcommands)
    // skipped.
    let mut path: Vec<String> = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let w = &words[k];
        if is_option(w) {
            let next_is_cmd = words.get(k + 1).is_some_and(|n| {
                n.lit
                    .as_deref()
                    .is_some_and(|t| is_child(&path, &canon(t, path.len())))
            });
            let attached = w.lit.as_deref().is_some_and(|t| t.contains('='));
            k += if attached || next_is_cmd || words.get(k + 1).is_none_or(is_option) {
                1
            } else {
                2
            };
            continue;
        }
        let Some(t) = &w.lit else { break };
        let c = canon(t, path.len());
        if path.first().is_some_and(|g| g == "api") {
            break;
        }
        if !is_child(&path, &c) {
            break;
        }
        path.push(c);
        k += 1;
    }
    let Some(group) = path.first().cloned() else {
        return;
    };
    if LOCAL.contains(&group.as_str()) {
        return;
    }
    if group == "api" {
        api_call(cat, words, k, &path, offset, main_tok, ctx, sites, raws);
        return;
    }
    // The longest table entry that is a prefix of the path.
    let entry = TABLE
        .iter()
        .filter(|(p, _)| p.len() <= path.len() && p.iter().zip(&path).all(|(a, b)| a == b))
        .max_by_key(|(p, _)| p.len());
    let Some((p, ops)) = entry else {
        // A known group with a subcommand the table does not know.
        if path.len() > 1 || words.iter().skip(k).any(|w| !is_option(w)) {
            let sub = words[k..]
                .iter()
                .find(|w| !is_option(w))
                .and_then(|w| w.lit.clone())
                .or_else(|| path.get(1).cloned())
                .unwrap_or_default();
            raws.push(
                RawCall::new(offset, None, Target::Unknown, Via::Cli).with_reason(format!(
                    "`sail {group} {sub}` is not a subcommand with known operations"
                )),
            );
        }
        return;
    };
    let cmd = format!("sail {}", p.join(" "));
    // A word the finder cannot read (`$FLAGS`, `@args`) may be any flag — unless it is the
    // value of the option before it (`--import "$ID"`).
    let opaque = words.iter().enumerate().any(|(i, w)| {
        w.lit.is_none()
            && !(i > 0
                && words[i - 1]
                    .lit
                    .as_deref()
                    .is_some_and(|t| t.starts_with('-') && t.len() > 1 && !t.contains('=')))
    });
    let wait = flag(words, &["--wait", "-w"]);
    let waits = matches!(p, ["spconfig", "export" | "import" | "template"]);
    for op in ops.iter() {
        // `spconfig status|download --import ID` / `--export ID`: only that side.
        if matches!(p, ["spconfig", "status" | "download"]) {
            let imp = flag(words, &["--import"]) != Flag::Absent;
            let exp = flag(words, &["--export"]) != Flag::Absent;
            let is_import = matches!(op, Spec(id, ..) if id.contains("Import"));
            if !opaque && imp != exp && imp != is_import {
                continue;
            }
        }
        // `spconfig export|import|template` start a job; only `--wait` polls its status
        // and downloads the result.
        let follows_job = matches!(op, Spec(id, ..) if id.starts_with("getSpConfig"));
        if waits && follows_job {
            match wait {
                Flag::Set => {}
                Flag::Absent if opaque => {
                    raws.push(op_call(cat, *op, offset, &cmd).with_reason(format!(
                        "called only with `--wait`, which an argument the finder cannot read may give to `{cmd}`"
                    )));
                    continue;
                }
                Flag::Absent => continue,
            }
        }
        raws.push(endpoint_override(
            op_call(cat, *op, offset, &cmd),
            *op,
            p,
            words,
            &cmd,
        ));
    }
    if let Some(f) = unknown_flag(p, words) {
        raws.push(
            RawCall::new(offset, None, Target::Unknown, Via::Cli).with_reason(format!(
                "`{cmd}` with `{f}`, a flag its source in the CLI does not define: a CLI version that has it may call other operations"
            )),
        );
    }
}

/// The flags of the commands whose operations depend on flags (read in the CLI's source):
/// another flag may be one a newer CLI has, with calls the finder does not know.
const KNOWN_FLAGS: &[(&[&str], &[&str])] = &[
    (
        &["spconfig", "export"],
        &[
            "-f",
            "--folderPath",
            "--description",
            "-i",
            "--include",
            "-e",
            "--exclude",
            "-o",
            "--objectOptions",
            "-w",
            "--wait",
        ],
    ),
    (
        &["spconfig", "import"],
        &["-f", "--filePath", "-p", "--folderPath", "-w", "--wait"],
    ),
    (
        &["spconfig", "template"],
        &["-f", "--folderPath", "-w", "--wait"],
    ),
    (
        &["spconfig", "download"],
        &["--import", "--export", "-f", "--folderPath"],
    ),
];

/// Flags every command takes.
const GLOBAL_FLAGS: &[&str] = &["-h", "--help", "--debug"];

/// The first flag of a flag-dependent command that its source does not define.
fn unknown_flag<'w>(p: &[&str], words: &'w [Word]) -> Option<&'w str> {
    let (_, known) = KNOWN_FLAGS.iter().find(|(c, _)| *c == p)?;
    words.iter().filter_map(|w| w.lit.as_deref()).find(|t| {
        let name = t.split_once('=').map_or(*t, |(n, _)| n);
        name.starts_with('-')
            && name.len() > 1
            && !known.contains(&name)
            && !GLOBAL_FLAGS.contains(&name)
    })
}

/// Whether a flag is given: `--wait`, `-w`, `--wait=true`; `--wait=false` is not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flag {
    Absent,
    Set,
}

fn flag(words: &[Word], names: &[&str]) -> Flag {
    for w in words {
        let Some(t) = w.lit.as_deref() else { continue };
        let (name, value) = match t.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (t, None),
        };
        if names.contains(&name) {
            return match value {
                Some(v) if v.eq_ignore_ascii_case("false") || v == "0" => Flag::Absent,
                _ => Flag::Set,
            };
        }
    }
    Flag::Absent
}

/// The value of an option that takes one (`--name V`, `--name=V`): `Some(None)` when the
/// option is given with a value the finder cannot read.
fn option_value(words: &[Word], names: &[&str]) -> Option<Option<String>> {
    for (i, w) in words.iter().enumerate() {
        let Some(t) = w.lit.as_deref() else { continue };
        if let Some((n, v)) = t.split_once('=')
            && names.contains(&n)
        {
            return Some(Some(v.to_string()));
        }
        if names.contains(&t) {
            return Some(words.get(i + 1).and_then(|n| n.lit.clone()));
        }
    }
    None
}

/// `sail connectors` options that replace the endpoint its subcommands call (persistent
/// flags of the CLI's `connectors` command), and the default each replaces.
const ENDPOINT_OPTIONS: &[(&[&str], &str)] = &[
    (&["--conn-endpoint", "-e"], "/beta/platform-connectors"),
    (&["--logs-endpoint"], "/beta/platform-logs/query"),
    (&["--stats-endpoint"], "/beta/platform-logs/stats"),
];

/// A raw `sail connectors` call whose endpoint an option replaces: the option's path when it
/// is a literal path, else an unknown endpoint with the reason.
fn endpoint_override(call: RawCall, op: OpRef, p: &[&str], words: &[Word], cmd: &str) -> RawCall {
    let Raw(method, path) = op else { return call };
    if p.first() != Some(&"connectors") {
        return call;
    }
    for (names, default) in ENDPOINT_OPTIONS {
        let Some(rest) = path.strip_prefix(default) else {
            continue;
        };
        let Some(value) = option_value(words, names) else {
            continue;
        };
        return match value {
            Some(v) if v.starts_with('/') && !v.contains(['$', '{', '`']) => {
                let url = format!("{}{rest}", v.trim_end_matches('/'));
                RawCall::new(call.offset, Some(method), Target::Url(url), Via::Cli).with_reason(
                    format!(
                        "endpoint not in spec — `{cmd}` calls the `{}` path given directly; scope unknown",
                        names[0]
                    ),
                )
            }
            _ => RawCall::new(call.offset, Some(method), Target::Unknown, Via::Cli).with_reason(
                format!(
                    "`{cmd}` with `{}`: the endpoint is the option's value, not known statically",
                    names[0]
                ),
            ),
        };
    }
    call
}

fn is_child(path: &[String], word: &str) -> bool {
    if path.is_empty() {
        return word == "api"
            || LOCAL.contains(&word)
            || TABLE.iter().any(|(p, _)| p[0] == word)
            || word == "connectors";
    }
    if path[0] == "api" {
        return false;
    }
    TABLE.iter().any(|(p, _)| {
        p.len() > path.len() && p.iter().zip(path).all(|(a, b)| a == b) && p[path.len()] == word
    })
}

fn op_call(cat: &Catalog, op: OpRef, offset: usize, cmd: &str) -> RawCall {
    match op {
        Spec(id, family, method, path) => {
            let found = cat
                .by_operation_id(id)
                .into_iter()
                .find(|&o| cat.op(o).family.as_ref() as &str == family)
                .or_else(|| cat.by_name(method, path));
            match found {
                Some(o) => RawCall::new(offset, Some(method), Target::Op(o), Via::Cli),
                None => RawCall::new(offset, Some(method), Target::Url(path.into()), Via::Cli)
                    .with_reason(format!(
                        "`{cmd}` calls {id} ({family}), which the catalog does not have"
                    )),
            }
        }
        Raw(method, path) => RawCall::new(offset, Some(method), Target::Url(path.into()), Via::Cli)
            .with_reason(format!(
                "endpoint not in spec — `{cmd}` calls it directly; scope unknown"
            )),
    }
}

#[allow(clippy::too_many_arguments)]
fn api_call(
    cat: &Catalog,
    words: &[Word],
    from: usize,
    path: &[String],
    offset: usize,
    main_tok: usize,
    ctx: Context,
    sites: &mut Vec<Site>,
    raws: &mut Vec<RawCall>,
) {
    let _ = path;
    // `sail api <verb> [options] <endpoint> [options]`.
    let mut verb: Option<Method> = None;
    let mut endpoint: Option<&Word> = None;
    let mut header: Option<bool> = Some(false);
    // An option the CLI's `sail api` does not have, before the endpoint: the word after it
    // may be its value or the endpoint.
    let mut unknown_option: Option<String> = None;
    let mut k = from;
    while k < words.len() {
        let w = &words[k];
        if is_option(w) {
            let t = w.lit.as_deref().unwrap_or("");
            let (name, attached) = match t.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (t, None),
            };
            let takes = attached.is_none() && API_VALUE_OPTIONS.contains(&name);
            if endpoint.is_none()
                && !API_VALUE_OPTIONS.contains(&name)
                && !API_BOOL_OPTIONS.contains(&name)
            {
                unknown_option.get_or_insert_with(|| name.to_string());
            }
            if matches!(name, "-H" | "--header" | "--headers") {
                let v = attached.or_else(|| words.get(k + 1).and_then(|n| n.lit.clone()));
                match v {
                    Some(v) if v.to_ascii_lowercase().contains("x-sailpoint-experimental") => {
                        header = Some(true)
                    }
                    None if header == Some(false) => header = None,
                    _ => {}
                }
            }
            k += if takes { 2 } else { 1 };
            continue;
        }
        if verb.is_none() {
            let v = w.lit.as_deref().map(str::to_ascii_lowercase);
            verb = match v.as_deref() {
                Some("get" | "g") => Some(Method::Get),
                Some("post") => Some(Method::Post),
                Some("put") => Some(Method::Put),
                Some("patch") => Some(Method::Patch),
                Some("delete" | "del") => Some(Method::Delete),
                _ => return,
            };
        } else if endpoint.is_none() {
            endpoint = Some(w);
        }
        k += 1;
    }
    let Some(method) = verb else { return };
    let Some(ep) = endpoint else {
        raws.push(
            RawCall::new(offset, Some(method), Target::Unknown, Via::Cli)
                .with_reason("`sail api` without an endpoint"),
        );
        return;
    };
    let _ = ep.offset;
    if let Some(o) = unknown_option {
        raws.push(
            RawCall::new(offset, Some(method), Target::Unknown, Via::Cli).with_reason(format!(
                "`sail api` option `{o}` is not one the CLI is known to take: the endpoint may be its value or the next word"
            )),
        );
        return;
    }
    if !param_holes(&ep.value).is_empty() {
        sites.push(Site {
            offset,
            tok: main_tok,
            url: ep.value.clone(),
            method: MethodSpec::Known(method),
            via: Via::Cli,
            experimental_header: header,
        });
        return;
    }
    // The endpoint is appended to the tenant's base URL: an ISC call whatever the file says.
    let ctx = Context {
        isc: true,
        project: ctx.project,
    };
    let mut found = raw_calls(cat, &ep.value, offset, Some(method), Via::Cli, ctx);
    for r in &mut found {
        r.experimental_header = header;
    }
    if found.is_empty() {
        found.push(
            RawCall::new(offset, Some(method), Target::Unknown, Via::Cli)
                .with_reason("the `sail api` endpoint is not known statically"),
        );
    }
    raws.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::code::Code;
    use crate::discover::eval::Project;

    fn ops(src: &str, lang: Lang) -> Vec<String> {
        let cat = Catalog::embedded();
        let code = Code::new(src, lang);
        let p = Project::default();
        let env = Env::new(&code, &p);
        let ctx = Context {
            isc: true,
            project: true,
        };
        let (_, raws) = calls(cat, &env, ctx);
        raws.iter()
            .map(|r| match &r.target {
                Target::Op(o) => cat.op(*o).name(),
                Target::Url(u) => format!("{} {u}", r.method.map_or("?", |m| m.as_str())),
                Target::Ops(_) => "ops".into(),
                Target::Unknown => "unknown".into(),
            })
            .collect()
    }

    #[test]
    fn every_table_operation_is_in_the_catalog() {
        let cat = Catalog::embedded();
        for (p, list) in TABLE {
            for op in list.iter() {
                if let Spec(id, family, ..) = op {
                    let r = op_call(cat, *op, 0, &p.join(" "));
                    assert!(
                        matches!(r.target, Target::Op(_)),
                        "{id} ({family}) of {p:?} not found"
                    );
                }
            }
        }
    }

    #[test]
    fn subcommands_map_to_operations() {
        assert_eq!(
            ops("sail transform list\n", Lang::Shell),
            ["GET /v3/transforms"]
        );
        assert_eq!(
            ops("sail --debug wf create -f wf.json\n", Lang::Shell),
            ["POST /beta/workflows"]
        );
        assert_eq!(
            ops("sail spconfig status --import abc\n", Lang::Shell),
            ["GET /beta/sp-config/import/{id}"]
        );
        assert_eq!(
            ops("sail api get /v3/sources -q limit=10\n", Lang::Shell),
            ["GET /v3/sources"]
        );
        assert_eq!(
            ops("sail conn customizers list\n", Lang::Shell),
            ["GET /beta/connector-customizers"]
        );
        assert_eq!(
            ops(
                "sail api patch \"/beta/accounts/$ID\" --body '[]'\n",
                Lang::PowerShell
            ),
            ["PATCH /beta/accounts/{}"]
        );
        // No ISC API, or not SailPoint's `sail`.
        assert!(ops("sail environment create\nsail set pat\nsail up -d\nsail artisan migrate\necho sail transform list\n", Lang::Shell).is_empty());
        assert_eq!(ops("sail transform frobnicate\n", Lang::Shell), ["unknown"]);
    }
}
