//! The tenant's inventory: personal access tokens (`GET /v2025/personal-access-tokens`), OAuth
//! clients (`GET /v2025/oauth-clients`) and auth users (`GET /v2025/auth-users/{id}`), read
//! from exports or from live responses.
//!
//! Field names and types follow the v2025 spec's schemas (`GetPersonalAccessTokenResponse`,
//! `GetOAuthClientResponse`, `AuthUser`; the tables below are checked against the spec by a
//! test). Unknown fields are ignored; a missing required field or a wrong type is an error at
//! the item (file, JSON path, line). An input is a stream of JSON values: one array (what the
//! API, `sail api get` and the SDKs' paginators print), arrays concatenated (one per page), or
//! objects one after another (NDJSON, PowerShell's single-item `ConvertTo-Json`).

use super::time;
use crate::error::{LineIndex, PlainError, SourceError};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// Largest inventory file read.
pub const MAX_INVENTORY_BYTES: u64 = 256 * 1024 * 1024;

/// File names in an export folder (`--export`, `--save-export`).
pub const PATS_FILE: &str = "personal-access-tokens.json";
pub const CLIENTS_FILE: &str = "oauth-clients.json";
pub const USERS_FILE: &str = "auth-users.json";
/// A folder of `GET /auth-users/{id}` bodies, one per file, instead of [`USERS_FILE`].
pub const USERS_DIR: &str = "auth-users";

/// JSON types of the fields the audit validates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Str,
    Bool,
    Int,
    DateTime,
    StrArray,
    Object,
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Str => "a string",
            Ty::Bool => "a boolean",
            Ty::Int => "an integer",
            Ty::DateTime => "a date-time string",
            Ty::StrArray => "an array of strings",
            Ty::Object => "an object",
        }
    }
}

/// One field of a schema: name, type, nullable, required.
pub type Field = (&'static str, Ty, bool, bool);

/// `GetPersonalAccessTokenResponse` (v2025).
pub const PAT_FIELDS: &[Field] = &[
    ("id", Ty::Str, false, true),
    ("name", Ty::Str, false, true),
    ("scope", Ty::StrArray, true, true),
    ("owner", Ty::Object, false, true),
    ("created", Ty::DateTime, false, true),
    ("lastUsed", Ty::DateTime, true, false),
    ("managed", Ty::Bool, false, false),
    ("accessTokenValiditySeconds", Ty::Int, false, false),
    ("expirationDate", Ty::DateTime, true, false),
    ("userAwareTokenNeverExpires", Ty::Bool, false, false),
];

/// `PatOwner` (v2025).
pub const PAT_OWNER_FIELDS: &[Field] = &[
    ("type", Ty::Str, false, false),
    ("id", Ty::Str, false, false),
    ("name", Ty::Str, false, false),
];

/// `GetOAuthClientResponse` (v2025).
pub const CLIENT_FIELDS: &[Field] = &[
    ("id", Ty::Str, false, true),
    ("businessName", Ty::Str, true, true),
    ("homepageUrl", Ty::Str, true, true),
    ("name", Ty::Str, false, true),
    ("description", Ty::Str, true, true),
    ("accessTokenValiditySeconds", Ty::Int, false, true),
    ("refreshTokenValiditySeconds", Ty::Int, false, true),
    ("redirectUris", Ty::StrArray, true, true),
    ("grantTypes", Ty::StrArray, false, true),
    ("accessType", Ty::Str, false, true),
    ("type", Ty::Str, false, true),
    ("internal", Ty::Bool, false, true),
    ("enabled", Ty::Bool, false, true),
    ("strongAuthSupported", Ty::Bool, false, true),
    ("claimsSupported", Ty::Bool, false, true),
    ("created", Ty::DateTime, false, true),
    ("modified", Ty::DateTime, false, true),
    ("secret", Ty::Str, true, false),
    ("metadata", Ty::Str, true, false),
    ("lastUsed", Ty::DateTime, true, false),
    ("scope", Ty::StrArray, true, true),
];

/// `AuthUser` (v2025). The spec requires no field; the audit needs `id` (the identity a PAT's
/// `owner.id` names).
pub const USER_FIELDS: &[Field] = &[
    ("tenant", Ty::Str, false, false),
    ("id", Ty::Str, false, true),
    ("uid", Ty::Str, false, false),
    ("profile", Ty::Str, false, false),
    ("identificationNumber", Ty::Str, true, false),
    ("email", Ty::Str, true, false),
    ("phone", Ty::Str, true, false),
    ("workPhone", Ty::Str, true, false),
    ("personalEmail", Ty::Str, true, false),
    ("firstname", Ty::Str, true, false),
    ("lastname", Ty::Str, true, false),
    ("displayName", Ty::Str, false, false),
    ("alias", Ty::Str, false, false),
    ("lastPasswordChangeDate", Ty::DateTime, true, false),
    ("lastLoginTimestamp", Ty::Int, false, false),
    ("currentLoginTimestamp", Ty::Int, false, false),
    ("lastUnlockTimestamp", Ty::DateTime, true, false),
    ("capabilities", Ty::StrArray, true, false),
];

/// Where a record came from: a file (or a request) and its JSON path and line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub source: String,
    pub path: String,
    pub line: Option<usize>,
}

