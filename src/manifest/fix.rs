//! `check --fix`: rewrites the `scopes` and owner `user_levels` of credentials in place to the
//! minimal grant, keeping everything else of the file (comments, order, style) as it was.

use super::Loaded;
use super::spans::YNode;

/// New grants for one credential (`None` leaves that part alone).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewGrant {
    pub credential: usize,
    pub scopes: Option<Vec<String>>,
    pub user_levels: Option<Vec<String>>,
    /// The comment of each scope and level written in a block list (by name), as `init`
    /// writes them; flow lists keep their own comments.
    pub comments: std::collections::BTreeMap<String, String>,
    /// The credential's notes ([`super::init::NOTE`] lines): they replace the ones the entry
    /// holds (and the older `init`'s `# every call accepts client credentials` line), so no
    /// note goes stale. `None` leaves the notes alone.
    pub notes: Option<Vec<String>>,
}

/// Whether an own-line comment is a note `init` or `--fix` wrote.
fn is_generated_note(line: &str) -> bool {
    let t = line.trim();
    t.starts_with(super::init::NOTE) || t.starts_with("# every call accepts client credentials:")
}

/// Replaces the generated notes of a block-mapping credential: removes the old note lines
/// inside it and writes `notes` under its first line.
fn replace_notes(text: &str, cred: &YNode, notes: &[String], edits: &mut Vec<Edit>) {
    let super::spans::YKind::Map(pairs) = &cred.kind else {
        return;
    };
    if cred.flow || pairs.is_empty() {
        return;
    }
    let first_key = &pairs[0].0;
    let indent = column(text, first_key.start);
    // The end of the credential's first line, where the notes go.
    let first_end = text[first_key.start..]
        .find('\n')
        .map_or(text.len(), |i| first_key.start + i);
    let first_end = if first_end > 0 && text.as_bytes()[first_end - 1] == b'\r' {
        first_end - 1
    } else {
        first_end
    };
    // Old notes: own-line comments between the first line and the credential's end.
    let mut at = (first_end + 1).min(text.len());
    while at < cred.end.min(text.len()) {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        if is_generated_note(&text[at..end]) {
            edits.push(Edit {
                start: at,
                end,
                text: String::new(),
            });
        }
        at = end;
    }
    if !notes.is_empty() {
        let pad = " ".repeat(indent);
        let mut block = String::new();
        for n in notes {
            block.push('\n');
            block.push_str(&pad);
            block.push_str(n);
        }
        edits.push(Edit {
            start: first_end,
            end: first_end,
            text: block,
        });
    }
}

struct Edit {
    start: usize,
    end: usize,
    text: String,
}

fn quote(s: &str) -> String {
    // Plain scalars are fine for scope and level names; quote anything unusual.
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '-' | '.' | '/'))
        && !s.starts_with(['-', ':'])
    {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

fn flow(items: &[String]) -> String {
    let v: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", v.join(", "))
}

/// Column (0-based) of byte `off` in its line.
fn column(text: &str, off: usize) -> usize {
    off - text[..off].rfind('\n').map_or(0, |i| i + 1)
}

/// Replaces a list node's content with `items`, in the node's own style; a block list gets
/// each item's comment from `comments` (the old items' comments go with them).
fn replace_list(
    text: &str,
    node: &YNode,
    items: &[String],
    comments: &std::collections::BTreeMap<String, String>,
    edits: &mut Vec<Edit>,
) {
    if node.flow || node.items().is_empty() {
        edits.push(Edit {
            start: node.start,
            end: node.end,
            text: flow(items),
        });
        return;
    }
    let first = &node.items()[0];
    let indent = " ".repeat(column(text, first.start).saturating_sub(2));
    if items.is_empty() {
        // A block list cannot be empty: `[]` after the key.
        let dash = text[..first.start].rfind('-').unwrap_or(first.start);
        let line_start = text[..dash].rfind('\n').map_or(0, |i| i + 1);
        let key_end = text[..line_start].trim_end_matches(['\n', '\r', ' ']).len();
        edits.push(Edit {
            start: key_end,
            end: node.end,
            text: " []".into(),
        });
        return;
    }
    let joined: Vec<String> = items
        .iter()
        .map(|s| match comments.get(s) {
            Some(c) if !c.is_empty() => format!("{}   # {c}", quote(s)),
            _ => quote(s),
        })
        .collect();
    // The last old item's trailing comment goes too (it described that item).
    let line_end = text[node.end..]
        .find('\n')
        .map_or(text.len(), |i| node.end + i);
    let line_end = if line_end > node.end && text.as_bytes()[line_end - 1] == b'\r' {
        line_end - 1
    } else {
        line_end
    };
    let end = if !comments.is_empty() && text[node.end..line_end].trim_start().starts_with('#') {
        line_end
    } else {
        node.end
    };
    edits.push(Edit {
        start: first.start,
        end,
        text: joined.join(&format!("\n{indent}- ")),
    });
}

/// Inserts `key: value` into a block mapping node (after its last line).
fn insert_key(text: &str, map: &YNode, key: &str, value: &str, edits: &mut Vec<Edit>) {
    if map.flow {
        let at = map.end.saturating_sub(1);
        edits.push(Edit {
            start: at,
            end: at,
            text: format!(", {key}: {value}"),
        });
        return;
    }
    let indent = match &map.kind {
        super::spans::YKind::Map(pairs) if !pairs.is_empty() => column(text, pairs[0].0.start),
        _ => column(text, map.start),
    };
    let line_end = text[map.end..]
        .find('\n')
        .map_or(text.len(), |i| map.end + i);
    edits.push(Edit {
        start: line_end,
        end: line_end,
        text: format!("\n{}{key}: {value}", " ".repeat(indent)),
    });
}

/// Why `--fix` cannot rewrite a part of the manifest in place, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub span: (usize, usize),
    pub message: String,
    pub help: String,
}

