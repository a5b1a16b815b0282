//! Hand-written HTTP in shell scripts, Makefiles, Dockerfiles and CI YAML: `curl`, `wget`,
//! HTTPie (`http`, `https`) and `xh`/`xhs`, and project functions that wrap them (`api() {
//! curl ... "$@"; }`).
//!
//! The file is cut into simple commands (words separated by `;`, `|`, `&&`, newlines, command
//! substitutions...), each command's options are read the way the tool reads them, and every
//! URL argument becomes a request site.

use super::super::call::Via;
use super::super::code::Code;
use super::super::eval::Env;
use super::super::eval::shell as shell_eval;
use super::super::frontend::{Invocation, MethodSpec, Site, experimental_header, param_holes};
use super::super::lex::Tok;
use super::super::value::{Piece, Value};
use crate::catalog::Method;

/// One simple command: its name (the command word's text, without a directory) and its
/// argument words (token ranges of adjacent tokens).
#[derive(Clone, Debug)]
pub struct Command {
    pub name: String,
    /// Token index of the command word.
    pub tok: usize,
    pub args: Vec<(usize, usize)>,
    /// Token range of the whole command.
    pub range: (usize, usize),
    /// Standard input comes from a pipe.
    pub piped_in: bool,
    /// Standard input comes from a file or here-document (`< body.json`, `<<EOF`).
    pub stdin_redirect: bool,
}

/// Words that run the command after them (`sudo curl`, `RUN curl`, `then curl`).
const PREFIXES: &[&str] = &[
    "sudo", "env", "xargs", "timeout", "time", "nohup", "exec", "command", "builtin", "then", "do",
    "else", "if", "elif", "while", "until", "!", "RUN", "nice", "stdbuf", "retry", "eval",
];

/// Options of the prefix words that take a value.
fn prefix_option_takes_value(prefix: &str, opt: &str) -> bool {
    match prefix {
        "sudo" => matches!(
            opt,
            "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-U"
        ),
        "xargs" => matches!(opt, "-I" | "-n" | "-P" | "-L" | "-d" | "-E" | "-s" | "-a"),
        "timeout" => matches!(opt, "-k" | "-s" | "--signal" | "--kill-after"),
        "env" => matches!(opt, "-u" | "-C" | "-S" | "--unset" | "--chdir"),
        "nice" => matches!(opt, "-n"),
        _ => false,
    }
}

/// The simple commands of a file.
pub fn commands(code: &Code) -> Vec<Command> {
    let mut out = Vec::new();
    scan(code, 0, code.len(), &mut out);
    out.sort_by_key(|c| c.tok);
    out
}

fn is_boundary(code: &Code, i: usize) -> bool {
    match code.tok(i) {
        Some(Tok::Newline) => true,
        Some(Tok::Punct(p)) => match *p {
            ";" | "|" | "||" | "&&" | "(" | ")" | "`" => true,
            // `&` but not `&>` / `>&`.
            "&" => {
                let redirect_after = adjacent(code, i) && code.is_punct(i + 1, ">");
                let redirect_before = i > 0 && code.is_punct(i - 1, ">") && adjacent(code, i - 1);
                !(redirect_after || redirect_before)
            }
            // A group `{ ...; }`: braces standing alone.
            "{" | "}" => {
                let glued_after = i + 1 < code.len() && adjacent(code, i);
                let glued_before = i > 0 && adjacent(code, i - 1) && !code.is_punct(i - 1, ";");
                !(glued_after || glued_before)
            }
            _ => false,
        },
        None => true,
        _ => false,
    }
}

/// Whether token `i` and token `i + 1` touch (no space between them).
fn adjacent(code: &Code, i: usize) -> bool {
    i + 1 < code.len() && code.toks[i].end == code.toks[i + 1].start
}

fn is_redirect(code: &Code, i: usize) -> bool {
    matches!(
        code.tok(i),
        Some(Tok::Punct(">" | ">>" | "<" | "<<" | ">=" | "<="))
    )
}

/// The end (exclusive) of the shell word starting at `i`.
pub fn word_end(code: &Code, i: usize, b: usize) -> usize {
    let mut e = i;
    loop {
        if code.is_punct(e, "$") && adjacent(code, e) && code.is_punct(e + 1, "(") {
            e = code.close_of(e + 1).map_or(b, |c| c + 1);
        } else {
            e += 1;
        }
        if e >= b || !adjacent(code, e - 1) || is_boundary(code, e) || is_redirect(code, e) {
            return e.min(b);
        }
    }
}

