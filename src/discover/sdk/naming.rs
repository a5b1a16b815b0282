//! From operationId (and first tag) to the names the official SDKs generate.
//!
//! The SDKs are all built with openapi-generator 7.12.0 and no vendor extension affects names,
//! so every name is a pure function of the (effective) operationId, plus the tag for the API
//! class. Rules and their edge cases: `sdk-conventions.md` §2–§7. The functions work on ASCII
//! identifiers (every operationId of the specs is `[A-Za-z0-9]+`); other bytes pass through.

use std::borrow::Cow;
use std::sync::OnceLock;

/// Python method name: openapi-generator `underscore(sanitizeName(opId))`.
///
/// `underscore` inserts `_` between an upper-case run and a following `[A-Z][a-z][a-z]+`
/// (`MFAKBAConfig` → `MFAKBA_Config`), then between `[a-z0-9]` and `[A-Z]`, and lower-cases
/// everything: `setMFAKBAConfigV1` → `set_mfakba_config_v1`,
/// `searchFormElementDataByElementIDV1` → `search_form_element_data_by_element_idv1`,
/// `getFileFromS3V1` → `get_file_from_s3_v1`. A leading digit or a Python keyword gets the
/// `call_` prefix.
pub fn python_method(operation_id: &str) -> String {
    let mut out = String::with_capacity(operation_id.len() + 8);
    python_method_into(operation_id, &mut out);
    out
}

/// [`python_method`], appended to `out`.
pub fn python_method_into(operation_id: &str, out: &mut String) {
    let s = sanitize(operation_id);
    let b = s.as_bytes();
    let n = b.len();
    // Pass 1: `([A-Z]+)([A-Z][a-z][a-z]+)` → `$1_$2`. A maximal upper-case run of length >= 2
    // followed by at least two lower-case letters splits before its last letter.
    let mut split_before = Splits::new(n);
    let mut i = 0;
    while i < n {
        if b[i].is_ascii_uppercase() {
            let start = i;
            while i < n && b[i].is_ascii_uppercase() {
                i += 1;
            }
            let lower = b[i..].iter().take_while(|c| c.is_ascii_lowercase()).count();
            if i - start >= 2 && lower >= 2 {
                split_before.set(i - 1);
            }
            i += lower;
        } else {
            i += 1;
        }
    }
    if b.first().is_some_and(u8::is_ascii_digit) || is_python_keyword(&s) {
        out.push_str("call_");
    }
    let mut prev: Option<u8> = None;
    for (k, &c) in b.iter().enumerate() {
        if split_before.get(k) {
            out.push('_');
            prev = Some(b'_');
        }
        // Pass 2: `([a-z\d])([A-Z])` → `$1_$2` (the `_` of pass 1 is neither, so no double).
        if c.is_ascii_uppercase()
            && prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
        {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase() as char);
        prev = Some(c);
    }
}

/// Positions where pass 1 of `underscore` splits: a bit set, heap-allocated only for ids of
/// more than 128 bytes.
enum Splits {
    Small(u128),
    Large(Vec<bool>),
}

impl Splits {
    fn new(n: usize) -> Splits {
        if n <= 128 {
            Splits::Small(0)
        } else {
            Splits::Large(vec![false; n])
        }
    }

    fn set(&mut self, k: usize) {
        match self {
            Splits::Small(bits) => *bits |= 1 << k,
            Splits::Large(v) => v[k] = true,
        }
    }

    fn get(&self, k: usize) -> bool {
        match self {
            Splits::Small(bits) => bits >> k & 1 == 1,
            Splits::Large(v) => v[k],
        }
    }
}

/// Go method name: first letter upper-cased, the rest untouched (`ListAccessProfilesV1`); a
/// leading digit or a Go keyword gets the `Call` prefix.
pub fn go_method(operation_id: &str) -> String {
    let mut out = String::with_capacity(operation_id.len() + 4);
    go_method_into(operation_id, &mut out);
    out
}

