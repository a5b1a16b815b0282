//! What kind of file a path is: a language front-end, a structured format, a dependency
//! manifest (read for the SDK generation), documentation (skipped by default), or other.

use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Python,
    /// Jupyter notebook: JSON whose code cells are Python.
    Notebook,
    /// JavaScript and TypeScript (`.js .mjs .cjs .jsx .ts .tsx .mts .cts .vue .svelte`).
    JavaScript,
    Go,
    PowerShell,
    CSharp,
    Java,
    Kotlin,
    /// Shell scripts (`.sh .bash .zsh`, or a shell shebang).
    Shell,
    Makefile,
    Dockerfile,
    /// YAML (CI pipelines hold shell in `run:`/`script:` blocks).
    Yaml,
    /// JSON (workflow exports, Postman collections).
    Json,
    /// `.http` / `.rest` request files.
    HttpFile,
    /// Dependency manifests and lockfiles: read for the SDK generation, not scanned for calls.
    Manifest,
    /// Markdown, reStructuredText, plain text: skipped unless `--include-docs`.
    Doc,
    Other,
}

impl FileKind {
    /// Whether the file is documentation.
    pub fn is_doc(self) -> bool {
        self == FileKind::Doc
    }
}

/// Classifies a file by name, extension and (for extension-less scripts) its first line.
pub fn detect(path: &Path, head: &[u8]) -> FileKind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match name.as_str() {
        "makefile" | "gnumakefile" => return FileKind::Makefile,
        "dockerfile" | "containerfile" => return FileKind::Dockerfile,
        "package.json"
        | "package-lock.json"
        | "yarn.lock"
        | "pnpm-lock.yaml"
        | "go.mod"
        | "go.sum"
        | "pyproject.toml"
        | "poetry.lock"
        | "pipfile"
        | "pipfile.lock"
        | "setup.py"
        | "setup.cfg"
        | "uv.lock"
        | "npm-shrinkwrap.json"
        | "bun.lock" => {
            // setup.py is code too, but it names dependencies, not calls.
            return FileKind::Manifest;
        }
        _ => {}
    }
    if name.starts_with("requirements") && name.ends_with(".txt") {
        return FileKind::Manifest;
    }
    // What the SDK generation detection reads (`requirements/*.txt`, `requirements*.in`).
    if super::sdk::generation::is_manifest(&path.to_string_lossy().replace('\\', "/")) {
        return FileKind::Manifest;
    }
    if name.starts_with("dockerfile.") || name.ends_with(".dockerfile") {
        return FileKind::Dockerfile;
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "py" | "pyw" => FileKind::Python,
        "ipynb" => FileKind::Notebook,
        "js" | "mjs" | "cjs" | "jsx" | "ts" | "tsx" | "mts" | "cts" | "vue" | "svelte" => {
            FileKind::JavaScript
        }
        "go" => FileKind::Go,
        "ps1" | "psm1" => FileKind::PowerShell,
        "psd1" => FileKind::Manifest,
        "cs" => FileKind::CSharp,
        "java" => FileKind::Java,
        "kt" | "kts" => FileKind::Kotlin,
        "sh" | "bash" | "zsh" | "ksh" => FileKind::Shell,
        "mk" | "mak" => FileKind::Makefile,
        "yml" | "yaml" => FileKind::Yaml,
        "json" => FileKind::Json,
        "http" | "rest" => FileKind::HttpFile,
        "md" | "markdown" | "rst" | "txt" | "adoc" | "asciidoc" | "rdoc" | "textile" => {
            FileKind::Doc
        }
        "" => shebang(head),
        _ => FileKind::Other,
    }
}

fn shebang(head: &[u8]) -> FileKind {
    let first = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let Ok(line) = std::str::from_utf8(first) else {
        return FileKind::Other;
    };
    if !line.starts_with("#!") {
        return FileKind::Other;
    }
    if line.contains("python") {
        FileKind::Python
    } else if line.contains("node") || line.contains("deno") || line.contains("bun") {
        FileKind::JavaScript
    } else if line.contains("pwsh") || line.contains("powershell") {
        FileKind::PowerShell
    } else if ["sh", "bash", "zsh", "ksh", "dash"].iter().any(|s| {
        line.ends_with(&format!("/{s}"))
            || line.contains(&format!("/{s} "))
            || line.ends_with(&format!("env {s}"))
    }) {
        FileKind::Shell
    } else {
        FileKind::Other
    }
}

/// A file that was read.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Relative to the root given, `/`-separated (the file name itself when the root is a file).
    pub rel: String,
    pub kind: FileKind,
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        let d = |p: &str, h: &str| detect(Path::new(p), h.as_bytes());
        assert_eq!(d("a/b/sync.py", ""), FileKind::Python);
        assert_eq!(d("src/app.tsx", ""), FileKind::JavaScript);
        assert_eq!(d("Makefile", ""), FileKind::Makefile);
        assert_eq!(d("build/Dockerfile.prod", ""), FileKind::Dockerfile);
        assert_eq!(d("requirements-dev.txt", ""), FileKind::Manifest);
        assert_eq!(d("README.md", ""), FileKind::Doc);
        assert_eq!(d("bin/sync", "#!/usr/bin/env bash\n"), FileKind::Shell);
        assert_eq!(d("bin/tool", "#!/usr/bin/env python3\n"), FileKind::Python);
        assert_eq!(d("Module.psd1", ""), FileKind::Manifest);
        assert_eq!(d("calls.http", ""), FileKind::HttpFile);
        assert_eq!(d("requirements/base.txt", ""), FileKind::Manifest);
        assert_eq!(d("requirements-dev.in", ""), FileKind::Manifest);
        assert_eq!(d("docs/notes.txt", ""), FileKind::Doc);
    }
}
