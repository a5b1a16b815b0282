//! Hand-written HTTP, one module per language: each finds the request calls of a file and
//! returns them as [`Site`](super::frontend::Site)s.

pub mod brace;
pub mod csharp;
pub mod go;
pub mod java;
pub mod javascript;
pub mod powershell;
pub mod python;
pub mod shell;

use crate::catalog::Method;

/// The HTTP methods by the lower-case name of the client method that sends them
/// (`requests.get`, `axios.post`, `session.patch`...).
pub const VERBS: &[(&str, Method)] = &[
    ("get", Method::Get),
    ("post", Method::Post),
    ("put", Method::Put),
    ("patch", Method::Patch),
    ("delete", Method::Delete),
    ("head", Method::Head),
    ("options", Method::Options),
];

/// What a front-end's `sites` finds in `src` (read as `lang`, nothing known of the project,
/// no project-wide experimental header): each site's method label and URL candidates
/// (`|`-joined, holes as `{name}`).
#[cfg(test)]
pub(crate) fn method_urls(
    src: &str,
    lang: super::lex::Lang,
    sites: fn(&super::eval::Env, bool) -> Vec<super::frontend::Site>,
) -> Vec<(String, String)> {
    super::eval::with_env(src, lang, |env| sites(env, false))
        .into_iter()
        .map(|s| (s.method.label(), s.url.texts().join("|")))
        .collect()
}
