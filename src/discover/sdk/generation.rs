//! Which SDK generation a project uses, from its dependency manifests and lock files.
//!
//! | language | package | files read |
//! |---|---|---|
//! | Python | `sailpoint` (<2 versioned, >=2 per-API) | `requirements*.txt`/`.in`, `requirements/*.txt`, `pyproject.toml` (PEP 621, dependency groups, `tool.uv`, Poetry), `Pipfile`, `poetry.lock`, `uv.lock`, `Pipfile.lock` |
//! | TypeScript | `sailpoint-api-client` (<2 / >=2); `@sailpoint/angular-sdk` (per-API only) | `package.json`, `package-lock.json`, `npm-shrinkwrap.json`, `yarn.lock`, `pnpm-lock.yaml` |
//! | Go | `github.com/sailpoint-oss/golang-sdk` (v1 module) and `/v2` versioned, `/v3` per-API | `go.mod` |
//! | PowerShell | `PSSailpoint` (<2 / >=2) | `RequiredModules` of `*.psd1` |
//!
//! A manifest that names the package without a version that settles the major (`*`, `>=1.3`, a
//! git URL) gives no answer rather than a guess. In one folder a lock file outranks the
//! manifests; a file takes the answer of the nearest folder (its own, then its parents) whose
//! manifests name the SDK. When that folder names it without a usable version, a lock file
//! further up may still settle it (a workspace root lock holds what is installed). A `go.mod`
//! is a module boundary: files below one that does not require the SDK get no answer.

use super::index::{Generation, SdkLang};
use super::range::{self, Dialect};
use super::tomlscan;
use rustc_hash::FxHashMap;

const PY_PACKAGE: &str = "sailpoint";
const NPM_PACKAGE: &str = "sailpoint-api-client";
const NPM_ANGULAR: &str = "@sailpoint/angular-sdk";
const GO_MODULE: &str = "github.com/sailpoint-oss/golang-sdk";
const PS_MODULE: &str = "PSSailpoint";

/// How strongly a finding speaks for its folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// A resolved version from a lock file.
    Lock,
    /// A constraint from a manifest.
    Manifest,
    /// `@sailpoint/angular-sdk`: per-API, below `sailpoint-api-client` in the same folder.
    Angular,
}

/// What one manifest says about one language in one folder.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Finding {
    dir: String,
    lang: SdkLang,
    source: Source,
    generation: Option<Generation>,
}

/// What the manifests of one folder say about one language.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct DirAnswer {
    /// What each lock file entry naming the package says.
    lock: Vec<Option<Generation>>,
    /// What each manifest dependency naming the package says.
    manifest: Vec<Option<Generation>>,
    angular: bool,
    /// A `go.mod` is here.
    boundary: bool,
}

/// `None`: nothing named; `Some(None)`: named, but unpinned everywhere or pinned to both
/// generations; `Some(Some(g))`: the pinned findings agree on `g` (unpinned ones do not
/// count against it).
fn agree(findings: &[Option<Generation>]) -> Option<Option<Generation>> {
    if findings.is_empty() {
        return None;
    }
    let mut pinned = findings.iter().flatten();
    let Some(&first) = pinned.next() else {
        return Some(None);
    };
    Some(pinned.all(|&g| g == first).then_some(first))
}

impl DirAnswer {
    /// `None`: the package is not named here; `Some(None)`: named, no answer.
    fn answer(&self) -> Option<Option<Generation>> {
        agree(&self.lock)
            .or_else(|| agree(&self.manifest))
            .or(self.angular.then_some(Some(Generation::PerApi)))
    }
}

/// The SDK generations a project uses, per folder and language.
#[derive(Clone, Debug, Default)]
pub struct ProjectSdks {
    dirs: FxHashMap<(String, SdkLang), DirAnswer>,
}