/// A personal access token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pat {
    pub id: String,
    pub name: String,
    /// `None`: null or empty, which the tenant treats as `sp:scopes:all`.
    pub scope: Option<Vec<String>>,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub created: i64,
    pub last_used: Option<i64>,
    pub managed: bool,
    pub expiration: Option<i64>,
    pub origin: Origin,
}

/// An OAuth client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    pub id: String,
    pub name: String,
    pub scope: Option<Vec<String>>,
    pub grant_types: Vec<String>,
    pub enabled: bool,
    pub internal: bool,
    pub created: i64,
    pub last_used: Option<i64>,
    pub origin: Origin,
}

/// An auth user: the identity behind a PAT's owner, with its user levels (`capabilities`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AuthUser {
    pub id: String,
    pub uid: Option<String>,
    pub alias: Option<String>,
    pub display_name: Option<String>,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub personal_email: Option<String>,
    pub capabilities: Option<Vec<String>>,
}

/// What the tenant holds, as far as it was read.
#[derive(Clone, Debug, Default)]
pub struct Inventory {
    /// `None`: PATs were not read (then no PAT is shadow or absent).
    pub pats: Option<Vec<Pat>>,
    pub clients: Option<Vec<Client>>,
    /// Auth users by id (`None`: not read; owners' levels unknown).
    pub users: Option<BTreeMap<String, AuthUser>>,
    /// Ids seen twice (concatenated pages that overlap): the first record is kept.
    pub duplicates: usize,
}

/// A JSON value of an input, with where it is.
pub struct Item {
    pub value: Value,
    pub path: String,
    /// Byte offset of the item in the text (for its line), when known.
    pub offset: Option<usize>,
}

/// A located error: JSON path and message, turned into a diagnostic over the text if any.
struct Bad {
    path: String,
    message: String,
}

/// An input's text: a file or a response body.
pub struct Input<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl Input<'_> {
    fn error(&self, offset: Option<usize>, path: &str, message: &str) -> miette::Report {
        let msg = format!("`{}`: {path}: {message}", self.name);
        match offset {
            Some(off) if !self.text.is_empty() => {
                let lines = LineIndex::new(self.text);
                let end = self.text[off..]
                    .find('\n')
                    .map_or(self.text.len(), |i| off + i);
                SourceError::indexed(self.name, self.text, &lines, (off, (end - off).max(1)), msg, "in this item")
                    .with_help("the fields and types are those of the v2025 API's response (see the README's section for security reviewers)")
                    .into()
            }
            _ => PlainError::new(msg).into(),
        }
    }
}

