//! The tenant audit at the scale of a large organisation, measured in one run.
//!
//! `cargo bench --bench tenant` generates, from the v2025 schemas' fields, an export of
//! 10,000 PATs owned by 2,000 identities (their auth users) and 500 OAuth clients, and 500
//! saved `check --format json` reports declaring 2,000 of those credentials (by `id:` and by
//! name, with operations of the embedded catalog). It prints, as medians of interleaved runs:
//!
//! - `tenant --export DIR --report DIR --format json` (the whole audit, a child process of the
//!   release binary) against the same command on half the tenant and half the reports (aim:
//!   linear, at most 2.5x), and its absolute time (aim: under a second);
//! - the same audit against a bare `serde_json::Value` parse of the same export files (the
//!   least any audit must do).
//!
//! `BENCH_RUNS=N` sets the number of interleaved pairs (default 10); `BENCH_PATS`,
//! `BENCH_OWNERS` override the sizes; `BENCH_TREE=DIR` keeps the generated files there.

use isc_scope_lint::catalog::Catalog;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::*;

const SCOPES: &[&str] = &[
    "idn:sources:read",
    "idn:accounts:read",
    "idn:identity:read",
    "idn:access-profile:read",
    "idn:role-checked:read",
    "sp:search:read",
];

fn env_usize(k: &str, d: usize) -> usize {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}

/// A deterministic generator (xorshift), so every run audits the same tenant.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn id(prefix: char, n: usize) -> String {
    format!("{prefix}{n:031x}")
}

fn date(day: usize) -> String {
    // Days after 2025-01-01 (within two years).
    let (y, d) = if day < 365 {
        (2025, day)
    } else {
        (2026, day - 365)
    };
    let months = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut m, mut d) = (0, d.min(364));
    while d >= months[m] {
        d -= months[m];
        m += 1;
    }
    format!("{y}-{:02}-{:02}T10:00:00.000Z", m + 1, d + 1)
}