impl ProjectSdks {
    /// The generation of `lang` for a file (path relative to the scanned root, `/`-separated),
    /// from the nearest folder whose manifests name the SDK; `None` when none does or the
    /// nearest one does not settle the major.
    pub fn for_file(&self, rel_path: &str, lang: SdkLang) -> Option<Generation> {
        let path = normalise(rel_path);
        let mut unresolved = false;
        for dir in ancestors(parent(&path)) {
            let Some(a) = self.dirs.get(&(dir.to_string(), lang)) else {
                continue;
            };
            if unresolved {
                if let Some(Some(g)) = agree(&a.lock) {
                    return Some(g);
                }
            } else {
                match a.answer() {
                    Some(Some(g)) => return Some(g),
                    Some(None) if lang == SdkLang::Go => return None,
                    Some(None) => unresolved = true,
                    None => {}
                }
            }
            if a.boundary {
                return None;
            }
        }
        None
    }

    /// Whether any manifest names an SDK of `lang`.
    pub fn uses(&self, lang: SdkLang) -> bool {
        self.dirs
            .iter()
            .any(|((_, l), a)| *l == lang && a.answer().is_some())
    }
}

/// Whether `rel_path` is a file [`detect`] reads.
pub fn is_manifest(rel_path: &str) -> bool {
    manifest_kind(rel_path).is_some()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Requirements,
    Pyproject,
    Pipfile,
    PipfileLock,
    TomlPackageLock, // poetry.lock, uv.lock
    PackageJson,
    PackageLock,
    YarnLock,
    PnpmLock,
    GoMod,
    Psd1,
}

fn manifest_kind(rel_path: &str) -> Option<Kind> {
    let path = normalise(rel_path);
    let (dir, name) = match path.rsplit_once('/') {
        Some((d, n)) => (d, n),
        None => ("", path.as_str()),
    };
    let lower = name.to_ascii_lowercase();
    Some(match name {
        "pyproject.toml" => Kind::Pyproject,
        "Pipfile" => Kind::Pipfile,
        "Pipfile.lock" => Kind::PipfileLock,
        "poetry.lock" | "uv.lock" => Kind::TomlPackageLock,
        "package.json" => Kind::PackageJson,
        "package-lock.json" | "npm-shrinkwrap.json" => Kind::PackageLock,
        "yarn.lock" => Kind::YarnLock,
        "pnpm-lock.yaml" => Kind::PnpmLock,
        "go.mod" => Kind::GoMod,
        _ if lower.ends_with(".psd1") => Kind::Psd1,
        _ if lower.starts_with("requirements")
            && (lower.ends_with(".txt") || lower.ends_with(".in")) =>
        {
            Kind::Requirements
        }
        _ if (dir == "requirements" || dir.ends_with("/requirements"))
            && (lower.ends_with(".txt") || lower.ends_with(".in")) =>
        {
            Kind::Requirements
        }
        _ => return None,
    })
}