/// [`go_method`], appended to `out`.
pub fn go_method_into(operation_id: &str, out: &mut String) {
    let s = sanitize(operation_id);
    if s.as_bytes().first().is_some_and(u8::is_ascii_digit)
        || (s.len() <= 11 && GO_KEYWORDS.contains(&&*s))
    {
        out.push_str("Call");
    }
    push_first_then(out, &s, u8::to_ascii_uppercase);
}

/// TypeScript (axios) and Angular method name: first letter lower-cased, the rest untouched;
/// reserved words get a `_` prefix (beta `delete` → `_delete`).
pub fn ts_method(operation_id: &str) -> String {
    let mut out = String::with_capacity(operation_id.len());
    ts_method_into(operation_id, &mut out);
    out
}

/// [`ts_method`], appended to `out`.
pub fn ts_method_into(operation_id: &str, out: &mut String) {
    let s = sanitize(operation_id);
    if s.len() <= 12 && TS_RESERVED.contains(&&*s) {
        out.push('_');
    }
    push_first_then(out, &s, u8::to_ascii_lowercase);
}

/// Reserved words of the TypeScript generators (axios and Angular): an operationId equal to
/// one gets a `_` prefix. Observed: beta `delete` (`DELETE /beta/sources/{id}`) is
/// `SourcesBetaApi._delete` in sailpoint-api-client 1.4.15 — `sdk-conventions.md` says no
/// reserved word occurs, which misses this one.
#[rustfmt::skip]
const TS_RESERVED: &[&str] = &[
    "abstract", "await", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
    "continue", "debugger", "default", "delete", "do", "double", "else", "enum", "export",
    "extends", "false", "final", "finally", "float", "for", "function", "goto", "if", "implements",
    "import", "in", "instanceof", "int", "interface", "let", "long", "native", "new", "null",
    "package", "private", "protected", "public", "return", "short", "static", "super", "switch",
    "synchronized", "this", "throw", "transient", "true", "try", "typeof", "var", "void",
    "volatile", "while", "with", "yield",
];

/// Python keywords (and `self`): an operationId equal to one gets the `call_` prefix. None
/// occurs in the current specs.
fn is_python_keyword(id: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "exec", "false", "finally", "for", "from", "global", "if",
        "import", "in", "is", "lambda", "none", "nonlocal", "not", "or", "pass", "print", "raise",
        "return", "self", "true", "try", "while", "with", "yield",
    ];
    id.len() <= 8 && KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(id))
}

/// Go keywords: an operationId equal to one gets the `Call` prefix. None occurs in the
/// current specs (`delete`, `update`, `move` are not keywords).
#[rustfmt::skip]
const GO_KEYWORDS: &[&str] = &[
    "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "for",
    "func", "go", "goto", "if", "import", "interface", "map", "package", "range", "return",
    "select", "struct", "switch", "type", "var",
];

/// Appends `s` with its first (ASCII) letter mapped by `f`.
fn push_first_then(out: &mut String, s: &str, f: fn(&u8) -> u8) {
    match s.as_bytes().first() {
        Some(c) if c.is_ascii() => {
            out.push(f(c) as char);
            out.push_str(&s[1..]);
        }
        _ => out.push_str(s),
    }
}

