//! The reverse index: SDK method / cmdlet / class names → catalog operations.
//!
//! Built from the catalog on every `calls` run, so it only derives names (no spec parsing) and
//! keeps one hash map per language. Versioned (1.x) method names are the bare operationId and
//! shared by the families that have the operation (v3, beta, v2024, ...); per-API (2.x) names
//! carry the `V1`/`V2` of the operationId and so name per-API operations only.

use super::naming::{
    class_base, go_method, go_method_into, powershell_cmdlet, powershell_cmdlet_into,
    powershell_prefix, python_method, python_method_into, ts_method, ts_method_into,
};
use crate::catalog::{Catalog, OpId, Operation, PER_API_FAMILY};
use rustc_hash::FxHashMap;
use serde::Serialize;

/// An SDK language. Angular uses the TypeScript names (its services are [`SdkIndex::class`]ed
/// under [`SdkLang::TypeScript`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SdkLang {
    Python,
    TypeScript,
    Go,
    PowerShell,
}

impl SdkLang {
    pub const ALL: [SdkLang; 4] = [
        SdkLang::Python,
        SdkLang::TypeScript,
        SdkLang::Go,
        SdkLang::PowerShell,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SdkLang::Python => "python",
            SdkLang::TypeScript => "typescript",
            SdkLang::Go => "go",
            SdkLang::PowerShell => "powershell",
        }
    }

    fn slot(self) -> usize {
        self as usize
    }
}

/// The SDK generation: 1.x (Go module `/v2` or the v1 module) or 2.x (Go module `/v3`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Generation {
    /// One client per spec file (v3, beta, v2024, ...); the version is in the import path,
    /// class suffix, client field or cmdlet prefix; method = bare operationId.
    Versioned,
    /// One package per API partition, built from the per-API spec; the version is the `V1`/`V2`
    /// of the operationId and thus of the method name.
    PerApi,
}

/// What an SDK API class (Python/TypeScript class, Go service field or type, Angular service)
/// names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassInfo {
    /// The catalog tag the class is generated from.
    pub tag: String,
    /// The catalog family when the name itself tells it (TypeScript 1.x suffixes `Beta`,
    /// `V2024`, ...; `…V1Api` of TypeScript 2.0.0–2.0.1 and Angular services → `per-api`);
    /// `None` when the import, client field or generation must tell.
    pub family: Option<String>,
}

/// The variants an SDK generates beside the plain method, stripped to the method name:
/// Python `<m>_with_http_info` / `<m>_without_preload_content`, Go `<M>Execute`. Other names
/// are returned unchanged. (No current operationId ends in `Execute`; [`SdkIndex::lookup`]
/// tries the exact name first anyway.)
pub fn strip_variant(lang: SdkLang, name: &str) -> &str {
    match lang {
        SdkLang::Python => name
            .strip_suffix("_with_http_info")
            .or_else(|| name.strip_suffix("_without_preload_content"))
            .filter(|s| !s.is_empty())
            .unwrap_or(name),
        SdkLang::Go => name
            .strip_suffix("Execute")
            .filter(|s| !s.is_empty())
            .unwrap_or(name),
        SdkLang::TypeScript | SdkLang::PowerShell => name,
    }
}

/// Names of one language → operations. The names live in one string; entries are sorted by
/// (hash, name, operation), so building costs no allocation per name and a lookup is a binary
/// search on the hash.
struct NameTable {
    arena: String,
    /// `(hash, start, end)` of each name in `arena`.
    spans: Vec<(u64, u32, u32)>,
    /// The operation of each span.
    ops: Vec<OpId>,
}

fn hash_name(name: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(name)
}

impl NameTable {
    fn with_capacity(n: usize) -> NameTable {
        NameTable {
            arena: String::with_capacity(n * 32),
            spans: Vec::with_capacity(n),
            ops: Vec::with_capacity(n),
        }
    }

    /// Records that the text appended to the arena since `start` names `op`.
    fn push(&mut self, start: usize, op: OpId) {
        let h = hash_name(&self.arena[start..]);
        self.spans.push((h, start as u32, self.arena.len() as u32));
        self.ops.push(op);
    }

    fn name(&self, (_, a, b): (u64, u32, u32)) -> &str {
        &self.arena[a as usize..b as usize]
    }

    fn finish(&mut self) {
        let mut rows: Vec<(u64, OpId, u32, u32)> = self
            .spans
            .iter()
            .zip(&self.ops)
            .map(|(&(h, a, b), &op)| (h, op, a, b))
            .collect();
        rows.sort_unstable_by_key(|r| (r.0, r.1));
        // Equal names must be adjacent: only a 64-bit hash collision between two different
        // names could break that, and then the names decide the order.
        let collision = rows.windows(2).any(|w| {
            w[0].0 == w[1].0
                && self.arena[w[0].2 as usize..w[0].3 as usize]
                    != self.arena[w[1].2 as usize..w[1].3 as usize]
        });
        if collision {
            rows.sort_unstable_by(|x, y| {
                (x.0, &self.arena[x.2 as usize..x.3 as usize], x.1).cmp(&(
                    y.0,
                    &self.arena[y.2 as usize..y.3 as usize],
                    y.1,
                ))
            });
        }
        self.spans = rows.iter().map(|r| (r.0, r.2, r.3)).collect();
        self.ops = rows.iter().map(|r| r.1).collect();
    }