/// Start offsets of the items of a stream of JSON values: each element of a top-level
/// array, each top-level object. Linear; strings and escapes are skipped.
fn item_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut starts = Vec::new();
    let mut depth = 0usize;
    let mut top_array = false;
    let mut expect = false;
    let (mut in_str, mut esc) = (false, false);
    for (i, &c) in b.iter().enumerate() {
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
            continue;
        }
        if c.is_ascii_whitespace() {
            continue;
        }
        if depth == 0 && c == b'{' {
            starts.push(i);
        }
        if depth == 1 && top_array && expect && c != b',' && c != b']' {
            starts.push(i);
            expect = false;
        }
        match c {
            b'"' => in_str = true,
            b'[' | b'{' => {
                if depth == 0 {
                    top_array = c == b'[';
                    expect = top_array;
                }
                depth += 1;
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 1 && top_array => expect = true,
            _ => {}
        }
    }
    starts
}

/// The items of an input text: validates JSON (errors at line and column) and flattens pages.
pub fn items(input: &Input) -> miette::Result<Vec<Item>> {
    crate::nesting::check(input.name, "inventory", input.text)?;
    let mut values = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(input.text).into_iter::<Value>();
    loop {
        match stream.next() {
            None => break,
            Some(Ok(v)) => values.push(v),
            Some(Err(e)) => {
                let lines = LineIndex::new(input.text);
                let off = lines.offset_of(input.text, e.line(), e.column());
                return Err(SourceError::indexed(
                    input.name,
                    input.text,
                    &lines,
                    crate::error::line_span(input.text, off),
                    format!("`{}` is not valid JSON", input.name),
                    e.to_string(),
                )
                .into());
            }
        }
    }
    if values.is_empty() {
        return Err(
            PlainError::new(format!("`{}` holds no JSON value", input.name))
                .with_help(
                    "an export is the JSON array the API returns (`[]` when there is nothing)",
                )
                .into(),
        );
    }
    Ok(flatten(values, Some(item_starts(input.text))))
}

/// Items of already parsed values (live responses: one value per page).
pub fn flatten(values: Vec<Value>, starts: Option<Vec<usize>>) -> Vec<Item> {
    let pages = values.len();
    let mut out = Vec::new();
    for (p, v) in values.into_iter().enumerate() {
        let prefix = if pages > 1 {
            format!("[value {}] $", p + 1)
        } else {
            "$".to_string()
        };
        match v {
            Value::Array(a) => {
                for (i, x) in a.into_iter().enumerate() {
                    out.push(Item {
                        value: x,
                        path: format!("{prefix}[{i}]"),
                        offset: None,
                    });
                }
            }
            other => out.push(Item {
                value: other,
                path: prefix,
                offset: None,
            }),
        }
    }
    if let Some(s) = starts
        && s.len() == out.len()
    {
        for (it, off) in out.iter_mut().zip(s) {
            it.offset = Some(off);
        }
    }
    out
}

fn type_ok(v: &Value, ty: Ty) -> bool {
    match ty {
        Ty::Str => v.is_string(),
        Ty::Bool => v.is_boolean(),
        Ty::Int => v.is_i64() || v.is_u64(),
        Ty::DateTime => v.as_str().is_some_and(|s| time::parse(s).is_some()),
        Ty::StrArray => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        Ty::Object => v.is_object(),
    }
}