fn scan(code: &Code, a: usize, b: usize, out: &mut Vec<Command>) {
    // Substitutions inside substitutions, thousands deep: each level's words are read again
    // (see TEXT_LEVEL); the innermost are not read.
    let Some(_level) = crate::discover::budget::deeper_by(crate::discover::budget::TEXT_LEVEL)
    else {
        return;
    };
    crate::discover::budget::spend(b.saturating_sub(a) as u64 + 1);
    let mut i = a;
    let mut piped = false;
    while i < b {
        if is_boundary(code, i) {
            piped = code.is_punct(i, "|");
            i += 1;
            continue;
        }
        let start = i;
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut stdin_redirect = false;
        while i < b && !is_boundary(code, i) {
            if is_redirect(code, i) {
                // The operator and its target (`> out.json`, `2>&1`, `<<EOF`).
                stdin_redirect |= code.is_punct(i, "<") || code.is_punct(i, "<<");
                let op = i;
                i += 1;
                if code.is_punct(i, "&") && code.toks[op].end == code.toks[i].start {
                    i += 1;
                }
                if i < b && !is_boundary(code, i) && !is_redirect(code, i) {
                    i = word_end(code, i, b);
                }
                continue;
            }
            let e = word_end(code, i, b);
            // Commands inside `$( ... )` of this word.
            let mut k = i;
            while k < e {
                if code.is_punct(k, "$")
                    && code.is_punct(k + 1, "(")
                    && let Some(c) = code.close_of(k + 1)
                {
                    scan(code, k + 2, c.min(b), out);
                    k = c + 1;
                    continue;
                }
                k += 1;
            }
            words.push((i, e));
            i = e;
        }
        if let Some(cmd) = command_of(code, &words, (start, i), piped, stdin_redirect) {
            out.push(cmd);
        }
        piped = false;
    }
}

/// The word's literal text, when it has no expansion (quotes removed).
pub fn literal(code: &Code, (a, b): (usize, usize)) -> Option<String> {
    let mut s = String::new();
    for k in a..b {
        match code.tok(k) {
            Some(Tok::Str(lit)) => s.push_str(&lit.plain()?),
            Some(Tok::Var(_)) => return None,
            Some(Tok::Punct("$")) => return None,
            Some(_) => s.push_str(&code.src[code.toks[k].start..code.toks[k].end]),
            None => return None,
        }
    }
    Some(s)
}

fn command_of(
    code: &Code,
    words: &[(usize, usize)],
    range: (usize, usize),
    piped_in: bool,
    stdin_redirect: bool,
) -> Option<Command> {
    let mut w = 0;
    let mut prefix: Option<String> = None;
    while w < words.len() {
        let word = words[w];
        let text = literal(code, word);
        // `VAR=value cmd`: assignments before the command.
        if code.ident(word.0).is_some() && code.is_punct(word.0 + 1, "=") && adjacent(code, word.0)
        {
            w += 1;
            continue;
        }
        let Some(text) = text else {
            // `"$CURL" ...`, `$(which curl)`: not a name we know.
            return None;
        };
        if let Some(p) = &prefix {
            if text.starts_with('-') {
                let takes = prefix_option_takes_value(p, &text);
                w += if takes { 2 } else { 1 };
                continue;
            }
            // `timeout 30 curl`, `retry 3 curl`.
            if matches!(p.as_str(), "timeout" | "retry")
                && text.chars().next().is_some_and(|c| c.is_ascii_digit())
            {
                w += 1;
                continue;
            }
        }
        if PREFIXES.contains(&text.as_str()) {
            prefix = Some(text);
            w += 1;
            continue;
        }
        // Makefile recipe prefixes `@curl`, `-curl`, `+curl`.
        let name = text.trim_start_matches(['@', '-', '+']);
        let name = name.rsplit('/').next().unwrap_or(name);
        let name = name.strip_suffix(".exe").unwrap_or(name);
        if name.is_empty() {
            return None;
        }
        return Some(Command {
            name: name.to_string(),
            tok: word.0,
            args: words[w + 1..].to_vec(),
            range,
            piped_in,
            stdin_redirect,
        });
    }
    None
}

/// `curl` short options that take a value.
const CURL_SHORT_ARG: &str = "AbcCdDeEFHKmoPQrtTuUwxXyYz";

