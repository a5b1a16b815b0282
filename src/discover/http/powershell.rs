//! Hand-written HTTP in PowerShell: `Invoke-RestMethod` / `Invoke-WebRequest` (and `irm`,
//! `iwr`) with named (abbreviable, case-insensitive, `-Name:value`), positional and splatted
//! (`@params`) parameters; `[System.Net.WebRequest]::Create(...)`; `HttpClient` verbs
//! (`$client.GetAsync($url)`); and project functions wrapping them (followed to their callers
//! through [`invocations`]).

use super::super::call::Via;
use super::super::code::Code;
use super::super::eval::Env;
use super::super::eval::powershell::eval_word;
use super::super::frontend::{Invocation, MethodSpec, Site, experimental_header};
use super::super::http::shell;
use super::super::lex::Tok;
use super::super::value::{Piece, Value, substitute};
use crate::catalog::Method;
use std::cell::RefCell;
use std::collections::HashMap;

/// One argument of a command.
#[derive(Clone, Debug)]
pub enum Arg {
    /// `-Name` (the name without `-`), with a value attached by `:` (`-Uri:$u`).
    Param {
        name: String,
        tok: usize,
        attached: Option<(usize, usize)>,
    },
    /// A value word (token range).
    Word((usize, usize)),
    /// `@name` (splatting a hashtable or array).
    Splat(String),
}

/// Whether token `i` starts a command (the first word of a pipeline element or statement).
pub fn command_start(code: &Code, i: usize) -> bool {
    if i == 0 {
        return true;
    }
    match code.tok(i - 1) {
        Some(Tok::Newline) => true,
        // `function F { param($Id) Invoke-Thing ... }` on one line.
        Some(Tok::Punct(")")) => code
            .partner
            .get(i - 1)
            .and_then(|&o| o.checked_sub(1))
            .and_then(|k| code.ident(k))
            .is_some_and(|w| w.eq_ignore_ascii_case("param")),
        // `. ./helpers.ps1` (dot-sourcing) starts a command; the `.` of a member access
        // (`$a.b`, written against the name before it) does not.
        Some(Tok::Punct(".")) => i < 2 || code.toks[i - 2].end < code.toks[i - 1].start,
        // `$x = Invoke-X …`: the right side of an assignment statement (not an `=` among a
        // command's arguments: `Write-Host a = b`).
        Some(Tok::Punct("=" | "+=")) => assignment_statement(code, i - 1),
        Some(Tok::Punct(p)) => matches!(*p, ";" | "|" | "(" | "{" | "&&" | "||" | "&"),
        Some(Tok::Ident(w)) => {
            let w = w.to_ascii_lowercase();
            matches!(w.as_str(), "return" | "throw" | "-and" | "-or" | "-not")
        }
        _ => false,
    }
}

/// Whether the `=` at `eq` assigns to a variable at the start of a statement: `$x = `,
/// `$cfg.Url = `, `$a[0] = `, `[string]$x = `.
fn assignment_statement(code: &Code, eq: usize) -> bool {
    let mut k = eq;
    // Back over `.Prop` and `[index]` to the variable.
    loop {
        if k == 0 {
            return false;
        }
        match code.tok(k - 1) {
            Some(Tok::Var(_)) => {
                k -= 1;
                break;
            }
            Some(Tok::Ident(_)) if k >= 2 && code.is_punct(k - 2, ".") => k -= 2,
            Some(Tok::Punct("]")) => match code.partner.get(k - 1) {
                Some(&o) if o < k - 1 => k = o,
                _ => return false,
            },
            _ => return false,
        }
    }
    // Casts before the variable: `[string]$x`.
    while k > 0 && code.is_punct(k - 1, "]") {
        match code.partner.get(k - 1) {
            Some(&o) if o < k - 1 => k = o,
            _ => return false,
        }
    }
    k == 0
        || matches!(
            code.tok(k - 1),
            Some(Tok::Newline | Tok::Punct(";" | "{" | "(" | "|" | "&&" | "||"))
        )
}

fn adjacent(code: &Code, i: usize) -> bool {
    i + 1 < code.len() && code.toks[i].end == code.toks[i + 1].start
}

/// The end (exclusive) of the command whose name is at `i`.
pub fn command_end(code: &Code, i: usize) -> usize {
    let end = command_end_unmetered(code, i);
    crate::discover::budget::spend(end.saturating_sub(i) as u64 + 1);
    end
}

fn command_end_unmetered(code: &Code, i: usize) -> usize {
    let mut k = i + 1;
    while k < code.len() {
        match code.tok(k) {
            Some(Tok::Newline) => return k,
            Some(Tok::Punct(";" | "|" | "||" | "&&" | ")" | "}" | "]")) => return k,
            Some(Tok::Punct("(" | "[" | "{")) => {
                k = code.close_of(k).map_or(code.len(), |c| c + 1);
                continue;
            }
            _ => {}
        }
        k += 1;
    }
    k
}

/// The end (exclusive) of the argument word starting at `k` (adjacent tokens; groups whole).
pub fn word_end(code: &Code, k: usize, end: usize) -> usize {
    let mut e = k;
    loop {
        let group = |x: usize| matches!(code.tok(x), Some(Tok::Punct("(" | "[" | "{")));
        if group(e) {
            e = code.close_of(e).map_or(end, |c| c + 1);
        } else if matches!(code.tok(e), Some(Tok::Punct("$" | "@")))
            && adjacent(code, e)
            && group(e + 1)
        {
            e = code.close_of(e + 1).map_or(end, |c| c + 1);
        } else {
            e += 1;
        }
        if e >= end
            || !adjacent(code, e - 1)
            || matches!(
                code.tok(e),
                Some(Tok::Punct("," | ";" | "|" | ")" | "}" | "]")) | Some(Tok::Newline)
            )
        {
            return e.min(end);
        }
    }
}

