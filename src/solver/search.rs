//! An exact branch-and-bound search shared by the scope and the user-level solvers.
//!
//! Items (scopes or levels) are `u16` ids. Each constraint is a list of options; an option is a
//! set of items that, all held, satisfies the constraint. The search finds the item set that
//! satisfies every constraint and minimises, in this order: write operations unlocked,
//! operations unlocked, number of items, then the sorted list of item names.
//!
//! Pruning is exact: the cost is monotone in the item set (more items never unlock fewer
//! operations), so for every unsatisfied constraint the cheapest way to satisfy it is a lower
//! bound of every completion, and the largest of those bounds prunes the node. Single-item
//! options already explored are forbidden in later sibling branches, so no set is visited twice.
//!
//! The search is exponential in the worst case (an adversarial spec: 60 scopes, 150 operations
//! each accepting a different subset, ran for minutes). Its effort is counted — one unit per
//! node and per option costed, a deterministic count, not a clock — against [`BUDGET`]. When
//! the budget runs out, each unfinished component gets the cheaper of the best set found so far
//! and a greedy set (every constraint in turn, fewest options first, satisfied by its cheapest
//! compatible option); both satisfy every constraint, so the grant still works, but it is not
//! proven minimal and [`Solution::exact`] says so. Real catalogs solve far within the budget.

use super::bitset::Bitset;

/// Effort units a solve may spend (search nodes plus options costed). Every query of the real
/// catalog, all 4,221 operations at once included, needs under a thousandth of it.
pub const BUDGET: u64 = 2_000_000;

/// Work units the constraint simplification may spend before it keeps the remaining
/// constraints as they are (a shortcut only: keeping an implied constraint is still exact).
const SIMPLIFY_BUDGET: u64 = 20_000_000;

/// What the search needs to know about the items.
pub(crate) trait Model {
    /// Number of item ids.
    fn items(&self) -> usize;
    /// The write operations (for the first cost component).
    fn write_mask(&self) -> &Bitset;
    /// Operations unlocked by the empty set.
    fn base(&self) -> Bitset;
    /// Operations unlocked by `set` (which already holds `added`), given `unlocked` for
    /// `set` minus `added`.
    fn extend(&self, unlocked: &Bitset, set: &Bitset, added: &[u16]) -> Bitset;
    /// `(write, total)` counts of [`Model::extend`]; override to avoid allocating.
    fn extend_counts(&self, unlocked: &Bitset, set: &Bitset, added: &[u16]) -> (usize, usize) {
        let u = self.extend(unlocked, set, added);
        (u.count_and(self.write_mask()), u.count())
    }
    /// Whether `item` may join `set`.
    fn compatible(&self, _set: &Bitset, _item: u16) -> bool {
        true
    }
    fn name(&self, item: u16) -> &str;
    /// Operations `item` could help unlock (a superset is fine): items whose reaches are
    /// disjoint, beyond what is already unlocked, contribute additively to the cost.
    fn reach(&self, item: u16) -> &Bitset;
    /// Whether [`Model::compatible`] ever says no.
    fn has_conflicts(&self) -> bool {
        false
    }
    /// An item that alone satisfies every constraint (`sp:scopes:all`, ORG_ADMIN): the
    /// last resort of the greedy fallback.
    fn universal(&self) -> u16;
}

/// The best item set found.
#[derive(Clone, Debug)]
pub(crate) struct Solution {
    /// Sorted by name.
    pub items: Vec<u16>,
    pub unlocked: Bitset,
    /// Proven minimal: the search finished within its budget. False: a set that satisfies
    /// every constraint, from the greedy fallback or the best found before the budget ran out.
    pub exact: bool,
}

type Options = Vec<Vec<u16>>;

/// An option index with the `(write, total)` cost of taking it.
type Costed = ((usize, usize), usize);

