//! Applying format strings to values: `{}`/`{0}`/`{name}` formatting, `printf` verbs and
//! literal replacement.

use super::super::value::Value;
use std::collections::HashMap;

/// Applies a format grammar to every candidate of `fmt`: holes pass through, each literal
/// piece is handed to `lit` with the value built so far (to append to) and a counter of the
/// arguments taken in order; the candidates' results are the value's.
pub(super) fn each_literal(fmt: &Value, lit: impl Fn(&str, &mut Value, &mut usize)) -> Value {
    use super::super::value::Piece;
    let mut out = Value::default();
    for cand in &fmt.cands {
        let mut v = Value::lit("");
        let mut next = 0usize;
        for p in cand {
            match p {
                Piece::Hole(h) => v.append(&Value::hole(h.clone())),
                Piece::Lit(l) => lit(l, &mut v, &mut next),
            }
        }
        out = out.union(&v);
    }
    out
}

/// `{}`/`{0}`/`{name}` formatting.
pub(super) fn brace_format(fmt: &Value, pos: &[Value], named: &HashMap<String, Value>) -> Value {
    each_literal(fmt, |l, v, next| {
        let mut rest = l;
        while let Some(i) = rest.find('{') {
            v.append(&Value::lit(&rest[..i]));
            let Some(j) = rest[i..].find('}') else {
                v.append(&Value::lit(&rest[i..]));
                rest = "";
                break;
            };
            let key = rest[i + 1..i + j].split(':').next().unwrap_or("").trim();
            let val = if key.is_empty() {
                *next += 1;
                pos.get(*next - 1).cloned()
            } else if let Ok(n) = key.parse::<usize>() {
                pos.get(n).cloned()
            } else {
                named.get(key).cloned()
            };
            *v = v.concat(
                &val.filter(|x| !x.is_empty())
                    .unwrap_or_else(|| Value::hole(key.to_string())),
            );
            rest = &rest[i + j + 1..];
        }
        v.append(&Value::lit(rest));
    })
}

/// `%s`/`%d`/`%v`/`%q` formatting (Go, Python, Java, Node).
pub(super) fn printf(fmt: &Value, args: &[Value]) -> Value {
    each_literal(fmt, |l, v, next| {
        let b = l.as_bytes();
        let mut i = 0;
        let mut lit = String::new();
        while i < b.len() {
            if b[i] == b'%' && i + 1 < b.len() {
                if b[i + 1] == b'%' {
                    lit.push('%');
                    i += 2;
                    continue;
                }
                // Skip flags/width up to the verb.
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_digit() || b"-+#. ".contains(&b[j])) {
                    j += 1;
                }
                if j < b.len() && b[j].is_ascii_alphabetic() {
                    v.append(&Value::lit(std::mem::take(&mut lit)));
                    *next += 1;
                    let a = args
                        .get(*next - 1)
                        .cloned()
                        .filter(|x| !x.is_empty())
                        .unwrap_or_else(|| Value::hole("%s"));
                    v.append(&a);
                    i = j + 1;
                    continue;
                }
            }
            let ch = l[i..].chars().next().unwrap_or(' ');
            lit.push(ch);
            i += ch.len_utf8();
        }
        v.append(&Value::lit(lit));
    })
}

pub(super) fn replace_lit(recv: &Value, from: &str, to: &Value) -> Value {
    use super::super::value::Piece;
    if from.is_empty() {
        return recv.clone();
    }
    let mut out = Value::default();
    for cand in &recv.cands {
        let mut v = Value::lit("");
        for p in cand {
            match p {
                Piece::Lit(l) if l.contains(from) => {
                    let mut parts = l.split(from);
                    v.append(&Value::lit(parts.next().unwrap_or("")));
                    for rest in parts {
                        v = v.concat(to).concat(&Value::lit(rest));
                    }
                }
                other => {
                    v = v.concat(&Value {
                        cands: vec![vec![other.clone()]],
                    })
                }
            }
        }
        out = out.union(&v);
    }
    out
}
