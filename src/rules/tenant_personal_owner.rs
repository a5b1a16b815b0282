//! `tenant-personal-owner`: a manifest says `service_account: true`, but the PAT's owner in the
//! tenant looks like a person.

use super::{Context, Finding};
use crate::manifest::CredentialKind;
use crate::tenant::Join;
use crate::tenant::inventory::AuthUser;

/// Words that mark a non-human identity's name.
const SERVICE_MARKERS: &[&str] = &[
    "svc", "service", "bot", "api", "integration", "automation", "system", "sync", "robot", "app", "ci", "pipeline", "noreply", "no-reply", "daemon", "job", "script", "technical", "tech",
];

fn has_marker(s: &str) -> bool {
    s.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| SERVICE_MARKERS.contains(&w))
        || s.to_ascii_lowercase().contains("service")
}

/// Why an owner looks like a person, if it does: a personal email, a first and last name, or
/// (without its auth user) a name like `Jane Doe`; never when a name carries a service marker
/// (`svc`, `bot`, `integration`, ...).
pub fn person_reason(owner_name: Option<&str>, user: Option<&AuthUser>) -> Option<String> {
    let names: Vec<&str> = [owner_name, user.and_then(|u| u.display_name.as_deref()), user.and_then(|u| u.alias.as_deref()), user.and_then(|u| u.uid.as_deref())]
        .into_iter()
        .flatten()
        .collect();
    if names.iter().any(|n| has_marker(n)) {
        return None;
    }
    if let Some(u) = user {
        if u.personal_email.is_some() {
            return Some("it has a personal email".into());
        }
        if let (Some(f), Some(l)) = (&u.firstname, &u.lastname)
            && !has_marker(f)
            && !has_marker(l)
        {
            return Some(format!("it has a first and last name ({f} {l})"));
        }
        return None;
    }
    let n = owner_name?;
    let words: Vec<&str> = n.split_whitespace().collect();
    let name_like = (2..=3).contains(&words.len())
        && words.iter().all(|w| {
            let mut ch = w.chars();
            ch.next().is_some_and(char::is_uppercase) && ch.all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '.')
        });
    name_like.then(|| format!("its name `{n}` reads like a person's"))
}

pub fn check(cx: &Context) -> Vec<Finding> {
    let Some(a) = cx.tenant else { return Vec::new() };
    let mut out = Vec::new();
    for (d, j) in a.declared.iter().zip(&a.joins) {
        let Join::Joined(i) = j else { continue };
        let c = &a.creds[*i];
        if c.managed || c.kind != CredentialKind::Pat || !d.service_account {
            continue;
        }
        let Some(why) = person_reason(c.owner_name.as_deref(), a.owner(c)) else { continue };
        let owner = c.owner_name.as_deref().or(c.owner_id.as_deref()).unwrap_or("?");
        out.push(
            Finding::new(
                "tenant-personal-owner",
                d.location.clone(),
                format!("`{}` (declared in {}) says `service_account: true`, but the owner of {} in the tenant, {owner}, looks like a person: {why}", d.name, d.source, c.label()),
                c.subject("owner"),
            )
            .credential(&d.name)
            .help("recreate the token under a dedicated service identity, or correct the manifest"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_and_services() {
        assert!(person_reason(Some("Jane Doe"), None).is_some());
        assert!(person_reason(Some("Jean-Luc O'Neil"), None).is_some());
        assert!(person_reason(Some("svc-sync"), None).is_none());
        assert!(person_reason(Some("Sync Bot"), None).is_none());
        assert!(person_reason(Some("Identity Service"), None).is_none());
        assert!(person_reason(Some("jdoe"), None).is_none());
        let u = AuthUser { id: "1".into(), firstname: Some("Jane".into()), lastname: Some("Doe".into()), ..Default::default() };
        assert!(person_reason(Some("jdoe"), Some(&u)).unwrap().contains("first and last name"));
        let svc = AuthUser { id: "2".into(), firstname: Some("Integration".into()), lastname: Some("Account".into()), alias: Some("svc.idn".into()), ..Default::default() };
        assert!(person_reason(Some("IDN Account"), Some(&svc)).is_none());
        let mail = AuthUser { id: "3".into(), personal_email: Some("j@example.com".into()), ..Default::default() };
        assert!(person_reason(None, Some(&mail)).unwrap().contains("personal email"));
    }
}
