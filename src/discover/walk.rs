//! Walks the given paths once, in parallel, respecting `.gitignore`/`.ignore` (in a git
//! repository or not), and keeps the files the prefilter flags (plus dependency manifests).
//!
//! Every file is read at most once: its kind comes from its name (extension-less files: from
//! the first bytes, read into the buffer that then takes the rest), its size from `fstat` on
//! the open handle, and the binary check, the prefilter and the UTF-8 decoding all work on the
//! bytes already read. What is skipped and why:
//!
//! | what | how |
//! |---|---|
//! | ignored by `.gitignore`, `.ignore`, `.git/info/exclude` | silently |
//! | a folder named in [`SKIP_DIRS`] (below a root, not a root itself), unless `include` matches below it | silently |
//! | a kind no front-end reads (`.png`, `.lock`, an extension-less non-script, ...) | silently, unread |
//! | documentation, unless `include_docs` or `include` matches it | silently, unread |
//! | symlinks (never followed below a root, so no loops), FIFOs, sockets, devices | silently, never opened |
//! | binary (a NUL byte in the first 8 KiB, after a UTF-16 BOM is decoded) | silently |
//! | over `max_file_size` | warning |
//! | unreadable file or folder, bad ignore file | warning naming the path |
//! | no prefilter hint (manifests are kept regardless) | silently |
//!
//! A root that is a symlink is followed (the user named it); a root that is a file is read
//! whatever the ignore files say, documentation too. Files come back sorted by `rel` (then by root), warnings
//! sorted: the result does not depend on the number of threads.

use super::lang::{self, FileKind};
use super::{Options, SourceFile, Warning, WarningKind, prefilter};
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Directories never walked below a root: dependencies, build output, caches, VCS data.
pub const SKIP_DIRS: &[&str] = &[
    // Dependencies.
    "node_modules",
    "bower_components",
    "jspm_packages",
    "vendor",
    "site-packages",
    ".venv",
    "venv",
    ".yarn",
    ".pnpm-store",
    // Build output.
    "dist",
    "target",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".angular",
    ".gradle",
    ".terraform",
    // Caches of tools.
    "__pycache__",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".eggs",
    // Version control.
    ".git",
    ".hg",
    ".svn",
    ".bzr",
];

/// Bytes looked at for the binary check (as git and ripgrep do).
const BINARY_PROBE: usize = 8 * 1024;
/// Bytes read first from an extension-less file to find a shebang.
const SHEBANG_PROBE: usize = 256;

/// Reads the tree. Returns the files worth analysing (sorted by `rel`), what was skipped with
/// a reason (sorted), and the number of files scanned (files whose content was read, whether
/// or not the prefilter kept them).
pub fn walk(roots: &[PathBuf], opts: &Options) -> (Vec<SourceFile>, Vec<Warning>, usize) {
    let w = walk_all(roots, opts);
    (w.files, w.warnings, w.scanned)
}

/// What [`walk_all`] found.
pub struct Walked {
    /// The files worth analysing, sorted by `rel`.
    pub files: Vec<SourceFile>,
    pub warnings: Vec<Warning>,
    pub scanned: usize,
    /// Code files the prefilter set aside (no ISC hint): where they are, not their text. A
    /// project helper that takes ISC paths may be called from them ([`read_callers`]).
    pub deferred: Vec<Deferred>,
}

/// A code file the prefilter set aside.
#[derive(Clone, Debug)]
pub struct Deferred {
    pub rel: String,
    pub kind: FileKind,
    pub path: PathBuf,
}

