//! Property test: the solver's minimal grants equal a brute-force enumeration over every subset
//! of candidate scopes / user levels, on random operation sets of the real catalog, for both
//! scope semantics and both token kinds. The reference below re-implements the contract from
//! the catalog's facts without using the solver's code. Operations whose description says all
//! listed scopes are needed (`all_of`) are read all-of under either semantics, and the random
//! queries include them often.

use isc_scope_lint::catalog::{AuthKind, Catalog, OpId, Operation};
use isc_scope_lint::solver::{Semantics, Solver};

/// SplitMix64: a tiny seeded generator, so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const ALL: &str = "sp:scopes:all";

fn names(cat: &Catalog, alts: &[Vec<u16>]) -> Vec<Vec<String>> {
    alts.iter()
        .map(|a| a.iter().map(|&s| cat.scope_name(s).to_string()).collect())
        .collect()
}

/// The contract, literally.
fn callable(cat: &Catalog, o: &Operation, held: &[&str], kind: AuthKind, sem: Semantics) -> bool {
    if o.public {
        return true;
    }
    let alts = names(cat, o.auth(kind));
    if held.contains(&ALL) && (kind == AuthKind::User || !alts.is_empty()) {
        return true;
    }
    // The operation's own statement overrides the any-of default.
    let sem = if o.all_of { Semantics::AllOf } else { sem };
    match sem {
        Semantics::AnyOf => alts.iter().flatten().any(|s| held.contains(&s.as_str())),
        Semantics::AllOf => alts
            .iter()
            .any(|r| r.iter().all(|s| held.contains(&s.as_str()))),
    }
}

type Key = (usize, usize, usize, Vec<String>);

fn brute_scopes(cat: &Catalog, q: &[OpId], kind: AuthKind, sem: Semantics) -> Option<Vec<String>> {
    if kind == AuthKind::App
        && q.iter()
            .any(|&o| !cat.op(o).public && cat.op(o).app_auth.is_empty())
    {
        return None;
    }
    let mut cands: Vec<String> = vec![ALL.to_string()];
    for &o in q {
        for s in names(cat, cat.op(o).auth(kind)).into_iter().flatten() {
            if !cands.contains(&s) {
                cands.push(s);
            }
        }
    }
    // Operations that some candidate could unlock (others only with sp:scopes:all).
    let relevant: Vec<&Operation> = cat
        .ops
        .iter()
        .filter(|o| {
            o.public
                || names(cat, o.auth(kind))
                    .iter()
                    .flatten()
                    .any(|s| cands.contains(s))
        })
        .collect();
    let everything: Vec<&Operation> = cat.ops.iter().collect();
    let mut best: Option<Key> = None;
    for mask in 1u32..(1 << cands.len()) {
        let held: Vec<&str> = (0..cands.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| cands[i].as_str())
            .collect();
        if !q
            .iter()
            .all(|&o| callable(cat, cat.op(o), &held, kind, sem))
        {
            continue;
        }
        let pool = if held.contains(&ALL) {
            &everything
        } else {
            &relevant
        };
        let mut w = 0;
        let mut t = 0;
        for o in pool {
            if callable(cat, o, &held, kind, sem) {
                t += 1;
                if !o.method.is_read() {
                    w += 1;
                }
            }
        }
        let mut n: Vec<String> = held.iter().map(|s| s.to_string()).collect();
        n.sort();
        let key = (w, t, n.len(), n);
        if best.as_ref().is_none_or(|b| key < *b) {
            best = Some(key);
        }
    }
    // Public-only queries: the empty set.
    if q.iter().all(|&o| cat.op(o).public) {
        return Some(Vec::new());
    }
    best.map(|b| b.3)
}

const PAIRS: [(&str, &str); 5] = [
    ("ROLE_ADMIN", "SOURCE_SUBADMIN"),
    ("ROLE_SUBADMIN", "SOURCE_ADMIN"),
    ("ROLE_SUBADMIN", "ROLE_ADMIN"),
    ("SOURCE_SUBADMIN", "SOURCE_ADMIN"),
    ("SOURCE_ADMIN", "SOURCE_CONFIG_ASSIGNEE"),
];

fn levels_of(o: &Operation) -> Vec<&str> {
    o.user_levels
        .iter()
        .map(|l| l.as_ref())
        .filter(|l| *l != "API")
        .collect()
}

fn level_ok(o: &Operation, held: &[&str]) -> bool {
    let l = levels_of(o);
    held.contains(&"ORG_ADMIN")
        || l.iter().any(|x| *x == "Any" || *x == "USER")
        || l.iter().any(|x| held.contains(x))
}

