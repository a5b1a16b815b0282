//! The live, read-only inventory: a token from `/oauth/token` (client credentials from
//! `SAIL_CLIENT_ID` / `SAIL_CLIENT_SECRET`), then `GET /v2025/personal-access-tokens`,
//! `GET /v2025/oauth-clients` (both paginated) and `GET /v2025/auth-users/{id}` per PAT owner.
//!
//! Requests retry on 429 and 5xx (and on timeouts and dropped connections), waiting what
//! `Retry-After` says or an exponential back-off, each wait capped and the number of retries
//! bounded. TLS (rustls, with the Mozilla roots) by default; a plain `http://` base is accepted
//! only for a loopback host. Errors name the request (method, path, status) and nothing else:
//! never the secret, the token, an `Authorization` header or a response body.
//!
//! This is the only network code of the tool; nothing else reaches it.

use super::inventory::{self, Input, Inventory, Kind};
use crate::error::PlainError;
use serde_json::Value;
use std::time::Duration;

/// Largest response body read.
pub const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;
/// Most pages read of one list (at the default page size: 2.5 million records).
pub const MAX_PAGES: usize = 10_000;

/// How to reach the tenant.
#[derive(Clone, Debug)]
pub struct Options {
    /// `https://acme.api.identitynow.com` (no trailing slash).
    pub base: String,
    /// Connect and read timeout of each request.
    pub timeout: Duration,
    /// Retries of one request after a 429, a 5xx, a timeout or a dropped connection.
    pub max_retries: u32,
    /// The longest wait before a retry (caps `Retry-After` and the back-off).
    pub max_wait: Duration,
    /// The first back-off (doubled on each retry) when no `Retry-After` is given.
    pub backoff: Duration,
    /// `limit` of the paginated lists.
    pub page_size: usize,
}

/// The client id and secret (never shown: `Debug` hides the secret).
pub struct Credentials {
    pub client_id: String,
    secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Credentials {{ client_id: {:?}, secret: *** }}",
            self.client_id
        )
    }
}

/// `SAIL_CLIENT_ID` and `SAIL_CLIENT_SECRET`, as the `sail` CLI names them.
pub fn credentials_from_env() -> Result<Credentials, PlainError> {
    let get = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    match (get("SAIL_CLIENT_ID"), get("SAIL_CLIENT_SECRET")) {
        (Some(client_id), Some(secret)) => Ok(Credentials { client_id: client_id.trim().to_string(), secret: secret.trim().to_string() }),
        (id, _) => Err(PlainError::new(format!(
            "the live audit needs {} in the environment",
            if id.is_none() { "SAIL_CLIENT_ID and SAIL_CLIENT_SECRET" } else { "SAIL_CLIENT_SECRET" }
        ))
        .with_help("export the client id and secret of a PAT holding the grant `isc-scope-lint tenant --required-grant` prints (never on the command line)")),
    }
}