/// [`walk`], with the code files the prefilter set aside.
pub fn walk_all(roots: &[PathBuf], opts: &Options) -> Walked {
    let acc = Mutex::new(Acc::default());
    let mut dirs = Vec::new();
    for (i, root) in roots.iter().enumerate() {
        if let Some(base) = walk_root(i, root, opts, &acc) {
            dirs.push((i, base));
        }
    }
    // Folders are walked together (one pool of threads for all, as `rg` does with several
    // paths), unless one lies inside another: then each is walked alone, so that a file
    // under both is named relative to each.
    let nested = dirs.iter().enumerate().any(|(a, (_, x))| {
        dirs.iter()
            .enumerate()
            .any(|(b, (_, y))| a != b && x.starts_with(y))
    });
    if nested {
        for (i, base) in &dirs {
            walk_dirs(&[(*i, base.clone())], opts, &acc);
        }
    } else if !dirs.is_empty() {
        walk_dirs(&dirs, opts, &acc);
    }
    let Acc {
        mut files,
        mut warnings,
        scanned,
        mut deferred,
    } = acc.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|(ia, a), (ib, b)| a.rel.cmp(&b.rel).then(ia.cmp(ib)));
    deferred.sort_by(|(ia, a), (ib, b)| a.rel.cmp(&b.rel).then(ia.cmp(ib)));
    warnings.sort();
    warnings.dedup();
    Walked {
        files: files.into_iter().map(|(_, f)| f).collect(),
        warnings,
        scanned,
        deferred: deferred.into_iter().map(|(_, d)| d).collect(),
    }
}

/// The set-aside files that call one of `names` (helpers of the project, by language: an
/// identifier with that name, not part of a longer one, followed by `(` — or, in PowerShell,
/// used as a command), read again. Files that changed meanwhile into something unreadable,
/// too large or binary are left out (they were read once already).
pub fn read_callers(
    deferred: &[Deferred],
    names: &[(crate::discover::lex::Lang, String)],
    opts: &Options,
) -> Vec<SourceFile> {
    use crate::discover::lex::Lang;
    if names.is_empty() || deferred.is_empty() {
        return Vec::new();
    }
    let mut by_lang: Vec<(Lang, aho_corasick::AhoCorasick)> = Vec::new();
    let mut langs: Vec<Lang> = names.iter().map(|(l, _)| *l).collect();
    langs.sort_by_key(|l| format!("{l:?}"));
    langs.dedup();
    for l in langs {
        let pats: Vec<&str> = names
            .iter()
            .filter(|(x, n)| *x == l && !n.is_empty())
            .map(|(_, n)| n.as_str())
            .collect();
        if let Ok(ac) = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(l == Lang::PowerShell)
            .build(&pats)
        {
            by_lang.push((l, ac));
        }
    }
    let found = crate::discover::par::map(opts.threads, deferred, |_, d| {
        let lang = crate::discover::code_lang(d.kind)?;
        let (_, ac) = by_lang.iter().find(|(l, _)| *l == lang)?;
        let meta = std::fs::metadata(&d.path).ok()?;
        if !meta.is_file() || meta.len() > opts.max_file_size {
            return None;
        }
        let mut bytes = Vec::new();
        crate::fsutil::open_nonblocking(&d.path, false)
            .ok()?
            .take(opts.max_file_size + 1)
            .read_to_end(&mut bytes)
            .ok()?;
        if bytes.len() as u64 > opts.max_file_size {
            return None;
        }
        let bytes = decoded(bytes)?;
        if !calls_a_name(&bytes, ac, lang == Lang::PowerShell) {
            return None;
        }
        Some(SourceFile {
            rel: d.rel.clone(),
            kind: d.kind,
            text: lossy_text(bytes),
        })
    });
    found.into_iter().flatten().collect()
}

/// Whether `bytes` holds one of the automaton's names as a whole identifier followed by `(`
/// or after a `.` (PowerShell: followed by anything that ends a command name).
fn calls_a_name(bytes: &[u8], ac: &aho_corasick::AhoCorasick, command: bool) -> bool {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || (command && b == b'-');
    ac.find_overlapping_iter(bytes).any(|m| {
        let before_ok = m.start() == 0 || !ident(bytes[m.start() - 1]);
        let rest = &bytes[m.end()..];
        let after = rest.iter().copied().find(|b| *b != b' ' && *b != b'\t');
        // A member named so and not called (`self.api = client.r`) binds it to a new name.
        let member = m.start() > 0 && bytes[m.start() - 1] == b'.';
        let after_ok = match after {
            Some(b'(') => true,
            _ if command => rest.first().is_none_or(|&b| !ident(b)),
            _ => member && rest.first().is_none_or(|&b| !ident(b)),
        };
        before_ok && after_ok
    })
}