/// Reads the manifests given as `(path relative to the scanned root, text)`; other files are
/// ignored.
pub fn detect(manifests: &[(&str, &str)]) -> ProjectSdks {
    let mut findings: Vec<Finding> = Vec::new();
    let mut go_mods: Vec<String> = Vec::new();
    for &(path, text) in manifests {
        let Some(kind) = manifest_kind(path) else {
            continue;
        };
        // Every package this reads is named `…sailpoint…` (any case): a manifest that never
        // says so finds nothing (lock files of large projects are megabytes of JSON). A
        // `go.mod` still marks its folder as a Go module.
        if kind != Kind::GoMod && !crate::discover::code::contains_ignore_case(text, "sailpoint") {
            continue;
        }
        let path = normalise(path);
        let mut dir = parent(&path).to_string();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut add = |dir: &str, lang: SdkLang, source: Source, generation: Option<Generation>| {
            findings.push(Finding {
                dir: dir.to_string(),
                lang,
                source,
                generation,
            })
        };
        match kind {
            Kind::Requirements => {
                // `requirements/base.txt` speaks for the project folder above.
                if dir == "requirements" || dir.ends_with("/requirements") {
                    dir = parent(&dir).to_string();
                }
                for g in requirements_txt(text) {
                    add(&dir, SdkLang::Python, Source::Manifest, g);
                }
            }
            Kind::Pyproject => {
                for g in pyproject(text) {
                    add(&dir, SdkLang::Python, Source::Manifest, g);
                }
            }
            Kind::Pipfile => {
                for g in pipfile(text) {
                    add(&dir, SdkLang::Python, Source::Manifest, g);
                }
            }
            Kind::PipfileLock => {
                for g in pipfile_lock(text) {
                    add(&dir, SdkLang::Python, Source::Lock, g);
                }
            }
            Kind::TomlPackageLock => {
                for g in toml_package_lock(text) {
                    add(&dir, SdkLang::Python, Source::Lock, g);
                }
            }
            Kind::PackageJson => {
                let (client, angular) = package_json(text);
                for g in client {
                    add(&dir, SdkLang::TypeScript, Source::Manifest, g);
                }
                if angular {
                    add(&dir, SdkLang::TypeScript, Source::Angular, None);
                }
            }
            Kind::PackageLock => {
                for (sub, g) in package_lock(text) {
                    add(&join(&dir, &sub), SdkLang::TypeScript, Source::Lock, g);
                }
            }
            Kind::YarnLock => {
                for g in yarn_lock(text) {
                    add(&dir, SdkLang::TypeScript, Source::Lock, g);
                }
            }
            Kind::PnpmLock => {
                for (sub, g) in pnpm_lock(text) {
                    add(&join(&dir, &sub), SdkLang::TypeScript, Source::Lock, g);
                }
            }
            Kind::GoMod => {
                go_mods.push(dir.clone());
                if let Some(g) = go_mod(text) {
                    add(&dir, SdkLang::Go, Source::Manifest, g);
                }
            }
            Kind::Psd1 => {
                for g in psd1(text) {
                    add(&dir, SdkLang::PowerShell, Source::Manifest, g);
                }
            }
        }
    }
    let mut dirs: FxHashMap<(String, SdkLang), DirAnswer> = FxHashMap::default();
    for f in findings {
        let a = dirs.entry((f.dir, f.lang)).or_default();
        match f.source {
            Source::Lock => a.lock.push(f.generation),
            Source::Manifest => a.manifest.push(f.generation),
            Source::Angular => a.angular = true,
        }
    }
    for d in go_mods {
        dirs.entry((d, SdkLang::Go)).or_default().boundary = true;
    }
    ProjectSdks { dirs }
}

/// Strips `./` and leading `/`, turns `\` into `/`.
fn normalise(p: &str) -> String {
    let p = p.replace('\\', "/");
    let mut s = p.as_str();
    loop {
        if let Some(r) = s.strip_prefix("./") {
            s = r;
        } else if let Some(r) = s.strip_prefix('/') {
            s = r;
        } else {
            break;
        }
    }
    s.to_string()
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `a/b/c`, `a/b`, `a`, `` (the root).
fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let cur = next?;
        next = if cur.is_empty() {
            None
        } else {
            Some(parent(cur))
        };
        Some(cur)
    })
}