/// `curl` long options that take a value (the ones that matter for the request, and the
/// common others).
const CURL_LONG_ARG: &[&str] = &[
    "--abstract-unix-socket",
    "--alt-svc",
    "--aws-sigv4",
    "--cacert",
    "--capath",
    "--cert",
    "--cert-type",
    "--ciphers",
    "--config",
    "--connect-timeout",
    "--connect-to",
    "--continue-at",
    "--cookie",
    "--cookie-jar",
    "--create-file-mode",
    "--crlfile",
    "--curves",
    "--data",
    "--data-ascii",
    "--data-binary",
    "--data-raw",
    "--data-urlencode",
    "--delegation",
    "--dns-interface",
    "--dns-ipv4-addr",
    "--dns-ipv6-addr",
    "--dns-servers",
    "--doh-url",
    "--dump-header",
    "--egd-file",
    "--engine",
    "--etag-compare",
    "--etag-save",
    "--expect100-timeout",
    "--form",
    "--form-string",
    "--ftp-account",
    "--ftp-alternative-to-user",
    "--ftp-method",
    "--ftp-port",
    "--ftp-ssl-ccc-mode",
    "--happy-eyeballs-timeout-ms",
    "--haproxy-clientip",
    "--header",
    "--hostpubmd5",
    "--hostpubsha256",
    "--hsts",
    "--interface",
    "--ip-tos",
    "--json",
    "--keepalive-time",
    "--key",
    "--key-type",
    "--krb",
    "--libcurl",
    "--limit-rate",
    "--local-port",
    "--login-options",
    "--mail-auth",
    "--mail-from",
    "--mail-rcpt",
    "--max-filesize",
    "--max-redirs",
    "--max-time",
    "--netrc-file",
    "--noproxy",
    "--oauth2-bearer",
    "--output",
    "--output-dir",
    "--parallel-max",
    "--pass",
    "--pinnedpubkey",
    "--preproxy",
    "--proto",
    "--proto-default",
    "--proto-redir",
    "--proxy",
    "--proxy-cacert",
    "--proxy-capath",
    "--proxy-cert",
    "--proxy-cert-type",
    "--proxy-ciphers",
    "--proxy-header",
    "--proxy-key",
    "--proxy-key-type",
    "--proxy-pass",
    "--proxy-service-name",
    "--proxy-user",
    "--proxy1.0",
    "--pubkey",
    "--quote",
    "--random-file",
    "--range",
    "--rate",
    "--referer",
    "--request",
    "--request-target",
    "--resolve",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--sasl-authzid",
    "--service-name",
    "--socks4",
    "--socks4a",
    "--socks5",
    "--socks5-gssapi-service",
    "--socks5-hostname",
    "--speed-limit",
    "--speed-time",
    "--stderr",
    "--telnet-option",
    "--tftp-blksize",
    "--time-cond",
    "--tls-max",
    "--tls13-ciphers",
    "--tlsauthtype",
    "--tlspassword",
    "--tlsuser",
    "--trace",
    "--trace-ascii",
    "--trace-config",
    "--unix-socket",
    "--upload-file",
    "--url",
    "--url-query",
    "--user",
    "--user-agent",
    "--variable",
    "--vlan-priority",
    "--write-out",
];

/// What the options of a request command say.
#[derive(Default)]
struct Req {
    method: Option<(usize, usize)>,
    /// A method given as text inside a word (`-XPOST`).
    method_text: Option<String>,
    data: bool,
    get: bool,
    head: bool,
    upload: bool,
    urls: Vec<(usize, usize)>,
    headers: Vec<(usize, usize)>,
    header_texts: Vec<String>,
}

/// The text of a word after its first `skip` bytes (for attached option values: `-XPOST`,
/// `--method=PATCH`), when it is literal.
fn tail_text(code: &Code, w: (usize, usize), skip: usize) -> Option<String> {
    literal(code, w).map(|s| s.get(skip..).unwrap_or("").to_string())
}

fn curl(code: &Code, args: &[(usize, usize)]) -> Req {
    let mut r = Req::default();
    let mut k = 0;
    let mut only_urls = false;
    while k < args.len() {
        let w = args[k];
        let text = literal(code, w);
        let next = args.get(k + 1).copied();
        let opt = text
            .as_deref()
            .filter(|t| !only_urls && t.starts_with('-') && t.len() > 1);
        let Some(t) = opt else {
            r.urls.push(w);
            k += 1;
            continue;
        };
        if t == "--" {
            only_urls = true;
            k += 1;
            continue;
        }
        if let Some(long) = t.strip_prefix("--") {
            let name = format!("--{long}");
            let takes = CURL_LONG_ARG.contains(&name.as_str());
            match name.as_str() {
                "--request" => r.method = next,
                "--url" => r.urls.extend(next),
                "--get" => r.get = true,
                "--head" => r.head = true,
                "--upload-file" => r.upload = true,
                "--header" | "--proxy-header" => r.headers.extend(next),
                n if n.starts_with("--data") || n == "--json" || n.starts_with("--form") => {
                    r.data = true
                }
                _ => {}
            }
            k += if takes { 2 } else { 1 };
            continue;
        }
        // A cluster of short options: `-sSL`, `-XPOST`, `-sX POST`, `-H'...'`.
        let mut consumed_next = false;
        for (idx, ch) in t.char_indices().skip(1) {
            if CURL_SHORT_ARG.contains(ch) {
                let rest_at = idx + ch.len_utf8();
                let attached = rest_at < t.len();
                let value_text = if attached {
                    tail_text(code, w, rest_at)
                } else {
                    None
                };
                match ch {
                    'X' => {
                        if attached {
                            r.method_text = value_text.or(Some(String::new()));
                            if r.method_text.as_deref() == Some("") {
                                r.method_text = None;
                                r.method = Some(w);
                            }
                        } else {
                            r.method = next;
                        }
                    }
                    'd' | 'F' => r.data = true,
                    'T' => r.upload = true,
                    'H' => {
                        if attached {
                            r.header_texts.extend(value_text);
                        } else {
                            r.headers.extend(next);
                        }
                    }
                    _ => {}
                }
                consumed_next = !attached;
                break;
            }
            match ch {
                'G' => r.get = true,
                'I' => r.head = true,
                _ => {}
            }
        }
        k += if consumed_next { 2 } else { 1 };
    }
    r
}