/// What one thread (or the whole walk) collected.
#[derive(Default)]
struct Acc {
    /// (index of the root, file).
    files: Vec<(usize, SourceFile)>,
    warnings: Vec<Warning>,
    scanned: usize,
    deferred: Vec<(usize, Deferred)>,
}

impl Acc {
    fn warn(&mut self, kind: WarningKind, path: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning::new(kind, path, message));
    }

    fn merge(&mut self, other: &mut Acc) {
        self.files.append(&mut other.files);
        self.deferred.append(&mut other.deferred);
        self.warnings.append(&mut other.warnings);
        self.scanned += other.scanned;
        other.scanned = 0;
    }
}

/// A root named on the command line: a file is considered at once; a folder's base (what
/// the walker is given) is returned, to be walked with the others.
fn walk_root(idx: usize, root: &Path, opts: &Options, shared: &Mutex<Acc>) -> Option<PathBuf> {
    let mut acc = Acc::default();
    let mut dir = None;
    let shown = root.display().to_string();
    match std::fs::symlink_metadata(root) {
        Err(e) => acc.warn(WarningKind::Unreadable, shown, format!("skipped: {e}")),
        Ok(m) => {
            // A root that is a symlink is followed: the user named it.
            let is_link = m.file_type().is_symlink();
            let meta = if is_link {
                std::fs::metadata(root)
            } else {
                Ok(m)
            };
            match meta {
                Err(e) => acc.warn(
                    WarningKind::Unreadable,
                    shown,
                    format!("skipped: broken symlink: {e}"),
                ),
                Ok(m) if m.is_dir() => {
                    // `link/.` makes the walker descend into a symlinked root; a plain folder
                    // is walked as given (so `rel` strips exactly what was given).
                    dir = Some(if is_link {
                        root.join(".")
                    } else {
                        root.to_path_buf()
                    });
                }
                Ok(m) if m.is_file() => {
                    let name = root
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| shown.clone());
                    // A file named on the command line is read even if it is documentation.
                    let named = Options {
                        include_docs: true,
                        ..opts.clone()
                    };
                    consider(idx, root, name, &named, &mut acc);
                }
                Ok(_) => acc.warn(
                    WarningKind::Unreadable,
                    shown,
                    "skipped: not a regular file or folder",
                ),
            }
        }
    }
    lock(shared).merge(&mut acc);
    dir
}

fn lock(m: &Mutex<Acc>) -> std::sync::MutexGuard<'_, Acc> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// `--include GLOB`s: paths (relative to the root, `/`-separated) read even though they are
/// documentation or lie under a folder of [`SKIP_DIRS`]. Ignore files still apply.
#[derive(Clone, Debug, Default)]
pub struct Include {
    set: globset::GlobSet,
    /// Each glob's literal lead (up to its first wildcard), to tell which skipped folders to
    /// enter; empty when a glob starts with a wildcard (it may match under any folder).
    leads: Vec<String>,
}

impl Include {
    /// Compiles the globs (`**` crosses folders, `*` does not); the error names the bad one.
    pub fn new(globs: &[String]) -> Result<Include, String> {
        let mut b = globset::GlobSetBuilder::new();
        let mut leads = Vec::new();
        for g in globs {
            let glob = globset::GlobBuilder::new(g)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("invalid --include glob `{g}`: {e}"))?;
            b.add(glob);
            let lead = g.split(['*', '?', '[', '{']).next().unwrap_or("");
            leads.push(lead.to_string());
        }
        let set = b
            .build()
            .map_err(|e| format!("invalid --include globs: {e}"))?;
        Ok(Include { set, leads })
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    /// Whether a file's relative path is included.
    pub fn matches(&self, rel: &str) -> bool {
        !self.set.is_empty() && self.set.is_match(rel)
    }