fn join(dir: &str, sub: &str) -> String {
    let sub = normalise(sub);
    let sub = sub.trim_end_matches('/');
    match (dir.is_empty(), sub.is_empty() || sub == ".") {
        (_, true) => dir.to_string(),
        (true, false) => sub.to_string(),
        (false, false) => format!("{dir}/{sub}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Python

/// PEP 503 name normalisation: lower case, runs of `-_.` → `-`.
fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// A PEP 508 requirement naming `sailpoint`: `Some(generation)` (None when unpinned or a URL),
/// `None` for other packages. `sailpoint[extra] >=2 ; python_version>"3.8"`, `sailpoint (>=2)`.
fn pep508(req: &str) -> Option<Option<Generation>> {
    let req = req.trim();
    let name_len = req
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        .count();
    if name_len == 0 || pep503(&req[..name_len]) != PY_PACKAGE {
        return None;
    }
    let mut rest = req[name_len..].trim_start();
    if let Some(r) = rest.strip_prefix('[') {
        rest = r.split_once(']').map_or("", |(_, r)| r).trim_start();
    }
    let spec = rest.split(';').next().unwrap_or("").trim();
    if spec.starts_with('@') {
        return Some(None);
    }
    let spec = spec.trim_start_matches('(').trim_end_matches(')');
    Some(range::generation(spec, Dialect::Pep440))
}

fn requirements_txt(text: &str) -> Vec<Option<Generation>> {
    let mut out = Vec::new();
    let joined = text.replace("\\\r\n", " ").replace("\\\n", " ");
    for line in joined.lines() {
        // Comments start at `#` at the line start or after whitespace (URLs keep `#egg=`).
        let mut line = line;
        if let Some(k) = line
            .char_indices()
            .find(|&(k, c)| c == '#' && (k == 0 || line[..k].ends_with(char::is_whitespace)))
            .map(|(k, _)| k)
        {
            line = &line[..k];
        }
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(opt) = line.strip_prefix('-') {
            // `-e git+https://…#egg=sailpoint`: named, no version to read.
            let is_edit = opt.starts_with("e ") || opt.starts_with("-editable");
            if is_edit
                && line.split_once("#egg=").is_some_and(|(_, egg)| {
                    pep503(egg.split(['&', ' ']).next().unwrap_or("")) == PY_PACKAGE
                })
            {
                out.push(None);
            }
            continue;
        }
        // Per-requirement options (`--hash=…`) follow the requirement.
        let req: Vec<&str> = line
            .split_whitespace()
            .take_while(|w| !w.starts_with('-'))
            .collect();
        if let Some(g) = pep508(&req.join(" ")) {
            out.push(g);
        }
    }
    out
}

/// Whether a TOML table is a Poetry dependency table.
fn poetry_dep_table(table: &str) -> bool {
    table == "tool.poetry.dependencies"
        || table == "tool.poetry.dev-dependencies"
        || (table.starts_with("tool.poetry.group.") && table.ends_with(".dependencies"))
}

/// A Poetry / Pipfile dependency value: `"^1.3"`, `{ version = "^1.3" }`, `[{ version = … }]`,
/// `{ git = … }`.
fn toml_dep_value(value: &str, dialect: Dialect) -> Option<Generation> {
    let v = value.trim();
    if v.starts_with('{') {
        let version = tomlscan::inline_table(v)
            .into_iter()
            .find(|(k, _)| k == "version")
            .map(|(_, raw)| tomlscan::decode(raw))?;
        return range::generation(&version, dialect);
    }
    if let Some(inner) = v.strip_prefix('[') {
        // Multiple-constraint dependencies: every alternative must agree.
        let inner = inner.strip_suffix(']').unwrap_or(inner);
        let mut answer = None;
        let mut depth = 0usize;
        let mut start = None;
        for (k, c) in inner.char_indices() {
            match c {
                '{' => {
                    if depth == 0 {
                        start = Some(k);
                    }
                    depth += 1;
                }
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        let g = toml_dep_value(&inner[start?..=k], dialect)?;
                        if answer.is_some_and(|a| a != g) {
                            return None;
                        }
                        answer = Some(g);
                    }
                }
                _ => {}
            }
        }
        return answer;
    }
    range::generation(&tomlscan::decode(v), dialect)
}

fn pyproject(text: &str) -> Vec<Option<Generation>> {
    let mut out = Vec::new();
    for e in tomlscan::entries(text) {
        let table = e.table.as_str();
        let pep_list = (table == "project" && e.key == "dependencies")
            || table == "project.optional-dependencies"
            || table == "dependency-groups"
            || (table == "tool.uv" && e.key == "dev-dependencies")
            || (table.is_empty() && matches!(e.key.as_str(), "project.dependencies"));
        if pep_list {
            for s in tomlscan::strings(e.value) {
                if let Some(g) = pep508(&s) {
                    out.push(g);
                }
            }
        } else if poetry_dep_table(table) && pep503(&e.key) == PY_PACKAGE {
            out.push(toml_dep_value(e.value, Dialect::Npm));
        } else if let Some(dep) = table
            .strip_suffix(".sailpoint")
            .filter(|t| poetry_dep_table(t))
            && !dep.is_empty()
            && e.key == "version"
        {
            out.push(range::generation(&tomlscan::decode(e.value), Dialect::Npm));
        }
    }
    out
}

fn pipfile(text: &str) -> Vec<Option<Generation>> {
    let mut out = Vec::new();
    for e in tomlscan::entries(text) {
        if matches!(
            e.table.as_str(),
            "source" | "requires" | "scripts" | "pipenv" | ""
        ) || pep503(&e.key) != PY_PACKAGE
        {
            continue;
        }
        out.push(toml_dep_value(e.value, Dialect::Pep440));
    }
    out
}

/// `poetry.lock` / `uv.lock`: `[[package]]` tables with `name` and `version`.
fn toml_package_lock(text: &str) -> Vec<Option<Generation>> {
    let entries = tomlscan::entries(text);
    let mut out = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if e.table != "package" || e.key != "name" {
            continue;
        }
        if pep503(&tomlscan::decode(e.value)) != PY_PACKAGE {
            continue;
        }
        let version = entries
            .iter()
            .skip(i + 1)
            .take_while(|o| o.table_index == e.table_index)
            .find(|o| o.key == "version")
            .map(|o| tomlscan::decode(o.value));
        out.push(version.and_then(|v| range::generation_of_version(&v)));
    }
    out
}

