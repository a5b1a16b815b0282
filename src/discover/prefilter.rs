//! The literal prefilter: a file is analysed only if it contains one of these hints (a scan
//! with Aho-Corasick, so files with no ISC hint cost only that scan).
//!
//! The automaton is built leftmost-first: only then does `aho-corasick` put its SIMD "Teddy"
//! searcher in front of it (a standard-semantics automaton falls back to a rare-byte prefilter
//! that is 3-5 times slower on code with no hint). `is_match` answers the same either way.
//! [`HINTS`] is public so that tools (the `calls` benchmark hands it to `rg -F`) can use the
//! very same literals.

use aho_corasick::{AhoCorasick, MatchKind};
use std::sync::OnceLock;

/// Literals at least one of which every file with an ISC call contains: API hosts and
/// families, SDK package names, the CLI, and the HTTP client idioms (a project helper may take
/// ISC paths from elsewhere, so files that make HTTP requests are kept too).
pub const HINTS: &[&str] = &[
    // Hosts, families, legacy paths, token endpoint.
    "identitynow",
    "ailpoint", // sailpoint, Sailpoint, PSSailpoint
    "ailPoint", // SailPoint
    "/v3",
    "v3/",
    "/beta",
    "beta/",
    "v202", // v2024, v2025, v2026
    "/v1",
    "v1/",
    "cc/api",
    "/v2/",
    "oauth/token",
    // The CLI, SDK credentials (SAIL_CLIENT_SECRET in .env files), the SDKs' generic entry
    // points (Go GenericGet, TypeScript genericGet).
    "sail ",
    "SAIL_",
    "DefaultAPI",
    "DefaultApi",
    // Code that uses an SDK client made elsewhere need not name the package: SDK family
    // markers (Go client fields `.V3.`/`.Beta.`, TypeScript `…BetaApi`/`…V2025Api`,
    // PowerShell `Get-Beta…`/`Get-V2025…`) and per-API method names (`…V1(`, `…_v1(`,
    // cmdlets `Get-…V1`) keep those files.
    "V202", // V2024, V2025, V2026
    "Beta", // -Beta, .Beta., BetaApi
    "V3.",
    "V1",
    "_v1(",
    // HTTP clients.
    "requests.",
    "httpx",
    "aiohttp",
    "urllib",
    "etch(", // fetch(, $fetch(, useFetch(, ofetch(
    "axios",
    "got(",
    "got.",
    "superagent",
    "ajax",
    "http.request",
    "https.request",
    "net/http",
    "NewRequest", // http.NewRequest(WithContext), retryablehttp.NewRequest
    "Invoke-RestMethod",
    "WebRequest", // Invoke-WebRequest, HttpWebRequest, WebRequest.Create
    "irm ",
    "iwr ",
    "HttpClient",  // also IHttpClientFactory, HttpClientFactory
    "HttpRequest", // also HttpRequestMessage
    "RestClient",  // RestSharp, Spring RestClient
    "RestTemplate",
    "WebClient", // Spring WebClient, .NET WebClient (DownloadString)
    "curl",
    "wget",
    "http ",
    "$http",
    "HttpService",
    // Go, Java/Kotlin and C# clients whose files may name no ISC literal (helpers).
    "resty",
    ".R().",
    "retryablehttp",
    "HttpURLConnection",
    "okhttp",
    "org.apache.h", // org.apache.http, org.apache.hc
    "retrofit",
    "feign",
    "HttpExchange",
    "io.ktor",
    "Flurl",
    "ws.rs.client", // JAX-RS clients (WebTarget)
    "Unirest",
];

fn automaton() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(HINTS)
            .expect("valid hint literals")
    })
}

/// Whether `bytes` contains any hint.
pub fn matches(bytes: &[u8]) -> bool {
    automaton().is_match(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_isc_and_http_files_only() {
        assert!(matches(b"x = 'https://acme.api.identitynow.com'"));
        assert!(matches(b"requests.get(url)"));
        assert!(!matches(b"def add(a, b):\n    return a + b\n"));
        // SDK calls on clients made in other files.
        assert!(matches(b"svc.client.V3.SourcesAPI.ListSources(ctx)"));
        assert!(matches(b"$x = Get-BetaWorkflows\n"));
        assert!(matches(b"Get-AccessProfilesV1 -Limit 10"));
        assert!(matches(b"c.AccessProfilesAPI.ListAccessProfilesV1(ctx)"));
        assert!(matches(b"sources_api.list_sources_v1(limit=10)"));
    }

    #[test]
    fn every_hint_matches_alone_and_mid_text() {
        // Leftmost-first must not hide a hint that another one overlaps.
        for h in HINTS {
            assert!(matches(h.as_bytes()), "{h:?}");
            assert!(matches(format!("xx {h} yy").as_bytes()), "{h:?}");
        }
        assert!(HINTS.len() <= 64, "Teddy takes at most 64 literals");
    }
}
