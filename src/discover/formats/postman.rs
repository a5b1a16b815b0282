//! Postman collections, v2.0 and v2.1 (`info.schema` names Postman; also the
//! `{"collection": {...}}` wrapper of the Postman API). Requests are read from `item` arrays,
//! folders nested to any depth; saved examples (`response[].originalRequest`) are not
//! requests and are never read.
//!
//! A request is a URL string or an object with `method` (missing means GET) and `url` (a string,
//! or an object with `raw`, or with `protocol`/`host`/`port`/`path` only). The offset is the
//! `raw` (or `url`, or request) string; a `url` object without `raw` points at the object.
//! `{{name}}` variables defined in the collection or an enclosing folder (`variable`, inner
//! scope first, non-empty values only) are substituted, so `{{baseUrl}}/sources` with
//! `baseUrl = https://{{tenant}}.api.identitynow.com/v3` becomes a full ISC URL; variables
//! defined elsewhere (environments, globals) stay placeholders and the path is routed as is.
//! `:id` path variables are parameters. Non-ISC hosts are dropped; `/oauth/token` is
//! [`Via::Auth`]. Request headers (disabled ones excepted) tell whether
//! `X-SailPoint-Experimental: true` is sent.

use super::json::{self, Node, Value};
use super::{is_experimental_header, is_true, substitute, url_call};
use crate::catalog::Method;
use crate::discover::call::{RawCall, Via};

/// The requests of a Postman collection; `None` if the text is not one (or not JSON).
pub fn scan(text: &str) -> Option<Vec<RawCall>> {
    scan_node(&json::parse(text)?)
}

type Vars = Vec<(String, String)>;

pub(super) fn scan_node(root: &Node) -> Option<Vec<RawCall>> {
    let coll = if is_collection(root) {
        root
    } else {
        root.get("collection").filter(|c| is_collection(c))?
    };
    let mut scopes = vec![variables(coll)];
    let mut out = Vec::new();
    if let Some(items) = coll.get("item") {
        walk_items(items, &mut scopes, &mut out);
    }
    Some(out)
}

fn is_collection(n: &Node) -> bool {
    let Some(info) = n.get("info") else {
        return false;
    };
    let schema = info
        .str_at("schema")
        .is_some_and(|s| s.to_ascii_lowercase().contains("postman"));
    schema || (info.get("_postman_id").is_some() && n.get("item").is_some())
}

/// The enabled `variable` entries of a collection or folder (`key`, or `id` in v2.0).
fn variables(n: &Node) -> Vars {
    let Some(list) = n.get("variable").and_then(Node::as_array) else {
        return Vars::new();
    };
    list.iter()
        .filter(|v| !matches!(v.get("disabled").map(|d| &d.value), Some(Value::Bool(true))))
        .filter_map(|v| {
            let key = v.str_at("key").or_else(|| v.str_at("id"))?;
            let value = match &v.get("value")?.value {
                Value::Str(s) => s.clone(),
                _ => return None,
            };
            Some((key.to_string(), value))
        })
        .collect()
}

fn lookup(scopes: &[Vars], name: &str) -> Option<String> {
    scopes
        .iter()
        .rev()
        .find_map(|s| s.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
}

fn walk_items(items: &Node, scopes: &mut Vec<Vars>, out: &mut Vec<RawCall>) {
    let list: &[Node] = match &items.value {
        Value::Array(a) => a,
        Value::Object(_) => std::slice::from_ref(items),
        _ => return,
    };
    for it in list {
        if let Some(sub) = it.get("item") {
            scopes.push(variables(it));
            walk_items(sub, scopes, out);
            scopes.pop();
        } else if let Some(req) = it.get("request") {
            out.extend(request(req, scopes));
        }
    }
}

fn request(req: &Node, scopes: &[Vars]) -> Option<RawCall> {
    let (url, at, method, exp) = match &req.value {
        Value::Str(s) => (s.clone(), req.start, Some(Method::Get), Some(false)),
        Value::Object(_) => {
            let (url, at) = url_of(req.get("url")?)?;
            let method = match req.str_at("method") {
                Some(m) => Method::parse(substitute(m, &|n| lookup(scopes, n)).trim()),
                None if req.get("method").is_none() => Some(Method::Get),
                None => None,
            };
            (url, at, method, experimental(req.get("header"), scopes))
        }
        _ => return None,
    };
    if url.trim().is_empty() {
        return None;
    }
    let url = substitute(&url, &|n| lookup(scopes, n));
    url_call(at, method, &url, Via::Postman, exp)
}

/// The URL of a request and its offset.
fn url_of(u: &Node) -> Option<(String, usize)> {
    match &u.value {
        Value::Str(s) => Some((s.clone(), u.start)),
        Value::Object(_) => {
            if let Some(raw) = u.get("raw").filter(|r| r.as_str().is_some()) {
                return Some((raw.as_str()?.to_string(), raw.start));
            }
            let host = parts(u.get("host"), ".");
            let path = parts(u.get("path"), "/");
            if host.is_empty() && path.is_empty() {
                return None;
            }
            let mut s = String::new();
            if !host.is_empty() {
                if let Some(p) = u.str_at("protocol") {
                    s.push_str(p);
                    s.push_str("://");
                }
                s.push_str(&host);
                if let Some(port) = u.str_at("port") {
                    s.push(':');
                    s.push_str(port);
                }
            }
            s.push('/');
            s.push_str(path.trim_start_matches('/'));
            Some((s, u.start))
        }
        _ => None,
    }
}

/// `host`/`path` of a URL object: a string, or an array of strings (or `{value}` objects).
fn parts(n: Option<&Node>, sep: &str) -> String {
    match n.map(|n| &n.value) {
        Some(Value::Str(s)) => s.clone(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|p| p.as_str().or_else(|| p.str_at("value")))
            .collect::<Vec<_>>()
            .join(sep),
        _ => String::new(),
    }
}

/// `X-SailPoint-Experimental` among the request headers (an array of `{key, value, disabled}`
/// or a `Key: value` string); `None` when its value is a variable the collection does not
/// define.
fn experimental(h: Option<&Node>, scopes: &[Vars]) -> Option<bool> {
    let pairs: Vec<(String, String)> = match h.map(|h| &h.value) {
        None | Some(Value::Null) => return Some(false),
        Some(Value::Array(a)) => a
            .iter()
            .filter(|e| !matches!(e.get("disabled").map(|d| &d.value), Some(Value::Bool(true))))
            .filter_map(|e| Some((e.str_at("key")?.to_string(), e.str_at("value")?.to_string())))
            .collect(),
        Some(Value::Str(s)) => s
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        _ => return None,
    };
    for (k, v) in pairs {
        if is_experimental_header(&k) {
            let v = substitute(&v, &|n| lookup(scopes, n));
            return if v.contains("{{") {
                None
            } else {
                Some(is_true(&v))
            };
        }
    }
    Some(false)
}
