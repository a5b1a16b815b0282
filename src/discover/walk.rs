//! Walks the given paths once, respecting `.gitignore`/`.ignore`, and keeps the files the
//! prefilter flags (plus dependency manifests).

use super::lang::{self, FileKind};
use super::{Options, SourceFile, Warning, prefilter};
use std::path::{Path, PathBuf};

/// Directories never walked: dependencies, build output, VCS data.
pub const SKIP_DIRS: &[&str] = &[
    "node_modules",
    "vendor",
    "dist",
    "target",
    ".git",
    ".hg",
    ".svn",
    "__pycache__",
    ".venv",
    "venv",
    ".tox",
    "bower_components",
];

/// Reads the tree. Returns the files worth analysing and what was skipped.
pub fn walk(roots: &[PathBuf], opts: &Options) -> (Vec<SourceFile>, Vec<Warning>, usize) {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let mut scanned = 0;
    for root in roots {
        let mut builder = ignore::WalkBuilder::new(root);
        builder
            .hidden(false)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .ignore(true)
            .parents(true)
            .require_git(false)
            .follow_links(false)
            .filter_entry(|e| {
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && SKIP_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
            });
        for entry in builder.build() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    warnings.push(Warning {
                        path: root.display().to_string(),
                        message: format!("skipped: {e}"),
                    });
                    continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let path = entry.path();
            let rel = relative(root, path);
            if let Some(f) = read_one(path, &rel, opts, &mut warnings) {
                files.push(f);
            }
            scanned += 1;
        }
    }
    (files, warnings, scanned)
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = if root.is_file() {
        Path::new(path.file_name().unwrap_or_default())
    } else {
        path.strip_prefix(root).unwrap_or(path)
    };
    rel.to_string_lossy().replace('\\', "/")
}

fn read_one(
    path: &Path,
    rel: &str,
    opts: &Options,
    warnings: &mut Vec<Warning>,
) -> Option<SourceFile> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.len() > opts.max_file_size {
        warnings.push(Warning {
            path: rel.to_string(),
            message: format!(
                "skipped: {} bytes is over the size limit of {} bytes (--max-file-size)",
                meta.len(),
                opts.max_file_size
            ),
        });
        return None;
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            warnings.push(Warning {
                path: rel.to_string(),
                message: format!("skipped: cannot read: {e}"),
            });
            return None;
        }
    };
    let kind = lang::detect(path, &bytes[..bytes.len().min(256)]);
    if kind == FileKind::Other || (kind.is_doc() && !opts.include_docs) {
        return None;
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return None; // binary
    }
    if kind != FileKind::Manifest && !prefilter::matches(&bytes) {
        return None;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Some(SourceFile {
        rel: rel.to_string(),
        kind,
        text,
    })
}
