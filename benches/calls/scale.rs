//! Scaling: the same generated project at 1×, 2×, 4× and 8×.
//!
//! The 1× project is a set of *units*, one language each (Python, TypeScript, JavaScript, Go,
//! PowerShell, Java, C#, shell), made the way integrations are made: a module of constants (the
//! tenant's base URL), a client module whose request helpers build URLs from those constants,
//! and caller modules that import the constants and the helpers — of their own unit and of the
//! next unit of the same language — and call them with ISC paths, plus modules without any
//! hint. The k× project is k copies of the 1× project under new names (modules, helpers,
//! constants, packages and classes are all renamed per copy), so the helpers and constants a
//! resolver has to follow grow with k as well as the files. The layout of unit `u` comes from
//! a generator seeded with `u` alone, so every copy has the same shape: the number of calls
//! found must be exactly k times that of 1× (asserted), whatever the finder resolves.
//!
//! Printed: for each size the files, bytes, call sites written and calls found (resolved);
//! `calls --format json` at k× vs 1× for k = 2, 4, 8 (ratios of medians of interleaved runs;
//! aim 9/8·k, so ≤ 9× at 8×), and the same ratios with the fixed start-up cost (`calls` on an
//! empty folder, in the same rounds) subtracted from both sides.
//!
//! `BENCH_SCALE_FILES=N` sets the number of files at 1× (default 600); `BENCH_SCALE_TREE=DIR`
//! writes the trees to `DIR/1x`, `DIR/2x`, ... and keeps them (to profile `calls` on them).

use super::{Proc, Rng, TempDir, env_usize};
use crate::common::*;
use isc_scope_lint::discover::prefilter;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

const SIZES: [usize; 4] = [1, 2, 4, 8];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Lang {
    Python,
    TypeScript,
    JavaScript,
    Go,
    PowerShell,
    Java,
    CSharp,
    Shell,
}

const LANGS: [Lang; 8] = [
    Lang::Python,
    Lang::TypeScript,
    Lang::JavaScript,
    Lang::Go,
    Lang::PowerShell,
    Lang::Java,
    Lang::CSharp,
    Lang::Shell,
];

impl Lang {
    fn name(self) -> &'static str {
        match self {
            Lang::Python => "Python",
            Lang::TypeScript => "TypeScript",
            Lang::JavaScript => "JavaScript",
            Lang::Go => "Go",
            Lang::PowerShell => "PowerShell",
            Lang::Java => "Java",
            Lang::CSharp => "C#",
            Lang::Shell => "shell",
        }
    }

    /// The language of a file of the generated tree, from its extension.
    fn of(file: &str) -> Option<Lang> {
        let ext = file.rsplit('.').next()?;
        Some(match ext {
            "py" => Lang::Python,
            "ts" => Lang::TypeScript,
            "js" => Lang::JavaScript,
            "go" => Lang::Go,
            "ps1" => Lang::PowerShell,
            "java" => Lang::Java,
            "cs" => Lang::CSharp,
            "sh" => Lang::Shell,
            _ => return None,
        })
    }

    /// The filler of the walk benchmark's tree that fits (C# methods read like Java's).
    fn filler(self) -> super::Lang {
        match self {
            Lang::Python => super::Lang::Python,
            Lang::TypeScript | Lang::JavaScript => super::Lang::TypeScript,
            Lang::Go => super::Lang::Go,
            Lang::PowerShell => super::Lang::PowerShell,
            Lang::Java | Lang::CSharp => super::Lang::Java,
            Lang::Shell => super::Lang::Shell,
        }
    }
}

/// Paths the helpers are called with (real ISC operations; a query string now and then).
const GET_PATHS: &[&str] = &[
    "/v3/sources",
    "/v3/identities",
    "/v3/access-profiles",
    "/v3/roles",
    "/v3/transforms",
    "/v3/certifications",
    "/v2025/accounts?limit=250",
    "/v2024/entitlements",
    "/beta/workflows",
    "/v3/identity-profiles",
];
const POST_PATHS: &[&str] = &[
    "/v3/search",
    "/v3/access-profiles",
    "/v3/transforms",
    "/beta/workflows",
    "/v3/roles",
];

