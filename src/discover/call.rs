//! What a front-end reports: one call as found, before routing ([`RawCall`]), its endpoint
//! ([`Target`]) and how it was made ([`Via`]). Shared by every layer of discovery from the
//! values up, so it depends on nothing of discovery.

use crate::catalog::{Method, OpId};
use serde::Serialize;

/// How a call was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    /// Hand-written HTTP (requests, fetch, axios, net/http, Invoke-RestMethod, curl, ...).
    Http,
    /// An official SDK (Python, TypeScript, Go, PowerShell, Angular).
    Sdk,
    /// The `sail` CLI.
    Cli,
    /// An `sp:http` step of an ISC workflow export.
    Workflow,
    /// A request of a Postman collection.
    Postman,
    /// A request of a `.http`/`.rest` file.
    HttpFile,
    /// Token acquisition (`POST /oauth/token`): not an API operation; tells which credential a
    /// file uses.
    Auth,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Http => "http",
            Via::Sdk => "sdk",
            Via::Cli => "cli",
            Via::Workflow => "workflow",
            Via::Postman => "postman",
            Via::HttpFile => "http-file",
            Via::Auth => "auth",
        }
    }
}

/// What a front-end says about the endpoint of a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A URL or path as written, with `{}` (or any placeholder form) for parts that are not
    /// known statically: `https://acme.api.identitynow.com/v3/sources/{}`, `{}/v3/sources`.
    Url(String),
    /// The operation is known (an SDK method, a `sail` command).
    Op(OpId),
    /// One of several operations (e.g. an SDK name shared by families, no import to tell).
    Ops(Vec<OpId>),
    /// The endpoint cannot be determined; [`RawCall::reason`] says why.
    Unknown,
}

/// One call as a front-end found it, before routing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawCall {
    /// Byte offset in the file where the endpoint is named (the URL literal, the SDK method,
    /// the `sail` command, the workflow step's `url`).
    pub offset: usize,
    pub method: Option<Method>,
    pub target: Target,
    pub via: Via,
    /// Why the call cannot be settled, when the front-end knows.
    pub reason: Option<String>,
    /// Whether the request visibly sends `X-SailPoint-Experimental: true`; `None` when the
    /// finder cannot see the headers (or the SDK sends it itself).
    pub experimental_header: Option<bool>,
    /// When the call is placed at the literal of its URL candidate (a URL chosen in
    /// branches): where the request itself is. See [`super::anchor`].
    pub request_offset: Option<usize>,
}

impl RawCall {
    pub fn new(offset: usize, method: Option<Method>, target: Target, via: Via) -> RawCall {
        RawCall {
            offset,
            method,
            target,
            via,
            reason: None,
            experimental_header: None,
            request_offset: None,
        }
    }

    pub fn with_reason(mut self, reason: impl Into<String>) -> RawCall {
        self.reason = Some(reason.into());
        self
    }
}