/// The arguments of the command named at `i`, up to `end`.
pub fn args(code: &Code, i: usize, end: usize) -> Vec<Arg> {
    let mut out = Vec::new();
    let mut k = i + 1;
    while k < end {
        match code.tok(k) {
            Some(Tok::Punct(",")) => {
                k += 1;
                continue;
            }
            Some(Tok::Ident(w))
                if w.starts_with('-') && w[1..].starts_with(|c: char| c.is_ascii_alphabetic()) =>
            {
                let name = w[1..].to_string();
                if code.is_punct(k + 1, ":") && adjacent(code, k) && adjacent(code, k + 1) {
                    let e = word_end(code, k + 2, end);
                    out.push(Arg::Param {
                        name,
                        tok: k,
                        attached: Some((k + 2, e)),
                    });
                    k = e;
                } else {
                    out.push(Arg::Param {
                        name,
                        tok: k,
                        attached: None,
                    });
                    k += 1;
                }
                continue;
            }
            Some(Tok::Punct("@")) if adjacent(code, k) => {
                if let Some(n) = code.ident(k + 1) {
                    out.push(Arg::Splat(n.to_string()));
                    k += 2;
                    continue;
                }
            }
            _ => {}
        }
        let e = word_end(code, k, end).max(k + 1);
        out.push(Arg::Word((k, e)));
        k = e;
    }
    out
}

/// What a parameter of `Invoke-RestMethod`/`Invoke-WebRequest` is, by its (abbreviable,
/// case-insensitive) name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IrmParam {
    Uri,
    Method,
    CustomMethod,
    Headers,
    Body,
    Switch,
    Value,
}

const IRM_SWITCHES: &[&str] = &[
    "usebasicparsing",
    "usedefaultcredentials",
    "passthru",
    "disablekeepalive",
    "skipcertificatecheck",
    "followrellink",
    "skipheadervalidation",
    "skiphttperrorcheck",
    "preserveauthorizationonredirect",
    "allowunencryptedauthentication",
    "allowinsecureredirect",
    "resume",
    "noproxy",
    "preservehttpmethodonredirect",
    "proxyusedefaultcredentials",
    "verbose",
    "debug",
    "whatif",
    "confirm",
];

fn irm_param(name: &str) -> IrmParam {
    let n = name.to_ascii_lowercase();
    let pre = |full: &str, min: usize| n.len() >= min && full.starts_with(&n);
    if pre("uri", 1) {
        IrmParam::Uri
    } else if pre("method", 1) {
        IrmParam::Method
    } else if pre("headers", 1) {
        IrmParam::Headers
    } else if pre("body", 1) {
        IrmParam::Body
    } else if pre("custommethod", 2) {
        IrmParam::CustomMethod
    } else if IRM_SWITCHES
        .iter()
        .any(|s| *s == n || n.len() >= 4 && s.starts_with(&n))
    {
        IrmParam::Switch
    } else {
        IrmParam::Value
    }
}

const IRM_NAMES: &[&str] = &["invoke-restmethod", "invoke-webrequest", "irm", "iwr"];

/// What a request call's arguments say.
#[derive(Default)]
struct Bound {
    url: Option<Value>,
    url_tok: Option<usize>,
    method: Option<MethodSpec>,
    headers: Vec<(usize, usize)>,
}

/// A method from a word: `Get`, `'POST'`, `$method`,
/// `[Microsoft.PowerShell.Commands.WebRequestMethod]::Delete`.
fn method_word(env: &Env, w: (usize, usize), at: usize) -> MethodSpec {
    let code = env.code;
    let text = &code.src[code.toks[w.0].start..code.toks[w.1 - 1].end];
    if let Some(i) = text.rfind("::") {
        let m = text[i + 2..].trim_matches(|c: char| !c.is_ascii_alphabetic());
        return Method::parse(m).map_or(MethodSpec::Unknown, MethodSpec::Known);
    }
    shell::method_value(&eval_word(env, w, at))
}

/// Hashtable entries splatted with `@name`: (key, assignment name, value range).
fn splat_entries(env: &Env, var: &str, at: usize) -> Vec<(String, String, (usize, usize))> {
    let prefix = format!("{}.", var.to_ascii_lowercase());
    let func = env.code.enclosing_fn(at);
    let mut out: Vec<(String, String, (usize, usize))> = Vec::new();
    for a in env.assigns {
        let lower = a.name.to_ascii_lowercase();
        let Some(key) = lower.strip_prefix(&prefix) else {
            continue;
        };
        if key.contains('.') || (a.func.is_some() && a.func != func) {
            continue;
        }
        let key = a.name[prefix.len()..].to_string();
        out.retain(|(k, _, _)| !k.eq_ignore_ascii_case(&key) || a.tok > at);
        if !out.iter().any(|(k, _, _)| k.eq_ignore_ascii_case(&key)) {
            out.push((key, a.name.clone(), a.rhs));
        }
    }
    // `$splat.Add('Url', $url)` before the call, in the same function: no assignment name
    // (the value is read from its range).
    // Looked for in the function (or the 4,096 tokens) before the call: bounded work per call.
    let code = env.code;
    let from = func
        .map_or(0, |f| code.fns[f].body.0)
        .max(at.saturating_sub(4096));
    for k in from..at.min(code.len()) {
        let is_var = matches!(code.tok(k), Some(Tok::Var(v)) if v.eq_ignore_ascii_case(var));
        if !is_var
            || !code.is_punct(k + 1, ".")
            || !code
                .ident(k + 2)
                .is_some_and(|m| m.eq_ignore_ascii_case("Add"))
            || !code.is_punct(k + 3, "(")
            || code.enclosing_fn(k) != func
        {
            continue;
        }
        let args = code.args(k + 3);
        let [key, value] = args.as_slice() else {
            continue;
        };
        let Some(Tok::Str(s)) = code.tok(key.0).filter(|_| key.1 == key.0 + 1) else {
            continue;
        };
        let Some(key) = s.plain() else { continue };
        out.retain(|(k, _, _)| !k.eq_ignore_ascii_case(&key));
        out.push((key, String::new(), *value));
    }
    out
}

