//! Documentation read on request (`--include-docs`, `--include '**/*.md'`): the fenced code
//! blocks of Markdown (```` ```sh ````, `~~~powershell`), so that docs-as-code — runbooks with
//! `sail` commands and `curl` lines — is checked like scripts. Prose is never read.
//!
//! Each language present becomes a copy of the document in which everything but that
//! language's blocks is blanked (bytes to spaces, newlines kept), so offsets, lines and columns
//! are those of the document and the code front-ends need not know about Markdown.

use super::super::lang::FileKind;
use super::super::lang::SourceFile;

/// The kind a fence's info string names (`bash`, `console`, `ps1`, `python`, `http`, ...).
fn kind_of_info(info: &str) -> Option<FileKind> {
    let word = info
        .trim()
        .trim_start_matches('{')
        .trim_start_matches('.')
        .split(|c: char| c.is_whitespace() || c == ',' || c == '}')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    Some(match word.as_str() {
        "sh" | "bash" | "shell" | "zsh" | "console" | "shell-session" | "shellsession" => {
            FileKind::Shell
        }
        "powershell" | "ps1" | "pwsh" | "ps" | "posh" => FileKind::PowerShell,
        "python" | "py" | "python3" => FileKind::Python,
        "js" | "javascript" | "ts" | "typescript" | "jsx" | "tsx" | "node" => FileKind::JavaScript,
        "go" | "golang" => FileKind::Go,
        "java" => FileKind::Java,
        "kotlin" | "kt" => FileKind::Kotlin,
        "cs" | "csharp" | "c#" => FileKind::CSharp,
        "http" | "rest" => FileKind::HttpFile,
        "makefile" | "make" => FileKind::Makefile,
        "dockerfile" | "docker" => FileKind::Dockerfile,
        "yaml" | "yml" => FileKind::Yaml,
        _ => return None,
    })
}

/// Fenced code blocks: (kind, byte range of the block's body).
pub fn fenced_blocks(text: &str) -> Vec<(FileKind, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    // (fence char, fence length, kind, body start)
    let mut open: Option<(u8, usize, Option<FileKind>, usize)> = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        // Any indentation: fences inside list items are indented by the item's content.
        let trimmed = line.trim_start_matches([' ', '\t']);
        let fence_char = match trimmed.as_bytes().first() {
            Some(&c @ (b'`' | b'~')) => c,
            _ => continue,
        };
        let n = trimmed.bytes().take_while(|&b| b == fence_char).count();
        if n < 3 {
            continue;
        }
        match open {
            None => {
                let info = &trimmed[n..];
                // A backtick fence's info string has no backtick.
                if fence_char == b'`' && info.contains('`') {
                    continue;
                }
                open = Some((fence_char, n, kind_of_info(info), pos));
            }
            Some((c, len, kind, body)) => {
                if c == fence_char && n >= len && trimmed[n..].trim().is_empty() {
                    if let Some(k) = kind {
                        out.push((k, body..start));
                    }
                    open = None;
                }
            }
        }
    }
    // An unclosed block runs to the end of the document.
    if let Some((_, _, Some(k), body)) = open {
        out.push((k, body..text.len()));
    }
    out
}

/// Console transcripts (`$ curl ...`, `PS> Invoke-RestMethod ...`): when a block's first
/// command line starts with a prompt, prompts are blanked and lines without one (the
/// command's output, unless they continue the previous command) are blanked too.
fn strip_prompts(block: &mut [u8], kind: FileKind) {
    let prompt_len = |line: &[u8]| -> Option<usize> {
        let indent = line.iter().take_while(|b| **b == b' ').count();
        let rest = &line[indent..];
        match kind {
            FileKind::Shell => {
                (rest.starts_with(b"$ ") || rest.starts_with(b"% ")).then_some(indent + 2)
            }
            FileKind::PowerShell => {
                if !rest.starts_with(b"PS") {
                    return None;
                }
                let gt = rest.iter().position(|b| *b == b'>')?;
                (rest.get(gt + 1) == Some(&b' ')).then_some(indent + gt + 2)
            }
            _ => None,
        }
    };
    let lines: Vec<(usize, usize)> = {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, b) in block.iter().enumerate() {
            if *b == b'\n' {
                out.push((start, i));
                start = i + 1;
            }
        }
        if start < block.len() {
            out.push((start, block.len()));
        }
        out
    };
    let first = lines
        .iter()
        .find(|(a, b)| !block[*a..*b].iter().all(u8::is_ascii_whitespace));
    if first.is_none_or(|&(a, b)| prompt_len(&block[a..b]).is_none()) {
        return;
    }
    let mut continued = false;
    for (a, b) in lines {
        let line = &block[a..b];
        let ends_continued =
            line.trim_ascii_end().ends_with(b"\\") || line.trim_ascii_end().ends_with(b"`");
        match prompt_len(line) {
            Some(n) => block[a..a + n].fill(b' '),
            None if continued => {}
            None => block[a..b].fill(b' '),
        }
        continued = ends_continued;
    }
}

