//! `check --diff-base REF`: only what a change introduced. The lines the change added or
//! modified come from `git diff` between the merge base of REF and HEAD and the working tree;
//! a finding is kept when it is on such a line, or — for a finding on a credential's grant
//! (in the manifest) — when its cause changed: the credential's manifest entry, or a file
//! holding one of its calls.

use crate::error::PlainError;
use crate::rules::{Context, Finding, Location};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Added or modified lines per file (paths relative to the repository's top folder).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// File → sorted (first, last) line ranges the change added or modified.
    pub added: HashMap<String, Vec<(usize, usize)>>,
    /// Every file the change touched (also by deleting lines, or the file).
    pub touched: HashSet<String>,
}

impl Changes {
    /// Whether `line` of `file` was added or modified.
    pub fn has_line(&self, file: &str, line: usize) -> bool {
        self.added.get(file).is_some_and(|r| {
            // Ranges are sorted and disjoint: binary search on the first line.
            let i = r.partition_point(|&(a, _)| a <= line);
            i > 0 && r[i - 1].1 >= line
        })
    }

    /// Whether any line in `first..=last` of `file` was added or modified.
    pub fn has_range(&self, file: &str, first: usize, last: usize) -> bool {
        self.added.get(file).is_some_and(|r| {
            let i = r.partition_point(|&(a, _)| a <= last);
            i > 0 && r[i - 1].1 >= first
        })
    }
}