/// `wget` short options that take a value.
const WGET_SHORT_ARG: &str = "OoaeiBtTwPUQlARDXIY";
const WGET_LONG_ARG: &[&str] = &[
    "--output-document",
    "--output-file",
    "--append-output",
    "--execute",
    "--input-file",
    "--base",
    "--tries",
    "--timeout",
    "--wait",
    "--directory-prefix",
    "--user-agent",
    "--quota",
    "--level",
    "--accept",
    "--reject",
    "--domains",
    "--header",
    "--method",
    "--body-data",
    "--body-file",
    "--post-data",
    "--post-file",
    "--user",
    "--password",
    "--http-user",
    "--http-password",
    "--load-cookies",
    "--save-cookies",
    "--ca-certificate",
    "--certificate",
    "--private-key",
    "--referer",
    "--limit-rate",
    "--read-timeout",
    "--connect-timeout",
    "--dns-timeout",
    "--bind-address",
    "--proxy-user",
    "--proxy-password",
];

fn wget(code: &Code, args: &[(usize, usize)]) -> Req {
    let mut r = Req::default();
    let mut k = 0;
    while k < args.len() {
        let w = args[k];
        let next = args.get(k + 1).copied();
        let Some(t) = literal(code, w).filter(|t| t.starts_with('-') && t.len() > 1) else {
            // `--method=$M`: not literal, but an option all the same.
            if code
                .ident(w.0)
                .is_some_and(|s| s == "--method" || s == "--header")
            {
                let eq = code.is_punct(w.0 + 1, "=");
                if eq && code.ident(w.0) == Some("--method") {
                    r.method = Some((w.0 + 2, w.1));
                } else if eq {
                    r.headers.push((w.0 + 2, w.1));
                }
                k += 1;
                continue;
            }
            r.urls.push(w);
            k += 1;
            continue;
        };
        if let Some(long) = t.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (format!("--{n}"), Some(v.to_string())),
                None => (format!("--{long}"), None),
            };
            let takes = value.is_none() && WGET_LONG_ARG.contains(&name.as_str());
            match name.as_str() {
                "--method" => match value {
                    Some(v) => r.method_text = Some(v),
                    None => r.method = next,
                },
                "--post-data" | "--post-file" => r.data = true,
                "--spider" => r.head = true,
                "--header" => match value {
                    Some(v) => r.header_texts.push(v),
                    None => r.headers.extend(next),
                },
                _ => {}
            }
            k += if takes { 2 } else { 1 };
            continue;
        }
        let mut consumed_next = false;
        for (idx, ch) in t.char_indices().skip(1) {
            if WGET_SHORT_ARG.contains(ch) {
                consumed_next = idx + ch.len_utf8() == t.len();
                break;
            }
        }
        k += if consumed_next { 2 } else { 1 };
    }
    if r.method.is_none() && r.method_text.is_none() && r.data {
        r.method_text = Some("POST".into());
    }
    // wget has no default POST for body data without --method.
    r.data = false;
    r
}

/// HTTPie / xh options that take a value.
const HTTPIE_ARG: &[&str] = &[
    "-a",
    "--auth",
    "-A",
    "--auth-type",
    "--session",
    "--session-read-only",
    "-o",
    "--output",
    "--verify",
    "--cert",
    "--cert-key",
    "--cert-key-pass",
    "--proxy",
    "--timeout",
    "-p",
    "--print",
    "-P",
    "--history-print",
    "--pretty",
    "-s",
    "--style",
    "--format-options",
    "--max-redirects",
    "--default-scheme",
    "--ssl",
    "--ciphers",
    "--boundary",
    "--raw",
    "--response-charset",
    "--response-mime",
    "--unix-socket",
    "--max-headers",
    "--path-as-is",
    "--bearer",
    "--resolve",
    "--interface",
];

fn httpie(code: &Code, cmd: &Command) -> Req {
    let mut r = Req::default();
    let mut positional = Vec::new();
    let mut k = 0;
    let mut ignore_stdin = false;
    let args = &cmd.args;
    while k < args.len() {
        let w = args[k];
        match literal(code, w) {
            Some(t) if t.starts_with('-') && t.len() > 1 && positional.is_empty() => {
                let (name, attached) = match t.split_once('=') {
                    Some((n, _)) => (n.to_string(), true),
                    None => (t.clone(), false),
                };
                if name == "--raw" {
                    r.data = true;
                }
                if name == "--ignore-stdin" || name == "-I" {
                    ignore_stdin = true;
                }
                let takes = !attached && HTTPIE_ARG.contains(&name.as_str());
                k += if takes { 2 } else { 1 };
            }
            Some(t) if t.starts_with('-') && t.len() > 1 => k += 1,
            _ => {
                positional.push(w);
                k += 1;
            }
        }
    }
    let mut p = positional.into_iter();
    let Some(first) = p.next() else { return r };
    let url = match literal(code, first).and_then(|t| Method::parse(&t).map(|_| t)) {
        Some(m) => {
            r.method_text = Some(m);
            match p.next() {
                Some(u) => u,
                None => return r,
            }
        }
        None => first,
    };
    // `:3000/x`, `:/x`: localhost.
    if literal(code, (url.0, url.0 + 1)).is_some_and(|t| t.starts_with(':')) {
        return r;
    }
    r.urls.push(url);
    for item in p {
        let raw = &code.src[code.toks[item.0].start..code.toks[item.1 - 1].end];
        let raw = raw.trim_matches(['"', '\'']);
        let pos = raw.find([':', '=', '@']);
        match pos.map(|i| (&raw[i..i + 1], raw[i + 1..].chars().next())) {
            Some((":", Some('='))) => r.data = true,
            Some((":", _)) => r.header_texts.push(raw.to_string()),
            Some(("=", Some('='))) => {}
            Some(("=", _)) | Some(("@", _)) => r.data = true,
            _ => {}
        }
    }
    if !ignore_stdin && (cmd.piped_in || cmd.stdin_redirect) {
        r.data = true;
    }
    r
}