/// One source file per language with fenced blocks in a documentation file, the rest of the
/// text blanked. Not a documentation file, or none with blocks: nothing.
pub fn code_views(f: &SourceFile) -> Vec<SourceFile> {
    if f.kind != FileKind::Doc {
        return Vec::new();
    }
    let blocks = fenced_blocks(&f.text);
    let mut kinds: Vec<FileKind> = blocks.iter().map(|(k, _)| *k).collect();
    kinds.sort_by_key(|k| format!("{k:?}"));
    kinds.dedup();
    kinds
        .into_iter()
        .map(|kind| {
            let mut bytes: Vec<u8> = f
                .text
                .bytes()
                .map(|b| if b == b'\n' { b'\n' } else { b' ' })
                .collect();
            for (_, r) in blocks.iter().filter(|(k, _)| *k == kind) {
                bytes[r.clone()].copy_from_slice(&f.text.as_bytes()[r.clone()]);
                strip_prompts(&mut bytes[r.clone()], kind);
            }
            SourceFile {
                rel: f.rel.clone(),
                kind,
                // Whole blocks (between line starts) of valid UTF-8 in a field of ASCII.
                text: String::from_utf8(bytes).unwrap_or_default(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fenced_blocks_by_language() {
        let md = "# Runbook\n\nRun `curl /v3/x` inline (prose).\n\n```bash\nsail api get /v3/sources\n```\n\n~~~ ps1\nirm /v3/roles\n~~~\n\n```\nno language\n```\n\n````md\n```sh\nnested\n```\n````\n";
        let b = fenced_blocks(md);
        let got: Vec<(FileKind, &str)> = b.iter().map(|(k, r)| (*k, &md[r.clone()])).collect();
        assert_eq!(
            got,
            [
                (FileKind::Shell, "sail api get /v3/sources\n"),
                (FileKind::PowerShell, "irm /v3/roles\n"),
            ]
        );
    }

    #[test]
    fn console_prompts_and_output_are_blanked_and_list_fences_found() {
        let f = SourceFile {
            rel: "run.md".into(),
            kind: FileKind::Doc,
            text: "1. Search:\n\n    ```console\n    $ curl -X POST \\\n      https://a.api.identitynow.com/v3/search\n    {\"ok\": true}\n    ```\n\n```powershell\nPS C:\\> irm https://a.api.identitynow.com/v3/roles\nName\n```\n".into(),
        };
        let v = code_views(&f);
        let shell = v.iter().find(|x| x.kind == FileKind::Shell).unwrap();
        let ps = v.iter().find(|x| x.kind == FileKind::PowerShell).unwrap();
        let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(
            words(&shell.text),
            [
                "curl",
                "-X",
                "POST",
                "\\",
                "https://a.api.identitynow.com/v3/search"
            ]
        );
        assert_eq!(
            words(&ps.text),
            ["irm", "https://a.api.identitynow.com/v3/roles"]
        );
    }

    #[test]
    fn views_keep_offsets_and_blank_the_rest() {
        let f = SourceFile {
            rel: "docs/run.md".into(),
            kind: FileKind::Doc,
            text: "Intro é\n```sh\ncurl x\n```\nEnd\n".into(),
        };
        let v = code_views(&f);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].kind, FileKind::Shell);
        assert_eq!(v[0].text.len(), f.text.len());
        let at = f.text.find("curl").unwrap();
        assert_eq!(&v[0].text[at..at + 6], "curl x");
        assert!(v[0].text[..at].trim().is_empty());
        assert_eq!(
            v[0].text.matches('\n').count(),
            f.text.matches('\n').count()
        );
    }
}