/// Removes options that are supersets of other options, duplicate constraints and constraints
/// implied by others (every option of the implying one contains an option of the implied one).
/// Bounded: past [`SIMPLIFY_BUDGET`] work units the rest is kept as it is (still exact).
pub(crate) fn simplify(constraints: Vec<Options>) -> Vec<Options> {
    let mut work: u64 = 0;
    let mut cs: Vec<Options> = constraints
        .into_iter()
        .map(|mut opts| {
            for o in &mut opts {
                o.sort_unstable();
                o.dedup();
            }
            opts.sort();
            opts.dedup();
            let n = opts.len() as u64;
            work += n * n;
            if work > SIMPLIFY_BUDGET {
                return opts;
            }
            let keep: Vec<bool> = (0..opts.len())
                .map(|i| {
                    !(0..opts.len())
                        .any(|j| j != i && is_subset(&opts[j], &opts[i]) && opts[j] != opts[i])
                })
                .collect();
            opts.into_iter()
                .zip(keep)
                .filter_map(|(o, k)| k.then_some(o))
                .collect()
        })
        .collect();
    cs.sort();
    cs.dedup();
    // Fewest options first: those are the strongest constraints.
    cs.sort_by_key(|c| c.len());
    let mut kept: Vec<Options> = Vec::new();
    for c in cs {
        work += kept.iter().map(|k| (k.len() * c.len()) as u64).sum::<u64>();
        let implied = work <= SIMPLIFY_BUDGET
            && kept
                .iter()
                .any(|k| k.iter().all(|a| c.iter().any(|b| is_subset(b, a))));
        if !implied {
            kept.push(c);
        }
    }
    kept
}

/// `a ⊆ b` for sorted slices.
fn is_subset(a: &[u16], b: &[u16]) -> bool {
    let mut j = 0;
    for x in a {
        while j < b.len() && b[j] < *x {
            j += 1;
        }
        if j == b.len() || b[j] != *x {
            return false;
        }
    }
    true
}

struct Best {
    cost: (usize, usize, usize),
    names: Vec<String>,
    items: Vec<u16>,
}

struct Search<'a, M: Model> {
    m: &'a M,
    cons: Vec<Options>,
    best: Option<Best>,
    /// Effort spent, shared by the components of one solve.
    spent: u64,
    budget: u64,
    exhausted: bool,
}

/// Solves exactly. `None` when no item set satisfies every constraint.
///
/// Before the search: items that provably cost more than a feasible set without them are
/// dropped (typically `sp:scopes:all`), constraints with a single option force it (unit
/// propagation), and the rest splits into independent components — items linked by a shared
/// constraint, an overlapping reach or a conflict — solved one by one. Costs add up across
/// independent components and the name tie-break decomposes, so the union of the components'
/// optima is the optimum.
pub(crate) fn solve<M: Model>(m: &M, constraints: Vec<Options>) -> Option<Solution> {
    solve_within(m, constraints, BUDGET)
}

