//! The literal prefilter: a file is analysed only if it contains one of these hints (a scan
//! with Aho-Corasick, so files with no ISC hint cost only that scan).

use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

/// Literals at least one of which every file with an ISC call contains: API hosts and
/// families, SDK package names, the CLI, and the HTTP client idioms (a project helper may take
/// ISC paths from elsewhere, so files that make HTTP requests are kept too).
pub const HINTS: &[&str] = &[
    // Hosts, families, legacy paths, token endpoint.
    "identitynow",
    "sailpoint",
    "SailPoint",
    "Sailpoint",
    "/v3",
    "v3/",
    "/beta",
    "beta/",
    "v2024",
    "v2025",
    "v2026",
    "/v1",
    "v1/",
    "cc/api",
    "/v2/",
    "oauth/token",
    // SDKs and the CLI.
    "PSSailpoint",
    "sail ",
    // HTTP clients.
    "requests.",
    "httpx",
    "aiohttp",
    "urllib",
    "fetch(",
    "axios",
    "got(",
    "got.",
    "http.request",
    "https.request",
    "http.New",
    "http.Get",
    "http.Post",
    "Invoke-RestMethod",
    "Invoke-WebRequest",
    "irm ",
    "iwr ",
    "HttpClient",
    "HttpRequest",
    "RestSharp",
    "RestClient",
    "RestTemplate",
    "WebClient",
    "curl",
    "wget",
    "http ",
    "$http",
    "HttpService",
    // Go, Java/Kotlin and C# clients whose files may name no ISC literal (helpers).
    "resty",
    ".R().",
    "retryablehttp",
    "GenericGet",
    "GenericPost",
    "GenericPut",
    "GenericPatch",
    "GenericDelete",
    "HttpURLConnection",
    "openConnection",
    "Request.Builder",
    "okhttp",
    "org.apache.http",
    "org.apache.hc",
    "retrofit",
    "feign",
    "HttpExchange",
    "io.ktor",
    "HttpRequestMessage",
    "SendAsync",
    "GetAsync",
    "PostAsync",
    "Flurl",
    "http.Client",
    "NewRequest",
    "ws.rs.client",
    "WebTarget",
    "Unirest",
    "WebRequest",
    "DownloadString",
];

fn automaton() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| AhoCorasick::new(HINTS).expect("valid hint literals"))
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
    }
}