fn found(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Checks an object against a field table.
fn validate<'v>(
    v: &'v Value,
    fields: &[Field],
    path: &str,
    what: &str,
) -> Result<&'v Map<String, Value>, Bad> {
    let Some(obj) = v.as_object() else {
        return Err(Bad {
            path: path.to_string(),
            message: format!("expected {what} (an object), found {}", found(v)),
        });
    };
    for &(name, ty, nullable, required) in fields {
        match obj.get(name) {
            None if required => {
                return Err(Bad {
                    path: path.to_string(),
                    message: format!("{what} lacks the required field `{name}`"),
                });
            }
            None => {}
            Some(Value::Null) if nullable => {}
            Some(x) if type_ok(x, ty) => {}
            Some(x) => {
                let mut message = format!(
                    "`{name}` must be {}{}, found {}",
                    ty.name(),
                    if nullable { " or null" } else { "" },
                    found(x)
                );
                if ty == Ty::DateTime && x.is_string() {
                    message = format!(
                        "`{name}` must be an RFC 3339 date-time (2026-11-02T10:01:02.123Z), found {x}"
                    );
                }
                return Err(Bad {
                    path: format!("{path}.{name}"),
                    message,
                });
            }
        }
    }
    Ok(obj)
}

fn s(obj: &Map<String, Value>, k: &str) -> Option<String> {
    obj.get(k).and_then(Value::as_str).map(str::to_string)
}

fn t(obj: &Map<String, Value>, k: &str) -> Option<i64> {
    obj.get(k).and_then(Value::as_str).and_then(time::parse)
}

fn b(obj: &Map<String, Value>, k: &str) -> Option<bool> {
    obj.get(k).and_then(Value::as_bool)
}

fn strs(obj: &Map<String, Value>, k: &str) -> Option<Vec<String>> {
    obj.get(k).and_then(Value::as_array).map(|a| {
        a.iter()
            .filter_map(Value::as_str)
            .map(|x| x.trim().to_string())
            .collect()
    })
}

/// A scope list: null or empty means `sp:scopes:all` (`None`).
fn scope(obj: &Map<String, Value>) -> Option<Vec<String>> {
    strs(obj, "scope").filter(|v| !v.is_empty())
}

fn pat(it: &Item, source: &str) -> Result<Pat, Bad> {
    let obj = validate(&it.value, PAT_FIELDS, &it.path, "a personal access token")?;
    let owner = validate(
        &obj["owner"],
        PAT_OWNER_FIELDS,
        &format!("{}.owner", it.path),
        "the owner",
    )?;
    Ok(Pat {
        id: s(obj, "id").unwrap_or_default(),
        name: s(obj, "name").unwrap_or_default(),
        scope: scope(obj),
        owner_id: s(owner, "id"),
        owner_name: s(owner, "name"),
        created: t(obj, "created").unwrap_or_default(),
        last_used: t(obj, "lastUsed"),
        managed: b(obj, "managed").unwrap_or(false),
        expiration: t(obj, "expirationDate"),
        origin: Origin {
            source: source.to_string(),
            path: it.path.clone(),
            line: None,
        },
    })
}

fn client(it: &Item, source: &str) -> Result<Client, Bad> {
    let obj = validate(&it.value, CLIENT_FIELDS, &it.path, "an OAuth client")?;
    Ok(Client {
        id: s(obj, "id").unwrap_or_default(),
        name: s(obj, "name").unwrap_or_default(),
        scope: scope(obj),
        grant_types: strs(obj, "grantTypes").unwrap_or_default(),
        enabled: b(obj, "enabled").unwrap_or(true),
        internal: b(obj, "internal").unwrap_or(false),
        created: t(obj, "created").unwrap_or_default(),
        last_used: t(obj, "lastUsed"),
        origin: Origin {
            source: source.to_string(),
            path: it.path.clone(),
            line: None,
        },
    })
}

fn user(it: &Item) -> Result<AuthUser, Bad> {
    let obj = validate(&it.value, USER_FIELDS, &it.path, "an auth user")?;
    let nonempty = |k: &str| s(obj, k).filter(|x| !x.trim().is_empty());
    Ok(AuthUser {
        id: s(obj, "id").unwrap_or_default(),
        uid: nonempty("uid"),
        alias: nonempty("alias"),
        display_name: nonempty("displayName"),
        firstname: nonempty("firstname"),
        lastname: nonempty("lastname"),
        personal_email: nonempty("personalEmail"),
        capabilities: strs(obj, "capabilities"),
    })
}

/// Which list an input holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Pats,
    Clients,
    Users,
}