/// How a caller reaches the tenant.
#[derive(Clone, Copy)]
enum Site {
    /// The GET helper of its own unit.
    Get(&'static str),
    /// The POST helper of its own unit.
    Post(&'static str),
    /// The GET helper of the next unit of the same language.
    Neighbour(&'static str),
    /// The HTTP client directly, with the base URL constant of its own unit.
    Direct(&'static str),
}

struct Caller {
    noun: &'static str,
    before: Vec<Block>,
    sites: Vec<Site>,
    after: Vec<Block>,
}

#[derive(Clone, Copy)]
struct Block {
    verb: &'static str,
    noun: &'static str,
    a: usize,
    b: usize,
}

/// One unit of the 1× project; rendered once per copy under that copy's names.
struct Unit {
    lang: Lang,
    callers: Vec<Caller>,
    /// Lengths in lines of the modules without a hint.
    fillers: Vec<usize>,
}

impl Unit {
    /// The layout of unit `u`: from a generator seeded with `u` only.
    fn plan(u: usize) -> Unit {
        let mut rng =
            Rng(0x5DEE_CE66_D1CE_4E5B ^ (u as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        for _ in 0..4 {
            rng.next();
        }
        let blocks = |rng: &mut Rng, n: usize| -> Vec<Block> {
            (0..n)
                .map(|_| Block {
                    verb: rng.pick(super::VERBS),
                    noun: rng.pick(super::NOUNS),
                    a: rng.below(1000),
                    b: rng.below(100),
                })
                .collect()
        };
        let callers = (0..2 + rng.below(5))
            .map(|_| {
                let noun = rng.pick(super::NOUNS);
                let n_before = rng.below(6);
                let before = blocks(&mut rng, n_before);
                let sites = (0..1 + rng.below(4))
                    .map(|_| match rng.below(4) {
                        0 => Site::Get(rng.pick(GET_PATHS)),
                        1 => Site::Post(rng.pick(POST_PATHS)),
                        2 => Site::Neighbour(rng.pick(GET_PATHS)),
                        _ => Site::Direct(rng.pick(GET_PATHS)),
                    })
                    .collect();
                let n_after = rng.below(6);
                let after = blocks(&mut rng, n_after);
                Caller {
                    noun,
                    before,
                    sites,
                    after,
                }
            })
            .collect();
        let fillers = (0..rng.below(3)).map(|_| rng.lines()).collect();
        Unit {
            lang: LANGS[u % LANGS.len()],
            callers,
            fillers,
        }
    }

    fn files(&self) -> usize {
        2 + self.callers.len() + self.fillers.len()
    }

    fn sites(&self) -> usize {
        self.callers.iter().map(|c| c.sites.len()).sum()
    }
}

/// The 1× project: units until `n_files` files.
struct Project {
    units: Vec<Unit>,
    /// For each unit, the next unit of the same language (itself when it is the only one).
    neighbour: Vec<usize>,
}

impl Project {
    fn new(n_files: usize) -> Project {
        let mut units = Vec::new();
        let mut files = 0;
        // At least one unit of each language.
        while files < n_files || units.len() < LANGS.len() {
            let u = Unit::plan(units.len());
            files += u.files();
            units.push(u);
        }
        let neighbour = (0..units.len())
            .map(|u| {
                (1..=units.len())
                    .map(|d| (u + d) % units.len())
                    .find(|&v| units[v].lang == units[u].lang)
                    .unwrap_or(u)
            })
            .collect();
        Project { units, neighbour }
    }

    fn files(&self) -> usize {
        self.units.iter().map(Unit::files).sum()
    }

    fn sites(&self) -> usize {
        self.units.iter().map(Unit::sites).sum()
    }

    /// Writes `copies` copies of the project under `root`; returns the bytes written.
    fn write(&self, root: &Path, copies: usize, rng_fill: &mut FillerCache) -> usize {
        let n = self.units.len();
        let mut bytes = 0;
        let mut dirs = std::collections::HashSet::new();
        for c in 0..copies {
            for (u, unit) in self.units.iter().enumerate() {
                // Global names: unit `u` of copy `c` is `j`; its neighbour is in the same copy.
                let j = c * n + u;
                let nb = c * n + self.neighbour[u];
                for (rel, text) in render(unit, u, j, nb, rng_fill) {
                    let p = root.join(&rel);
                    let parent = p.parent().expect("parent").to_path_buf();
                    if dirs.insert(parent.clone()) {
                        std::fs::create_dir_all(&parent).expect("mkdir");
                    }
                    bytes += text.len();
                    std::fs::write(&p, text).expect("write");
                }
            }
        }
        bytes
    }
}

/// The hint-free filler of unit `u` (the same in every copy), made once.
#[derive(Default)]
struct FillerCache(BTreeMap<(usize, usize), String>);

impl FillerCache {
    fn get(&mut self, u: usize, k: usize, lang: Lang, lines: usize) -> &str {
        self.0.entry((u, k)).or_insert_with(|| {
            let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ ((u * 131 + k) as u64 + 7));
            let text = super::body(&mut rng, lang.filler(), lines, false, false);
            assert!(
                !prefilter::matches(text.as_bytes()),
                "generated {lang:?} filler spells a hint"
            );
            text
        })
    }
}

fn cap(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut up = true;
    for ch in s.chars() {
        if ch == '_' {
            up = true;
        } else if up {
            out.extend(ch.to_uppercase());
            up = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// The files of unit `u` rendered as global unit `j` whose neighbour is `nb`.
fn render(
    unit: &Unit,
    u: usize,
    j: usize,
    nb: usize,
    fill: &mut FillerCache,
) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let blocks = |out: &mut String, bs: &[Block], lang: Lang| {
        for b in bs {
            let mut s = super::block(lang.filler(), b.verb, b.noun, b.a, b.b);
            if lang == Lang::CSharp {
                s = s
                    .replace("Map<String, Integer>", "IDictionary<string, int>")
                    .replace("List<Integer>", "IList<int>")
                    .replace("for (int v : values)", "foreach (int v in values)")
                    .replace("Map.of(", "new Dictionary<string, int> { [")
                    .replace(", total);", "] = total };");
            }
            out.push_str(&s);
        }
    };
    match unit.lang {
        Lang::Python => {
            let dir = "services/py";
            files.push((
                format!("{dir}/config_{j}.py"),
                format!(
                    "\"\"\"Settings of ISC client {j}.\"\"\"\n\nBASE_{j} = \"https://acme.api.identitynow.com\"\n\
                     TIMEOUT_{j} = 30\n"
                ),
            ));
            files.push((
                format!("{dir}/client_{j}.py"),
                format!(
                    "import requests\n\nfrom config_{j} import BASE_{j}, TIMEOUT_{j}\n\n\n\
                     def get_{j}(path, **params):\n    \
                     return requests.get(BASE_{j} + path, params=params, timeout=TIMEOUT_{j})\n\n\n\
                     def post_{j}(path, body):\n    \
                     return requests.post(f\"{{BASE_{j}}}{{path}}\", json=body, timeout=TIMEOUT_{j})\n"
                ),
            ));
            for (i, c) in unit.callers.iter().enumerate() {
                let mut t = format!(
                    "\"\"\"{noun} jobs.\"\"\"\nfrom typing import Any\n\nimport requests\n\n\
                     import client_{j}\nfrom client_{nb} import get_{nb}\nfrom config_{j} import BASE_{j}\n\n\n",
                    noun = c.noun
                );
                blocks(&mut t, &c.before, unit.lang);
                let _ = writeln!(
                    t,
                    "def sync_{}_{i}(body: dict) -> list:\n    out = []",
                    c.noun
                );
                for s in &c.sites {
                    let line = match s {
                        Site::Get(p) => format!("client_{j}.get_{j}(\"{p}\")"),
                        Site::Post(p) => format!("client_{j}.post_{j}(\"{p}\", body)"),
                        Site::Neighbour(p) => format!("get_{nb}(\"{p}\")"),
                        Site::Direct(p) => {
                            format!("requests.get(f\"{{BASE_{j}}}{p}\", timeout=10)")
                        }
                    };
                    let _ = writeln!(t, "    out.append({line})");
                }
                t.push_str("    return out\n\n\n");
                blocks(&mut t, &c.after, unit.lang);
                files.push((format!("{dir}/{}_{j}_{i}.py", c.noun), t));
            }
        }
        Lang::TypeScript | Lang::JavaScript => {
            let ts = unit.lang == Lang::TypeScript;
            let (dir, ext) = if ts {
                ("web/src/api", "ts")
            } else {
                ("web/lib", "js")
            };
            let (path_t, body_t, ret_t) = if ts {
                (": string", ": unknown", ": Promise<Response>")
            } else {
                ("", "", "")
            };
            let config = if ts {
                format!(
                    "export const BASE_{j} = \"https://acme.api.identitynow.com\";\nexport const PAGE_{j} = 250;\n"
                )
            } else {
                format!(
                    "const BASE_{j} = \"https://acme.api.identitynow.com\";\nconst PAGE_{j} = 250;\n\n\
                     module.exports = {{ BASE_{j}, PAGE_{j} }};\n"
                )
            };
            files.push((format!("{dir}/config_{j}.{ext}"), config));
            let imports = if ts {
                format!(
                    "import axios from 'axios';\nimport {{ BASE_{j} }} from './config_{j}';\n\n"
                )
            } else {
                format!(
                    "const axios = require('axios');\nconst {{ BASE_{j} }} = require('./config_{j}');\n\n"
                )
            };
            let export = if ts { "export " } else { "" };
            let mut client = imports;
            let _ = write!(
                client,
                "{export}async function iscGet{j}(path{path_t}){ret_t} {{\n  \
                 return fetch(BASE_{j} + path, {{ headers: {{ Accept: 'application/json' }} }});\n}}\n\n\
                 {export}async function iscPost{j}(path{path_t}, body{body_t}) {{\n  \
                 return axios.post(`${{BASE_{j}}}${{path}}`, body);\n}}\n"
            );
            if !ts {
                let _ = write!(client, "\nmodule.exports = {{ iscGet{j}, iscPost{j} }};\n");
            }
            files.push((format!("{dir}/client_{j}.{ext}"), client));
            for (i, c) in unit.callers.iter().enumerate() {
                let mut t = if ts {
                    format!(
                        "import {{ iscGet{j}, iscPost{j} }} from './client_{j}';\n\
                         import {{ iscGet{nb} }} from './client_{nb}';\nimport {{ BASE_{j} }} from './config_{j}';\n\n"
                    )
                } else {
                    format!(
                        "const {{ iscGet{j}, iscPost{j} }} = require('./client_{j}');\n\
                         const {{ iscGet{nb} }} = require('./client_{nb}');\nconst {{ BASE_{j} }} = require('./config_{j}');\n\n"
                    )
                };
                blocks(&mut t, &c.before, unit.lang);
                let _ = writeln!(
                    t,
                    "{export}async function sync{}{i}(body{body_t}) {{\n  const out = [];",
                    cap(c.noun)
                );
                for s in &c.sites {
                    let call = match s {
                        Site::Get(p) => format!("iscGet{j}('{p}')"),
                        Site::Post(p) => format!("iscPost{j}('{p}', body)"),
                        Site::Neighbour(p) => format!("iscGet{nb}('{p}')"),
                        Site::Direct(p) => format!("fetch(`${{BASE_{j}}}{p}`)"),
                    };
                    let _ = writeln!(t, "  out.push(await {call});");
                }
                t.push_str("  return out;\n}\n\n");
                blocks(&mut t, &c.after, unit.lang);
                if !ts {
                    let _ = writeln!(t, "module.exports = {{ sync{}{i} }};", cap(c.noun));
                }
                files.push((format!("{dir}/{}_{j}_{i}.{ext}", c.noun), t));
            }
        }
        Lang::Go => {
            let dir = format!("cmd/unit{j}");
            files.push((
                format!("{dir}/config.go"),
                format!(
                    "package unit{j}\n\n// BaseURL{j} is the tenant's API root.\n\
                     const BaseURL{j} = \"https://acme.api.identitynow.com\"\n"
                ),
            ));
            files.push((
                format!("{dir}/client.go"),
                format!(
                    "package unit{j}\n\nimport (\n\t\"context\"\n\t\"net/http\"\n)\n\n\
                     // Client{j} sends the requests of unit {j}.\ntype Client{j} struct {{\n\thttp *http.Client\n}}\n\n\
                     func (c *Client{j}) do(ctx context.Context, method, url string) (*http.Response, error) {{\n\
                     \treq, err := http.NewRequestWithContext(ctx, method, url, nil)\n\tif err != nil {{\n\t\treturn nil, err\n\t}}\n\
                     \treturn c.http.Do(req)\n}}\n"
                ),
            ));
            for (i, c) in unit.callers.iter().enumerate() {
                let other = if nb == j {
                    String::new()
                } else {
                    format!("\n\t\"acme.example/cmd/unit{nb}\"")
                };
                let mut t = format!(
                    "package unit{j}\n\nimport (\n\t\"context\"\n\t\"encoding/json\"\n\t\"fmt\"\n\t\"net/http\"\n\t\"os\"{other}\n)\n\n"
                );
                blocks(&mut t, &c.before, unit.lang);
                let _ = writeln!(
                    t,
                    "// Sync{n}{i} refreshes the {noun} records.\nfunc (c *Client{j}) Sync{n}{i}(ctx context.Context) error {{",
                    n = cap(c.noun),
                    noun = c.noun
                );
                for s in &c.sites {
                    let (call, url) = match s {
                        Site::Get(p) => ("c.do(ctx, \"GET\", ", format!("BaseURL{j}+\"{p}\"")),
                        Site::Post(p) => ("c.do(ctx, \"POST\", ", format!("BaseURL{j}+\"{p}\"")),
                        Site::Neighbour(p) if nb == j => {
                            ("c.do(ctx, http.MethodGet, ", format!("BaseURL{j}+\"{p}\""))
                        }
                        Site::Neighbour(p) => (
                            "c.do(ctx, http.MethodGet, ",
                            format!("unit{nb}.BaseURL{nb}+\"{p}\""),
                        ),
                        Site::Direct(p) => (
                            "http.NewRequestWithContext(ctx, http.MethodGet, ",
                            format!("BaseURL{j}+\"{p}\", nil"),
                        ),
                    };
                    let _ = writeln!(
                        t,
                        "\tif _, err := {call}{url}); err != nil {{\n\t\treturn err\n\t}}"
                    );
                }
                t.push_str("\treturn nil\n}\n\n");
                blocks(&mut t, &c.after, unit.lang);
                files.push((format!("{dir}/{}_{i}.go", c.noun), t));
            }
        }
        Lang::PowerShell => {
            let dir = "ops/powershell";
            files.push((
                format!("{dir}/Config{j}.ps1"),
                format!("$script:IscBase{j} = 'https://acme.api.identitynow.com'\n$script:IscPage{j} = 250\n"),
            ));
            files.push((
                format!("{dir}/Client{j}.ps1"),
                format!(
                    ". \"$PSScriptRoot/Config{j}.ps1\"\n\n\
                     function Invoke-IscRequest{j} {{\n    param(\n        [string]$Method = 'GET',\n        \
                     [Parameter(Mandatory)][string]$Path,\n        $Body\n    )\n    \
                     $uri = \"$script:IscBase{j}$Path\"\n    \
                     Invoke-RestMethod -Method $Method -Uri $uri -Headers $script:Headers -Body $Body\n}}\n"
                ),
            ));
            for (i, c) in unit.callers.iter().enumerate() {
                let mut t = format!(
                    ". \"$PSScriptRoot/Config{j}.ps1\"\n. \"$PSScriptRoot/Client{j}.ps1\"\n. \"$PSScriptRoot/Client{nb}.ps1\"\n\n"
                );
                blocks(&mut t, &c.before, unit.lang);
                let _ = writeln!(
                    t,
                    "function Sync-{}{j}x{i} {{\n    param($Body)\n    $out = @()",
                    cap(c.noun)
                );
                for s in &c.sites {
                    let call = match s {
                        Site::Get(p) => format!("Invoke-IscRequest{j} -Path '{p}'"),
                        Site::Post(p) => {
                            format!("Invoke-IscRequest{j} -Method POST -Path '{p}' -Body $Body")
                        }
                        Site::Neighbour(p) => format!("Invoke-IscRequest{nb} -Path '{p}'"),
                        Site::Direct(p) => format!(
                            "Invoke-RestMethod -Uri \"$script:IscBase{j}{p}\" -Headers $script:Headers"
                        ),
                    };
                    let _ = writeln!(t, "    $out += {call}");
                }
                t.push_str("    return $out\n}\n\n");
                blocks(&mut t, &c.after, unit.lang);
                files.push((format!("{dir}/{}{j}_{i}.ps1", cap(c.noun)), t));
            }
        }
        Lang::Java => {
            let dir = format!("jvm/src/main/java/com/acme/unit{j}");
            let pkg = format!("package com.acme.unit{j};\n\n");
            files.push((
                format!("{dir}/Config{j}.java"),
                format!(
                    "{pkg}public final class Config{j} {{\n    \
                     public static final String BASE = \"https://acme.api.identitynow.com\";\n\n    \
                     private Config{j}() {{}}\n}}\n"
                ),
            ));
            files.push((
                format!("{dir}/Client{j}.java"),
                format!(
                    "{pkg}import java.net.URI;\nimport java.net.http.HttpClient;\nimport java.net.http.HttpRequest;\n\
                     import java.net.http.HttpResponse;\n\npublic final class Client{j} {{\n    \
                     private static final HttpClient HTTP = HttpClient.newHttpClient();\n\n    \
                     public static HttpResponse<String> get(String path) throws Exception {{\n        \
                     HttpRequest req = HttpRequest.newBuilder(URI.create(Config{j}.BASE + path)).GET().build();\n        \
                     return HTTP.send(req, HttpResponse.BodyHandlers.ofString());\n    }}\n\n    \
                     public static HttpResponse<String> post(String path, String body) throws Exception {{\n        \
                     HttpRequest req = HttpRequest.newBuilder(URI.create(Config{j}.BASE + path))\n            \
                     .POST(HttpRequest.BodyPublishers.ofString(body)).build();\n        \
                     return HTTP.send(req, HttpResponse.BodyHandlers.ofString());\n    }}\n}}\n"
                ),
            ));
            for (i, c) in unit.callers.iter().enumerate() {
                let other = if nb == j {
                    String::new()
                } else {
                    format!("import com.acme.unit{nb}.Client{nb};\n")
                };
                let class = format!("{}Service{j}x{i}", cap(c.noun));
                let mut t = format!(
                    "{pkg}import java.net.URI;\nimport java.net.http.HttpRequest;\nimport java.util.ArrayList;\n\
                     import java.util.List;\nimport java.util.Map;\n{other}\npublic final class {class} {{\n"
                );
                blocks(&mut t, &c.before, unit.lang);
                t.push_str(
                    "    public static List<Object> sync(String body) throws Exception {\n        \
                     List<Object> out = new ArrayList<>();\n",
                );
                for s in &c.sites {
                    let call = match s {
                        Site::Get(p) => format!("Client{j}.get(\"{p}\")"),
                        Site::Post(p) => format!("Client{j}.post(\"{p}\", body)"),
                        Site::Neighbour(p) => format!("Client{nb}.get(\"{p}\")"),
                        Site::Direct(p) => format!(
                            "HttpRequest.newBuilder(URI.create(Config{j}.BASE + \"{p}\")).GET().build()"
                        ),
                    };
                    let _ = writeln!(t, "        out.add({call});");
                }
                t.push_str("        return out;\n    }\n\n");
                blocks(&mut t, &c.after, unit.lang);
                t.push_str("}\n");
                files.push((format!("{dir}/{class}.java"), t));
            }
        }
        Lang::CSharp => {
            let dir = format!("dotnet/src/Unit{j}");
            let ns = format!("namespace Acme.Unit{j};\n\n");
            files.push((
                format!("{dir}/Config{j}.cs"),
                format!(
                    "{ns}public static class Config{j}\n{{\n    \
                     public const string Base = \"https://acme.api.identitynow.com\";\n}}\n"
                ),
            ));
            files.push((
                format!("{dir}/Client{j}.cs"),
                format!(
                    "using System.Net.Http;\nusing System.Threading.Tasks;\n\n{ns}public static class Client{j}\n{{\n    \
                     private static readonly HttpClient Http = new HttpClient();\n\n    \
                     public static Task<string> GetAsync(string path) => Http.GetStringAsync(Config{j}.Base + path);\n\n    \
                     public static Task<HttpResponseMessage> PostAsync(string path, HttpContent body) =>\n        \
                     Http.PostAsync($\"{{Config{j}.Base}}{{path}}\", body);\n}}\n"
                ),
            ));
            for (i, c) in unit.callers.iter().enumerate() {
                let other = if nb == j {
                    String::new()
                } else {
                    format!("using Acme.Unit{nb};\n")
                };
                let class = format!("{}Service{j}x{i}", cap(c.noun));
                let mut t = format!(
                    "using System.Collections.Generic;\nusing System.Net.Http;\nusing System.Threading.Tasks;\n\
                     {other}\n{ns}public class {class}\n{{\n    private static readonly HttpClient Http = new HttpClient();\n\n"
                );
                blocks(&mut t, &c.before, unit.lang);
                t.push_str(
                    "    public async Task<List<object>> SyncAsync(HttpContent body)\n    {\n        \
                     var output = new List<object>();\n",
                );
                for s in &c.sites {
                    let call = match s {
                        Site::Get(p) => format!("Client{j}.GetAsync(\"{p}\")"),
                        Site::Post(p) => format!("Client{j}.PostAsync(\"{p}\", body)"),
                        Site::Neighbour(p) => format!("Client{nb}.GetAsync(\"{p}\")"),
                        Site::Direct(p) => format!("Http.GetStringAsync(Config{j}.Base + \"{p}\")"),
                    };
                    let _ = writeln!(t, "        output.Add(await {call});");
                }
                t.push_str("        return output;\n    }\n\n");
                blocks(&mut t, &c.after, unit.lang);
                t.push_str("}\n");
                files.push((format!("{dir}/{class}.cs"), t));
            }
        }
        Lang::Shell => {
            let dir = "scripts";
            files.push((
                format!("{dir}/config_{j}.sh"),
                format!("ISC_BASE_{j}=\"https://acme.api.identitynow.com\"\nISC_PAGE_{j}=250\n"),
            ));
            files.push((
                format!("{dir}/client_{j}.sh"),
                format!(
                    ". \"$(dirname \"$0\")/config_{j}.sh\"\n\n\
                     isc_get_{j}() {{\n  curl -fsS -H \"Authorization: Bearer $TOKEN\" \"$ISC_BASE_{j}$1\"\n}}\n\n\
                     isc_post_{j}() {{\n  curl -fsS -X POST -H \"Authorization: Bearer $TOKEN\" \
                     -H 'Content-Type: application/json' -d \"$2\" \"$ISC_BASE_{j}$1\"\n}}\n"
                ),
            ));
            for (i, c) in unit.callers.iter().enumerate() {
                let mut t = format!(
                    "#!/usr/bin/env bash\nset -euo pipefail\n. \"$(dirname \"$0\")/config_{j}.sh\"\n\
                     . \"$(dirname \"$0\")/client_{j}.sh\"\n. \"$(dirname \"$0\")/client_{nb}.sh\"\n\n"
                );
                blocks(&mut t, &c.before, unit.lang);
                let _ = writeln!(t, "sync_{}_{i}() {{", c.noun);
                for s in &c.sites {
                    let call = match s {
                        Site::Get(p) => format!("isc_get_{j} '{p}'"),
                        Site::Post(p) => format!("isc_post_{j} '{p}' \"$1\""),
                        Site::Neighbour(p) => format!("isc_get_{nb} '{p}'"),
                        Site::Direct(p) => format!(
                            "curl -fsS -H \"Authorization: Bearer $TOKEN\" \"$ISC_BASE_{j}{p}\""
                        ),
                    };
                    let _ = writeln!(t, "  {call} >> \"$OUT\"");
                }
                t.push_str("}\n\n");
                blocks(&mut t, &c.after, unit.lang);
                files.push((format!("{dir}/{}_{j}_{i}.sh", c.noun), t));
            }
        }
    }
    let top = files[0]
        .0
        .rsplit_once('/')
        .map_or("", |(d, _)| d)
        .to_string();
    let ext = unit.lang_ext();
    for (k, &lines) in unit.fillers.iter().enumerate() {
        let text = fill.get(u, k, unit.lang, lines).to_string();
        files.push((format!("{top}/util_{j}_{k}.{ext}"), text));
    }
    files
}

impl Unit {
    fn lang_ext(&self) -> &'static str {
        match self.lang {
            Lang::Python => "py",
            Lang::TypeScript => "ts",
            Lang::JavaScript => "js",
            Lang::Go => "go",
            Lang::PowerShell => "ps1",
            Lang::Java => "java",
            Lang::CSharp => "cs",
            Lang::Shell => "sh",
        }
    }
}

/// What `calls --format json` found in one tree.
#[derive(Default, PartialEq, Eq, Debug, Clone)]
struct Found {
    calls: usize,
    resolved: usize,
    by_lang: BTreeMap<Lang, (usize, usize)>,
    warnings: usize,
}

fn found(json: &str) -> Found {
    let v: serde_json::Value = serde_json::from_str(json).expect("calls --format json output");
    let mut f = Found::default();
    for c in v["calls"].as_array().expect("calls array") {
        let resolved = c["resolved"].as_bool() == Some(true);
        f.calls += 1;
        f.resolved += usize::from(resolved);
        let lang = c["file"].as_str().and_then(Lang::of);
        if let Some(l) = lang {
            let e = f.by_lang.entry(l).or_default();
            e.0 += 1;
            e.1 += usize::from(resolved);
        }
    }
    f.warnings = v["warnings"].as_array().map_or(0, Vec::len);
    f
}

pub fn run(bin: &Path, runs: usize) {
    println!();
    println!("== scaling: the same generated project at 1x, 2x, 4x, 8x ==");
    let n1 = env_usize("BENCH_SCALE_FILES", 600);
    let project = Project::new(n1);
    let keep = std::env::var_os("BENCH_SCALE_TREE").map(std::path::PathBuf::from);
    let base = match &keep {
        Some(p) => {
            let _ = std::fs::remove_dir_all(p);
            std::fs::create_dir_all(p).expect("create BENCH_SCALE_TREE");
            TempDir(p.clone(), true)
        }
        None => TempDir::new("isc-calls-scale"),
    };
    let t = Instant::now();
    let mut cache = FillerCache::default();
    let mut trees = Vec::new();
    for k in SIZES {
        let dir = base.0.join(format!("{k}x"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let bytes = project.write(&dir, k, &mut cache);
        trees.push((k, dir, bytes));
    }
    let per_lang: BTreeMap<Lang, usize> = project.units.iter().fold(BTreeMap::new(), |mut m, u| {
        *m.entry(u.lang).or_default() += 1;
        m
    });
    println!(
        "1x: {} units ({}), {} files, {} call sites written; trees written in {:.1} s",
        project.units.len(),
        per_lang
            .iter()
            .map(|(l, n)| format!("{n} {}", l.name()))
            .collect::<Vec<_>>()
            .join(", "),
        project.files(),
        project.sites(),
        t.elapsed().as_secs_f64()
    );

    let empty = TempDir::new("isc-calls-scale-empty");
    let arg = |p: &Path| -> Vec<String> {
        vec![
            "calls".into(),
            p.to_str().expect("UTF-8 temp path").into(),
            "--format".into(),
            "json".into(),
        ]
    };
    // `calls` exits 2 on a tree without calls; it is only the start-up cost here.
    let startup = Proc::new(bin, arg(&empty.0), &[0, 2]);
    let procs: Vec<Proc> = trees
        .iter()
        .map(|(_, dir, _)| Proc::new(bin, arg(dir), &[0]))
        .collect();

    // What each size finds: exactly k times the 1× project (the copies have the same shape).
    let founds: Vec<Found> = procs.iter().map(|p| found(&p.output())).collect();
    println!();
    println!(
        "{:>5}  {:>6}  {:>8}  {:>11}  {:>11}  {:>9}",
        "size", "files", "MB", "sites", "calls found", "resolved"
    );
    for ((k, _, bytes), f) in trees.iter().zip(&founds) {
        println!(
            "{:>4}x  {:>6}  {:>8.2}  {:>11}  {:>11}  {:>9}",
            k,
            project.files() * k,
            *bytes as f64 / 1e6,
            project.sites() * k,
            f.calls,
            f.resolved
        );
    }
    let one = &founds[0];
    println!(
        "1x by language (found/resolved of sites written): {}",
        LANGS
            .iter()
            .map(|l| {
                let (n, r) = one.by_lang.get(l).copied().unwrap_or_default();
                let w: usize = project
                    .units
                    .iter()
                    .filter(|u| u.lang == *l)
                    .map(Unit::sites)
                    .sum();
                format!("{} {n}/{r} of {w}", l.name())
            })
            .collect::<Vec<_>>()
            .join(", ")
    );
    for ((k, _, _), f) in trees.iter().zip(&founds) {
        let scaled = |x: usize| x * k;
        assert_eq!(f.calls, scaled(one.calls), "calls found at {k}x");
        assert_eq!(f.resolved, scaled(one.resolved), "resolved calls at {k}x");
        for (l, (n, r)) in &one.by_lang {
            assert_eq!(
                f.by_lang.get(l).copied().unwrap_or_default(),
                (scaled(*n), scaled(*r)),
                "{} calls at {k}x",
                l.name()
            );
        }
        assert_eq!(f.warnings, scaled(one.warnings), "warnings at {k}x");
    }
    assert!(one.calls > 0, "no call found in the 1x project");

    let mut sides: Vec<Box<dyn FnMut() -> Duration>> = vec![Box::new(|| startup.time())];
    for p in &procs {
        sides.push(Box::new(move || p.time()));
    }
    let mut refs: Vec<&mut dyn FnMut() -> Duration> =
        sides.iter_mut().map(|b| b.as_mut() as _).collect();
    let mut samples = round_robin(runs, &mut refs);
    let t0 = median(samples.remove(0));
    let medians: Vec<Duration> = samples.iter().cloned().map(median).collect();
    let mut rows = Vec::new();
    for (i, &k) in SIZES.iter().enumerate().skip(1) {
        rows.push(Row::new(
            &format!("calls {k}x vs 1x"),
            samples[i].clone(),
            samples[0].clone(),
            9.0 / 8.0 * k as f64,
        ));
    }
    print_table(&rows);
    println!();
    let net = |d: Duration| d.saturating_sub(t0).as_secs_f64();
    println!(
        "start-up (calls on an empty folder): {}; without it: {}",
        fmt_dur(t0),
        SIZES
            .iter()
            .zip(&medians)
            .skip(1)
            .map(|(k, m)| format!("{k}x/1x {:.2}x", net(*m) / net(medians[0])))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "calls throughput: {}",
        SIZES
            .iter()
            .zip(&medians)
            .map(|(k, m)| format!(
                "{k}x {} ({:.0} files/s)",
                fmt_dur(*m),
                (project.files() * k) as f64 / m.as_secs_f64()
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