fn method_of(r: &Req, eval: WordEval) -> MethodSpec {
    if let Some(t) = &r.method_text {
        return match Method::parse(t.trim()) {
            Some(m) => MethodSpec::Known(m),
            None => MethodSpec::Unknown,
        };
    }
    if let Some(w) = r.method {
        return method_value(&eval(w));
    }
    if r.head {
        MethodSpec::Known(Method::Head)
    } else if r.get {
        MethodSpec::Known(Method::Get)
    } else if r.upload {
        MethodSpec::Known(Method::Put)
    } else if r.data {
        MethodSpec::Known(Method::Post)
    } else {
        MethodSpec::Known(Method::Get)
    }
}

/// A method from the value of a word or expression: a literal, a parameter of the enclosing
/// function, or unknown.
pub fn method_value(v: &Value) -> MethodSpec {
    use super::super::frontend::{literal_or_param_method, method_spec_of_value};
    // Else branches that name one method, or several.
    literal_or_param_method(v)
        .or_else(|| method_spec_of_value(v))
        .unwrap_or(MethodSpec::Unknown)
}

/// Which HTTP tool a command name is.
fn tool(name: &str) -> Option<&'static str> {
    Some(match name {
        "curl" => "curl",
        "wget" => "wget",
        "http" | "https" | "xh" | "xhs" => "httpie",
        _ => return None,
    })
}

/// A project function that runs an HTTP tool with the caller's arguments (`api() { curl -s
/// -H "..." "$@"; }`): its name, the tool and the tool command inside.
struct Passthrough {
    name: String,
    tool: &'static str,
    cmd: Command,
}

fn passthroughs(code: &Code, cmds: &[Command]) -> Vec<Passthrough> {
    let mut out = Vec::new();
    for c in cmds {
        let Some(t) = tool(&c.name) else { continue };
        let forwards = c.args.iter().any(|&(a, b)| {
            (a..b).any(|k| {
                let s = &code.src[code.toks[k].start..code.toks[k].end];
                s.contains("$@") || s.contains("$*") || s.contains("${@")
            })
        });
        if !forwards {
            continue;
        }
        if let Some(fx) = code.enclosing_fn(c.tok) {
            out.push(Passthrough {
                name: code.fns[fx].name.clone(),
                tool: t,
                cmd: c.clone(),
            });
        }
    }
    out
}

fn req_of(code: &Code, t: &str, cmd: &Command) -> Req {
    match t {
        "curl" => curl(code, &cmd.args),
        "wget" => wget(code, &cmd.args),
        _ => httpie(code, cmd),
    }
}

/// Evaluates an argument word of a command.
pub type WordEval<'e> = &'e dyn Fn((usize, usize)) -> Value;

/// Calls `f` for every simple command of the file (command substitutions included, also
/// inside double-quoted strings: the lexer reads them as code) with the code, an evaluator
/// for its words (names resolve in the file at the command) and the command's token.
pub fn for_each_command(env: &Env, f: &mut dyn FnMut(&Code, &Command, WordEval, usize)) {
    let code = env.code;
    for cmd in commands(code) {
        let eval = |w: (usize, usize)| env.eval(w, cmd.tok);
        f(code, &cmd, &eval, cmd.tok);
    }
}

pub fn sites(env: &Env, project_has_header: bool) -> Vec<Site> {
    let code = env.code;
    let pass = passthroughs(code, &commands(code));
    let mut out = Vec::new();
    for_each_command(env, &mut |code, cmd, eval, main_tok| {
        let req = if let Some(t) = tool(&cmd.name) {
            let mut r = req_of(code, t, cmd);
            if pass.iter().any(|p| p.cmd.tok == cmd.tok) {
                // The callers' arguments complete this request: a URL built from the
                // function's parameters is reported at the callers, with their options.
                r.urls.retain(|&u| param_holes(&eval(u)).is_empty());
            }
            r
        } else if let Some(p) = pass.iter().find(|p| p.name == cmd.name) {
            // The caller's arguments, with the function's own options as defaults.
            let own = req_of(env.code, p.tool, &p.cmd);
            let mut r = req_of(code, p.tool, cmd);
            if r.method.is_none() && r.method_text.is_none() {
                if let Some(m) = own.method {
                    r.method_text = literal(env.code, m);
                }
                r.method_text = r.method_text.or(own.method_text);
            }
            r.data |= own.data;
            r.get |= own.get;
            r.head |= own.head;
            r.upload |= own.upload;
            r.header_texts.extend(own.header_texts);
            for h in own.headers {
                r.header_texts.extend(literal(env.code, h));
            }
            r
        } else {
            return;
        };
        out.extend(req_sites(
            env,
            code,
            &req,
            eval,
            main_tok,
            project_has_header,
        ));
    });
    out
}