fn brute_levels(cat: &Catalog, q: &[OpId]) -> Vec<String> {
    let mut cands: Vec<&str> = vec!["ORG_ADMIN"];
    for &o in q {
        for l in levels_of(cat.op(o)) {
            if l != "Any" && l != "USER" && !cands.contains(&l) {
                cands.push(l);
            }
        }
    }
    let mut best: Option<Key> = None;
    for mask in 0u32..(1 << cands.len()) {
        let held: Vec<&str> = (0..cands.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| cands[i])
            .collect();
        if held.contains(&"ORG_ADMIN") && held.len() > 1 {
            continue;
        }
        if PAIRS
            .iter()
            .any(|(a, b)| held.contains(a) && held.contains(b))
        {
            continue;
        }
        if !q.iter().all(|&o| level_ok(cat.op(o), &held)) {
            continue;
        }
        let mut w = 0;
        let mut t = 0;
        for o in &cat.ops {
            if level_ok(o, &held) {
                t += 1;
                if !o.method.is_read() {
                    w += 1;
                }
            }
        }
        let mut n: Vec<String> = held.iter().map(|s| s.to_string()).collect();
        n.sort();
        let key = (w, t, n.len(), n);
        if best.as_ref().is_none_or(|b| key < *b) {
            best = Some(key);
        }
    }
    best.expect("ORG_ADMIN always works").3
}

/// Random operation sets that stay small enough to enumerate: an anchor operation plus
/// operations sharing a path prefix or a scope with it (so scopes interact), plus random ones.
fn random_query(cat: &Catalog, rng: &mut Rng, kind: AuthKind) -> Vec<OpId> {
    loop {
        let n = cat.ops.len();
        let anchor = rng.below(n);
        let mut q = vec![anchor];
        let prefix: String = cat
            .op(anchor)
            .path
            .split('/')
            .take(3)
            .collect::<Vec<_>>()
            .join("/");
        let related: Vec<OpId> =
            (0..n)
                .filter(|&i| {
                    i != anchor
                        && (cat.op(i).path.starts_with(&prefix)
                            || cat.op(i).auth(kind).iter().flatten().any(|s| {
                                cat.op(anchor).auth(kind).iter().flatten().any(|t| t == s)
                            }))
                })
                .collect();
        let extra = rng.below(5);
        // Every other query holds an operation that says all its scopes are needed.
        let strict: Vec<OpId> = (0..n).filter(|&i| cat.op(i).all_of).collect();
        if !strict.is_empty() && rng.below(2) == 0 {
            q.push(strict[rng.below(strict.len())]);
        }
        for _ in 0..extra {
            if !related.is_empty() && rng.below(3) > 0 {
                q.push(related[rng.below(related.len())]);
            } else {
                q.push(rng.below(n));
            }
        }
        q.sort_unstable();
        q.dedup();
        let mut cands: Vec<u16> = q
            .iter()
            .flat_map(|&o| cat.op(o).auth(kind).iter().flatten().copied())
            .collect();
        cands.sort_unstable();
        cands.dedup();
        if cands.len() <= 11 {
            return q;
        }
    }
}

#[test]
fn scopes_match_brute_force() {
    let cat = Catalog::embedded();
    let solver = Solver::new(cat);
    let mut rng = Rng(0x5eed_0001);
    for case in 0..160 {
        let kind = if case % 2 == 0 {
            AuthKind::User
        } else {
            AuthKind::App
        };
        let q = random_query(cat, &mut rng, kind);
        for sem in [Semantics::AnyOf, Semantics::AllOf] {
            let got = solver.scope_index(kind).minimal(cat, &q, sem);
            let want = brute_scopes(cat, &q, kind, sem);
            let got_names: Option<Vec<String>> = got.possible.then(|| {
                got.scopes
                    .iter()
                    .map(|&s| cat.scope_name(s).to_string())
                    .collect()
            });
            let ops: Vec<String> = q.iter().map(|&o| cat.op(o).name()).collect();
            assert_eq!(got_names, want, "case {case} {kind:?} {sem:?} {ops:?}");
            if got.possible {
                // The reported blast radius is the grant's real reach.
                let held: Vec<&str> = got.scopes.iter().map(|&s| cat.scope_name(s)).collect();
                let t = cat
                    .ops
                    .iter()
                    .filter(|o| callable(cat, o, &held, kind, sem))
                    .count();
                assert_eq!(got.unlocked.count(), t, "case {case}");
            }
        }
    }
}

