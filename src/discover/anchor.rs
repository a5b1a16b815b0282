//! Where a request whose URL is chosen in branches is reported: each candidate at the string
//! literal that carries it (`if … url = "/v3/x" else url = "/beta/x"`, a ternary, a
//! `switch`, a PowerShell splat built in branches), with the request itself as the related
//! location — so a reviewer sees which branch needs which scope.
//!
//! The finder's values do not record where each candidate's text came from, so the literal is
//! found after the fact, in the request's own function (or the top level around it): for
//! each candidate, the nearest string literal whose path segments hold what tells this
//! candidate apart from the others at the same request, and nothing that belongs only to
//! another. A candidate no literal tells apart stays at the request.

use super::call::{RawCall, Target, Via};
use super::code::Code;
use super::lex::{StrPart, Tok};
use std::collections::{BTreeMap, HashSet};

/// How far after the request token a literal may be (the request's own arguments:
/// `fetch(flag ? "/v3/a" : "/beta/a")`).
const AFTER: usize = 256;

/// Path segments of a URL or a literal: the text before any query (`?`, `&`, `#`) split at
/// `/`; without empty pieces, placeholders, the scheme, hosts (`acme.api.identitynow.com`)
/// and pieces with spaces (prose, filter expressions).
fn segments(s: &str) -> HashSet<&str> {
    let path = s.split(['?', '&', '#']).next().unwrap_or("");
    path.split('/')
        .filter(|p| {
            !p.is_empty()
                && !p.contains(char::is_whitespace)
                && !p.contains(['{', '}', ':', '.', '=', '$', '%', '<', '>'])
        })
        .collect()
}

/// The text of a string literal token, interpolations as separators.
fn literal_text(t: &Tok) -> Option<String> {
    let Tok::Str(s) = t else { return None };
    let mut out = String::new();
    for p in &s.parts {
        match p {
            StrPart::Lit(l) => out.push_str(l),
            StrPart::Expr(..) => out.push('/'),
        }
    }
    Some(out)
}

