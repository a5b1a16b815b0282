//! Minimal user-level sets for the owner of a PAT.

use super::bitset::Bitset;
use super::search::{self, Model};
use crate::catalog::{Catalog, OpId};
use std::collections::{BTreeSet, HashMap};

pub const ORG_ADMIN: &str = "ORG_ADMIN";

/// Pairs of user levels one identity cannot hold together (see DEVELOPERS.md).
/// ORG_ADMIN goes alone and is handled separately.
pub const INCOMPATIBLE: [(&str, &str); 5] = [
    ("ROLE_ADMIN", "SOURCE_SUBADMIN"),
    ("ROLE_SUBADMIN", "SOURCE_ADMIN"),
    ("ROLE_SUBADMIN", "ROLE_ADMIN"),
    ("SOURCE_SUBADMIN", "SOURCE_ADMIN"),
    ("SOURCE_ADMIN", "SOURCE_CONFIG_ASSIGNEE"),
];

/// Whether two levels may be held together.
pub fn compatible(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if a == ORG_ADMIN || b == ORG_ADMIN {
        return false;
    }
    !INCOMPATIBLE
        .iter()
        .any(|&(x, y)| (x == a && y == b) || (x == b && y == a))
}

/// The first pair of `levels` that cannot be combined, if any.
pub fn conflict(levels: &[String]) -> Option<(&str, &str)> {
    for (i, a) in levels.iter().enumerate() {
        for b in &levels[i + 1..] {
            if !compatible(a, b) {
                return Some((a, b));
            }
        }
    }
    None
}

/// User-level facts of the catalog, with verified overrides for operations (the manifest's
/// `assume`) applied.
#[derive(Debug)]
pub struct LevelIndex {
    names: Vec<String>,
    ids: HashMap<String, u16>,
    /// Per level: operations whose list names it.
    per_level: Vec<Bitset>,
    /// Operations any identity may call (`Any` or `USER`).
    any: Bitset,
    all: Bitset,
    write: Bitset,
    /// Distinct level lists: (any identity, level ids); empty ids without `any` = undocumented.
    sets: Vec<(bool, Vec<u16>)>,
    /// Per operation: its index in `sets`.
    op_set: Vec<u32>,
}

fn is_any(level: &str) -> bool {
    level.eq_ignore_ascii_case("Any") || level == "USER"
}

impl LevelIndex {
    pub fn new(cat: &Catalog, overrides: &HashMap<OpId, Vec<String>>) -> LevelIndex {
        let n = cat.ops.len();
        let mut idx = LevelIndex {
            names: vec![ORG_ADMIN.to_string()],
            ids: HashMap::from([(ORG_ADMIN.to_string(), 0)]),
            per_level: vec![Bitset::full(n)],
            any: Bitset::new(n),
            all: Bitset::full(n),
            write: Bitset::new(n),
            sets: Vec::new(),
            op_set: Vec::with_capacity(n),
        };
        // Level ids per interned level list; an overridden operation gets a list of its own.
        let mut by_catalog_set: Vec<Option<u32>> = vec![None; cat.level_sets.len()];
        for (i, o) in cat.ops.iter().enumerate() {
            if o.is_write() {
                idx.write.insert(i);
            }
            let set = match overrides.get(&i) {
                Some(l) => {
                    let x = idx.read_levels(l.iter().map(String::as_str), n);
                    idx.sets.push(x);
                    (idx.sets.len() - 1) as u32
                }
                None => match by_catalog_set[o.level_set as usize] {
                    Some(id) => id,
                    None => {
                        let x = idx.read_levels(o.effective_levels(), n);
                        idx.sets.push(x);
                        let id = (idx.sets.len() - 1) as u32;
                        by_catalog_set[o.level_set as usize] = Some(id);
                        id
                    }
                },
            };
            let (any, ids) = &idx.sets[set as usize];
            if *any {
                idx.any.insert(i);
            }
            for &id in ids {
                idx.per_level[id as usize].insert(i);
            }
            idx.op_set.push(set);
        }
        idx
    }