fn bind_irm(env: &Env, i: usize, args: &[Arg]) -> Bound {
    let code = env.code;
    let mut b = Bound::default();
    let mut k = 0;
    while k < args.len() {
        match &args[k] {
            Arg::Param { name, attached, .. } => {
                let kind = irm_param(name);
                if kind == IrmParam::Switch {
                    k += 1;
                    continue;
                }
                let value = match attached {
                    Some(r) => Some(*r),
                    None => match args.get(k + 1) {
                        Some(Arg::Word(r)) => {
                            k += 1;
                            Some(*r)
                        }
                        _ => None,
                    },
                };
                k += 1;
                let Some(r) = value else { continue };
                match kind {
                    IrmParam::Uri => {
                        b.url = Some(eval_word(env, r, i));
                        b.url_tok = Some(r.0);
                    }
                    IrmParam::Method | IrmParam::CustomMethod => {
                        b.method = Some(method_word(env, r, i))
                    }
                    IrmParam::Headers => b.headers.push(r),
                    _ => {}
                }
            }
            Arg::Word(r) => {
                if b.url.is_none() {
                    b.url = Some(eval_word(env, *r, i));
                    b.url_tok = Some(r.0);
                }
                k += 1;
            }
            Arg::Splat(var) => {
                for (key, name, rhs) in splat_entries(env, var, i) {
                    match irm_param(&key) {
                        IrmParam::Uri if b.url.is_none() => {
                            b.url = Some(if name.is_empty() {
                                env.eval(rhs, i)
                            } else {
                                env.lookup(&name, i)
                            });
                            // Where the hashtable names the URL.
                            b.url_tok = Some(code.skip_newlines(rhs.0, rhs.1).min(code.len() - 1));
                        }
                        IrmParam::Method | IrmParam::CustomMethod if b.method.is_none() => {
                            let text = &code.src[code.toks[rhs.0].start
                                ..code.toks[rhs.1.saturating_sub(1).max(rhs.0)].end];
                            b.method = Some(if text.contains("::") {
                                method_word(env, rhs, i)
                            } else if name.is_empty() {
                                shell::method_value(&env.eval(rhs, i))
                            } else {
                                shell::method_value(&env.lookup(&name, i))
                            });
                        }
                        IrmParam::Headers => b.headers.push(rhs),
                        _ => {}
                    }
                }
                k += 1;
            }
        }
    }
    b
}

pub fn sites(env: &Env, project_has_header: bool) -> Vec<Site> {
    let code = env.code;
    let mut out = Vec::new();
    for i in 0..code.len() {
        let Some(name) = code.ident(i) else { continue };
        let lower = name.to_ascii_lowercase();
        let alias = matches!(lower.as_str(), "curl" | "wget") && irm_style(code, i);
        if (IRM_NAMES.contains(&lower.as_str()) || alias) && command_start(code, i) {
            let end = command_end(code, i);
            let args = args(code, i, end);
            let b = bind_irm(env, i, &args);
            let (Some(url), Some(ut)) = (b.url, b.url_tok) else {
                continue;
            };
            if url.is_empty() {
                continue;
            }
            let header = header_of(env, &b.headers, project_has_header);
            out.push(Site {
                offset: code.toks[ut].start,
                tok: i,
                url,
                method: b.method.unwrap_or(MethodSpec::Known(Method::Get)),
                via: Via::Http,
                experimental_header: header,
            });
            continue;
        }
        out.extend(dotnet_site(env, i, project_has_header));
    }
    // `curl.exe` / `curl` / `wget` with their own option syntax (in Windows PowerShell 5.1
    // `curl` and `wget` are aliases of Invoke-WebRequest: those are read above when their
    // arguments are Invoke-WebRequest parameters).
    for cmd in commands(code) {
        if !matches!(cmd.name.to_ascii_lowercase().as_str(), "curl" | "wget")
            || irm_style(code, cmd.tok)
        {
            continue;
        }
        let eval = |w: (usize, usize)| eval_word(env, w, cmd.tok);
        out.extend(shell::command_sites(
            env,
            code,
            &cmd,
            &eval,
            cmd.tok,
            project_has_header,
        ));
    }
    out
}

/// Whether the command at `i` (`curl`, `wget`) is given Invoke-WebRequest parameters.
fn irm_style(code: &Code, i: usize) -> bool {
    const NAMES: &[&str] = &[
        "uri",
        "method",
        "headers",
        "body",
        "usebasicparsing",
        "outfile",
        "contenttype",
        "infile",
        "credential",
        "websession",
        "sessionvariable",
        "timeoutsec",
        "custommethod",
        "useragent",
    ];
    args(code, i, command_end(code, i)).iter().any(|a| {
        matches!(a, Arg::Param { name, .. } if NAMES.contains(&name.to_ascii_lowercase().as_str()))
    })
}

fn header_of(env: &Env, headers: &[(usize, usize)], project_has_header: bool) -> Option<bool> {
    for &h in headers {
        if experimental_header(env.code, Some(h), Some(env), false) == Some(true) {
            return Some(true);
        }
    }
    experimental_header(env.code, None, Some(env), project_has_header)
}