/// Moves the candidates of each multi-candidate HTTP request in `raws` to their literals,
/// recording the request's offset in `request_offset`.
pub fn anchor_candidates(code: &Code, raws: &mut [RawCall]) {
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, r) in raws.iter().enumerate() {
        if matches!(r.via, Via::Http) && matches!(r.target, Target::Url(_)) {
            groups.entry(r.offset).or_default().push(i);
        }
    }
    if code.is_empty() {
        return;
    }
    // Literals that are the URL of another request are never this one's.
    let sites: HashSet<usize> = raws.iter().map(|r| r.offset).collect();
    for (offset, idx) in groups {
        if idx.len() < 2 {
            continue;
        }
        let urls: Vec<&str> = idx
            .iter()
            .map(|&i| match &raws[i].target {
                Target::Url(u) => u.as_str(),
                _ => "",
            })
            .collect();
        let segs: Vec<HashSet<&str>> = urls.iter().map(|u| segments(u)).collect();
        if segs.iter().all(|s| *s == segs[0]) {
            continue;
        }
        // The string literals of the request's function, around the request.
        let req = code
            .toks
            .partition_point(|t| t.start < offset)
            .min(code.len() - 1);
        let (lo, hi) = match code.enclosing_fn(req) {
            Some(f) => code.fns[f].body,
            None => (0, code.len()),
        };
        let hi = hi.min(req + AFTER).min(code.len());
        let literals: Vec<(usize, HashSet<String>)> = (lo..hi)
            .filter(|&k| {
                let at = code.toks[k].start;
                at == offset || !sites.contains(&at)
            })
            .filter_map(|k| {
                let text = literal_text(&code.toks[k].tok)?;
                let s: HashSet<String> = segments(&text).into_iter().map(str::to_string).collect();
                (!s.is_empty()).then_some((k, s))
            })
            .collect();
        let common: HashSet<&str> = segs[0]
            .iter()
            .copied()
            .filter(|p| segs.iter().all(|s| s.contains(p)))
            .collect();
        let mut anchors: Vec<Option<usize>> = Vec::with_capacity(idx.len());
        for own in &segs {
            // The literal holds what tells this candidate apart (without such a segment: all
            // of the candidate's), and nothing that is not part of it.
            let need: Vec<&str> = own
                .iter()
                .copied()
                .filter(|p| !common.contains(p))
                .collect();
            let must: Vec<&str> = if need.is_empty() {
                own.iter().copied().collect()
            } else {
                need
            };
            if must.is_empty() {
                anchors.push(None);
                continue;
            }
            let best = literals
                .iter()
                .filter(|(_, s)| {
                    must.iter().all(|p| s.contains(*p))
                        && s.iter().all(|p| own.contains(p.as_str()))
                })
                .min_by_key(|(k, _)| (k.abs_diff(req), *k))
                .map(|(k, _)| *k);
            anchors.push(best);
        }
        // Only when the literals tell the candidates apart.
        let distinct: HashSet<usize> = anchors.iter().flatten().copied().collect();
        if distinct.len() < 2 {
            continue;
        }
        for (n, &i) in idx.iter().enumerate() {
            if let Some(k) = anchors[n] {
                let at = code.toks[k].start;
                if at != offset {
                    raws[i].request_offset.get_or_insert(offset);
                    raws[i].offset = at;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::lex::Lang;

    fn anchored(src: &str, lang: Lang, urls: &[&str]) -> Vec<(usize, Option<usize>)> {
        let code = Code::new(src, lang);
        let at = src.find("fetch(").or_else(|| src.find("Invoke")).unwrap();
        let mut raws: Vec<RawCall> = urls
            .iter()
            .map(|u| RawCall::new(at, None, Target::Url(u.to_string()), Via::Http))
            .collect();
        anchor_candidates(&code, &mut raws);
        let line = |o: usize| src[..o].matches('\n').count() + 1;
        raws.iter()
            .map(|r| (line(r.offset), r.request_offset.map(line)))
            .collect()
    }

    #[test]
    fn each_branch_at_its_literal() {
        let js = "async function catalog(x) {\n  const url = x\n    ? `${BASE}/beta/entitlements`\n    : `${BASE}/v3/access-profiles`;\n  return fetch(url);\n}\n";
        assert_eq!(
            anchored(js, Lang::Js, &["/beta/entitlements", "/v3/access-profiles"]),
            [(3, Some(5)), (4, Some(5))]
        );
        // A candidate that is a prefix of another: the literal that spells it without the rest.
        let ps = "$u = \"$B/v3/search\"\nif ($c) {\n    $u = \"$B/v3/search/count\"\n}\nInvoke-RestMethod -Uri $u\n";
        assert_eq!(
            anchored(ps, Lang::PowerShell, &["/v3/search", "/v3/search/count"]),
            [(1, Some(5)), (3, Some(5))]
        );
    }

    #[test]
    fn stays_at_the_request_when_no_literal_tells_them_apart() {
        // The version comes from outside the function: no literal in it names either.
        let js = "function f() {\n  return fetch(`${BASE}/${VERSION}/sources`);\n}\n";
        assert_eq!(
            anchored(js, Lang::Js, &["/beta/sources", "/v3/sources"]),
            [(2, None), (2, None)]
        );
        // One candidate only.
        assert_eq!(anchored(js, Lang::Js, &["/v3/sources"]), [(2, None)]);
        // Candidates that differ in their query only (filters built in branches): one path,
        // nothing to tell apart.
        let q = "function f(a) {\n  let q = '';\n  if (a) {\n    q = `&filters=created gt ${a} and created lt ${b}`;\n  }\n  return fetch(`${BASE}/v3/access-request-status?count=true` + q);\n}\n";
        assert_eq!(
            anchored(
                q,
                Lang::Js,
                &[
                    "/v3/access-request-status?count=true",
                    "/v3/access-request-status?count=true&filters=created gt {} and created lt {}"
                ]
            ),
            [(6, None), (6, None)]
        );
    }
}