/// Parses the items of one input into the inventory (appending; the first record of an id
/// wins).
pub fn add(inv: &mut Inventory, kind: Kind, input: &Input, items: Vec<Item>) -> miette::Result<()> {
    let lines = items
        .iter()
        .any(|i| i.offset.is_some())
        .then(|| LineIndex::new(input.text));
    let line_of = |it: &Item| it.offset.zip(lines.as_ref()).map(|(o, l)| l.line_of(o) + 1);
    match kind {
        Kind::Pats => {
            let list = inv.pats.get_or_insert_with(Vec::new);
            let mut seen: std::collections::HashSet<String> =
                list.iter().map(|p| p.id.clone()).collect();
            for it in &items {
                let mut p =
                    pat(it, input.name).map_err(|e| input.error(it.offset, &e.path, &e.message))?;
                p.origin.line = line_of(it);
                if seen.insert(p.id.clone()) {
                    list.push(p);
                } else {
                    inv.duplicates += 1;
                }
            }
        }
        Kind::Clients => {
            let list = inv.clients.get_or_insert_with(Vec::new);
            let mut seen: std::collections::HashSet<String> =
                list.iter().map(|p| p.id.clone()).collect();
            for it in &items {
                let mut c = client(it, input.name)
                    .map_err(|e| input.error(it.offset, &e.path, &e.message))?;
                c.origin.line = line_of(it);
                if seen.insert(c.id.clone()) {
                    list.push(c);
                } else {
                    inv.duplicates += 1;
                }
            }
        }
        Kind::Users => {
            let map = inv.users.get_or_insert_with(BTreeMap::new);
            for it in &items {
                let u = user(it).map_err(|e| input.error(it.offset, &e.path, &e.message))?;
                if map.contains_key(&u.id) {
                    inv.duplicates += 1;
                } else {
                    map.insert(u.id.clone(), u);
                }
            }
        }
    }
    Ok(())
}

/// Reads one inventory file into the inventory.
pub fn read_file(inv: &mut Inventory, kind: Kind, path: &Path) -> miette::Result<()> {
    let name = path.display().to_string();
    let bytes = crate::fsutil::read_input(path, "inventory", MAX_INVENTORY_BYTES)?;
    let (text, _) = crate::fsutil::decode_utf8(&name, "inventory", bytes)?;
    let input = Input {
        name: &name,
        text: &text,
    };
    let items = items(&input)?;
    add(inv, kind, &input, items)?;
    if kind != Kind::Users {
        // An empty list is still a list that was read.
        match kind {
            Kind::Pats => drop(inv.pats.get_or_insert_with(Vec::new)),
            _ => drop(inv.clients.get_or_insert_with(Vec::new)),
        }
    }
    Ok(())
}