    fn get(&self, name: &str) -> &[OpId] {
        let h = hash_name(name);
        let key = (h, name);
        let lo = self.spans.partition_point(|&s| (s.0, self.name(s)) < key);
        let hi = lo + self.spans[lo..].partition_point(|&s| s.0 == h && self.name(s) == name);
        &self.ops[lo..hi]
    }
}

/// SDK names → operations.
pub struct SdkIndex {
    /// Per [`SdkLang`]: method names (PowerShell: lower-cased cmdlets).
    names: [NameTable; 4],
    /// Family of each operation, as an index into `families`.
    op_family: Vec<u16>,
    families: Vec<Box<str>>,
    per_api: Option<u16>,
    /// Class base (`AccessProfiles`) → tag.
    classes: FxHashMap<Box<str>, String>,
}

const EMPTY: &[OpId] = &[];

impl SdkIndex {
    /// The index of `cat`: the embedded catalog's is built once per process and shared (a
    /// library user or a test analysing many projects pays for it once); another catalog's
    /// is built anew.
    pub fn shared(cat: &Catalog) -> std::sync::Arc<SdkIndex> {
        static EMBEDDED: std::sync::OnceLock<std::sync::Arc<SdkIndex>> = std::sync::OnceLock::new();
        if std::ptr::eq(cat, Catalog::embedded()) {
            EMBEDDED
                .get_or_init(|| std::sync::Arc::new(SdkIndex::new(cat)))
                .clone()
        } else {
            std::sync::Arc::new(SdkIndex::new(cat))
        }
    }

    pub fn new(cat: &Catalog) -> SdkIndex {
        let n = cat.ops.len();
        let mut names: [NameTable; 4] = std::array::from_fn(|_| NameTable::with_capacity(n));
        let mut families: Vec<Box<str>> = Vec::new();
        let mut prefixes: Vec<String> = Vec::new();
        let mut op_family = Vec::with_capacity(n);
        let mut classes: FxHashMap<Box<str>, String> = FxHashMap::default();
        let mut seen_tags: rustc_hash::FxHashSet<&str> = Default::default();
        for (id, op) in cat.ops.iter().enumerate() {
            let fam = match families.iter().position(|f| **f == *op.family) {
                Some(i) => i,
                None => {
                    families.push(op.family.as_ref().into());
                    prefixes.push(powershell_prefix(&op.family));
                    families.len() - 1
                }
            };
            op_family.push(u16::try_from(fam).expect("fewer than 65536 families"));
            let oid: &str = &op.operation_id;
            let t = &mut names[SdkLang::Python.slot()];
            let start = t.arena.len();
            python_method_into(oid, &mut t.arena);
            t.push(start, id);
            let t = &mut names[SdkLang::TypeScript.slot()];
            let start = t.arena.len();
            ts_method_into(oid, &mut t.arena);
            t.push(start, id);
            let t = &mut names[SdkLang::Go.slot()];
            let start = t.arena.len();
            go_method_into(oid, &mut t.arena);
            t.push(start, id);
            let t = &mut names[SdkLang::PowerShell.slot()];
            let start = t.arena.len();
            powershell_cmdlet_into(oid, &prefixes[fam], &mut t.arena);
            t.arena[start..].make_ascii_lowercase();
            t.push(start, id);
            if seen_tags.insert(&op.tag) {
                classes
                    .entry(class_base(&op.tag).into())
                    .or_insert_with(|| op.tag.to_string());
            }
        }
        for t in &mut names {
            t.finish();
        }
        let per_api = families
            .iter()
            .position(|f| &**f == PER_API_FAMILY)
            .map(|i| i as u16);
        SdkIndex {
            names,
            op_family,
            families,
            per_api,
            classes,
        }
    }

    /// Operations whose method name in `lang` is exactly `name`: every family that has a bare
    /// (1.x) name, the per-API operation for a `V1`/`V2` name. For PowerShell this is
    /// [`SdkIndex::cmdlet`]. Variants are not stripped (see [`SdkIndex::lookup`]).
    pub fn methods(&self, lang: SdkLang, name: &str) -> &[OpId] {
        if lang == SdkLang::PowerShell {
            return self.cmdlet(name);
        }
        self.names[lang.slot()].get(name)
    }

    /// [`SdkIndex::methods`] for `name`, else for [`strip_variant`]`(name)`.
    pub fn lookup(&self, lang: SdkLang, name: &str) -> &[OpId] {
        let ops = self.methods(lang, name);
        if !ops.is_empty() {
            return ops;
        }
        let base = strip_variant(lang, name);
        if base.len() == name.len() {
            return EMPTY;
        }
        self.methods(lang, base)
    }