/// .NET clients from PowerShell: `[System.Net.WebRequest]::Create($url)` (method from
/// `$req.Method = 'POST'`), `[System.Net.HttpWebRequest]::Create`, and `HttpClient` verbs
/// `$client.GetAsync($url)` / `PostAsync` / `PutAsync` / `PatchAsync` / `DeleteAsync` /
/// `GetStringAsync`, `WebClient.DownloadString($url)` / `UploadString($url, 'POST', $b)`.
fn dotnet_site(env: &Env, i: usize, project_has_header: bool) -> Option<Site> {
    let code = env.code;
    let name = code.ident(i)?;
    if !code.is_punct(i + 1, "(") || i == 0 {
        return None;
    }
    let lname = name.to_ascii_lowercase();
    let call_args = code.args(i + 1);
    let first = *call_args.first()?;
    let (method, url_r) =
        if lname == "create" && code.is_punct(i - 1, "::") && code.is_punct(i - 2, "]") {
            let open = code.close_of(i - 2)?;
            let ty = code.src[code.toks[open].end..code.toks[i - 2].start].to_ascii_lowercase();
            if !(ty.ends_with("webrequest") || ty.ends_with("httpwebrequest")) {
                return None;
            }
            // `$req = [System.Net.WebRequest]::Create($u)` then `$req.Method = "POST"`.
            let mut m = MethodSpec::Known(Method::Get);
            if let Some(var) = assigned_var(code, open) {
                let v = env.lookup(&format!("{var}.Method"), code.len() - 1);
                if !v.has_hole(&format!("{var}.Method")) {
                    m = shell::method_value(&v);
                }
            }
            (m, first)
        } else if code.is_punct(i - 1, ".") {
            let m = match lname.as_str() {
                "getasync" | "getstringasync" | "getbytearrayasync" | "getstreamasync"
                | "downloadstring" | "downloaddata" | "downloadfile" => Method::Get,
                "postasync" => Method::Post,
                "putasync" => Method::Put,
                "patchasync" => Method::Patch,
                "deleteasync" => Method::Delete,
                "uploadstring" | "uploaddata" => call_args
                    .get(1)
                    .filter(|_| call_args.len() == 3)
                    .and_then(|r| env.eval(*r, i).as_literal())
                    .and_then(|s| Method::parse(&s))
                    .unwrap_or(Method::Post),
                _ => return None,
            };
            (MethodSpec::Known(m), first)
        } else {
            return None;
        };
    let url = env.eval(url_r, i);
    if url.is_empty() {
        return None;
    }
    Some(Site {
        offset: code.toks[code.skip_newlines(url_r.0, url_r.1)].start,
        tok: i,
        url,
        method,
        via: Via::Http,
        experimental_header: experimental_header(code, None, Some(env), project_has_header),
    })
}

/// `$x = <expr at k>`: the variable name.
fn assigned_var(code: &Code, k: usize) -> Option<String> {
    if k >= 2
        && code.is_punct(k - 1, "=")
        && let Some(Tok::Var(v)) = code.tok(k - 2)
    {
        return Some(v.to_string());
    }
    None
}

/// Whether each of `params` is declared `[switch]` in the file (`[switch]$Force`: a flag,
/// takes no value). One pass over the file, whatever the number of parameters.
fn switches(code: &Code, params: &[String]) -> Vec<bool> {
    let mut out = vec![false; params.len()];
    for k in 3..code.len() {
        if let Some(Tok::Var(v)) = code.tok(k)
            && code.is_punct(k - 1, "]")
            && code
                .ident(k - 2)
                .is_some_and(|s| s.eq_ignore_ascii_case("switch"))
        {
            for (x, p) in params.iter().enumerate() {
                out[x] |= v.eq_ignore_ascii_case(p);
            }
        }
    }
    out
}

/// Where the command `name` is called under another name in the file: an alias
/// (`Set-Alias -Name isc -Value Name`, `New-Alias isc Name`) called as a command, or a variable
/// holding it (`$c = Get-Command Name`) called with `& $c`. `at`: where `name` is written.
fn renamed_calls(code: &Code, name: &str, at: &[usize]) -> Vec<usize> {
    let mut aliases: Vec<String> = Vec::new();
    let mut vars: Vec<String> = Vec::new();
    let word_text = |r: (usize, usize)| -> Option<String> {
        match code.tok(r.0)? {
            Tok::Ident(w) if r.1 == r.0 + 1 => Some(w.to_string()),
            Tok::Str(s) if r.1 == r.0 + 1 => s.plain(),
            _ => None,
        }
    };
    for &i in at {
        if !code.ident(i).is_some_and(|s| s.eq_ignore_ascii_case(name)) || command_start(code, i) {
            continue;
        }
        // The command this word is an argument of (back to the statement's first word).
        let mut j = i;
        while j > 0 && !command_start(code, j) && i - j < 64 {
            j -= 1;
        }
        crate::discover::budget::spend((i - j) as u64);
        let Some(cmd) = code.ident(j).map(str::to_ascii_lowercase) else {
            continue;
        };
        match cmd.as_str() {
            "set-alias" | "new-alias" | "sal" | "nal" => {
                let a = args(code, j, command_end(code, j));
                let (mut alias, mut value) = (None, None);
                let mut free: Vec<(usize, usize)> = Vec::new();
                let mut k = 0;
                while k < a.len() {
                    match &a[k] {
                        Arg::Param { name: n, .. } => {
                            let n = n.to_ascii_lowercase();
                            if let Some(Arg::Word(r)) = a.get(k + 1) {
                                if "name".starts_with(&n) {
                                    alias = Some(*r);
                                } else if "value".starts_with(&n) {
                                    value = Some(*r);
                                }
                                k += 1;
                            }
                        }
                        Arg::Word(r) => free.push(*r),
                        Arg::Splat(_) => {}
                    }
                    k += 1;
                }
                let mut free = free.into_iter();
                let alias = alias.or_else(|| free.next());
                let value = value.or_else(|| free.next());
                if let (Some(al), Some(v)) = (alias, value)
                    && v.0 <= i
                    && i < v.1
                    && let Some(t) = word_text(al)
                {
                    aliases.push(t);
                }
            }
            "get-command" | "gcm" => {
                if j >= 2
                    && code.is_punct(j - 1, "=")
                    && let Some(Tok::Var(v)) = code.tok(j - 2)
                {
                    vars.push(v.to_string());
                }
            }
            _ => {}
        }
    }
    if aliases.is_empty() && vars.is_empty() {
        return Vec::new();
    }
    crate::discover::budget::spend(code.len() as u64);
    (0..code.len())
        .filter(|&k| match code.tok(k) {
            Some(Tok::Ident(w)) => {
                aliases.iter().any(|a| a.eq_ignore_ascii_case(w))
                    && command_start(code, k)
                    && !code.is_fn_name(k)
            }
            Some(Tok::Var(v)) => {
                k > 0 && code.is_punct(k - 1, "&") && vars.iter().any(|x| x.eq_ignore_ascii_case(v))
            }
            _ => false,
        })
        .collect()
}

