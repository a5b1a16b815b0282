//! SDK call front-end: fixtures per language with every recognised form, negatives beside
//! them, and the cases where the finder must not guess.

use crate::common;

use isc_scope_lint::catalog::Catalog;
use isc_scope_lint::discover::{FoundCall, SourceFile, Via, analyze_files, lang};
use std::path::Path;

const ROOT: &str = "tests/fixtures/discover/sdk";

/// Every file below `dir` (relative paths), without the walker's prefilter: the finder sees
/// each file, so a negative that yields nothing was really looked at.
fn read_tree(dir: &str) -> Vec<SourceFile> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("fixture dir")
            .flatten()
            .collect();
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
                continue;
            }
            let text = std::fs::read_to_string(&p).expect("utf-8 fixture");
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let kind = lang::detect(Path::new(&rel), text.as_bytes());
            out.push(SourceFile { rel, kind, text });
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

/// The calls of in-memory files.
fn analyze(files: &[(&str, &str)]) -> Vec<FoundCall> {
    let files: Vec<SourceFile> = files
        .iter()
        .map(|(rel, text)| SourceFile {
            rel: rel.to_string(),
            kind: lang::detect(Path::new(rel), text.as_bytes()),
            text: text.to_string(),
        })
        .collect();
    let mut warnings = Vec::new();
    analyze_files(Catalog::embedded(), &files, 0, &mut warnings)
}

fn analyze_tree(dir: &str) -> Vec<FoundCall> {
    let mut warnings = Vec::new();
    analyze_files(Catalog::embedded(), &read_tree(dir), 0, &mut warnings)
}

/// `line operation` of each call (`line ? reason` when unresolved).
fn brief(calls: &[FoundCall]) -> Vec<String> {
    calls
        .iter()
        .map(|c| match (&c.operation, c.resolved) {
            (Some(op), true) => format!("{} {op}", c.line),
            _ => format!("{} ? {}", c.line, c.reason.as_deref().unwrap_or("")),
        })
        .collect()
}

#[test]
fn python_sdk_calls() {
    let v = common::calls_json(&format!("{ROOT}/python"));
    insta::assert_snapshot!(common::summary(&v));
}

#[test]
fn typescript_sdk_calls() {
    let v = common::calls_json(&format!("{ROOT}/typescript"));
    insta::assert_snapshot!(common::summary(&v));
}

#[test]
fn go_sdk_calls() {
    let v = common::calls_json(&format!("{ROOT}/go"));
    insta::assert_snapshot!(common::summary(&v));
    // The JSON contract: where the method is named, `via: sdk`, the operation and its path.
    insta::assert_json_snapshot!(v["calls"]);
}

#[test]
fn powershell_sdk_calls() {
    let v = common::calls_json(&format!("{ROOT}/powershell/isc"));
    insta::assert_snapshot!(common::summary(&v));
}

#[test]
fn negative_forms_yield_nothing() {
    for dir in ["python", "typescript", "go", "powershell/isc"] {
        let calls = analyze_tree(&format!("{ROOT}/{dir}"));
        let neg: Vec<&FoundCall> = calls
            .iter()
            .filter(|c| c.file.contains("negative") || c.file.contains("store.go"))
            .collect();
        assert!(neg.is_empty(), "{dir}: negatives reported: {neg:#?}");
        // The fixtures do find calls (the files were read).
        assert!(calls.iter().any(|c| c.resolved), "{dir}: nothing found");
    }
    let unrelated = analyze_tree(&format!("{ROOT}/powershell/unrelated"));
    assert!(unrelated.is_empty(), "{unrelated:#?}");
    // The project's own services in an Angular app are not the SDK's.
    let angular = analyze_tree(&format!("{ROOT}/typescript/angular"));
    assert!(
        angular
            .iter()
            .all(|c| !c.file.ends_with("identities.service.ts") && c.line != 17),
        "{angular:#?}"
    );
}