#[test]
fn all_of_operations_get_every_listed_scope_under_any_of() {
    let cat = Catalog::embedded();
    let solver = Solver::new(cat);
    let strict: Vec<OpId> = (0..cat.ops.len()).filter(|&i| cat.op(i).all_of).collect();
    // The catalog records the access-profile creation of every family (v3, beta, v2024,
    // v2025, v2026) and nothing that does not say so.
    let names: Vec<String> = strict.iter().map(|&o| cat.op(o).name()).collect();
    assert!(
        names.contains(&"POST /v2025/access-profiles".to_string()),
        "{names:?}"
    );
    assert!(names.len() >= 5, "{names:?}");
    for &op in &strict {
        let o = cat.op(op);
        let g = solver.user.minimal(cat, &[op], Semantics::AnyOf);
        let held: Vec<&str> = g.scopes.iter().map(|&s| cat.scope_name(s)).collect();
        // Some requirement object is held whole (or sp:scopes:all).
        let whole = o
            .user_auth
            .iter()
            .any(|r| r.iter().all(|&s| held.contains(&cat.scope_name(s))))
            || held.contains(&ALL);
        assert!(whole, "{} got {held:?}", o.name());
        // No single scope of a requirement of several lets it through.
        for r in o.user_auth.iter().filter(|r| r.len() > 1) {
            for &s in r.iter() {
                let alone = [cat.scope_name(s)];
                assert!(
                    !callable(cat, o, &alone, AuthKind::User, Semantics::AnyOf),
                    "{}",
                    o.name()
                );
            }
        }
    }
    let ap = cat
        .by_name(
            isc_scope_lint::catalog::Method::Post,
            "/v2025/access-profiles",
        )
        .unwrap();
    let g = solver.user.minimal(cat, &[ap], Semantics::AnyOf);
    let held: Vec<&str> = g.scopes.iter().map(|&s| cat.scope_name(s)).collect();
    assert_eq!(
        held,
        vec![
            "idn:access-profile:manage",
            "idn:entitlement:read",
            "idn:identity:read",
            "idn:sources:read"
        ]
    );
}

#[test]
fn levels_match_brute_force() {
    let cat = Catalog::embedded();
    let solver = Solver::new(cat);
    let mut rng = Rng(0x5eed_0002);
    for case in 0..160 {
        let q = random_query(cat, &mut rng, AuthKind::User);
        let got = solver.levels.minimal(&q);
        let want = brute_levels(cat, &q);
        let ops: Vec<String> = q.iter().map(|&o| cat.op(o).name()).collect();
        assert_eq!(got.levels, want, "case {case} {ops:?}");
    }
}

#[test]
fn forced_and_public_edge_cases() {
    let cat = Catalog::embedded();
    let solver = Solver::new(cat);
    let by = |m, p: &str| cat.by_name(m, p).unwrap();
    use isc_scope_lint::catalog::Method::*;
    // An operation whose only scope is sp:scopes:all forces it.
    let forced = cat
        .ops
        .iter()
        .position(|o| !o.public && *o.user_auth == [vec![cat.all_scopes_id()]])
        .unwrap();
    let src = by(Get, "/v3/sources/{id}");
    let g = solver.user.minimal(cat, &[forced, src], Semantics::AnyOf);
    let n: Vec<&str> = g.scopes.iter().map(|&s| cat.scope_name(s)).collect();
    assert_eq!(n, vec![ALL]);
    assert_eq!(g.unlocked.count(), cat.ops.len());
    // Public operations need nothing.
    let public = by(Get, "/v3/scheduled-searches/{id}");
    let g = solver.user.minimal(cat, &[public], Semantics::AnyOf);
    assert!(g.possible && g.scopes.is_empty());
    // A read scope is chosen over manage for a read.
    let g = solver.user.minimal(cat, &[src], Semantics::AnyOf);
    let n: Vec<&str> = g.scopes.iter().map(|&s| cat.scope_name(s)).collect();
    assert_eq!(n, vec!["idn:sources:read"]);
    // All of the catalog: sp:scopes:all and ORG_ADMIN; client credentials impossible.
    let all: Vec<OpId> = (0..cat.ops.len()).collect();
    let r = solver.solve(&all, Semantics::AnyOf);
    assert_eq!(r.pat_levels.levels, vec!["ORG_ADMIN"]);
    assert!(!r.client.possible && !r.client.blocked.is_empty());
}