fn pipfile_lock(text: &str) -> Vec<Option<Generation>> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let Some(obj) = v.as_object() else {
        return out;
    };
    for (section, deps) in obj {
        if section == "_meta" {
            continue;
        }
        let Some(deps) = deps.as_object() else {
            continue;
        };
        for (name, dep) in deps {
            if pep503(name) != PY_PACKAGE {
                continue;
            }
            let spec = dep.get("version").and_then(|v| v.as_str()).unwrap_or("");
            out.push(range::generation(spec, Dialect::Pep440));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// TypeScript

/// A `package.json` dependency range of `sailpoint-api-client`, also under an alias
/// (`"sp": "npm:sailpoint-api-client@^2"`) or with Yarn's protocol (`"npm:^2.1.0"`).
fn npm_range(name: &str, value: &str) -> Option<Option<Generation>> {
    let value = value.trim();
    let alias = format!("npm:{NPM_PACKAGE}@");
    if let Some(r) = value.strip_prefix(&alias) {
        return Some(range::generation(r, Dialect::Npm));
    }
    if name != NPM_PACKAGE {
        return None;
    }
    let value = value.strip_prefix("npm:").unwrap_or(value);
    Some(range::generation(value, Dialect::Npm))
}

/// The `sailpoint-api-client` findings and whether `@sailpoint/angular-sdk` is named.
fn package_json(text: &str) -> (Vec<Option<Generation>>, bool) {
    let mut client = Vec::new();
    let mut angular = false;
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => {
            for section in [
                "dependencies",
                "devDependencies",
                "peerDependencies",
                "optionalDependencies",
            ] {
                let Some(deps) = v.get(section).and_then(|d| d.as_object()) else {
                    continue;
                };
                for (name, value) in deps {
                    let value = value.as_str().unwrap_or("");
                    if let Some(g) = npm_range(name, value) {
                        client.push(g);
                    }
                    angular |= name == NPM_ANGULAR;
                }
            }
        }
        Err(_) => {
            // Not strict JSON (comments, trailing commas): read `"name": "range"` pairs.
            for (name, value) in json_string_pairs(text) {
                if let Some(g) = npm_range(name, value) {
                    client.push(g);
                }
                angular |= name == NPM_ANGULAR;
            }
        }
    }
    (client, angular)
}

/// `"key" : "value"` pairs of a JSON-ish text (no escapes inside).
fn json_string_pairs(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(k) = rest.find('"') {
        let after = &rest[k + 1..];
        let Some(kend) = after.find('"') else { break };
        let key = &after[..kend];
        let tail = after[kend + 1..].trim_start();
        if let Some(t) = tail.strip_prefix(':') {
            let t = t.trim_start();
            if let Some(v) = t.strip_prefix('"')
                && let Some(vend) = v.find('"')
            {
                out.push((key, &v[..vend]));
                rest = &v[vend + 1..];
                continue;
            }
        }
        rest = &after[kend + 1..];
    }
    out
}

/// The version string of a lock entry, through an alias (`npm:sailpoint-api-client@2.1.5`).
fn lock_version(v: &str) -> Option<Generation> {
    let v = v.rsplit_once('@').map_or(v, |(_, r)| r);
    range::generation_of_version(v)
}

/// `package-lock.json` (v1–v3): `(workspace folder relative to the lock, finding)`.
fn package_lock(text: &str) -> Vec<(String, Option<Generation>)> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(pkgs) = v.get("packages").and_then(|p| p.as_object()) {
        for (key, entry) in pkgs {
            let Some((loc, name)) = key.rsplit_once("node_modules/") else {
                continue;
            };
            let real = entry.get("name").and_then(|n| n.as_str()).unwrap_or(name);
            if real != NPM_PACKAGE {
                continue;
            }
            // `a/node_modules/b/node_modules/x` is a dependency's own copy, not the project's.
            if loc.contains("node_modules/") {
                continue;
            }
            let version = entry.get("version").and_then(|v| v.as_str()).unwrap_or("");
            out.push((loc.trim_end_matches('/').to_string(), lock_version(version)));
        }
    } else if let Some(deps) = v.get("dependencies").and_then(|d| d.as_object())
        && let Some(entry) = deps.get(NPM_PACKAGE)
    {
        let version = entry.get("version").and_then(|v| v.as_str()).unwrap_or("");
        out.push((String::new(), lock_version(version)));
    }
    out
}