#[test]
fn sdk_calls_are_marked_sdk_and_leave_the_header_to_the_sdk() {
    // v2025 listAccessProfiles is experimental: the SDK sends the header itself.
    let calls = analyze(&[(
        "a.py",
        "from sailpoint.v2025 import AccessProfilesApi\nAccessProfilesApi(c).list_access_profiles()\n",
    )]);
    assert_eq!(brief(&calls), ["2 GET /v2025/access-profiles"]);
    assert_eq!(calls[0].via, Via::Sdk);
    assert_eq!(calls[0].experimental_header, None);
    assert_eq!(calls[0].column, 22);
}

#[test]
fn a_name_shared_by_families_is_not_guessed() {
    let calls = analyze_tree(&format!("{ROOT}/python"));
    let amb: Vec<&FoundCall> = calls.iter().filter(|c| c.file == "ambiguous.py").collect();
    assert_eq!(amb.len(), 2, "{amb:#?}");
    assert!(!amb[0].resolved);
    assert!(amb[0].operation.is_none());
    let reason = amb[0].reason.as_deref().unwrap();
    assert!(reason.contains("GET /v3/accounts"), "{reason}");
    assert!(reason.contains("GET /v2025/accounts"), "{reason}");
    assert!(!reason.contains("/v2024/"), "not imported here: {reason}");
    assert_eq!(amb[1].operation.as_deref(), Some("GET /v3/sources"));

    let ts = analyze_tree(&format!("{ROOT}/typescript/plain"));
    assert_eq!(
        brief(&ts)[..2],
        ["9 GET /v3/access-profiles", "10 GET /access-profiles/v1"]
    );
    assert!(
        !ts[2].resolved
            && ts[2]
                .reason
                .as_deref()
                .unwrap()
                .contains("/v2025/access-profiles/{id}")
    );
}

#[test]
fn typescript_top_level_classes_follow_the_project_major() {
    let src = "import { SourcesApi, Configuration } from 'sailpoint-api-client';\n\
               const api = new SourcesApi(new Configuration());\n\
               api.listSources();\n\
               api.listSourcesV1();\n";
    let v1 = analyze(&[
        (
            "package.json",
            r#"{"dependencies":{"sailpoint-api-client":"~1.8.0"}}"#,
        ),
        ("src/a.ts", src),
    ]);
    // 1.x: the top-level class is v3; a `V1` name exists only per-API, and the name wins.
    assert_eq!(brief(&v1), ["3 GET /v3/sources", "4 GET /sources/v1"]);
    let v2 = analyze(&[
        (
            "package.json",
            r#"{"dependencies":{"sailpoint-api-client":"^2.1.0"}}"#,
        ),
        ("src/a.ts", src),
    ]);
    // 2.x: per-API; a bare name is no method of it (NERM or a typo): nothing reported.
    assert_eq!(brief(&v2), ["4 GET /sources/v1"]);
}

#[test]
fn powershell_v3_cmdlets_need_sdk_context() {
    let script = "$s = Get-Sources\nGet-Transforms | Out-Null\n";
    assert!(analyze(&[("a.ps1", script)]).is_empty());
    let with_module = format!("Import-Module PSSailpoint\n{script}");
    assert_eq!(
        brief(&analyze(&[("a.ps1", &with_module)])),
        ["2 GET /v3/sources", "3 GET /v3/transforms"]
    );
    // Another SDK cmdlet in the file, or a module manifest requiring PSSailpoint, is enough.
    let with_other = format!("{script}Get-BetaWorkflows\n");
    assert_eq!(brief(&analyze(&[("a.ps1", &with_other)])).len(), 3);
    // A v3 cmdlet with a name of its own is context too.
    let with_v3 = format!("{script}Get-IdentityProfiles\n");
    assert_eq!(brief(&analyze(&[("a.ps1", &with_v3)])).len(), 3);
    assert_eq!(
        brief(&analyze(&[("b.ps1", "Get-IdentityProfiles -Limit 5\n")])),
        ["1 GET /v3/identity-profiles"]
    );
    let psd1 = "@{ RootModule = 'x.psm1'; RequiredModules = @('PSSailpoint') }";
    assert_eq!(
        brief(&analyze(&[("x.psd1", psd1), ("a.ps1", script)])).len(),
        2
    );
}