    /// `(any identity, level ids)` of a level list.
    fn read_levels<'a>(
        &mut self,
        levels: impl Iterator<Item = &'a str>,
        n: usize,
    ) -> (bool, Vec<u16>) {
        let mut any = false;
        let mut ids = Vec::new();
        for l in levels {
            if is_any(l) {
                any = true;
            } else if !l.eq_ignore_ascii_case("API") {
                let id = self.intern(l, n);
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        (any, ids)
    }

    fn intern(&mut self, l: &str, n: usize) -> u16 {
        if let Some(&id) = self.ids.get(l) {
            return id;
        }
        let id = self.names.len() as u16;
        self.names.push(l.to_string());
        self.ids.insert(l.to_string(), id);
        self.per_level.push(Bitset::new(n));
        id
    }

    /// Every level named anywhere in the catalog (plus ORG_ADMIN), sorted.
    pub fn known_levels(&self) -> BTreeSet<&str> {
        self.names.iter().map(String::as_str).collect()
    }

    pub fn write_mask(&self) -> &Bitset {
        &self.write
    }

    fn op_any(&self, op: OpId) -> bool {
        self.sets[self.op_set[op] as usize].0
    }

    fn op_levels(&self, op: OpId) -> &[u16] {
        &self.sets[self.op_set[op] as usize].1
    }

    /// Whether an owner holding `levels` may call `op`.
    pub fn allows(&self, op: OpId, levels: &[String]) -> bool {
        if self.op_any(op) || levels.iter().any(|l| l == ORG_ADMIN) {
            return true;
        }
        self.op_levels(op)
            .iter()
            .any(|&id| levels.iter().any(|l| *l == self.names[id as usize]))
    }

    /// The levels of `held` that let the owner call `op`.
    pub fn enabling_levels(&self, op: OpId, held: &[String]) -> Vec<String> {
        if self.op_any(op) {
            return Vec::new();
        }
        let mut out: Vec<String> = self
            .op_levels(op)
            .iter()
            .map(|&id| self.names[id as usize].clone())
            .filter(|n| held.contains(n))
            .collect();
        if out.is_empty() && held.iter().any(|l| l == ORG_ADMIN) {
            out.push(ORG_ADMIN.to_string());
        }
        out
    }

    /// Any identity may call `op` (`Any`/`USER`).
    pub fn any_identity(&self, op: OpId) -> bool {
        self.op_any(op)
    }

    /// Only ORG_ADMIN is known to let an owner call `op`: its list names no other level (or
    /// none at all) and not `Any`/`USER`.
    pub fn forces_org_admin(&self, op: OpId) -> bool {
        !self.op_any(op)
            && self
                .op_levels(op)
                .iter()
                .all(|&id| self.names[id as usize] == ORG_ADMIN)
    }

    /// No documented level: only ORG_ADMIN is known to work.
    pub fn undocumented(&self, op: OpId) -> bool {
        !self.op_any(op) && self.op_levels(op).is_empty()
    }

    /// Operations an owner holding `levels` may call.
    pub fn unlocked(&self, levels: &[String]) -> Bitset {
        if levels.iter().any(|l| l == ORG_ADMIN) {
            return self.all.clone();
        }
        let mut u = self.any.clone();
        for l in levels {
            if let Some(&id) = self.ids.get(l) {
                u.union_with(&self.per_level[id as usize]);
            }
        }
        u
    }

    /// The minimal level set for the operations `q`.
    pub fn minimal(&self, q: &[OpId]) -> LevelGrant {
        let mut constraints = Vec::new();
        let mut undocumented = Vec::new();
        let mut seen_sets = std::collections::HashSet::new();
        for &op in q {
            if self.op_any(op) {
                continue;
            }
            if self.op_levels(op).is_empty() {
                undocumented.push(op);
            }
            if !seen_sets.insert(self.op_set[op]) {
                continue;
            }
            let mut options: Vec<Vec<u16>> = self.op_levels(op).iter().map(|&l| vec![l]).collect();
            options.push(vec![0]);
            constraints.push(options);
        }
        undocumented.sort_unstable();
        undocumented.dedup();
        let sol = search::solve(self, constraints).expect("ORG_ADMIN satisfies every operation");
        LevelGrant {
            levels: sol
                .items
                .iter()
                .map(|&i| self.names[i as usize].clone())
                .collect(),
            unlocked: sol.unlocked,
            undocumented,
            exact: sol.exact,
        }
    }
}

/// A minimal user-level set.
#[derive(Clone, Debug)]
pub struct LevelGrant {
    /// Sorted; empty = no elevated level (USER suffices).
    pub levels: Vec<String>,
    pub unlocked: Bitset,
    /// Operations of the query with no documented level (only ORG_ADMIN is known to work).
    pub undocumented: Vec<OpId>,
    /// Proven minimal (see [`ScopeGrant::exact`](super::ScopeGrant::exact)).
    pub exact: bool,
}

impl Model for LevelIndex {
    fn items(&self) -> usize {
        self.names.len()
    }

    fn write_mask(&self) -> &Bitset {
        &self.write
    }

    fn base(&self) -> Bitset {
        self.any.clone()
    }

    fn extend(&self, unlocked: &Bitset, _set: &Bitset, added: &[u16]) -> Bitset {
        let mut u = unlocked.clone();
        for &l in added {
            u.union_with(&self.per_level[l as usize]);
        }
        u
    }

    fn extend_counts(&self, unlocked: &Bitset, set: &Bitset, added: &[u16]) -> (usize, usize) {
        if let [l] = added {
            return unlocked.union_counts(&self.per_level[*l as usize], &self.write);
        }
        let u = self.extend(unlocked, set, added);
        (u.count_and(&self.write), u.count())
    }

    fn compatible(&self, set: &Bitset, item: u16) -> bool {
        let name = &self.names[item as usize];
        set.iter().all(|other| compatible(&self.names[other], name))
    }

    fn name(&self, item: u16) -> &str {
        &self.names[item as usize]
    }

    fn reach(&self, item: u16) -> &Bitset {
        &self.per_level[item as usize]
    }

    fn has_conflicts(&self) -> bool {
        true
    }

    fn universal(&self) -> u16 {
        0 // ORG_ADMIN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incompatible_pairs_and_org_admin_alone() {
        assert!(!compatible("ROLE_ADMIN", "SOURCE_SUBADMIN"));
        assert!(!compatible("SOURCE_SUBADMIN", "ROLE_ADMIN"));
        assert!(!compatible("ORG_ADMIN", "HELPDESK"));
        assert!(compatible("ROLE_ADMIN", "SOURCE_ADMIN"));
        assert!(compatible("CERT_ADMIN", "HELPDESK"));
        let l = vec![
            "HELPDESK".to_string(),
            "ROLE_SUBADMIN".into(),
            "ROLE_ADMIN".into(),
        ];
        assert_eq!(conflict(&l), Some(("ROLE_SUBADMIN", "ROLE_ADMIN")));
    }
}