    /// Whether a skipped folder (relative path) may hold an included file.
    fn may_enter(&self, dir_rel: &str) -> bool {
        let dir = format!("{}/", dir_rel.trim_end_matches('/'));
        self.leads
            .iter()
            .any(|l| l.is_empty() || l.starts_with(&dir) || dir.starts_with(l.as_str()))
    }
}

/// Whether a relative path lies under a folder of [`SKIP_DIRS`].
fn under_skipped_dir(rel: &str) -> bool {
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    parts.iter().any(|p| SKIP_DIRS.contains(p))
}

/// Walks folders (none inside another), each file named relative to its own.
fn walk_dirs(dirs: &[(usize, PathBuf)], opts: &Options, shared: &Mutex<Acc>) {
    // The walker reads `-` as standard input; a folder named `-` is `./-`.
    let bases: Vec<(usize, PathBuf)> = dirs
        .iter()
        .map(|(i, b)| {
            if b == Path::new("-") {
                (*i, PathBuf::from("./-"))
            } else {
                (*i, b.clone())
            }
        })
        .collect();
    let Some(((_, first), rest)) = bases.split_first() else {
        return;
    };
    let mut builder = ignore::WalkBuilder::new(first);
    for (_, b) in rest {
        builder.add(b);
    }
    let bases = std::sync::Arc::new(bases);
    builder
        .hidden(false)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .ignore(true)
        .parents(true)
        .require_git(false)
        .follow_links(false)
        .threads(opts.threads)
        // Applied below the root only: a root named `vendor` is walked.
        .filter_entry({
            let include = opts.include.clone();
            let bases = bases.clone();
            move |e| {
                let skipped = e.file_type().is_some_and(|t| t.is_dir())
                    && e.file_name()
                        .to_str()
                        .is_some_and(|n| SKIP_DIRS.contains(&n));
                !skipped
                    || !include.is_empty()
                        && include.may_enter(&relative(root_of(&bases, e.path()).1, e.path()))
            }
        });
    let mut visitors = Visitors {
        bases: &bases,
        opts,
        shared,
    };
    builder.build_parallel().visit(&mut visitors);
}

/// The folder (index, base) a walked path lies in: the first that holds it (they do not
/// nest), else the first.
fn root_of<'b>(bases: &'b [(usize, PathBuf)], path: &Path) -> (usize, &'b Path) {
    let (i, b) = if bases.len() == 1 {
        &bases[0]
    } else {
        bases
            .iter()
            .find(|(_, b)| path.starts_with(b))
            .unwrap_or(&bases[0])
    };
    (*i, b.as_path())
}

struct Visitors<'a> {
    bases: &'a [(usize, PathBuf)],
    opts: &'a Options,
    shared: &'a Mutex<Acc>,
}

impl<'s> ignore::ParallelVisitorBuilder<'s> for Visitors<'s> {
    fn build(&mut self) -> Box<dyn ignore::ParallelVisitor + 's> {
        Box::new(Visitor {
            bases: self.bases,
            opts: self.opts,
            shared: self.shared,
            acc: Acc::default(),
        })
    }
}

/// One worker thread's visitor: collects locally, hands its results over when dropped.
struct Visitor<'a> {
    bases: &'a [(usize, PathBuf)],
    opts: &'a Options,
    shared: &'a Mutex<Acc>,
    acc: Acc,
}

impl Drop for Visitor<'_> {
    fn drop(&mut self) {
        lock(self.shared).merge(&mut self.acc);
    }
}

impl ignore::ParallelVisitor for Visitor<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) -> ignore::WalkState {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                self.report(&e);
                return ignore::WalkState::Continue;
            }
        };
        if let Some(e) = entry.error() {
            // A bad or unreadable ignore file in this folder.
            self.report(e);
        }
        // `file_type` comes from the directory listing (no extra syscall): symlinks, FIFOs,
        // sockets and devices are never opened.
        if entry.file_type().is_some_and(|t| t.is_file()) {
            let (idx, base) = root_of(self.bases, entry.path());
            let rel = relative(base, entry.path());
            consider(idx, entry.path(), rel, self.opts, &mut self.acc);
        }
        ignore::WalkState::Continue
    }
}