/// Whether `@var` splats a hashtable whose entries are all in view at token `at`: every
/// assignment of `$var` that reaches it is a hashtable literal (`@{…}`, `[ordered]@{…}`),
/// and there is one (`@args`, `@PSBoundParameters`, a parameter or a function's result are
/// not in view).
fn hashtable_in_view(env: &Env, var: &str, at: usize) -> bool {
    let code = env.code;
    let name = var.trim_start_matches('$');
    if name.eq_ignore_ascii_case("args") || name.eq_ignore_ascii_case("PSBoundParameters") {
        return false;
    }
    let ids = env.reaching_assigns(name, at);
    !ids.is_empty()
        && ids.iter().all(|&x| {
            let (mut k, b) = env.assigns[x].rhs;
            k = code.skip_newlines(k, b);
            while k < b && code.is_punct(k, "[") {
                k = code.close_of(k).map_or(b, |c| c + 1);
            }
            code.is_punct(k, "@") && code.is_punct(k + 1, "{")
        })
}

/// Resolves a (possibly abbreviated) parameter name to a declared one.
fn param_name<'p>(params: &'p [String], given: &str) -> Option<&'p String> {
    if let Some(p) = params.iter().find(|p| p.eq_ignore_ascii_case(given)) {
        return Some(p);
    }
    let g = given.to_ascii_lowercase();
    let mut m = params
        .iter()
        .filter(|p| p.to_ascii_lowercase().starts_with(&g));
    match (m.next(), m.next()) {
        (Some(p), None) => Some(p),
        _ => None,
    }
}

/// Calls of a PowerShell function: `Name -Path "/v3/x" -Method Post`, `Name "/v3/x"`,
/// `Name @params`, `Name("/v3/x", "GET")`. Every bound argument is returned by its declared
/// parameter name (abbreviations resolved, positionals bound in declaration order).
pub fn invocations(env: &Env, name: &str, params: &[String]) -> Vec<Invocation> {
    let code = env.code;
    let at: Vec<usize> = (0..code.len())
        .filter(|&i| code.ident(i).is_some_and(|s| s.eq_ignore_ascii_case(name)))
        .collect();
    invocations_at(env, name, params, &at)
}

/// [`invocations`] at the identifier tokens `at` (those that spell `name`, ascending).
pub fn invocations_at(env: &Env, name: &str, params: &[String], at: &[usize]) -> Vec<Invocation> {
    let code = env.code;
    let mut out = Vec::new();
    let mut starts: Vec<usize> = at
        .iter()
        .copied()
        .filter(|&i| {
            code.ident(i).is_some_and(|s| s.eq_ignore_ascii_case(name))
                && command_start(code, i)
                && !code.is_fn_name(i)
        })
        .collect();
    starts.extend(renamed_calls(code, name, at));
    starts.sort_unstable();
    starts.dedup();
    if starts.is_empty() {
        return out;
    }
    let switches = switches(code, params);
    for i in starts {
        let end = command_end(code, i);
        let mut a = args(code, i, end);
        // `Name("/v3/x", "GET")`: one parenthesised list.
        if let [Arg::Word((s, e))] = a.as_slice()
            && code.is_punct(*s, "(")
            && code.close_of(*s) == Some(e - 1)
        {
            a = code.args(*s).into_iter().map(Arg::Word).collect();
        }
        let mut named: Vec<(String, (usize, usize))> = Vec::new();
        let mut positional = Vec::new();
        let mut opaque = false;
        let mut k = 0;
        while k < a.len() {
            match &a[k] {
                Arg::Param {
                    name,
                    attached,
                    tok,
                } => {
                    let p = param_name(params, name);
                    let sw = p
                        .and_then(|p| params.iter().position(|q| q == p))
                        .is_some_and(|x| switches[x]);
                    let value = match (attached, sw) {
                        (Some(r), _) => Some(*r),
                        // A switch given (`-Beta`): bound, its value the flag itself.
                        (None, true) => Some((*tok, *tok + 1)),
                        (None, false) => match a.get(k + 1) {
                            Some(Arg::Word(r)) => {
                                k += 1;
                                Some(*r)
                            }
                            // No value after it: a switch declared elsewhere (`-All`), bound.
                            _ => Some((*tok, *tok + 1)),
                        },
                    };
                    if let (Some(p), Some(r)) = (p, value) {
                        named.push((p.clone(), r));
                    }
                }
                Arg::Word(r) => positional.push(*r),
                Arg::Splat(var) => {
                    opaque |= !hashtable_in_view(env, var, i);
                    for (key, _, rhs) in splat_entries(env, var, i) {
                        if let Some(p) = param_name(params, &key) {
                            named.push((p.clone(), rhs));
                        }
                    }
                }
            }
            k += 1;
        }
        // Positional arguments bind to the parameters not bound by name, in order.
        let free: Vec<String> = params
            .iter()
            .enumerate()
            .filter(|(x, p)| !switches[*x] && !named.iter().any(|(n, _)| n == *p))
            .map(|(_, p)| p.clone())
            .collect();
        let mut free = free.into_iter();
        for r in positional {
            match free.next() {
                Some(p) => named.push((p, r)),
                None => break,
            }
        }
        out.push(Invocation {
            tok: i,
            positional: Vec::new(),
            named,
            opaque,
        });
    }
    out
}