/// Writes the export and the reports; returns (export dir, reports dir).
fn generate(root: &Path, pats: usize, owners: usize) -> (PathBuf, PathBuf) {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let export = root.join("export");
    let reports = root.join("reports");
    std::fs::create_dir_all(&export).unwrap();
    std::fs::create_dir_all(&reports).unwrap();
    let users: Vec<Value> = (0..owners)
        .map(|o| {
            let person = o % 3 == 0;
            json!({
                "tenant": "acme", "id": id('0', o), "uid": if person { format!("user{o}") } else { format!("svc-{o}") },
                "profile": "p", "identificationNumber": null, "email": format!("u{o}@acme.example"), "phone": null,
                "workPhone": null, "personalEmail": null,
                "firstname": if person { json!("Jane") } else { Value::Null },
                "lastname": if person { json!(format!("Doe{o}")) } else { Value::Null },
                "displayName": if person { format!("Jane Doe{o}") } else { format!("Service {o}") },
                "alias": format!("a{o}"), "lastPasswordChangeDate": null, "lastLoginTimestamp": 1764000000000u64,
                "currentLoginTimestamp": 1764000000000u64, "lastUnlockTimestamp": null,
                "capabilities": match o % 4 { 0 => json!(["ORG_ADMIN"]), 1 => json!(["SOURCE_SUBADMIN", "HELPDESK"]), 2 => json!(["ROLE_SUBADMIN"]), _ => json!([]) },
            })
        })
        .collect();
    let pat_list: Vec<Value> = (0..pats)
        .map(|p| {
            let o = r.below(owners);
            let scope = match p % 5 {
                0 => json!(["sp:scopes:all"]),
                1 => Value::Null,
                _ => json!([SCOPES[p % SCOPES.len()], SCOPES[(p / 7) % SCOPES.len()]]),
            };
            json!({
                "id": id('a', p), "name": format!("token-{}", p % (pats / 2).max(1)), "scope": scope,
                "owner": {"type": "IDENTITY", "id": id('0', o), "name": users[o]["displayName"]},
                "created": date(r.below(300)), "lastUsed": if p % 11 == 0 { Value::Null } else { json!(date(300 + r.below(400))) },
                "managed": p % 50 == 0, "accessTokenValiditySeconds": 43200,
                "expirationDate": if p % 3 == 0 { Value::Null } else { json!("2027-12-31T00:00:00.000Z") },
                "userAwareTokenNeverExpires": p % 3 == 0, "unknownFutureField": {"x": [1, 2]},
            })
        })
        .collect();
    let clients: Vec<Value> = (0..pats / 20)
        .map(|c| {
            json!({
                "id": id('c', c), "businessName": null, "homepageUrl": null, "name": format!("client-{c}"), "description": null,
                "accessTokenValiditySeconds": 750, "refreshTokenValiditySeconds": 86400, "redirectUris": null,
                "grantTypes": ["CLIENT_CREDENTIALS"], "accessType": "OFFLINE", "type": "CONFIDENTIAL", "internal": false,
                "enabled": true, "strongAuthSupported": false, "claimsSupported": false, "created": date(10),
                "modified": date(10), "secret": null, "metadata": null, "lastUsed": date(600), "scope": [SCOPES[c % SCOPES.len()]],
            })
        })
        .collect();
    // Pages of 250, concatenated, as a paginator would dump them.
    let pages: String = pat_list
        .chunks(250)
        .map(|c| serde_json::to_string(c).unwrap() + "\n")
        .collect();
    std::fs::write(export.join("personal-access-tokens.json"), pages).unwrap();
    std::fs::write(
        export.join("oauth-clients.json"),
        serde_json::to_string_pretty(&clients).unwrap(),
    )
    .unwrap();
    std::fs::write(
        export.join("auth-users.json"),
        serde_json::to_string(&users).unwrap(),
    )
    .unwrap();
    // 500 reports of 4 credentials: every fifth PAT, half by id, half by name; some clients.
    let cat = Catalog::embedded();
    let reads: Vec<String> = cat
        .ops
        .iter()
        .filter(|o| !o.is_write() && o.path.starts_with("/v2025/"))
        .map(|o| o.name())
        .collect();
    let declared = (pats / 5).max(4);
    for rep in 0..declared / 4 {
        let creds: Vec<Value> = (0..4)
            .map(|k| {
                let n = rep * 4 + k;
                let (kind, cid, name) = if n % 10 == 9 && n / 10 < clients.len() {
                    ("oauth-client", id('c', n / 10), format!("client-{}", n / 10))
                } else {
                    ("pat", id('a', n * 5 % pats), format!("token-{}", (n * 5 % pats) % (pats / 2).max(1)))
                };
                let ops: Vec<Value> = (0..3).map(|j| json!({"operation": reads[(n * 3 + j) % reads.len()], "calls": [format!("src/job{j}.py:{}", 10 + j)]})).collect();
                let mut c = json!({
                    "name": name, "kind": kind, "calls": 3, "incomplete": false, "minimal_proven": true,
                    "granted": {"scopes": ["sp:scopes:all"], "user_levels": [], "unlocked_operations": 0, "unlocked_write_operations": 0},
                    "minimal": {"scopes": [], "user_levels": [], "unlocked_operations": 0, "unlocked_write_operations": 0},
                    "client_credentials_possible": false, "scopes_needed_by": {"x": ops}, "user_levels_needed_by": {},
                });
                if n % 2 == 0 {
                    c["id"] = json!(cid);
                }
                c
            })
            .collect();
        let report = json!({"version": isc_scope_lint::report::check::JSON_VERSION, "tool": "isc-scope-lint", "catalog": "x", "scope_semantics": "any-of",
            "manifest": format!("repo-{rep}/isc-scope-lint.yaml"), "files_scanned": 10, "calls": 12, "unresolved_calls": 0,
            "findings": [], "credentials": creds, "project": null, "suppressed": 0, "baselined": 0});
        std::fs::write(
            reports.join(format!("repo-{rep:04}.json")),
            serde_json::to_string_pretty(&report).unwrap(),
        )
        .unwrap();
    }
    (export, reports)
}