/// The base URL: `--tenant NAME` (`https://NAME.api.identitynow.com`) or `--base-url URL`
/// (https; http only for a loopback host; no user, query or fragment).
pub fn base_url(tenant: Option<&str>, base: Option<&str>) -> Result<String, PlainError> {
    if let Some(t) = tenant {
        if t.is_empty() || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(
                PlainError::new(format!("--tenant `{t}` is not a tenant name"))
                    .with_help("the NAME of https://NAME.api.identitynow.com, or give --base-url"),
            );
        }
        return Ok(format!("https://{t}.api.identitynow.com"));
    }
    let Some(b) = base else {
        return Err(PlainError::new(
            "no tenant: give --tenant NAME or --base-url URL",
        ));
    };
    let b = b.trim().trim_end_matches('/');
    let (scheme, rest) = b.split_once("://").ok_or_else(|| {
        PlainError::new(format!("--base-url `{b}` is not a URL"))
            .with_help("like https://acme.api.identitynow.com")
    })?;
    let authority = rest.split('/').next().unwrap_or("");
    if authority.contains('@') || rest.contains(['?', '#']) {
        return Err(PlainError::new(
            "--base-url must not hold a user, a password, a query or a fragment",
        )
        .with_help("credentials come from SAIL_CLIENT_ID and SAIL_CLIENT_SECRET only"));
    }
    let host = if let Some(h) = authority.strip_prefix('[') {
        h.split(']').next().unwrap_or("")
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    if host.is_empty() {
        return Err(PlainError::new(format!("--base-url `{b}` has no host")));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(b.to_string()),
        "http" if is_loopback(host) => Ok(b.to_string()),
        "http" => Err(PlainError::new(format!("--base-url `{b}`: plain http is accepted only for a loopback host (127.0.0.1, ::1, localhost)")).with_help("use https")),
        other => Err(PlainError::new(format!("--base-url `{b}`: unsupported scheme `{other}`")).with_help("use https")),
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// What a live run read: the raw pages (for `--save-export`) and how many requests it took.
#[derive(Default)]
pub struct Fetched {
    pub pats: Vec<Value>,
    pub clients: Vec<Value>,
    pub users: Vec<Value>,
    /// PAT owners whose auth user was not found (404).
    pub missing_users: usize,
    pub requests: usize,
}

struct Client {
    agent: ureq::Agent,
    opts: Options,
    requests: usize,
}

/// A failed request: what it was and why, never more.
fn fail(method: &str, path: &str, why: impl std::fmt::Display) -> miette::Report {
    PlainError::new(format!("{method} {path}: {why}")).into()
}

fn transport(e: &ureq::Error, timeout: Duration) -> (bool, String) {
    match e {
        ureq::Error::Timeout(_) => (
            true,
            format!("timed out (no answer within {:.1}s)", timeout.as_secs_f64()),
        ),
        ureq::Error::Io(io) => (true, format!("connection failed ({})", io.kind())),
        ureq::Error::ConnectionFailed => (true, "connection failed".into()),
        ureq::Error::HostNotFound => (false, "host not found".into()),
        ureq::Error::BodyExceedsLimit(n) => {
            (false, format!("the response is larger than {n} bytes"))
        }
        other => (
            false,
            crate::report::redact::redact(&other.to_string()).into_owned(),
        ),
    }
}

/// A response: status, `X-Total-Count`, body.
struct Answer {
    status: u16,
    total: Option<usize>,
    body: String,
}

impl Client {
    fn new(opts: Options) -> Client {
        // A loopback base is reached directly, whatever proxy the environment names.
        let host = opts
            .base
            .split("://")
            .nth(1)
            .unwrap_or("")
            .split('/')
            .next()
            .unwrap_or("");
        let host = host.strip_prefix('[').map_or_else(
            || host.rsplit_once(':').map_or(host, |(h, _)| h),
            |h| h.split(']').next().unwrap_or(""),
        );
        let proxy = if is_loopback(host) {
            None
        } else {
            ureq::Proxy::try_from_env()
        };
        let cfg = ureq::Agent::config_builder()
            .proxy(proxy)
            .http_status_as_error(false)
            .timeout_connect(Some(opts.timeout))
            .timeout_recv_response(Some(opts.timeout))
            .timeout_recv_body(Some(opts.timeout))
            .timeout_send_body(Some(opts.timeout))
            .user_agent(concat!("isc-scope-lint/", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            agent: cfg.into(),
            opts,
            requests: 0,
        }
    }

    /// One request with retries. `what` is `METHOD /path` for messages.
    fn send(
        &mut self,
        method: &str,
        path: &str,
        call: impl Fn(&ureq::Agent) -> Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> miette::Result<Answer> {
        let mut attempt = 0u32;
        loop {
            self.requests += 1;
            let wait = match call(&self.agent) {
                Ok(mut resp) => {
                    let status = resp.status().as_u16();
                    let retry_after = resp
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<f64>().ok())
                        .filter(|s| s.is_finite() && *s >= 0.0);
                    if status == 429 || status >= 500 {
                        if attempt >= self.opts.max_retries {
                            return Err(fail(
                                method,
                                path,
                                format!("HTTP {status} after {} attempt(s)", attempt + 1),
                            ));
                        }
                        retry_after.map(Duration::from_secs_f64)
                    } else {
                        let total = resp
                            .headers()
                            .get("x-total-count")
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| v.trim().parse().ok());
                        if !(200..300).contains(&status) {
                            // The body of a failed request is never read or shown.
                            return Ok(Answer {
                                status,
                                total,
                                body: String::new(),
                            });
                        }
                        let body = resp
                            .body_mut()
                            .with_config()
                            .limit(MAX_BODY_BYTES)
                            .read_to_string()
                            .map_err(|e| fail(method, path, transport(&e, self.opts.timeout).1))?;
                        return Ok(Answer {
                            status,
                            total,
                            body,
                        });
                    }
                }
                Err(e) => {
                    let (retry, why) = transport(&e, self.opts.timeout);
                    if !retry || attempt >= self.opts.max_retries {
                        let tries = if retry {
                            format!(" after {} attempt(s)", attempt + 1)
                        } else {
                            String::new()
                        };
                        return Err(fail(method, path, format!("{why}{tries}")));
                    }
                    None
                }
            };
            let backoff = self.opts.backoff.saturating_mul(1u32 << attempt.min(16));
            std::thread::sleep(wait.unwrap_or(backoff).min(self.opts.max_wait));
            attempt += 1;
        }
    }

    fn token(&mut self, creds: &Credentials) -> miette::Result<String> {
        let url = format!("{}/oauth/token", self.opts.base);
        let a = self.send("POST", "/oauth/token", |agent| {
            agent.post(&url).send_form([
                ("grant_type", "client_credentials"),
                ("client_id", creds.client_id.as_str()),
                ("client_secret", creds.secret.as_str()),
            ])
        })?;
        match a.status {
            200..=299 => {}
            401 | 400 => {
                return Err(PlainError::new(format!("POST /oauth/token: HTTP {}: the tenant refused the client credentials", a.status))
                    .with_help("check SAIL_CLIENT_ID and SAIL_CLIENT_SECRET (a PAT's client id and secret) and the tenant")
                    .into());
            }
            s => return Err(fail("POST", "/oauth/token", format!("HTTP {s}"))),
        }
        let v: Value = serde_json::from_str(&a.body).map_err(|e| {
            fail(
                "POST",
                "/oauth/token",
                format!(
                    "the response is not valid JSON (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            )
        })?;
        v.get("access_token")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| fail("POST", "/oauth/token", "the response has no `access_token`"))
    }

    fn get(
        &mut self,
        token: &str,
        path: &str,
        query: &str,
    ) -> miette::Result<(Answer, Option<Value>)> {
        let url = format!("{}{path}{query}", self.opts.base);
        let auth = format!("Bearer {token}");
        let a = self.send("GET", path, |agent| {
            agent
                .get(&url)
                .header("Authorization", &auth)
                .header("Accept", "application/json")
                .call()
        })?;
        if !(200..300).contains(&a.status) {
            return Ok((a, None));
        }
        let v: Value = serde_json::from_str(&a.body).map_err(|e| {
            fail(
                "GET",
                &format!("{path}{query}"),
                format!(
                    "the response is not valid JSON (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            )
        })?;
        Ok((a, Some(v)))
    }

    fn denied(path: &str, status: u16) -> miette::Report {
        let mut e = PlainError::new(format!("GET {path}: HTTP {status}"));
        if status == 401 || status == 403 {
            e = e.with_help("the credential lacks the audit's grant: `isc-scope-lint tenant --required-grant` prints it");
        }
        e.into()
    }

    /// Every page of a list: `limit`/`offset` with `count=true`; ends on a short page, at
    /// `X-Total-Count`, or when the server ignores `limit` (a longer page is the whole list).
    fn list(&mut self, token: &str, path: &str) -> miette::Result<Vec<Value>> {
        let limit = self.opts.page_size.max(1);
        let mut pages = Vec::new();
        let mut offset = 0usize;
        loop {
            let query = format!("?limit={limit}&offset={offset}&count=true");
            let (a, v) = self.get(token, path, &query)?;
            let Some(v) = v else {
                return Err(Self::denied(path, a.status));
            };
            let Some(n) = v.as_array().map(Vec::len) else {
                return Err(fail(
                    "GET",
                    &format!("{path}{query}"),
                    "the response is not a JSON array",
                ));
            };
            pages.push(v);
            offset += n;
            if n != limit || a.total.is_some_and(|t| offset >= t) || pages.len() >= MAX_PAGES {
                break;
            }
        }
        Ok(pages)
    }
}

/// Reads the tenant's inventory: PATs, OAuth clients, and the auth user of each PAT owner.
pub fn fetch(opts: &Options, creds: &Credentials) -> miette::Result<Fetched> {
    let mut c = Client::new(opts.clone());
    let token = c.token(creds)?;
    let mut out = Fetched {
        pats: c.list(&token, "/v2025/personal-access-tokens")?,
        clients: c.list(&token, "/v2025/oauth-clients")?,
        ..Fetched::default()
    };
    let mut owners: Vec<String> = out
        .pats
        .iter()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|p| p.get("owner")?.get("id")?.as_str().map(str::to_string))
        .collect();
    owners.sort();
    owners.dedup();
    for id in owners {
        let path = format!("/v2025/auth-users/{}", encode_segment(&id));
        let (a, v) = c.get(&token, &path, "")?;
        match (a.status, v) {
            (_, Some(v)) => out.users.push(v),
            (404, None) => out.missing_users += 1,
            (s, None) => return Err(Client::denied(&path, s)),
        }
    }
    out.requests = c.requests;
    Ok(out)
}

impl Fetched {
    /// The inventory of what was read (the same parsing as the exports').
    pub fn inventory(&self) -> miette::Result<Inventory> {
        let mut inv = Inventory::default();
        for (kind, name, pages) in [
            (Kind::Pats, "GET /v2025/personal-access-tokens", &self.pats),
            (Kind::Clients, "GET /v2025/oauth-clients", &self.clients),
            (Kind::Users, "GET /v2025/auth-users/{id}", &self.users),
        ] {
            let input = Input { name, text: "" };
            let items = inventory::flatten(pages.clone(), None);
            inventory::add(&mut inv, kind, &input, items)?;
        }
        inv.pats.get_or_insert_with(Vec::new);
        inv.clients.get_or_insert_with(Vec::new);
        inv.users.get_or_insert_with(Default::default);
        Ok(inv)
    }

    /// `--save-export DIR`: the files `--export` reads, every secret field removed.
    pub fn save(&self, dir: &std::path::Path) -> miette::Result<()> {
        std::fs::create_dir_all(dir)
            .map_err(|e| PlainError::new(format!("cannot create `{}`: {e}", dir.display())))?;
        let flat = |pages: &[Value]| -> Value {
            let mut all: Vec<Value> = pages
                .iter()
                .flat_map(|p| p.as_array().cloned().unwrap_or_else(|| vec![p.clone()]))
                .collect();
            all.iter_mut().for_each(inventory::strip_secrets);
            Value::Array(all)
        };
        for (name, v) in [
            (inventory::PATS_FILE, flat(&self.pats)),
            (inventory::CLIENTS_FILE, flat(&self.clients)),
            (inventory::USERS_FILE, flat(&self.users)),
        ] {
            let text = serde_json::to_string_pretty(&v).expect("serialises") + "\n";
            crate::fsutil::write_output(&dir.join(name), text.as_bytes())?;
        }
        Ok(())
    }
}

/// Percent-encodes a path segment (ids are hex, but an export is not trusted).
fn encode_segment(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            base_url(Some("acme"), None).unwrap(),
            "https://acme.api.identitynow.com"
        );
        assert!(base_url(Some("acme.evil.com/x"), None).is_err());
        assert_eq!(
            base_url(None, Some("https://acme.api.identitynow.com/")).unwrap(),
            "https://acme.api.identitynow.com"
        );
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
            "http://127.3.4.5",
        ] {
            assert!(base_url(None, Some(ok)).is_ok(), "{ok}");
        }
        for bad in [
            "http://acme.api.identitynow.com",
            "http://10.0.0.1",
            "ftp://x",
            "https://u:p@acme.com",
            "https://acme.com?x=1",
            "acme.com",
            "http://127.0.0.1.evil.com",
        ] {
            assert!(base_url(None, Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn credentials_never_show_the_secret() {
        let c = Credentials {
            client_id: "id".into(),
            secret: "hunter2".into(),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn segments_are_encoded() {
        assert_eq!(encode_segment("2c91/../x y"), "2c91%2F..%2Fx%20y");
    }
}