/// The request sites of a `curl`/`wget`/HTTPie command (also for PowerShell scripts that
/// run `curl.exe`), its words evaluated by `eval`.
pub fn command_sites(
    env: &Env,
    code: &Code,
    cmd: &Command,
    eval: WordEval,
    main_tok: usize,
    project_has_header: bool,
) -> Vec<Site> {
    match tool(&cmd.name) {
        Some(t) => req_sites(
            env,
            code,
            &req_of(code, t, cmd),
            eval,
            main_tok,
            project_has_header,
        ),
        None => Vec::new(),
    }
}

fn req_sites(
    env: &Env,
    code: &Code,
    req: &Req,
    eval: WordEval,
    main_tok: usize,
    project_has_header: bool,
) -> Vec<Site> {
    let mut out = Vec::new();
    let method = method_of(req, eval);
    let mut texts = req.header_texts.clone();
    for &h in &req.headers {
        texts.extend(eval(h).as_literal());
    }
    let header = if texts
        .iter()
        .any(|h| h.to_ascii_lowercase().contains("x-sailpoint-experimental"))
    {
        Some(true)
    } else {
        experimental_header(env.code, None, Some(env), project_has_header)
    };
    for &u in &req.urls {
        let url = eval(u);
        if url.is_empty() || forwards_args(&url) {
            continue;
        }
        out.push(Site {
            offset: code.toks[u.0].start,
            tok: main_tok,
            url,
            method: method.clone(),
            via: Via::Http,
            experimental_header: header,
        });
    }
    out
}

/// `"$@"`: the caller's arguments (a pass-through function), not a URL.
fn forwards_args(v: &Value) -> bool {
    v.cands.iter().all(|c| {
        c.iter()
            .all(|p| matches!(p, Piece::Lit(l) if l.is_empty() || l == "$@" || l == "$*"))
    })
}

/// Calls of a shell function: `name arg1 "arg 2"` — every argument word is positional (`$1`,
/// `$2`, ...).
pub fn invocations(code: &Code, name: &str) -> Vec<Invocation> {
    invocations_in(code, &commands(code), name)
}

/// [`invocations`] among a file's [`commands`] (found once for all helpers).
pub fn invocations_in(code: &Code, cmds: &[Command], name: &str) -> Vec<Invocation> {
    cmds.iter()
        .filter(|c| c.name == name && !code.is_fn_name(c.tok))
        .map(|c| Invocation {
            tok: c.tok,
            positional: c.args.clone(),
            named: Vec::new(),
            opaque: false,
        })
        .collect()
}

/// Evaluates one shell word.
pub fn word_value(env: &Env, w: (usize, usize), at: usize) -> Value {
    shell_eval::eval(env, w, at)
}