#[test]
fn python_nerm_and_other_libraries_are_skipped() {
    let calls = analyze(&[(
        "a.py",
        "from sailpoint import SailPoint, ApiClient\n\
         from sailpoint.nerm.api.users_api import UsersApi\n\
         import boto3\n\
         c = ApiClient()\n\
         SailPoint.RolesApi(c).get_role('x')\n\
         UsersApi(c).list_users()\n\
         boto3.client('organizations').list_accounts()\n\
         SailPoint.RolesApi(c).get_role_v1('x')\n",
    )]);
    assert_eq!(brief(&calls), ["8 GET /roles/v1/{id}"]);
    // A versioned object asked for a name its family lacks: reported, not settled.
    let calls = analyze(&[(
        "b.py",
        "import sailpoint.v3\nsailpoint.v3.IdentitiesApi(c).list_identities()\n",
    )]);
    assert_eq!(calls.len(), 1);
    assert!(!calls[0].resolved && calls[0].operation.is_none());
    let reason = calls[0].reason.as_deref().unwrap();
    assert!(
        reason.contains("v3 SDK") && reason.contains("GET /v2025/identities"),
        "{reason}"
    );
}

#[test]
fn go_v1_module_services_and_other_clients() {
    let calls = analyze(&[
        (
            "go.mod",
            "module x\n\nrequire github.com/sailpoint-oss/golang-sdk v1.2.0\n",
        ),
        (
            "main.go",
            "package main\n\nimport (\n\tsailpoint \"github.com/sailpoint-oss/golang-sdk\"\n\tv3 \"github.com/sailpoint-oss/golang-sdk/v3\"\n)\n\n\
             func f(c *sailpoint.APIClient, s *v3.SourcesApiService) {\n\
             \tc.V3.AccountsApi.ListAccounts(ctx).Execute()\n\
             \tc.Beta.WorkflowsApi.ListWorkflows(ctx).Execute()\n\
             \tc.CC.ApplicationsApi.ListApplications(ctx).Execute()\n\
             \tc.NERM.UsersAPI.ListUsers(ctx).Execute()\n\
             \tc.Generic.DefaultAPI.GenericGet(ctx, \"v3/sources\").Execute()\n\
             \ts.ListSources(ctx).Execute()\n\
             }\n",
        ),
    ]);
    assert_eq!(
        brief(&calls),
        [
            "9 GET /v3/accounts",
            "10 GET /beta/workflows",
            "14 GET /v3/sources",
            // The generic entry point, found by the Go raw-HTTP front-end.
            "13 GET /v3/sources"
        ]
    );
}

#[test]
fn typescript_factories_and_functional_interfaces() {
    let calls = analyze(&[(
        "a.ts",
        "import { AccountsV2025ApiFactory, AccountsV2025ApiFp, TransformsBetaApi } from 'sailpoint-api-client';\n\
         const f = AccountsV2025ApiFactory(cfg);\n\
         f.listAccounts({ limit: 1 });\n\
         const req = await AccountsV2025ApiFp(cfg).getAccount('id');\n\
         await req(axios);\n\
         const t = new TransformsBetaApi(cfg);\n\
         const fn = t.listTransforms.bind(t);\n",
    )]);
    assert_eq!(
        brief(&calls),
        [
            "3 GET /v2025/accounts",
            "4 GET /v2025/accounts/{id}",
            "7 GET /beta/transforms"
        ]
    );
}

#[test]
fn powershell_paginate_forms() {
    let calls = analyze(&[(
        "a.ps1",
        "Invoke-Paginate 'Get-BetaWorkflows'\n\
         Invoke-Paginate -Function Get-V2025Accounts -Limit 10\n\
         $f = \"Get-Sources\"\n\
         Invoke-Paginate -Increment 50 -Function $f\n\
         Invoke-Paginate -Function 'Get-NotACmdlet'\n\
         Invoke-Paginate -Function:'Get-BetaWorkflow' -Parameters @{ Id = $id }\n\
         Get-Help Invoke-Paginate\n",
    )]);
    assert_eq!(
        brief(&calls),
        [
            "1 GET /beta/workflows",
            "2 GET /v2025/accounts",
            "4 GET /v3/sources",
            "6 GET /beta/workflows/{id}"
        ]
    );
    assert_eq!(
        calls[0].column, 17,
        "the cmdlet string is where the call is named"
    );
}