    /// Operations of a cmdlet (case-insensitive, as in PowerShell; a module qualifier
    /// `PSSailpoint\` is ignored). The family prefix makes cmdlets unique per family except
    /// where `getX`/`listX` or `patchX`/`updateX` both exist (e.g. `Update-NonEmployeeRecord`):
    /// the generator emits both functions under one name, so both operations are returned.
    pub fn cmdlet(&self, name: &str) -> &[OpId] {
        let name = name.rsplit('\\').next().unwrap_or(name);
        let map = &self.names[SdkLang::PowerShell.slot()];
        if !name.bytes().any(|b| b.is_ascii_uppercase()) {
            return map.get(name);
        }
        map.get(&name.to_ascii_lowercase())
    }

    /// What an SDK class name designates; `None` for names that are not SDK classes of a
    /// catalog tag.
    ///
    /// * Python: `<Base>Api` (both generations; the module path tells the family).
    /// * TypeScript: `<Base>Api` (v3 in 1.x, per-API in 2.x: family `None`),
    ///   `<Base>BetaApi` / `<Base>V2024Api` / ... (that family), `<Base>V1Api` (2.0.0–2.0.1,
    ///   per-API); the same with the `Factory`, `Fp` and `AxiosParamCreator` entry points;
    ///   Angular `<Base>Service` (per-API).
    /// * Go: field `<Base>API` / type `<Base>APIService` (v2 and v3 modules: the client field
    ///   `.V2025` or the module tells), v1 module `<Base>Api` / `<Base>ApiService`.
    /// * PowerShell: no class is visible to callers, always `None`.
    pub fn class(&self, lang: SdkLang, class_name: &str) -> Option<ClassInfo> {
        match lang {
            SdkLang::Python => self.plain(class_name.strip_suffix("Api")?),
            SdkLang::Go => {
                let base = ["APIService", "API", "ApiService", "Api"]
                    .iter()
                    .find_map(|s| class_name.strip_suffix(s))?;
                self.plain(base)
            }
            SdkLang::TypeScript => {
                if let Some(base) = class_name.strip_suffix("Service") {
                    return self.info(base, Some(PER_API_FAMILY.to_string()));
                }
                let name = ["Factory", "Fp", "AxiosParamCreator"]
                    .iter()
                    .find_map(|s| class_name.strip_suffix(s))
                    .unwrap_or(class_name);
                let rest = name.strip_suffix("Api")?;
                if let Some(info) = self.plain(rest) {
                    return Some(info);
                }
                if let Some(base) = rest.strip_suffix("Beta") {
                    return self.info(base, Some("beta".to_string()));
                }
                let digits = rest.len() - rest.bytes().rev().take_while(u8::is_ascii_digit).count();
                let (base, num) = rest.split_at(digits);
                let base = base.strip_suffix('V')?;
                match num {
                    "1" => self.info(base, Some(PER_API_FAMILY.to_string())),
                    n if n.len() == 4 => self.info(base, Some(format!("v{n}"))),
                    _ => None,
                }
            }
            SdkLang::PowerShell => None,
        }
    }

    fn plain(&self, base: &str) -> Option<ClassInfo> {
        self.info(base, None)
    }

    fn info(&self, base: &str, family: Option<String>) -> Option<ClassInfo> {
        Some(ClassInfo {
            tag: self.classes.get(base)?.clone(),
            family,
        })
    }

    /// The operations of `ops` in `family` (`v3`, `beta`, `v2025`, `per-api`, ...).
    pub fn in_family<'a>(
        &'a self,
        ops: &'a [OpId],
        family: &str,
    ) -> impl Iterator<Item = OpId> + 'a {
        let fam = self
            .families
            .iter()
            .position(|f| **f == *family)
            .map(|i| i as u16);
        ops.iter()
            .copied()
            .filter(move |&op| fam.is_some() && self.op_family.get(op).copied() == fam)
    }

    /// The operations of `ops` that an SDK of `generation` can call: per-API ones for
    /// [`Generation::PerApi`], the others for [`Generation::Versioned`].
    pub fn in_generation<'a>(
        &'a self,
        ops: &'a [OpId],
        generation: Generation,
    ) -> impl Iterator<Item = OpId> + 'a {
        ops.iter()
            .copied()
            .filter(move |&op| self.generation_of(op) == Some(generation))
    }

    /// The family of an operation of the indexed catalog.
    pub fn family(&self, op: OpId) -> Option<&str> {
        self.op_family.get(op).map(|&f| &*self.families[f as usize])
    }

    /// The generation whose SDKs contain `op`.
    pub fn generation_of(&self, op: OpId) -> Option<Generation> {
        let f = *self.op_family.get(op)?;
        Some(if Some(f) == self.per_api {
            Generation::PerApi
        } else {
            Generation::Versioned
        })
    }
}

/// The name an SDK of `lang` gives `op` (PowerShell: the cmdlet, with the family's prefix).
pub fn method_name(lang: SdkLang, op: &Operation) -> String {
    match lang {
        SdkLang::Python => python_method(&op.operation_id),
        SdkLang::TypeScript => ts_method(&op.operation_id),
        SdkLang::Go => go_method(&op.operation_id),
        SdkLang::PowerShell => powershell_cmdlet(&op.operation_id, &powershell_prefix(&op.family)),
    }
}