/// The scripts of a CI YAML file, in place: the text of the keys that hold commands (`run:`,
/// `script:`, `before_script:`, `command:`, ... — one-line values, block scalars and list
/// items) is kept in place; everything else (names, descriptions, other data) is blanked with
/// spaces, so offsets, lines and columns stay those of the file. Shell scripts go to the
/// first text, PowerShell ones (`pwsh:` steps, `shell: pwsh`, `PowerShell@2` tasks) to the
/// second, if there are any.
pub fn yaml_scripts(text: &str) -> (String, Option<String>) {
    const KEYS: &[&str] = &[
        "run",
        "script",
        "scripts",
        "before_script",
        "after_script",
        "command",
        "commands",
        "cmd",
        "cmds",
        "entrypoint",
        "args",
        "shell",
        "bash",
        "sh",
        "inlinescript",
        "install",
        "before_install",
        "after_install",
        "after_success",
        "after_failure",
        "before_deploy",
        "after_deploy",
        "deploy",
        "pre",
        "post",
        "exec",
        "test",
        "pwsh",
        "powershell",
        "inline",
    ];
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let ps_steps = powershell_steps(&lines);
    let mut ps = String::with_capacity(text.len());
    let mut any_ps = false;
    // The script being kept is PowerShell.
    let mut in_ps = false;
    let mut out = String::with_capacity(text.len());
    // Inside a command key's value: the key line's indentation.
    let mut within: Option<usize> = None;
    // Inside a block scalar kept as code: its parent indentation, and whether it is folded
    // (`>`: its lines are one command line).
    let mut block: Option<(usize, bool)> = None;
    for (li, line) in lines.iter().enumerate() {
        let line: &str = line;
        let body = line.trim_end_matches(['\n', '\r']);
        let blank_line = |o: &mut String| {
            o.extend(std::iter::repeat_n(' ', body.len()));
            o.push_str(&line[body.len()..]);
        };
        let indent = body.len() - body.trim_start().len();
        let trimmed = body.trim_start();
        let blank = trimmed.is_empty();
        if let Some((bi, folded)) = block {
            if blank || indent > bi {
                let (keep, other) = if in_ps {
                    (&mut ps, &mut out)
                } else {
                    (&mut out, &mut ps)
                };
                if folded && !blank && line.ends_with('\n') {
                    // The newline becomes a space: same offsets, one line for the lexer.
                    keep.push_str(&line[..line.len() - 1]);
                    keep.push(' ');
                } else {
                    keep.push_str(line);
                }
                blank_line(other);
                continue;
            }
            block = None;
        }
        if let Some(wi) = within
            && !blank
            && (indent < wi || indent == wi && !trimmed.starts_with("- "))
        {
            within = None;
        }
        let mut keep_from: Option<usize> = None;
        // `- item` of a command list.
        let (item_off, rest) = match trimmed.strip_prefix("- ") {
            Some(r) => (
                indent + 2 + (r.len() - r.trim_start().len()),
                r.trim_start(),
            ),
            None if trimmed == "-" => (indent + 1, ""),
            None => (indent, trimmed),
        };
        let key_val = yaml_key(rest);
        match key_val {
            Some((key, voff)) if KEYS.contains(&key.as_str()) => {
                // PowerShell: `pwsh:`/`powershell:` steps (Azure Pipelines), and the script of a
                // step with `shell: pwsh` (GitHub) or a `PowerShell@2` task.
                in_ps = matches!(key.as_str(), "pwsh" | "powershell")
                    || ps_steps[li]
                        && matches!(key.as_str(), "run" | "script" | "inline" | "inlinescript");
                any_ps |= in_ps;
                if key == "inline" && !in_ps {
                    blank_line(&mut out);
                    blank_line(&mut ps);
                    continue;
                }
                let v = rest[voff..].trim_start();
                let vstart = item_off + voff + (rest[voff..].len() - v.len());
                if v.starts_with('|') || v.starts_with('>') {
                    // Its lines are indented deeper than the key (`- run: |` keys sit after
                    // the dash).
                    block = Some((item_off, v.starts_with('>')));
                } else if v.is_empty() {
                    within = Some(indent);
                } else {
                    keep_from = Some(vstart);
                }
            }
            _ => {
                if within.is_some() && trimmed.starts_with('-') {
                    let v = rest;
                    if v.starts_with('|') || v.starts_with('>') {
                        block = Some((indent, v.starts_with('>')));
                    } else if !v.is_empty() && key_val.is_none() {
                        keep_from = Some(item_off);
                    }
                }
            }
        }
        match keep_from {
            Some(k) => {
                let (keep, other) = if in_ps {
                    (&mut ps, &mut out)
                } else {
                    (&mut out, &mut ps)
                };
                let (head, value) = body.split_at(k.min(body.len()));
                keep.extend(std::iter::repeat_n(' ', head.len()));
                keep.push_str(&unquote_scalar(value));
                keep.push_str(&line[body.len()..]);
                blank_line(other);
            }
            None => {
                blank_line(&mut out);
                blank_line(&mut ps);
            }
        }
    }
    (out, any_ps.then_some(ps))
}

/// CI YAML as shell: see [`yaml_scripts`] (PowerShell steps are blanked).
pub fn yaml_shell_text(text: &str) -> String {
    yaml_scripts(text).0
}

/// For each line of a YAML file: whether it belongs to a list item (a CI step) that runs
/// PowerShell (`shell: pwsh`, `shell: powershell`, `task: PowerShell@2`, `AzurePowerShell@5`).
fn powershell_steps(lines: &[&str]) -> Vec<bool> {
    let info: Vec<(usize, &str)> = lines
        .iter()
        .map(|l| {
            let b = l.trim_end_matches(['\n', '\r']);
            (b.len() - b.trim_start().len(), b.trim_start())
        })
        .collect();
    let is_item = |t: &str| t.starts_with("- ") || t == "-";
    let says_ps = |t: &str| {
        let t = t.trim_start_matches("- ").to_ascii_lowercase();
        let v = |k: &str| {
            t.strip_prefix(k)
                .map(|r| r.trim().trim_matches(['"', '\'']))
        };
        v("shell:").is_some_and(|x| x.starts_with("pwsh") || x.starts_with("powershell"))
            || v("task:").is_some_and(|x| x.contains("powershell@"))
    };
    let mut out = vec![false; lines.len()];
    let mut i = 0;
    while i < info.len() {
        let (ind, t) = info[i];
        if !is_item(t) {
            i += 1;
            continue;
        }
        // The item's extent: following lines indented deeper (or blank).
        let mut end = i + 1;
        while end < info.len() && (info[end].1.is_empty() || info[end].0 > ind) {
            // A nested item starts its own step.
            if is_item(info[end].1) && info[end].0 > ind {
                break;
            }
            end += 1;
        }
        let mut stop = end;
        while stop < info.len() && (info[stop].1.is_empty() || info[stop].0 > ind) {
            stop += 1;
        }
        // Its own keys (not those of nested items) say how it runs.
        if (i..end).any(|k| says_ps(info[k].1)) {
            for o in &mut out[i..stop] {
                *o = true;
            }
        }
        i = end;
    }
    out
}