/// Refuses to rewrite `node` when it is an alias or holds an anchor (`subtree`: anywhere in
/// it, for a node replaced whole; else on the node itself, for a mapping a key is inserted
/// into): changing it would change, or break, what else uses the anchor.
fn unshared(node: &YNode, subtree: bool, what: &str, credential: &str) -> Result<(), Refusal> {
    let shared = if subtree {
        node.shared()
    } else {
        (node.anchor || node.kind == super::spans::YKind::Alias).then_some(node)
    };
    let Some(n) = shared else {
        return Ok(());
    };
    let (message, help) = if n.kind == super::spans::YKind::Alias {
        (
            format!("--fix cannot rewrite {what} of credential `{credential}`: it is a YAML alias"),
            "write the value out here instead of the alias (`*name`), then run --fix again"
                .to_string(),
        )
    } else {
        (
            format!("--fix cannot rewrite {what} of credential `{credential}`: it holds a YAML anchor that aliases elsewhere may share"),
            "remove the anchor (`&name`) and write the value out where it is aliased, then run --fix again".to_string(),
        )
    };
    Err(Refusal {
        span: n.span(),
        message,
        help,
    })
}

/// The manifest text with the new grants, or why a grant cannot be rewritten in place.
pub fn apply(l: &Loaded, grants: &[NewGrant]) -> Result<String, Refusal> {
    let text = &l.text;
    let mut edits = Vec::new();
    for g in grants {
        let Some(cred) = l.credential_node(g.credential) else {
            continue;
        };
        let name = l
            .manifest
            .credentials
            .get(g.credential)
            .map_or("", |c| c.name.as_str());
        if let Some(notes) = &g.notes {
            replace_notes(text, cred, notes, &mut edits);
        }
        if let Some(scopes) = &g.scopes {
            match cred.get("scopes") {
                Some(node) => {
                    unshared(node, true, "`scopes`", name)?;
                    replace_list(text, node, scopes, &g.comments, &mut edits)
                }
                None => {
                    unshared(cred, false, "the entry", name)?;
                    insert_key(text, cred, "scopes", &flow(scopes), &mut edits)
                }
            }
        }
        if let Some(levels) = &g.user_levels {
            match cred.get("owner") {
                Some(owner) => match owner.get("user_levels") {
                    Some(node) => {
                        unshared(node, true, "`owner.user_levels`", name)?;
                        replace_list(text, node, levels, &g.comments, &mut edits)
                    }
                    None => {
                        unshared(owner, false, "`owner`", name)?;
                        insert_key(text, owner, "user_levels", &flow(levels), &mut edits)
                    }
                },
                None => {
                    unshared(cred, false, "the entry", name)?;
                    insert_key(
                        text,
                        cred,
                        "owner",
                        &format!("{{user_levels: {}}}", flow(levels)),
                        &mut edits,
                    )
                }
            }
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.start));
    let mut out = text.clone();
    for e in edits {
        out.replace_range(e.start..e.end, &e.text);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(text: &str) -> Loaded {
        Loaded {
            path: "m.yaml".into(),
            display: "m.yaml".into(),
            text: text.into(),
            manifest: serde_yaml::from_str(text).unwrap(),
            tree: super::super::spans::parse(text).unwrap(),
            lines: crate::error::LineIndex::new(text),
            bom: false,
        }
    }

    #[test]
    fn rewrites_flow_and_block_lists_keeping_comments() {
        let t = "# our bots\ncredentials:\n  - name: a   # the sync job\n    kind: pat\n    owner:\n      user_levels:\n        - ORG_ADMIN   # too much\n      service_account: true\n    scopes: [sp:scopes:all]  # as granted\n  - name: b\n    kind: oauth-client\n";
        let l = loaded(t);
        let out = apply(
            &l,
            &[
                NewGrant {
                    credential: 0,
                    scopes: Some(vec!["idn:sources:read".into()]),
                    user_levels: Some(vec!["SOURCE_SUBADMIN".into(), "HELPDESK".into()]),
                    ..Default::default()
                },
                NewGrant {
                    credential: 1,
                    scopes: Some(vec!["idn:accounts:read".into()]),
                    user_levels: None,
                    ..Default::default()
                },
            ],
        )
        .unwrap();
        insta::assert_snapshot!(out);
        let m: super::super::Manifest = serde_yaml::from_str(&out).unwrap();
        assert_eq!(
            m.credentials[0].scopes.as_deref(),
            Some(&["idn:sources:read".to_string()][..])
        );
        assert_eq!(
            m.credentials[1].scopes.as_deref(),
            Some(&["idn:accounts:read".to_string()][..])
        );
        assert_eq!(
            m.credentials[0].owner.as_ref().unwrap().user_levels,
            vec!["SOURCE_SUBADMIN", "HELPDESK"]
        );
    }

    #[test]
    fn inserts_missing_keys_and_empties_block_lists() {
        let t = "credentials:\n  - name: a\n    kind: pat\n    scopes:\n      - sp:scopes:all\n      - idn:x:read\n";
        let out = apply(
            &loaded(t),
            &[NewGrant {
                credential: 0,
                scopes: Some(vec![]),
                user_levels: Some(vec![]),
                ..Default::default()
            }],
        )
        .unwrap();
        let m: super::super::Manifest = serde_yaml::from_str(&out).unwrap();
        assert_eq!(m.credentials[0].scopes.as_deref(), Some(&[][..]));
        assert_eq!(
            m.credentials[0].owner.as_ref().unwrap().user_levels,
            Vec::<String>::new()
        );
        assert!(out.contains("scopes: []"), "{out}");
    }

    #[test]
    fn non_ascii_text_before_the_grant() {
        let t = "# équipe données ☕\ncredentials:\n  - name: bot   # café\n    kind: pat\n    scopes: [sp:scopes:all]   # naïve\n";
        let out = apply(
            &loaded(t),
            &[NewGrant {
                credential: 0,
                scopes: Some(vec!["idn:sources:read".into()]),
                user_levels: None,
                ..Default::default()
            }],
        )
        .unwrap();
        assert_eq!(
            out,
            "# équipe données ☕\ncredentials:\n  - name: bot   # café\n    kind: pat\n    scopes: [idn:sources:read]   # naïve\n"
        );
    }

    #[test]
    fn aliases_and_anchors_are_refused_at_their_place() {
        let t = "credentials:\n  - name: a\n    kind: pat\n    scopes: &all [sp:scopes:all]\n  - name: b\n    kind: pat\n    scopes: *all\n";
        let grant = |i| NewGrant {
            credential: i,
            scopes: Some(vec!["idn:sources:read".into()]),
            user_levels: None,
            ..Default::default()
        };
        let r = apply(&loaded(t), &[grant(1)]).unwrap_err();
        assert_eq!(&t[r.span.0..r.span.0 + r.span.1], "*all");
        assert!(r.message.contains("alias"), "{}", r.message);
        let r = apply(&loaded(t), &[grant(0)]).unwrap_err();
        assert!(r.message.contains("anchor"), "{}", r.message);
        assert!(t[r.span.0..].starts_with("&all"), "{:?}", &t[r.span.0..]);
        // An anchor elsewhere in a credential does not stop a key being added to it.
        let t = "credentials:\n  - name: a\n    kind: pat\n    paths: &p [\"jobs/**\"]\n  - name: b\n    kind: pat\n    paths: *p\n";
        let out = apply(&loaded(t), &[grant(0)]).unwrap();
        assert!(out.contains("scopes: [idn:sources:read]"), "{out}");
        assert!(out.contains("paths: &p"), "{out}");
    }
}