/// How many functions deep [`script_scope_values`] follows a parameter to its callers.
const SETTLE_DEPTH: usize = 4;

/// The script-scoped state of a PowerShell module, as project constants: what functions
/// assign to `$script:X` / `$global:X` (and the properties of a hashtable or object assigned
/// there, `X.Version`), and what each function returns (`psfn:<name>`, the getter of a base
/// URL; `psfn:<name>.Prop` for the properties of a returned object). A parameter in those
/// values is settled to every value the module gives it: its default and what each caller
/// passes (followed up to [`SETTLE_DEPTH`] functions); one the module never gives a value
/// stays a hole named after it, so the request that uses it stays unresolved.
pub fn script_scope_values(envs: &[&Env]) -> Vec<(String, Value)> {
    let mut names: HashMap<String, Vec<(usize, usize)>> = envs
        .iter()
        .flat_map(|e| e.code.fns.iter())
        .map(|d| (d.name.to_ascii_lowercase(), Vec::new()))
        .collect();
    let mut lower = String::new();
    for (fi, env) in envs.iter().enumerate() {
        for i in 0..env.code.len() {
            let Some(w) = env.code.ident(i) else { continue };
            lower.clear();
            lower.push_str(w);
            lower.make_ascii_lowercase();
            if let Some(at) = names.get_mut(lower.as_str()) {
                at.push((fi, i));
            }
        }
    }
    let m = Module {
        envs,
        names,
        memo: RefCell::new(HashMap::new()),
    };
    let envs = &m;
    let mut out = Vec::new();
    for (fi, env) in m.envs.iter().enumerate() {
        let code = env.code;
        // Functions' results.
        for (f, def) in code.fns.iter().enumerate() {
            let (v, props) = returns(env, f);
            let key = format!("psfn:{}", def.name.to_ascii_lowercase());
            // A string it returns (a lone unknown says nothing: `return $output`).
            let v = settle(envs, fi, &v, Some(f), 0);
            let known = v
                .cands
                .iter()
                .flatten()
                .any(|p| matches!(p, Piece::Lit(l) if !l.is_empty()));
            if known {
                out.push((key.clone(), v));
            }
            for (p, v) in props {
                out.push((format!("{key}.{p}"), settle(envs, fi, &v, Some(f), 0)));
            }
        }
        // Script-scoped assignments made inside functions.
        let assigns = &code.bindings().assigns;
        let scoped: Vec<String> = assigns
            .iter()
            .filter(|a| a.func.is_some())
            .filter(|a| {
                code.toks.get(a.tok).is_some_and(|t| {
                    let raw = code.src[t.start..t.end].to_ascii_lowercase();
                    raw.starts_with("$script:") || raw.starts_with("$global:")
                })
            })
            .map(|a| a.name.to_ascii_lowercase())
            .collect();
        if scoped.is_empty() {
            continue;
        }
        for a in assigns.iter().filter(|a| a.func.is_some() && !a.append) {
            let lower = a.name.to_ascii_lowercase();
            let head = lower.split('.').next().unwrap_or(&lower);
            if !scoped.iter().any(|s| s == head) {
                continue;
            }
            let v = a.fixed.clone().unwrap_or_else(|| env.eval(a.rhs, a.tok));
            let v = settle(envs, fi, &v, a.func, 0);
            if !v.is_empty() {
                out.push((a.name.clone(), v));
            }
            // `$script:X = [PSCustomObject]@{ … }` (a cast before the hashtable).
            if !a.name.contains('.') {
                for (p, r) in object_entries(code, a.rhs) {
                    let v = settle(envs, fi, &env.eval(r, a.tok), a.func, 0);
                    if !v.is_empty() {
                        out.push((format!("{}.{p}", a.name), v));
                    }
                }
            }
            // `$script:X = Get-Settings …`: the object a function of the module returns.
            let first = code.skip_newlines(a.rhs.0, a.rhs.1);
            if let Some(w) = code.ident(first).filter(|w| !w.starts_with('-'))
                && let Some((gi, g)) = find_fn(envs, w)
            {
                let (_, props) = returns(m.envs[gi], g);
                for (p, v) in props {
                    let v = settle(envs, gi, &v, Some(g), 0);
                    if !v.is_empty() {
                        out.push((format!("{}.{p}", a.name), v));
                    }
                }
            }
        }
    }
    out
}

/// The PowerShell files of a project, the places each command name is written, and the
/// values of parameters already settled.
struct Module<'a, 'c> {
    envs: &'a [&'a Env<'c>],
    names: HashMap<String, Vec<(usize, usize)>>,
    memo: RefCell<HashMap<(usize, usize, String), Option<Value>>>,
}