/// `yarn.lock` v1 (`sailpoint-api-client@^1.8.0:` / `version "1.8.69"`) and Berry
/// (`"sailpoint-api-client@npm:^1.8.0":` / `version: 1.8.69`).
fn yarn_lock(text: &str) -> Vec<Option<Generation>> {
    let mut out = Vec::new();
    let mut in_entry = false;
    for line in text.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            let header = line.trim_end().trim_end_matches(':');
            in_entry = header.split(',').any(|d| {
                let d = d.trim().trim_matches('"');
                let (name, range) = split_descriptor(d);
                name == NPM_PACKAGE || range.starts_with(&format!("npm:{NPM_PACKAGE}@"))
            });
            continue;
        }
        if in_entry {
            let t = line.trim();
            if let Some(v) = t.strip_prefix("version") {
                let v = v.trim_start_matches(':').trim().trim_matches('"');
                out.push(lock_version(v));
                in_entry = false;
            }
        }
    }
    out
}

/// `name@range` → (`name`, `range`); scoped names keep their leading `@`.
fn split_descriptor(d: &str) -> (&str, &str) {
    let search_from = usize::from(d.starts_with('@'));
    match d[search_from..].find('@') {
        Some(k) => (&d[..search_from + k], &d[search_from + k + 1..]),
        None => (d, ""),
    }
}