/// [`solve`] with an effort budget of `budget` units.
pub(crate) fn solve_within<M: Model>(
    m: &M,
    constraints: Vec<Options>,
    budget: u64,
) -> Option<Solution> {
    let mut cons = simplify(constraints);
    if cons.iter().any(|c| c.is_empty()) {
        return None;
    }
    let mut set = Bitset::new(m.items());
    let mut members: Vec<u16> = Vec::new();
    let mut unlocked = m.base();

    if !m.has_conflicts() {
        eliminate_expensive(m, &mut cons);
    }
    // Unit propagation.
    loop {
        cons.retain(|c| !satisfied(c, &set));
        for c in &mut cons {
            c.retain(|o| {
                o.iter()
                    .all(|&i| set.contains(i as usize) || m.compatible(&set, i))
            });
        }
        if cons.iter().any(|c| c.is_empty()) {
            return None;
        }
        let Some(unit) = cons.iter().find(|c| c.len() == 1).map(|c| c[0].clone()) else {
            break;
        };
        let added: Vec<u16> = unit
            .into_iter()
            .filter(|&i| !set.contains(i as usize))
            .collect();
        for &i in &added {
            set.insert(i as usize);
        }
        unlocked = m.extend(&unlocked, &set, &added);
        members.extend(added);
    }

    let mut spent = 0;
    let mut exact = true;
    for comp in components(m, &cons, &unlocked) {
        let mut s = Search {
            m,
            cons: comp,
            best: None,
            spent,
            budget,
            exhausted: false,
        };
        let forbidden = Bitset::new(m.items());
        let mut start = members.clone();
        s.dfs(&set, &mut start, &forbidden, &unlocked);
        spent = s.spent;
        let items = if s.exhausted {
            exact = false;
            let greedy = greedy(m, &s.cons, &set, &members, &unlocked);
            let chosen = match (s.best, greedy) {
                (Some(b), Some((g_cost, g))) if g_cost < b.cost => Some(g),
                (Some(b), _) => Some(b.items),
                (None, Some((_, g))) => Some(g),
                (None, None) => None,
            };
            match chosen {
                Some(items) => irredundant(m, &s.cons, items, &members),
                // Stuck on conflicts: the item that satisfies everything, alone.
                None => {
                    let u = m.universal();
                    let mut only = Bitset::new(m.items());
                    only.insert(u as usize);
                    let unlocked = m.extend(&m.base(), &only, &[u]);
                    return Some(Solution {
                        items: vec![u],
                        unlocked,
                        exact: false,
                    });
                }
            }
        } else {
            s.best?.items
        };
        let added: Vec<u16> = items
            .into_iter()
            .filter(|&i| !set.contains(i as usize))
            .collect();
        for &i in &added {
            set.insert(i as usize);
        }
        unlocked = m.extend(&unlocked, &set, &added);
        members.extend(added);
    }
    members.sort_by(|a, b| m.name(*a).cmp(m.name(*b)));
    Some(Solution {
        items: members,
        unlocked,
        exact,
    })
}

/// Drops items of a fallback set that the component's constraints do not need (the widest
/// first), keeping the members fixed before the search: fewer items never cost more.
fn irredundant<M: Model>(m: &M, cons: &[Options], items: Vec<u16>, fixed: &[u16]) -> Vec<u16> {
    let mut set = Bitset::new(m.items());
    for &i in &items {
        set.insert(i as usize);
    }
    let mut order: Vec<u16> = items
        .iter()
        .copied()
        .filter(|i| !fixed.contains(i))
        .collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(m.reach(i).count()), i));
    for i in order {
        set.remove(i as usize);
        if !cons.iter().all(|c| satisfied(c, &set)) {
            set.insert(i as usize);
        }
    }
    items
        .into_iter()
        .filter(|&i| set.contains(i as usize))
        .collect()
}

/// The greedy fallback for one component: each unsatisfied constraint in turn (fewest options
/// first, as [`simplify`] ordered them) gets its cheapest compatible option — by write
/// operations, then operations unlocked, then items added. Returns the cost `(writes,
/// operations, items)` and the whole item set, or `None` when conflicts leave a constraint
/// without a compatible option. O(constraints × options) option costings.
fn greedy<M: Model>(
    m: &M,
    cons: &[Options],
    set: &Bitset,
    members: &[u16],
    unlocked: &Bitset,
) -> Option<((usize, usize, usize), Vec<u16>)> {
    let mut set = set.clone();
    let mut members = members.to_vec();
    let mut unlocked = unlocked.clone();
    for c in cons {
        if satisfied(c, &set) {
            continue;
        }
        // (writes, operations, items added, the added items' own reach), the items.
        type Pick = ((usize, usize, usize, usize), Vec<u16>);
        let mut best: Option<Pick> = None;
        for o in c {
            let mut trial = set.clone();
            let mut added = Vec::new();
            let mut ok = true;
            for &i in o {
                if !trial.contains(i as usize) {
                    if !m.compatible(&trial, i) {
                        ok = false;
                        break;
                    }
                    trial.insert(i as usize);
                    added.push(i);
                }
            }
            if !ok {
                continue;
            }
            let (w, t) = m.extend_counts(&unlocked, &trial, &added);
            // Ties go to the narrower items on their own (never `sp:scopes:all` or ORG_ADMIN
            // while something narrower does as well).
            let own: usize = added.iter().map(|&i| m.reach(i).count()).sum();
            let key = (w, t, added.len(), own);
            if best.as_ref().is_none_or(|(k, _)| key < *k) {
                best = Some((key, added));
            }
        }
        let (_, added) = best?;
        for &i in &added {
            set.insert(i as usize);
        }
        unlocked = m.extend(&unlocked, &set, &added);
        members.extend(added);
    }
    let cost = (
        unlocked.count_and(m.write_mask()),
        unlocked.count(),
        members.len(),
    );
    Some((cost, members))
}