/// Approved PowerShell verbs (`Get-Verb`), as in the generator's `powershellVerbs`.
#[rustfmt::skip]
const APPROVED_VERBS: &[&str] = &[
    // common
    "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join",
    "Lock", "Move", "New", "Open", "Optimize", "Pop", "Push", "Redo", "Remove", "Rename", "Reset",
    "Resize", "Search", "Select", "Set", "Show", "Skip", "Split", "Step", "Switch", "Undo",
    "Unlock", "Watch",
    // communications
    "Connect", "Disconnect", "Read", "Receive", "Send", "Write",
    // data
    "Backup", "Checkpoint", "Compare", "Compress", "Convert", "ConvertFrom", "ConvertTo",
    "Dismount", "Edit", "Expand", "Export", "Group", "Import", "Initialize", "Limit", "Merge",
    "Mount", "Out", "Publish", "Restore", "Save", "Sync", "Unpublish", "Update",
    // lifecycle
    "Approve", "Assert", "Build", "Complete", "Confirm", "Deny", "Deploy", "Disable", "Enable",
    "Install", "Invoke", "Register", "Request", "Restart", "Resume", "Start", "Stop", "Submit",
    "Suspend", "Uninstall", "Unregister", "Wait",
    // diagnostic
    "Debug", "Measure", "Ping", "Repair", "Resolve", "Test", "Trace",
    // security
    "Block", "Grant", "Protect", "Revoke", "Unblock", "Unprotect",
    // other
    "Use",
];

/// Non-approved leading words and the verb they become: the generator's `commonVerbs` entries
/// that `sdk-conventions.md` §5 names, with SailPoint's overrides
/// (`Delete=Remove:Cancel=Suspend:Patch=Update:List=Get:Query=Search:Run=Start:Validate=Confirm:Make=Select`)
/// applied. Words that are not here (and are no approved verb) give `Invoke-`: the doc observed
/// that for download, execute, forward, ignore, load, reassign, sign, un…, unsubscribe, das….
const COMMON_VERBS: &[(&str, &str)] = &[
    ("Create", "New"),
    ("Generate", "New"),
    ("Put", "Send"),
    ("Post", "Submit"),
    ("Peek", "Receive"),
    ("Reject", "Deny"),
    ("Change", "Rename"),
    ("Transfer", "Move"),
    // SailPoint overrides.
    ("Delete", "Remove"),
    ("Cancel", "Suspend"),
    ("Patch", "Update"),
    ("List", "Get"),
    ("Query", "Search"),
    ("Run", "Start"),
    ("Validate", "Confirm"),
    ("Make", "Select"),
];

/// Whether the camelized id (`id` with its first letter upper-cased) starts with `word`.
fn camel_starts_with(id: &[u8], word: &str) -> bool {
    let w = word.as_bytes();
    id.len() >= w.len() && id[0].to_ascii_uppercase() == w[0] && id[1..w.len()] == w[1..]
}

/// The longest entry of `words` that the camelized `id` starts with (no word boundary).
fn longest_prefix<'a>(id: &[u8], words: &[&'a str]) -> Option<&'a str> {
    words
        .iter()
        .copied()
        .filter(|w| camel_starts_with(id, w))
        .max_by_key(|w| w.len())
}

/// Words grouped by first letter (`A`..=`Z`).
type ByLetter = Vec<Vec<&'static str>>;

fn by_letter(words: impl Iterator<Item = &'static str>) -> ByLetter {
    let mut out = vec![Vec::new(); 26];
    for w in words {
        out[usize::from(w.as_bytes()[0] - b'A')].push(w);
    }
    out
}

/// The approved verbs, then the common-verb words, that start like `id`.
fn candidates(id: &[u8]) -> (&'static [&'static str], &'static [&'static str]) {
    static TABLES: OnceLock<(ByLetter, ByLetter)> = OnceLock::new();
    let (approved, common) = TABLES.get_or_init(|| {
        (
            by_letter(APPROVED_VERBS.iter().copied()),
            by_letter(COMMON_VERBS.iter().map(|(w, _)| *w)),
        )
    });
    match id.first().map(u8::to_ascii_uppercase) {
        Some(c @ b'A'..=b'Z') => {
            let k = usize::from(c - b'A');
            (&approved[k], &common[k])
        }
        _ => (&[], &[]),
    }
}