/// `key: value` → the lowercased key (its last `.`-segment) and the offset of the value.
fn yaml_key(s: &str) -> Option<(String, usize)> {
    let i = s.find(':')?;
    let key = s[..i].trim().trim_matches(['"', '\'']);
    if key.is_empty()
        || key.contains(' ')
        || !(s[i + 1..].is_empty() || s[i + 1..].starts_with(' '))
    {
        return None;
    }
    let last = key.rsplit('.').next().unwrap_or(key).to_ascii_lowercase();
    Some((last, i + 1))
}

/// A YAML scalar written in quotes (`"curl ..."`): the quotes become spaces.
fn unquote_scalar(v: &str) -> String {
    let t = v.trim_end();
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            let mut s = String::with_capacity(v.len());
            s.push(' ');
            s.push_str(&t[1..t.len() - 1]);
            s.push(' ');
            s.push_str(&v[t.len()..]);
            return s;
        }
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::lex::Lang;

    fn site_list(src: &str) -> Vec<(String, String)> {
        super::super::method_urls(src, Lang::Shell, sites)
    }

    #[test]
    fn curl_methods() {
        let s = site_list(
            "curl -sS -XPOST \"$B/v3/search\" -d '{}'\ncurl --data @q.json $B/v3/a\ncurl -G -d x=1 $B/v3/b\ncurl -I $B/v3/c\ncurl -T f $B/v3/d\ncurl -X PATCH -d x --url $B/v3/e\ncurl -sSfL -H 'A: b' $B/v3/f | jq .\n",
        );
        let want = [
            ("POST", "{env:B}/v3/search"),
            ("POST", "{env:B}/v3/a"),
            ("GET", "{env:B}/v3/b"),
            ("HEAD", "{env:B}/v3/c"),
            ("PUT", "{env:B}/v3/d"),
            ("PATCH", "{env:B}/v3/e"),
            ("GET", "{env:B}/v3/f"),
        ];
        let got: Vec<(&str, &str)> = s.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn wget_and_httpie() {
        let s = site_list(
            "wget -qO- --method=DELETE $B/v3/a\nwget --post-data '{}' $B/v3/b\nhttp POST $B/v3/c name=x\nhttp $B/v3/d name=x\nhttp $B/v3/e q==1 Authorization:x\nxh :3000/v3/f\n",
        );
        let got: Vec<(&str, &str)> = s.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(
            got,
            [
                ("DELETE", "{env:B}/v3/a"),
                ("POST", "{env:B}/v3/b"),
                ("POST", "{env:B}/v3/c"),
                ("POST", "{env:B}/v3/d"),
                ("GET", "{env:B}/v3/e"),
            ]
        );
    }

    #[test]
    fn commands_in_substitutions_and_prefixes() {
        let s = site_list(
            "X=$(curl -s \"$B/v3/a\")\nif true; then sudo -u me curl $B/v3/b; fi\nRUN curl $B/v3/c && echo done\n@curl $(B)/v3/d\necho curl $B/v3/e\ncat <<EOF\ncurl $B/v3/f\nEOF\n",
        );
        let urls: Vec<&str> = s.iter().map(|(_, u)| u.as_str()).collect();
        assert_eq!(
            urls,
            [
                "{env:B}/v3/a",
                "{env:B}/v3/b",
                "{env:B}/v3/c",
                "{env:B}/v3/d"
            ]
        );
    }

    #[test]
    fn yaml_keeps_command_values_in_place() {
        let y = "name: Don't run\non: push\njobs:\n  x:\n    steps:\n      - name: call\n        run: curl \"$U/v3/a\"\n      - run: |\n          curl $U/v3/b\n    script:\n      - curl $U/v3/c\n      - echo hi\n    description: curl $U/v3/no\n";
        let t = yaml_shell_text(y);
        assert_eq!(t.len(), y.len());
        assert!(!t.contains("Don't"));
        assert!(t.contains("curl \"$U/v3/a\""));
        assert!(t.contains("curl $U/v3/b"));
        assert!(t.contains("curl $U/v3/c"));
        assert!(!t.contains("/v3/no"));
        let a = y.find("curl \"$U").unwrap();
        assert_eq!(&t[a..a + 4], "curl");
    }

    #[test]
    fn yaml_powershell_steps_are_apart() {
        let y = "steps:\n  - pwsh: |\n      irm $u/v3/a\n    displayName: Don't\n  - task: PowerShell@2\n    inputs:\n      script: |\n        irm $u/v3/b\n  - bash: curl $u/v3/c\n  - name: x\n    shell: pwsh\n    run: irm $u/v3/d\n";
        let (sh, ps) = yaml_scripts(y);
        let ps = ps.unwrap();
        assert_eq!((sh.len(), ps.len()), (y.len(), y.len()));
        for p in ["/v3/a", "/v3/b", "/v3/d"] {
            assert!(ps.contains(p) && !sh.contains(p), "{p}");
        }
        assert!(sh.contains("/v3/c") && !ps.contains("/v3/c"));
        assert!(!ps.contains("Don't") && !sh.contains("Don't"));
    }
}