/// A path as `git diff` prints it: `b/dir/file`, or quoted C-style when it has unusual bytes.
fn diff_path(s: &str) -> Option<String> {
    let s = s.trim_end_matches(['\r', '\t']);
    if s == "/dev/null" {
        return None;
    }
    let unquoted = if s.starts_with('"') && s.ends_with('"') && s.len() >= 2 {
        let inner = &s[1..s.len() - 1];
        let mut bytes = Vec::with_capacity(inner.len());
        let b = inner.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'\\' && i + 1 < b.len() {
                let c = b[i + 1];
                if (b'0'..=b'7').contains(&c) && i + 3 < b.len() {
                    let oct = &inner[i + 1..i + 4];
                    if let Ok(v) = u8::from_str_radix(oct, 8) {
                        bytes.push(v);
                        i += 4;
                        continue;
                    }
                }
                bytes.push(match c {
                    b'n' => b'\n',
                    b't' => b'\t',
                    b'r' => b'\r',
                    other => other,
                });
                i += 2;
            } else {
                bytes.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        s.to_string()
    };
    unquoted
        .strip_prefix("b/")
        .or_else(|| unquoted.strip_prefix("a/"))
        .map(str::to_string)
}

/// Parses `git diff --unified=0` output: one pass, linear in its size.
pub fn parse(diff: &str) -> Changes {
    let mut ch = Changes::default();
    let mut current: Option<String> = None;
    for line in diff.lines() {
        if let Some(p) = line.strip_prefix("--- ") {
            if let Some(o) = diff_path(p) {
                ch.touched.insert(o);
            }
        } else if let Some(p) = line.strip_prefix("+++ ") {
            current = diff_path(p);
            if let Some(c) = &current {
                ch.touched.insert(c.clone());
            }
        } else if line.starts_with("diff --git ") {
            current = None;
        } else if let Some(rest) = line.strip_prefix("@@ ") {
            // @@ -a[,b] +c[,d] @@
            let Some(plus) = rest.split(' ').find(|t| t.starts_with('+')) else {
                continue;
            };
            let mut it = plus[1..].splitn(2, ',');
            let start: usize = it.next().and_then(|x| x.parse().ok()).unwrap_or(0);
            let count: usize = it.next().map_or(Some(1), |x| x.parse().ok()).unwrap_or(0);
            if let (Some(f), true) = (&current, count > 0 && start > 0) {
                ch.added
                    .entry(f.clone())
                    .or_default()
                    .push((start, start + count - 1));
            }
        }
    }
    for r in ch.added.values_mut() {
        r.sort_unstable();
        // Merge overlapping or adjacent ranges, so that they are disjoint.
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(r.len());
        for &(a, b) in r.iter() {
            match merged.last_mut() {
                Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        *r = merged;
    }
    ch
}

fn git(dir: &Path, args: &[&str]) -> Result<String, PlainError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| PlainError::new(format!("--diff-base needs git: {e}")))?;
    if !out.status.success() {
        return Err(PlainError::new(format!(
            "--diff-base: `git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The change between the merge base of `base` and HEAD and the working tree, for the git
/// repository holding `root`; with the path that turns paths under `root` into paths under
/// the repository's top folder.
pub fn changes_since(root: &Path, base: &str) -> Result<(Changes, PathBuf), PlainError> {
    if base.starts_with('-') {
        return Err(PlainError::new(format!(
            "--diff-base `{base}`: not a git revision"
        )));
    }
    let dir = if root.is_dir() {
        root.to_path_buf()
    } else {
        root.parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."))
    };
    let top = git(&dir, &["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(top.trim());
    let rev = format!("{base}^{{commit}}");
    git(&dir, &["rev-parse", "--verify", "--quiet", &rev]).map_err(|_| {
        PlainError::new(format!("--diff-base: no commit `{base}` in this repository"))
            .with_help("fetch it first (in CI: `git fetch origin main` and `--diff-base origin/main`, with enough history)")
    })?;
    let mb = git(&dir, &["merge-base", base, "HEAD"])
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| base.to_string());
    let diff = git(
        &top,
        &[
            "-c",
            "core.quotePath=false",
            "diff",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--no-renames",
            &mb,
            "--",
        ],
    )?;
    let mut ch = parse(&diff);
    // Files the change adds but git does not know yet (untracked) are new in full.
    let untracked = git(&top, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    for f in untracked.split('\0').filter(|f| !f.is_empty()) {
        ch.touched.insert(f.to_string());
        ch.added.insert(f.to_string(), vec![(1, usize::MAX / 2)]);
    }
    // Where `root` is inside the repository.
    let abs_root = std::fs::canonicalize(&dir).unwrap_or(dir);
    let abs_top = std::fs::canonicalize(&top).unwrap_or(top);
    let prefix = abs_root
        .strip_prefix(&abs_top)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    Ok((ch, prefix))
}

/// The repository path of a file reported relative to the checked root.
fn repo_path(prefix: &Path, file: &str) -> String {
    if prefix.as_os_str().is_empty() {
        file.to_string()
    } else {
        format!("{}/{file}", prefix.to_string_lossy().replace('\\', "/"))
    }
}

/// Keeps the findings the change introduced; returns how many were left out.
pub fn retain_changed(
    cx: &Context,
    ch: &Changes,
    prefix: &Path,
    findings: &mut Vec<Finding>,
) -> usize {
    // The manifest's path in the repository, and each credential's lines in it.
    let manifest = cx.manifest.map(|m| {
        let abs = std::fs::canonicalize(&m.path).unwrap_or_else(|_| m.path.clone());
        (m, abs)
    });
    let manifest_repo: Option<String> = manifest.as_ref().and_then(|(_, abs)| {
        // Found through `git rev-parse` on the manifest's folder: robust to --config outside
        // the checked root.
        let dir = abs.parent()?;
        let top = git(dir, &["rev-parse", "--show-toplevel"]).ok()?;
        let top = std::fs::canonicalize(top.trim()).ok()?;
        abs.strip_prefix(&top)
            .ok()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
    });
    let cred_changed: HashMap<&str, bool> = cx
        .creds
        .iter()
        .map(|c| {
            let entry = match (&manifest, &manifest_repo) {
                (Some((m, _)), Some(mp)) => m.credential_node(c.index).is_some_and(|n| {
                    let (first, _) = m.line_col(n.start);
                    let (last, _) = m.line_col(n.end.saturating_sub(1).max(n.start));
                    ch.has_range(mp, first, last)
                }),
                _ => false,
            };
            let calls = c.calls.iter().any(|&i| {
                let k = &cx.calls[i];
                ch.touched.contains(&repo_path(prefix, &k.file))
            });
            (c.name.as_str(), entry || calls)
        })
        .collect();
    let any_call_changed = cx
        .calls
        .iter()
        .any(|k| ch.has_line(&repo_path(prefix, &k.file), k.line));
    let before = findings.len();
    findings.retain(|f| match &f.location {
        Location::Code { file, line, .. } => ch.has_line(&repo_path(prefix, file), *line),
        Location::Manifest { offset, .. } => {
            let on_line = match (&manifest, &manifest_repo) {
                (Some((m, _)), Some(mp)) => ch.has_line(mp, m.line_col(*offset).0),
                _ => false,
            };
            on_line
                || f.credential
                    .as_deref()
                    .is_some_and(|c| cred_changed.get(c).copied().unwrap_or(false))
        }
        Location::Project => any_call_changed,
    });
    before - findings.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hunks_of_added_modified_and_deleted_lines() {
        let d = "diff --git a/a.py b/a.py\nindex 1..2 100644\n--- a/a.py\n+++ b/a.py\n@@ -3 +3 @@\n-x\n+y\n@@ -10,0 +11,2 @@\n+p\n+q\n@@ -20,2 +21,0 @@\n-r\n-s\ndiff --git a/gone.py b/gone.py\n--- a/gone.py\n+++ /dev/null\n@@ -1,3 +0,0 @@\n-a\ndiff --git a/new.sh b/new.sh\n--- /dev/null\n+++ b/new.sh\n@@ -0,0 +1,4 @@\n+a\n";
        let c = parse(d);
        assert!(c.has_line("a.py", 3));
        assert!(!c.has_line("a.py", 4));
        assert!(c.has_line("a.py", 11) && c.has_line("a.py", 12));
        assert!(!c.has_line("a.py", 13) && !c.has_line("a.py", 21));
        assert!(c.has_line("new.sh", 4) && !c.has_line("new.sh", 5));
        assert!(c.touched.contains("gone.py") && !c.added.contains_key("gone.py"));
        assert!(c.has_range("a.py", 5, 11) && !c.has_range("a.py", 4, 10));
    }

    #[test]
    fn quoted_paths_and_merged_ranges() {
        let d = "--- \"a/d\\303\\251j\\303\\240 vu.py\"\n+++ \"b/d\\303\\251j\\303\\240 vu.py\"\n@@ -1 +1,2 @@\n@@ -5 +3 @@\n";
        let c = parse(d);
        assert_eq!(c.added["déjà vu.py"], vec![(1, 3)]);
    }
}