/// The function named `name` (case-insensitive) in the module's files: (file, function).
fn find_fn(m: &Module, name: &str) -> Option<(usize, usize)> {
    m.envs.iter().enumerate().find_map(|(fi, e)| {
        e.code
            .fns
            .iter()
            .position(|d| d.name.eq_ignore_ascii_case(name))
            .map(|f| (fi, f))
    })
}

/// What function `f` returns (`return $x`, `return "…"`): the value, and the properties of a
/// hashtable or object held by the returned variable.
fn returns(env: &Env, f: usize) -> (Value, Vec<(String, Value)>) {
    let code = env.code;
    let (a, b) = code.fns[f].body;
    let mut v = Value::default();
    let mut props: Vec<(String, Value)> = Vec::new();
    for i in a..b.min(code.len()) {
        if !code
            .ident(i)
            .is_some_and(|w| w.eq_ignore_ascii_case("return"))
            || code.enclosing_fn(i) != Some(f)
        {
            continue;
        }
        let end = command_end(code, i);
        if end <= i + 1 {
            continue;
        }
        v = v.union(&env.eval((i + 1, end), i));
        let mut add = |p: &str, pv: Value| match props.iter_mut().find(|(q, _)| q == p) {
            Some((_, old)) => *old = old.union(&pv),
            None => props.push((p.to_string(), pv)),
        };
        // `return [PSCustomObject]@{ … }`
        for (p, r) in object_entries(code, (i + 1, end)) {
            add(&p, env.eval(r, i));
        }
        if let (Some(Tok::Var(var)), true) = (code.tok(i + 1), end == i + 2) {
            let var = var.trim_start_matches('$').to_ascii_lowercase();
            for x in &code.bindings().assigns {
                // `$output = [PSCustomObject]@{ … }` (a cast before the hashtable).
                if x.func == Some(f) && x.tok < i && x.name.eq_ignore_ascii_case(&var) {
                    for (p, r) in object_entries(code, x.rhs) {
                        add(&p, env.eval(r, x.tok));
                    }
                }
                let n = x.name.to_ascii_lowercase();
                if x.func == Some(f)
                    && x.tok < i
                    && let Some(p) = n.strip_prefix(&var).and_then(|r| r.strip_prefix('.'))
                    && !p.contains('.')
                {
                    let p = &x.name[x.name.len() - p.len()..];
                    add(p, x.fixed.clone().unwrap_or_else(|| env.eval(x.rhs, x.tok)));
                }
            }
        }
    }
    (v, props)
}

/// The entries of a hashtable or object built in `(a, b)`: `[PSCustomObject]@{ K = v }`,
/// `[ordered]@{ … }`, `New-Object PSObject -Property @{ … }` — (key, value range).
fn object_entries(code: &Code, (a, b): (usize, usize)) -> Vec<(String, (usize, usize))> {
    let mut k = code.skip_newlines(a, b);
    while k < b && code.is_punct(k, "[") {
        k = code.close_of(k).map_or(b, |c| c + 1);
    }
    if code
        .ident(k)
        .is_some_and(|w| w.eq_ignore_ascii_case("New-Object"))
    {
        k = (k..b)
            .find(|&j| code.is_punct(j, "@") && code.is_punct(j + 1, "{"))
            .unwrap_or(b);
    }
    if !(code.is_punct(k, "@") && code.is_punct(k + 1, "{")) {
        return Vec::new();
    }
    super::super::eval::ps_hashtable_entries(code, k + 1)
        .into_iter()
        .map(|(key, _, rhs)| (key, rhs))
        .collect()
}

/// `v` with the parameters of function `func` (file `fi`) replaced by every value the module
/// gives them; what is left over is a plain hole (seen from elsewhere, not a parameter).
fn settle(m: &Module, fi: usize, v: &Value, func: Option<usize>, depth: usize) -> Value {
    let Some(f) = func.filter(|_| depth < SETTLE_DEPTH) else {
        return v.unparam();
    };
    super::super::budget::spend(1);
    substitute(v, &|p| settle_param(m, fi, f, p, depth)).unparam()
}

/// Every value parameter `p` of function `f` (file `fi`) gets in the module: its default and
/// the arguments of its callers.
fn settle_param(m: &Module, fi: usize, f: usize, p: &str, depth: usize) -> Option<Value> {
    let key = (fi, f, p.to_ascii_lowercase());
    if let Some(v) = m.memo.borrow().get(&key) {
        return v.clone();
    }
    // A parameter met again while it is being settled (recursion) adds nothing.
    m.memo.borrow_mut().insert(key.clone(), None);
    let v = settle_param_uncached(m, fi, f, p, depth);
    m.memo.borrow_mut().insert(key, v.clone());
    v
}