/// The `apiNamePrefix` of a catalog family: v3 and per-API none, `beta` → `Beta`,
/// `v2025` → `V2025`.
pub fn powershell_prefix(family: &str) -> String {
    match family {
        "v3" | crate::catalog::PER_API_FAMILY => String::new(),
        f => upper_first(f),
    }
}

/// PowerShell cmdlet: `toMethodName(camelize(opId))` of the generator (§5).
///
/// The camelized id is matched against the approved verbs, then against the common verbs, by
/// plain prefix (no word boundary): `synchronizeAttributesForIdentity` with prefix `V2025` gives
/// `Sync-V2025hronizeAttributesForIdentity`, `move` with prefix `""` gives `Move-`. Otherwise
/// `Invoke-<prefix><Name>`. `prefix` is `""` (v3 and all of 2.x), `Beta`, `V2024`, `V2025`,
/// `V2026`. The generator walks Java hash sets; this takes the longest match, which the doc
/// found to give identical names for the current specs.
pub fn powershell_cmdlet(operation_id: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(operation_id.len() + prefix.len() + 8);
    powershell_cmdlet_into(operation_id, prefix, &mut out);
    out
}

/// [`powershell_cmdlet`], appended to `out`.
pub fn powershell_cmdlet_into(operation_id: &str, prefix: &str, out: &mut String) {
    let id = sanitize(operation_id);
    let bytes = id.as_bytes();
    let (approved, common) = candidates(bytes);
    let (verb, rest) = if let Some(verb) = longest_prefix(bytes, approved) {
        (verb, Cow::Borrowed(&id[verb.len()..]))
    } else if let Some(word) = longest_prefix(bytes, common) {
        let verb = COMMON_VERBS
            .iter()
            .find(|(w, _)| *w == word)
            .map_or(word, |(_, v)| *v);
        (verb, Cow::Borrowed(&id[word.len()..]))
    } else {
        // Not a verb: `Invoke-<prefix><Name>`.
        let mut name = String::with_capacity(id.len());
        push_first_then(&mut name, &id, u8::to_ascii_uppercase);
        ("Invoke", Cow::Owned(name))
    };
    out.push_str(verb);
    out.push('-');
    out.push_str(prefix);
    out.push_str(&rest);
}

/// The API class base from the first tag (`sanitizeTag`): non-alphanumeric characters split
/// words, each word's first letter is upper-cased, the rest kept: `Access Profiles` →
/// `AccessProfiles`, `SP-Config` → `SPConfig`, `Shared Signals Framework (SSF)` →
/// `SharedSignalsFrameworkSSF`. A leading digit gets the `Class` prefix.
pub fn class_base(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len());
    for word in tag.split(|c: char| !c.is_ascii_alphanumeric()) {
        out.push_str(&upper_first(word));
    }
    if out.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        out.insert_str(0, "Class");
    }
    out
}

/// The 2.x partition (import path segment) of a tag for Python, Go, TypeScript and Angular:
/// lower-cased, runs of non-alphanumerics → `_`, none at either end (`Shared Signals Framework
/// (SSF)` → `shared_signals_framework_ssf`, as in python-sdk 2.1.5).
pub fn partition(tag: &str) -> String {
    partition_with(tag, '_')
}

/// The 2.x PowerShell partition directory: like [`partition`] with `-`.
pub fn powershell_partition(tag: &str) -> String {
    partition_with(tag, '-')
}

fn partition_with(tag: &str, sep: char) -> String {
    let mut out = String::with_capacity(tag.len());
    for word in tag
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(sep);
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    out
}

/// `sanitizeName` for operationIds: characters other than `[A-Za-z0-9_]` become `_`. (Every
/// current operationId is alphanumeric, so this only guards odd input.)
fn sanitize(id: &str) -> Cow<'_, str> {
    if id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
        Cow::Borrowed(id)
    } else {
        Cow::Owned(
            id.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect(),
        )
    }
}

fn upper_first(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_first_then(&mut out, s, u8::to_ascii_uppercase);
    out
}