/// `pnpm-lock.yaml`: importers (workspace folders) or the top-level dependency maps (v5),
/// else package keys.
fn pnpm_lock(text: &str) -> Vec<(String, Option<Generation>)> {
    let mut out = Vec::new();
    if let Ok(doc) = serde_yaml::from_str::<serde_yaml::Value>(text) {
        let mut visit = |dir: &str, node: &serde_yaml::Value| {
            for section in ["dependencies", "devDependencies", "optionalDependencies"] {
                let Some(dep) = node.get(section).and_then(|d| d.get(NPM_PACKAGE)) else {
                    continue;
                };
                let version = match dep {
                    serde_yaml::Value::String(s) => s.clone(),
                    serde_yaml::Value::Number(n) => n.to_string(),
                    other => other
                        .get("version")
                        .and_then(|v| v.as_str())
                        .unwrap_or("")
                        .to_string(),
                };
                // `1.8.69(typescript@5.4.0)` / v5 `1.8.69_typescript@5.4.0`.
                let version = version.split(['(', '_']).next().unwrap_or("");
                out.push((dir.to_string(), range::generation_of_version(version)));
            }
        };
        if let Some(importers) = doc.get("importers").and_then(|i| i.as_mapping()) {
            for (dir, node) in importers {
                let dir = dir.as_str().unwrap_or(".");
                visit(if dir == "." { "" } else { dir }, node);
            }
        } else {
            visit("", &doc);
        }
        if !out.is_empty() {
            return out;
        }
    }
    // Package keys: `/sailpoint-api-client@1.8.69:` (v6), `sailpoint-api-client@2.1.5:` (v9),
    // `/sailpoint-api-client/1.8.69:` (v5).
    for line in text.lines() {
        let t = line.trim().trim_end_matches(':').trim_matches(['"', '\'']);
        let t = t.strip_prefix('/').unwrap_or(t);
        if let Some(rest) = t.strip_prefix(NPM_PACKAGE)
            && let Some(v) = rest.strip_prefix('@').or_else(|| rest.strip_prefix('/'))
        {
            let v = v.split(['(', '_']).next().unwrap_or("");
            out.push((String::new(), range::generation_of_version(v)));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Go

/// The generation of the golang-sdk module a `go.mod` requires: `Some(None)` when it requires
/// several majors (the import path of each file tells) or an unknown one.
fn go_mod(text: &str) -> Option<Option<Generation>> {
    let mut found: Option<Option<Generation>> = None;
    let mut in_require = false;
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else { continue };
        let module = if in_require {
            if first == ")" {
                in_require = false;
                continue;
            }
            first
        } else if first == "require" {
            match words.next() {
                Some("(") => {
                    in_require = true;
                    continue;
                }
                Some(m) => m,
                None => continue,
            }
        } else if first.starts_with("require(") {
            in_require = true;
            continue;
        } else {
            continue;
        };
        let module = module.trim_matches('"');
        let g = match module.strip_prefix(GO_MODULE) {
            Some("") | Some("/v2") => Some(Generation::Versioned),
            Some("/v3") => Some(Generation::PerApi),
            Some(major)
                if major.len() > 2
                    && major.starts_with("/v")
                    && major[2..].bytes().all(|c| c.is_ascii_digit()) =>
            {
                None
            }
            _ => continue,
        };
        found = Some(match found {
            None => g,
            Some(prev) if prev == g => prev,
            Some(_) => None,
        });
    }
    found
}

// ---------------------------------------------------------------------------------------------
// PowerShell

/// The `PSSailpoint` entries of the `RequiredModules` of a module manifest.
fn psd1(text: &str) -> Vec<Option<Generation>> {
    let clean = strip_ps_comments(text);
    let lower = clean.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = lower[from..].find("requiredmodules") {
        let start = from + k + "requiredmodules".len();
        from = start;
        let rest = clean[start..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let value = ps_value(rest.trim_start());
        for item in ps_items(value) {
            if let Some(g) = ps_module_spec(item) {
                out.push(g);
            }
        }
    }
    out
}

/// Removes `# …` and `<# … #>` comments outside strings.
fn strip_ps_comments(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' => {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                i += 1;
            }
            b'<' if b.get(i + 1) == Some(&b'#') => {
                out.push_str(&text[last..i]);
                let end = text[i..].find("#>").map_or(b.len(), |k| i + k + 2);
                i = end;
                last = end;
            }
            b'#' => {
                out.push_str(&text[last..i]);
                let end = text[i..].find('\n').map_or(b.len(), |k| i + k);
                i = end;
                last = end;
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[last.min(text.len())..]);
    out
}

/// The value expression starting `s`: `@( … )`, `@{ … }`, `( … )`, a string, or a bare
/// token.
fn ps_value(s: &str) -> &str {
    let b = s.as_bytes();
    let open = match (b.first(), b.get(1)) {
        (Some(b'@'), Some(b'(' | b'{')) => 1,
        (Some(b'(' | b'{'), _) => 0,
        (Some(b'\'' | b'"'), _) => {
            let q = b[0];
            return s[1..].find(q as char).map_or(s, |k| &s[..k + 2]);
        }
        _ => return s.lines().next().unwrap_or(""),
    };
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' => {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
            }
            b'(' | b'{' => depth += 1,
            b')' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return &s[..=i];
                }
            }
            _ => {}
        }
        i += 1;
    }
    s
}