/// `--auth-users FILE|DIR`: a file of auth users, or a folder of `*.json` files (sorted by
/// name), each one `GET /auth-users/{id}` body or a list of them.
pub fn read_users(inv: &mut Inventory, path: &Path) -> miette::Result<()> {
    if path.is_dir() {
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(path)
            .map_err(|e| PlainError::new(format!("cannot read folder `{}`: {e}", path.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
            .collect();
        files.sort();
        inv.users.get_or_insert_with(BTreeMap::new);
        for f in files {
            read_file(inv, Kind::Users, &f)?;
        }
        return Ok(());
    }
    read_file(inv, Kind::Users, path)?;
    inv.users.get_or_insert_with(BTreeMap::new);
    Ok(())
}

/// `--export DIR`: the files of an export folder, each optional (at least one must exist).
pub fn read_export(inv: &mut Inventory, dir: &Path) -> miette::Result<()> {
    if !dir.is_dir() {
        return Err(PlainError::new(format!("no export folder at `{}`", dir.display())).into());
    }
    let mut any = false;
    let pats = dir.join(PATS_FILE);
    if pats.exists() {
        read_file(inv, Kind::Pats, &pats)?;
        any = true;
    }
    let clients = dir.join(CLIENTS_FILE);
    if clients.exists() {
        read_file(inv, Kind::Clients, &clients)?;
        any = true;
    }
    let users_dir = dir.join(USERS_DIR);
    let users = dir.join(USERS_FILE);
    if users_dir.is_dir() {
        read_users(inv, &users_dir)?;
    } else if users.exists() {
        read_users(inv, &users)?;
    }
    if !any {
        return Err(PlainError::new(format!(
            "the export folder `{}` holds neither `{PATS_FILE}` nor `{CLIENTS_FILE}`",
            dir.display()
        ))
        .with_help(format!("save `GET /v2025/personal-access-tokens` as {PATS_FILE} and `GET /v2025/oauth-clients` as {CLIENTS_FILE} (or run live with --save-export)"))
        .into());
    }
    Ok(())
}

/// Field names that hold secrets, removed wherever they are before an export is written.
pub const SECRET_FIELDS: &[&str] = &[
    "secret",
    "clientSecret",
    "client_secret",
    "accessToken",
    "access_token",
    "refreshToken",
    "refresh_token",
    "token",
    "password",
];

/// Removes every secret field, at any depth.
pub fn strip_secrets(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|k, _| !SECRET_FIELDS.iter().any(|s| s.eq_ignore_ascii_case(k)));
            for x in m.values_mut() {
                strip_secrets(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(strip_secrets),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(e: miette::Report) -> String {
        format!("{e:?}")
            .replace('│', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn load(kind: Kind, text: &str) -> miette::Result<Inventory> {
        let input = Input {
            name: "x.json",
            text,
        };
        let mut inv = Inventory::default();
        let it = items(&input)?;
        add(&mut inv, kind, &input, it)?;
        Ok(inv)
    }

    const PAT: &str = r#"{"id":"p1","name":"n","scope":null,"owner":{"type":"IDENTITY","id":"o1","name":"Bot"},"created":"2026-01-01T00:00:00Z","extra":{"x":[1]}}"#;

    #[test]
    fn arrays_pages_and_objects_load_alike() {
        let one = load(Kind::Pats, &format!("[{PAT}]")).unwrap();
        let pages = load(
            Kind::Pats,
            &format!("[{PAT}]\n[]\n[{}]", PAT.replace("p1", "p2")),
        )
        .unwrap();
        let ndjson = load(Kind::Pats, &format!("{PAT}\n{}\n", PAT.replace("p1", "p2"))).unwrap();
        assert_eq!(one.pats.as_ref().unwrap().len(), 1);
        let ids = |i: &Inventory| {
            i.pats
                .as_ref()
                .unwrap()
                .iter()
                .map(|p| p.id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&pages), ["p1", "p2"]);
        assert_eq!(ids(&ndjson), ["p1", "p2"]);
        assert_eq!(
            pages.pats.as_ref().unwrap()[1].origin.path,
            "[value 3] $[0]"
        );
        assert_eq!(pages.pats.as_ref().unwrap()[1].origin.line, Some(3));
        let p = &one.pats.unwrap()[0];
        assert_eq!(
            (p.scope.clone(), p.owner_id.as_deref(), p.managed),
            (None, Some("o1"), false)
        );
    }

    #[test]
    fn located_errors_name_the_path() {
        let text = format!(
            "[\n{PAT},\n{}\n]",
            PAT.replace(r#""id":"o1","#, r#""id":7,"#)
        );
        let e = flat(load(Kind::Pats, &text).unwrap_err());
        assert!(
            e.contains("$[1].owner.id: `id` must be a string, found a number"),
            "{e}"
        );
        assert!(e.contains("x.json:3:1"), "{e}");
        let e = flat(
            load(
                Kind::Pats,
                &format!(
                    "[{}]",
                    PAT.replace(r#""created":"2026-01-01T00:00:00Z","#, "")
                ),
            )
            .unwrap_err(),
        );
        assert!(
            e.contains("$[0]: a personal access token lacks the required field `created`"),
            "{e}"
        );
        let e = flat(
            load(
                Kind::Pats,
                &format!("[{}]", PAT.replace("2026-01-01T00:00:00Z", "soon")),
            )
            .unwrap_err(),
        );
        assert!(e.contains("`created` must be an RFC 3339 date-time"), "{e}");
        let e = flat(load(Kind::Pats, "[1]").unwrap_err());
        assert!(
            e.contains("expected a personal access token (an object), found a number"),
            "{e}"
        );
        let e = flat(load(Kind::Pats, "[{\"id\": ").unwrap_err());
        assert!(e.contains("is not valid JSON"), "{e}");
        assert!(load(Kind::Pats, "  ").is_err());
        assert!(load(Kind::Pats, &"[".repeat(500)).is_err());
    }

    #[test]
    fn item_starts_skip_strings() {
        let t = r#"[ {"a":"],{"}, {"b":"\"}"} ]{"c":1}"#;
        let s = item_starts(t);
        assert_eq!(
            s.iter().map(|&i| &t[i..i + 4]).collect::<Vec<_>>(),
            [r#"{"a""#, r#"{"b""#, r#"{"c""#]
        );
    }

    #[test]
    fn secrets_are_stripped_at_any_depth() {
        let mut v: Value = serde_json::json!([{"id": "c", "secret": "s3", "nested": {"clientSecret": "x", "keep": 1}}]);
        strip_secrets(&mut v);
        assert_eq!(v, serde_json::json!([{"id": "c", "nested": {"keep": 1}}]));
    }

    /// The field tables are the v2025 spec's schemas (when the specs are beside the repo).
    #[test]
    fn field_tables_match_the_spec() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/specs/isc/deref-sailpoint-api.v2025.yaml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipped: {} not found", path.display());
            return;
        };
        let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let schemas = &doc["components"]["schemas"];
        for (name, table, extra_required) in [
            ("GetPersonalAccessTokenResponse", PAT_FIELDS, &[][..]),
            ("PatOwner", PAT_OWNER_FIELDS, &[][..]),
            ("GetOAuthClientResponse", CLIENT_FIELDS, &[][..]),
            ("AuthUser", USER_FIELDS, &["id"][..]),
        ] {
            let sc = &schemas[name];
            let props = sc["properties"]
                .as_mapping()
                .unwrap_or_else(|| panic!("{name}"));
            let required: Vec<&str> = sc["required"]
                .as_sequence()
                .map(|r| r.iter().filter_map(|x| x.as_str()).collect())
                .unwrap_or_default();
            for &(f, ty, nullable, req) in table {
                let mut p = &props[serde_yaml::Value::from(f)];
                if let Some(r) = p["$ref"].as_str() {
                    p = &schemas[r.trim_start_matches("#/components/schemas/")];
                }
                assert!(!p.is_null(), "{name}.{f} is not in the spec");
                let spec_ty = match (p["type"].as_str(), p["format"].as_str()) {
                    (Some("string"), Some("date-time")) => Ty::DateTime,
                    (Some("string"), _) => Ty::Str,
                    (Some("boolean"), _) => Ty::Bool,
                    (Some("integer"), _) => Ty::Int,
                    (Some("array"), _) => Ty::StrArray,
                    (Some("object"), _) => Ty::Object,
                    other => panic!("{name}.{f}: {other:?}"),
                };
                assert_eq!(ty, spec_ty, "{name}.{f}");
                assert_eq!(
                    nullable,
                    p["nullable"].as_bool().unwrap_or(false),
                    "{name}.{f} nullable"
                );
                assert_eq!(
                    req,
                    required.contains(&f) || extra_required.contains(&f),
                    "{name}.{f} required"
                );
            }
            for r in &required {
                assert!(
                    table.iter().any(|x| x.0 == *r),
                    "{name}: required `{r}` missing from the table"
                );
            }
        }
    }
}