fn settle_param_uncached(m: &Module, fi: usize, f: usize, p: &str, depth: usize) -> Option<Value> {
    let env = m.envs[fi];
    let code = env.code;
    let def = &code.fns[f];
    let p = def.params.iter().find(|q| q.eq_ignore_ascii_case(p))?;
    let mut out = Value::default();
    // The default: `$Version = 'v3'` inside the function's `param(...)` block.
    let (a, b) = def.body;
    if let Some(open) = (a..b.min(code.len()))
        .find(|&i| {
            code.ident(i)
                .is_some_and(|w| w.eq_ignore_ascii_case("param"))
        })
        .map(|i| i + 1)
        .filter(|&o| code.is_punct(o, "("))
        && let Some(close) = code.close_of(open)
    {
        for x in &code.bindings().assigns {
            if x.func == Some(f) && x.tok > open && x.tok < close && x.name.eq_ignore_ascii_case(p)
            {
                out = out.union(&env.eval(x.rhs, x.tok).unparam());
            }
        }
    }
    // What callers pass (the places of the name are in file order: one run per file).
    let places = m
        .names
        .get(&def.name.to_ascii_lowercase())
        .map_or(&[][..], Vec::as_slice);
    for run in places.chunk_by(|a, b| a.0 == b.0) {
        let ci = run[0].0;
        let caller = m.envs[ci];
        let at: Vec<usize> = run.iter().map(|(_, i)| *i).collect();
        for inv in invocations_at(caller, &def.name, &def.params, &at) {
            for (n, r) in &inv.named {
                if n == p {
                    let v = eval_word(caller, *r, inv.tok);
                    let cf = caller.code.enclosing_fn(inv.tok);
                    out = out.union(&settle(m, ci, &v, cf, depth + 1));
                }
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Simple commands by name (`sail api get /v3/x` in a PowerShell script), as shell-style
/// commands whose argument words are PowerShell words.
pub fn commands(code: &Code) -> Vec<shell::Command> {
    let mut out = Vec::new();
    for i in 0..code.len() {
        let Some(name) = code.ident(i) else { continue };
        let call = i > 0 && code.is_punct(i - 1, "&");
        if !command_start(code, i) && !call || name.starts_with('-') {
            continue;
        }
        let end = command_end(code, i);
        // The command word: `curl.exe`, `./bin/sail`.
        let name_end = word_end(code, i, end).max(i + 1);
        let name = &code.src[code.toks[i].start..code.toks[name_end - 1].end];
        let mut words = Vec::new();
        let mut k = name_end;
        while k < end {
            if code.is_punct(k, ",") {
                k += 1;
                continue;
            }
            let e = word_end(code, k, end).max(k + 1);
            words.push((k, e));
            k = e;
        }
        let n = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let n = n.strip_suffix(".exe").unwrap_or(n);
        out.push(shell::Command {
            name: n.to_string(),
            tok: i,
            args: words,
            range: (i, end),
            piped_in: false,
            stdin_redirect: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::eval::Project;
    use crate::discover::lex::Lang;

    fn site_list(src: &str) -> Vec<(String, String)> {
        super::super::method_urls(src, Lang::PowerShell, sites)
    }

    #[test]
    fn parameters_named_abbreviated_positional_splatted() {
        let s = site_list(
            "$b = 'https://t.api.identitynow.com'\nInvoke-RestMethod -Uri \"$b/v3/a\" -Method Post\nirm -meth 'PATCH' -U $b/v3/b\nInvoke-WebRequest \"$b/v3/c\" -UseBasicParsing\n$p = @{ Uri = \"$b/v3/d\"; Method = 'Delete' }\nInvoke-RestMethod @p\nInvoke-RestMethod -Method:Put -Uri:\"$b/v3/e\"\nInvoke-RestMethod -Uri ($b + '/v3/f') -Method ([Microsoft.PowerShell.Commands.WebRequestMethod]::Delete)\nGet-Help Invoke-RestMethod\nWrite-Host \"Invoke-RestMethod $b/v3/g\"\n",
        );
        let got: Vec<(&str, &str)> = s.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(
            got,
            [
                ("POST", "https://t.api.identitynow.com/v3/a"),
                ("PATCH", "https://t.api.identitynow.com/v3/b"),
                ("GET", "https://t.api.identitynow.com/v3/c"),
                ("DELETE", "https://t.api.identitynow.com/v3/d"),
                ("PUT", "https://t.api.identitynow.com/v3/e"),
                ("DELETE", "https://t.api.identitynow.com/v3/f"),
            ]
        );
    }

    #[test]
    fn curl_in_powershell() {
        let s = site_list(
            "curl.exe -s -X POST \"$b/v3/search\" -H \"Authorization: Bearer $t\"\ncurl -Uri \"$b/v3/roles\" -Method Delete -UseBasicParsing\n",
        );
        let got: Vec<(&str, &str)> = s.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(got, [("DELETE", "{b}/v3/roles"), ("POST", "{b}/v3/search")]);
    }

    #[test]
    fn dotnet_clients() {
        let s = site_list(
            "$r = [System.Net.WebRequest]::Create(\"$b/v3/a\")\n$r.Method = 'POST'\n$c = New-Object System.Net.Http.HttpClient\n$c.DeleteAsync(\"$b/v3/b\")\n",
        );
        let got: Vec<(&str, &str)> = s.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(got, [("POST", "{b}/v3/a"), ("DELETE", "{b}/v3/b")]);
    }

    #[test]
    fn function_invocations_bind_by_name_and_position() {
        let src = "function Invoke-Isc { param([string]$Path, [string]$Method = 'Get', [switch]$Raw)\n Invoke-RestMethod -Uri \"$base$Path\" -Method $Method }\nInvoke-Isc -Meth Post -Raw '/v3/a'\nInvoke-Isc '/v3/b' 'Delete'\n$q = @{ Path = '/v3/c' }\nInvoke-Isc @q\n";
        let code = Code::new(src, Lang::PowerShell);
        let p = Project::default();
        let env = Env::new(&code, &p);
        let params = code.fns[0].params.clone();
        assert_eq!(params, ["Path", "Method", "Raw"]);
        let inv = invocations(&env, "invoke-isc", &params);
        assert_eq!(inv.len(), 3);
        let get = |k: usize, p: &str| {
            inv[k].named.iter().find(|(n, _)| n == p).map(|(_, r)| {
                eval_word(&env, *r, inv[k].tok)
                    .as_literal()
                    .unwrap_or_default()
            })
        };
        assert_eq!(get(0, "Path").as_deref(), Some("/v3/a"));
        assert_eq!(get(0, "Method").as_deref(), Some("Post"));
        assert_eq!(get(1, "Path").as_deref(), Some("/v3/b"));
        assert_eq!(get(1, "Method").as_deref(), Some("Delete"));
        assert_eq!(get(2, "Path").as_deref(), Some("/v3/c"));
    }
}