fn satisfied(c: &Options, set: &Bitset) -> bool {
    c.iter()
        .any(|o| o.iter().all(|&i| set.contains(i as usize)))
}

/// Drops items that no optimal set holds: if the set of every other candidate item satisfies
/// every constraint and unlocks less than the item alone, any set with the item is worse.
fn eliminate_expensive<M: Model>(m: &M, cons: &mut [Options]) {
    let write = m.write_mask();
    let base = m.base();
    let mut cands: Vec<u16> = cons.iter().flatten().flatten().copied().collect();
    cands.sort_unstable();
    cands.dedup();
    let solo = |i: u16| {
        let mut s = Bitset::new(m.items());
        s.insert(i as usize);
        let u = m.extend(&base, &s, &[i]);
        (u.count_and(write), u.count())
    };
    let mut by_cost: Vec<((usize, usize), u16)> = cands.iter().map(|&i| (solo(i), i)).collect();
    by_cost.sort_by(|a, b| b.cmp(a));
    let mut dropped = Bitset::new(m.items());
    for &(solo_cost, i) in by_cost.iter().take(4) {
        let mut rest = Bitset::new(m.items());
        let mut list = Vec::new();
        for &c in &cands {
            if c != i && !dropped.contains(c as usize) {
                rest.insert(c as usize);
                list.push(c);
            }
        }
        let feasible = cons.iter().all(|c| satisfied(c, &rest));
        if !feasible {
            break;
        }
        let u = m.extend(&base, &rest, &list);
        if (u.count_and(write), u.count()) < solo_cost {
            dropped.insert(i as usize);
        } else {
            break;
        }
    }
    if !dropped.is_empty() {
        for c in cons.iter_mut() {
            c.retain(|o| o.iter().all(|&i| !dropped.contains(i as usize)));
        }
    }
}

/// One past the largest operation index any item reaches.
fn unlocked_len<M: Model>(m: &M, items: &[u16]) -> usize {
    items
        .iter()
        .filter_map(|&i| m.reach(i).iter().last())
        .max()
        .map_or(0, |x| x + 1)
}