/// The module specifications of a `RequiredModules` value: strings and `@{ … }` tables at the
/// top level of the array.
fn ps_items(value: &str) -> Vec<&str> {
    let v = value.trim();
    let inner = if let Some(r) = v.strip_prefix("@(").or_else(|| v.strip_prefix('(')) {
        r.strip_suffix(')').unwrap_or(r)
    } else {
        return vec![v];
    };
    let b = inner.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' => {
                let q = b[i];
                let end = inner[i + 1..]
                    .find(q as char)
                    .map_or(b.len(), |k| i + k + 2);
                out.push(&inner[i..end]);
                i = end;
            }
            b'@' if b.get(i + 1) == Some(&b'{') => {
                let item = ps_value(&inner[i..]);
                out.push(item);
                i += item.len().max(1);
            }
            _ => i += 1,
        }
    }
    out
}

fn ps_unquote(s: &str) -> &str {
    s.trim().trim_matches(|c| c == '\'' || c == '"')
}

/// `'PSSailpoint'` (unpinned), `@{ ModuleName = 'PSSailpoint'; ModuleVersion = '1.7.0' }`,
/// `RequiredVersion`, `MaximumVersion`; nested 1.x modules `PSSailpoint.V2025` etc. are
/// versioned by name.
fn ps_module_spec(item: &str) -> Option<Option<Generation>> {
    let item = item.trim();
    let Some(table) = item.strip_prefix("@{") else {
        return ps_module_name(ps_unquote(item));
    };
    let table = table.strip_suffix('}').unwrap_or(table);
    let mut name = None;
    let (mut min, mut req, mut max) = (None, None, None);
    for pair in table.split([';', '\n']) {
        let Some((k, v)) = pair.split_once('=') else {
            continue;
        };
        let v = ps_unquote(v);
        match k.trim().to_ascii_lowercase().as_str() {
            "modulename" => name = Some(v),
            "moduleversion" => min = Some(v),
            "requiredversion" => req = Some(v),
            "maximumversion" => max = Some(v),
            _ => {}
        }
    }
    let by_name = ps_module_name(name?)?;
    if by_name.is_some() {
        return Some(by_name);
    }
    if let Some(r) = req {
        return Some(range::generation_of_version(r));
    }
    let mut spec = String::new();
    if let Some(m) = min {
        spec.push_str(&format!(">={m} "));
    }
    if let Some(m) = max {
        spec.push_str(&format!("<={m}"));
    }
    Some(range::generation(&spec, Dialect::Npm))
}

/// `Some(None)` for `PSSailpoint`, `Some(Some(Versioned))` for the 1.x nested modules
/// (`PSSailpoint.V3`, `.Beta`, `.V2024`, …), `None` for other modules.
fn ps_module_name(name: &str) -> Option<Option<Generation>> {
    if name.eq_ignore_ascii_case(PS_MODULE) {
        return Some(None);
    }
    let (head, sub) = name.split_once('.')?;
    if !head.eq_ignore_ascii_case(PS_MODULE) {
        return None;
    }
    let versioned = sub.eq_ignore_ascii_case("beta")
        || (sub.len() > 1
            && sub.as_bytes()[0].eq_ignore_ascii_case(&b'v')
            && sub[1..].bytes().all(|c| c.is_ascii_digit()));
    versioned.then_some(Some(Generation::Versioned))
}