impl Visitor<'_> {
    fn report(&mut self, err: &ignore::Error) {
        use ignore::Error as E;
        match err {
            E::Partial(errs) => errs.iter().for_each(|e| self.report(e)),
            E::WithDepth { err, .. } => self.report(err),
            E::WithPath { path, err } => {
                let path = self.shown(path);
                self.acc.warn(kind_of(err), path, describe(err));
            }
            E::Loop { child, .. } => {
                let path = self.shown(child);
                self.acc
                    .warn(WarningKind::Unreadable, path, format!("skipped: {err}"));
            }
            other => {
                let path = self.bases[0].1.display().to_string();
                self.acc.warn(kind_of(other), path, describe(other));
            }
        }
    }

    /// A path for a warning: relative to the root when under it (as files are named).
    fn shown(&self, path: &Path) -> String {
        let (_, base) = root_of(self.bases, path);
        if path.strip_prefix(base).is_ok() {
            let rel = relative(base, path);
            if !rel.is_empty() {
                return rel;
            }
        }
        path.display().to_string()
    }
}

/// A walk error loses files when something could not be read; a bad ignore file loses none.
fn kind_of(err: &ignore::Error) -> WarningKind {
    use ignore::Error as E;
    match err {
        E::WithDepth { err, .. } | E::WithPath { err, .. } | E::WithLineNumber { err, .. } => {
            kind_of(err)
        }
        E::Partial(errs) => errs.iter().map(kind_of).min().unwrap_or(WarningKind::Note),
        E::Io(_) | E::Loop { .. } => WarningKind::Unreadable,
        _ => WarningKind::Note,
    }
}

/// The message of a walk error whose path is given separately.
fn describe(err: &ignore::Error) -> String {
    use ignore::Error as E;
    match err {
        E::WithDepth { err, .. } | E::WithPath { err, .. } => describe(err),
        E::WithLineNumber { line, err } => format!("line {line}: {}", describe(err)),
        E::Io(e) => format!("skipped: cannot read: {e}"),
        other => other.to_string(),
    }
}

/// `path` relative to `base`, `/`-separated, with no `.` or empty components.
fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let mut out = String::new();
    for c in rel.components() {
        if let Component::Normal(s) = c {
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(&s.to_string_lossy());
        }
    }
    out
}

/// Whether `detect` would look at the first line (the name has no extension).
fn needs_head(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy());
    name.is_some_and(|n| n.rsplit_once('.').is_none_or(|(_, ext)| ext.is_empty()))
}