struct Audit {
    bin: PathBuf,
    args: Vec<String>,
}

impl Audit {
    fn new(bin: &Path, export: &Path, reports: &Path) -> Audit {
        let args = [
            "tenant",
            "--export",
            &export.display().to_string(),
            "--report",
            &reports.display().to_string(),
            "--as-of",
            "2026-12-01",
            "--format",
            "json",
        ]
        .map(String::from)
        .to_vec();
        let a = Audit {
            bin: bin.to_path_buf(),
            args,
        };
        let out = Command::new(&a.bin)
            .args(&a.args)
            .stdin(Stdio::null())
            .output()
            .expect("run the audit");
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
        println!(
            "  {}: {} PAT(s), {} OAuth client(s), {} auth user(s), {} declared, {} finding(s)",
            export.display(),
            v["inventory"]["personal_access_tokens"],
            v["inventory"]["oauth_clients"],
            v["inventory"]["auth_users"],
            v["declared"].as_array().map_or(0, Vec::len),
            v["findings"].as_array().map_or(0, Vec::len)
        );
        a
    }

    fn time(&self) -> Duration {
        let t = Instant::now();
        let s = Command::new(&self.bin)
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run");
        assert!(matches!(s.code(), Some(0 | 1)));
        t.elapsed()
    }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("tenant bench: run it with `cargo bench --bench tenant`");
        return;
    }
    let runs = env_usize("BENCH_RUNS", 10);
    let (pats, owners) = (
        env_usize("BENCH_PATS", 10_000),
        env_usize("BENCH_OWNERS", 2_000),
    );
    let bin = binary();
    let tmp = tempfile::tempdir().unwrap();
    let root =
        std::env::var_os("BENCH_TREE").map_or_else(|| tmp.path().to_path_buf(), PathBuf::from);
    println!(
        "binary: {}; {runs} interleaved pair(s) after {WARMUP} warm-up pair(s)",
        bin.display()
    );
    let (export, reports) = generate(&root.join("big"), pats, owners);
    let (half_export, half_reports) = generate(&root.join("half"), pats / 2, owners / 2);
    let big = Audit::new(&bin, &export, &reports);
    let half = Audit::new(&bin, &half_export, &half_reports);
    let mut rows = Vec::new();
    let mut s = round_robin(runs, &mut [&mut || big.time(), &mut || half.time()]).into_iter();
    let (a, b) = (s.next().unwrap(), s.next().unwrap());
    let big_median = median(a.clone());
    rows.push(Row::new(
        &format!("tenant {pats} PATs/{owners} owners vs half of it"),
        a,
        b,
        2.5, // linear in the tenant: twice the data, at most 2.5 times the time
    ));
    // The least any audit must do: parse the export.
    let files: Vec<PathBuf> = [
        "personal-access-tokens.json",
        "oauth-clients.json",
        "auth-users.json",
    ]
    .iter()
    .map(|f| export.join(f))
    .collect();
    let parse = || {
        let t = Instant::now();
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap();
            let n = serde_json::Deserializer::from_str(&text)
                .into_iter::<Value>()
                .count();
            assert!(n > 0);
        }
        t.elapsed()
    };
    let mut s = round_robin(runs, &mut [&mut || big.time(), &mut { parse }]).into_iter();
    let (a, b) = (s.next().unwrap(), s.next().unwrap());
    rows.push(Row::new(
        "tenant audit vs bare JSON parse of the export",
        a,
        b,
        20.0,
    ));
    print_table(&rows);
    println!(
        "\nthe audit of {pats} PATs and {owners} owners: {} (aim: under 1 s) — {}",
        fmt_dur(big_median),
        if big_median < Duration::from_secs(1) {
            "ok"
        } else {
            "OVER"
        }
    );
}