/// Splits constraints into independent groups (union-find over items).
fn components<M: Model>(m: &M, cons: &[Options], unlocked: &Bitset) -> Vec<Vec<Options>> {
    let n = m.items();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        let mut y = x;
        while p[y] != r {
            let next = p[y];
            p[y] = r;
            y = next;
        }
        r
    }
    let union = |p: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (find(p, a), find(p, b));
        if ra != rb {
            p[ra] = rb;
        }
    };
    let mut items: Vec<u16> = cons.iter().flatten().flatten().copied().collect();
    items.sort_unstable();
    items.dedup();
    for c in cons {
        let first = c[0][0] as usize;
        for &i in c.iter().flatten() {
            union(&mut parent, first, i as usize);
        }
    }
    // Overlapping reach beyond what is unlocked already.
    let mut owner: Vec<usize> = vec![usize::MAX; unlocked_len(m, &items)];
    for &i in &items {
        for op in m.reach(i).iter() {
            if unlocked.contains(op) {
                continue;
            }
            if owner[op] == usize::MAX {
                owner[op] = i as usize;
            } else {
                union(&mut parent, owner[op], i as usize);
            }
        }
    }
    if m.has_conflicts() {
        let empty = Bitset::new(n);
        for (x, &a) in items.iter().enumerate() {
            let mut s = empty.clone();
            s.insert(a as usize);
            for &b in &items[x + 1..] {
                if !m.compatible(&s, b) {
                    union(&mut parent, a as usize, b as usize);
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<Options>> = Default::default();
    for c in cons {
        let root = find(&mut parent, c[0][0] as usize);
        groups.entry(root).or_default().push(c.clone());
    }
    groups.into_values().collect()
}

impl<M: Model> Search<'_, M> {
    fn dfs(&mut self, set: &Bitset, members: &mut Vec<u16>, forbidden: &Bitset, unlocked: &Bitset) {
        self.spent += 1;
        if self.spent > self.budget {
            self.exhausted = true;
        }
        if self.exhausted {
            return;
        }
        let write = self.m.write_mask();
        // Unsatisfied constraints with their allowed options, each option with its cost.
        let mut chosen: Option<(usize, Vec<Costed>)> = None;
        let mut chosen_key = ((0usize, 0usize), usize::MAX);
        let mut lb = (unlocked.count_and(write), unlocked.count());
        let mut lb_extra = 0usize;
        let mut any_unsat = false;
        for (ci, c) in self.cons.iter().enumerate() {
            if satisfied(c, set) {
                continue;
            }
            any_unsat = true;
            let mut opts: Vec<((usize, usize), usize)> = Vec::new();
            for (oi, o) in c.iter().enumerate() {
                if o.iter().any(|&i| forbidden.contains(i as usize)) {
                    continue;
                }
                let mut trial = set.clone();
                let mut ok = true;
                for &i in o {
                    if !set.contains(i as usize) {
                        if !self.m.compatible(&trial, i) {
                            ok = false;
                            break;
                        }
                        trial.insert(i as usize);
                    }
                }
                if !ok {
                    continue;
                }
                let added: Vec<u16> = o
                    .iter()
                    .copied()
                    .filter(|&i| !set.contains(i as usize))
                    .collect();
                self.spent += 1;
                opts.push((self.m.extend_counts(unlocked, &trial, &added), oi));
            }
            if opts.is_empty() {
                return; // infeasible below this node
            }
            opts.sort();
            let min = opts[0].0;
            let min_extra = c
                .iter()
                .map(|o| o.iter().filter(|&&i| !set.contains(i as usize)).count())
                .min()
                .unwrap_or(0);
            lb = lb.max(min);
            lb_extra = lb_extra.max(min_extra);
            // Branch on the constraint with the most expensive cheapest option; fewer options
            // break ties.
            let key = (min, usize::MAX - opts.len());
            if chosen.is_none() || key > (chosen_key.0, usize::MAX - chosen_key.1) {
                chosen_key = (min, opts.len());
                chosen = Some((ci, opts));
            }
        }
        if let Some(b) = &self.best {
            let lower = (lb.0, lb.1, members.len() + lb_extra);
            if lower > b.cost {
                return;
            }
        }
        if !any_unsat {
            let cost = (lb.0, lb.1, members.len());
            if self.best.as_ref().is_some_and(|b| cost > b.cost) {
                return;
            }
            let mut names: Vec<String> = members
                .iter()
                .map(|&i| self.m.name(i).to_string())
                .collect();
            names.sort();
            let better = match &self.best {
                None => true,
                Some(b) => (cost, &names) < (b.cost, &b.names),
            };
            if better {
                let mut items = members.clone();
                items.sort_by(|a, b| self.m.name(*a).cmp(self.m.name(*b)));
                self.best = Some(Best { cost, names, items });
            }
            return;
        }
        let (ci, opts) = chosen.expect("an unsatisfied constraint");
        let mut forbidden = forbidden.clone();
        for (_, oi) in opts {
            let o = self.cons[ci][oi].clone();
            if o.iter().any(|&i| forbidden.contains(i as usize)) {
                continue;
            }
            let added: Vec<u16> = o
                .iter()
                .copied()
                .filter(|&i| !set.contains(i as usize))
                .collect();
            let mut next = set.clone();
            for &i in &added {
                next.insert(i as usize);
            }
            let next_unlocked = self.m.extend(unlocked, &next, &added);
            let before = members.len();
            members.extend(&added);
            self.dfs(&next, members, &forbidden, &next_unlocked);
            members.truncate(before);
            if self.exhausted {
                return;
            }
            if let [single] = o.as_slice() {
                forbidden.insert(*single as usize);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplify_drops_implied_constraints_and_superset_options() {
        let cs = vec![
            vec![vec![1], vec![2]],
            vec![vec![1]],
            vec![vec![3, 4], vec![3]],
            vec![vec![2], vec![1]],
        ];
        let s = simplify(cs);
        assert_eq!(s, vec![vec![vec![1]], vec![vec![3]]]);
    }

    #[test]
    fn subset_of_sorted_slices() {
        assert!(is_subset(&[1, 3], &[1, 2, 3]));
        assert!(!is_subset(&[1, 4], &[1, 2, 3]));
        assert!(is_subset(&[], &[1]));
    }

    /// A toy model: items unlock the operations listed for them (any-of), no conflicts.
    struct Toy {
        n: usize,
        reach: Vec<Bitset>,
        write: Bitset,
        names: Vec<String>,
    }

    impl Model for Toy {
        fn items(&self) -> usize {
            self.reach.len()
        }
        fn write_mask(&self) -> &Bitset {
            &self.write
        }
        fn base(&self) -> Bitset {
            Bitset::new(self.n)
        }
        fn extend(&self, unlocked: &Bitset, _set: &Bitset, added: &[u16]) -> Bitset {
            let mut u = unlocked.clone();
            for &i in added {
                u.union_with(&self.reach[i as usize]);
            }
            u
        }
        fn name(&self, item: u16) -> &str {
            &self.names[item as usize]
        }
        fn reach(&self, item: u16) -> &Bitset {
            &self.reach[item as usize]
        }
        fn universal(&self) -> u16 {
            0
        }
    }

    /// 40 operations; item 0 unlocks everything; items 1..=24 each a pseudo-random third of
    /// the operations; a constraint per operation: the items unlocking it.
    fn toy() -> (Toy, Vec<Options>) {
        let n = 40;
        let mut x: u64 = 12345;
        let mut reach = vec![Bitset::full(n)];
        for _ in 0..24 {
            let mut b = Bitset::new(n);
            for op in 0..n {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                if (x >> 33).is_multiple_of(3) {
                    b.insert(op);
                }
            }
            reach.push(b);
        }
        let cons = (0..n)
            .map(|op| {
                (0..reach.len() as u16)
                    .filter(|&i| reach[i as usize].contains(op))
                    .map(|i| vec![i])
                    .collect()
            })
            .collect();
        let names = (0..reach.len()).map(|i| format!("s{i:02}")).collect();
        let write = Bitset::new(n);
        (
            Toy {
                n,
                reach,
                write,
                names,
            },
            cons,
        )
    }

    fn feasible(cons: &[Options], items: &[u16], n: usize) -> bool {
        let mut set = Bitset::new(n);
        for &i in items {
            set.insert(i as usize);
        }
        cons.iter().all(|c| satisfied(c, &set))
    }

    #[test]
    fn an_exhausted_budget_falls_back_to_a_feasible_greedy_set() {
        let (m, cons) = toy();
        let exact = solve(&m, cons.clone()).unwrap();
        assert!(exact.exact);
        assert!(feasible(&cons, &exact.items, m.items()));
        for budget in [0, 1, 5, 50] {
            let approx = solve_within(&m, cons.clone(), budget).unwrap();
            assert!(!approx.exact, "budget {budget}");
            assert!(feasible(&cons, &approx.items, m.items()), "budget {budget}");
            // Never better than the optimum (it is one), never the universal item when a
            // narrower set exists.
            assert!(approx.unlocked.count() >= exact.unlocked.count());
            assert!(!approx.items.contains(&0), "{:?}", approx.items);
        }
        // Deterministic: the same budget gives the same answer.
        let a = solve_within(&m, cons.clone(), 5).unwrap();
        let b = solve_within(&m, cons, 5).unwrap();
        assert_eq!(a.items, b.items);
    }
}