/// Reads one regular file (at most once) and keeps it when it is worth analysing.
fn consider(idx: usize, path: &Path, rel: String, opts: &Options, acc: &mut Acc) {
    let named = lang::detect(path, b"");
    let probe_head = named == FileKind::Other && needs_head(path);
    if named == FileKind::Other && !probe_head {
        return;
    }
    if named.is_doc() && !opts.include_docs && !opts.include.matches(&rel) {
        return;
    }
    // Entered only because an `--include` glob may match below it.
    if !opts.include.is_empty() && under_skipped_dir(&rel) && !opts.include.matches(&rel) {
        return;
    }
    // Non-blocking: a file swapped for a FIFO between listing and opening cannot block the walk.
    let mut file = match crate::fsutil::open_nonblocking(path, false) {
        Ok(f) => f,
        Err(e) => {
            return acc.warn(
                WarningKind::Unreadable,
                rel,
                format!("skipped: cannot read: {e}"),
            );
        }
    };
    let meta = match file.metadata() {
        Ok(m) => m,
        Err(e) => {
            return acc.warn(
                WarningKind::Unreadable,
                rel,
                format!("skipped: cannot read: {e}"),
            );
        }
    };
    if !meta.is_file() {
        return; // replaced by something else since it was listed
    }
    let mut bytes = Vec::new();
    let kind = if probe_head {
        if let Err(e) = (&mut file)
            .take(SHEBANG_PROBE as u64)
            .read_to_end(&mut bytes)
        {
            return acc.warn(
                WarningKind::Unreadable,
                rel,
                format!("skipped: cannot read: {e}"),
            );
        }
        match lang::detect(path, &bytes) {
            FileKind::Other => return,
            k => k,
        }
    } else {
        named
    };
    let limit = opts.max_file_size;
    if meta.len() > limit {
        return acc.warn(WarningKind::TooLarge, rel, over_limit(meta.len(), limit));
    }
    bytes.reserve_exact((meta.len() as usize + 1).saturating_sub(bytes.len()));
    let left = (limit + 1).saturating_sub(bytes.len() as u64);
    if let Err(e) = (&mut file).take(left).read_to_end(&mut bytes) {
        return acc.warn(
            WarningKind::Unreadable,
            rel,
            format!("skipped: cannot read: {e}"),
        );
    }
    drop(file);
    if bytes.len() as u64 > limit {
        // It grew while being read.
        return acc.warn(
            WarningKind::TooLarge,
            rel,
            over_limit(bytes.len() as u64, limit),
        );
    }
    acc.scanned += 1;
    let Some(bytes) = decoded(bytes) else {
        return; // binary
    };
    if kind != FileKind::Manifest && !prefilter::matches(&bytes) {
        if crate::discover::code_lang(kind).is_some() {
            acc.deferred.push((
                idx,
                Deferred {
                    rel,
                    kind,
                    path: path.to_path_buf(),
                },
            ));
        }
        return;
    }
    let text = lossy_text(bytes);
    acc.files.push((idx, SourceFile { rel, kind, text }));
}

fn over_limit(len: u64, limit: u64) -> String {
    format!("skipped: {len} bytes is over the size limit of {limit} bytes (--max-file-size)")
}

/// A file's bytes as UTF-8 ([`decode_utf16`]), or `None` for a binary file (a NUL byte in
/// its head, as git and ripgrep decide).
fn decoded(bytes: Vec<u8>) -> Option<Vec<u8>> {
    let bytes = decode_utf16(bytes);
    (!bytes[..bytes.len().min(BINARY_PROBE)].contains(&0)).then_some(bytes)
}

/// The text of a file's bytes, invalid UTF-8 replaced.
fn lossy_text(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// Text with a UTF-16 byte-order mark (Windows PowerShell ISE saves scripts so) → UTF-8;
/// anything else as is.
fn decode_utf16(bytes: Vec<u8>) -> Vec<u8> {
    let le = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => true,
        Some([0xFE, 0xFF]) => false,
        _ => return bytes,
    };
    let units = bytes[2..].chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect::<String>()
        .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_clean() {
        let r = |b: &str, p: &str| relative(Path::new(b), Path::new(p));
        assert_eq!(r(".", "./src/a.py"), "src/a.py");
        assert_eq!(r("./", "./src/a.py"), "src/a.py");
        assert_eq!(r("./src/", "./src/x/a.py"), "x/a.py");
        assert_eq!(r("src//", "src//a.py"), "a.py");
        assert_eq!(r("link/.", "link/./a.py"), "a.py");
    }

    #[test]
    fn head_probe_only_without_extension() {
        assert!(needs_head(Path::new("bin/sync")));
        assert!(needs_head(Path::new("bin/sync.")));
        assert!(!needs_head(Path::new("a.png")));
        assert!(!needs_head(Path::new(".bashrc")));
    }

    #[test]
    fn utf16_is_decoded() {
        let mut b = vec![0xFF, 0xFE];
        for u in "irm $u".encode_utf16() {
            b.extend(u.to_le_bytes());
        }
        assert_eq!(decode_utf16(b), b"irm $u");
        let mut b = vec![0xFE, 0xFF];
        for u in "x".encode_utf16() {
            b.extend(u.to_be_bytes());
        }
        assert_eq!(decode_utf16(b), b"x");
        assert_eq!(decode_utf16(b"ab".to_vec()), b"ab");
    }
}
