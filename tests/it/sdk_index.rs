//! The SDK naming rules (`sdk-conventions.md` §2–§7), the SDK index over the embedded catalog,
//! and SDK generation detection from manifests.

use isc_scope_lint::catalog::{Catalog, OpId, PER_API_FAMILY};
use isc_scope_lint::discover::sdk::naming::{
    class_base, go_method, partition, powershell_cmdlet, powershell_partition, python_method,
    ts_method,
};
use isc_scope_lint::discover::sdk::{
    ClassInfo, Generation, SdkIndex, SdkLang, detect, is_manifest, method_name, strip_variant,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

fn cat() -> &'static Catalog {
    Catalog::embedded()
}

fn index() -> &'static SdkIndex {
    static IDX: OnceLock<SdkIndex> = OnceLock::new();
    IDX.get_or_init(|| SdkIndex::new(cat()))
}

/// `family operationId` of each op, sorted.
fn describe(ops: impl IntoIterator<Item = OpId>) -> Vec<String> {
    let mut v: Vec<String> = ops
        .into_iter()
        .map(|i| format!("{} {}", cat().ops[i].family, cat().ops[i].operation_id))
        .collect();
    v.sort();
    v
}

/// The operation of `family` with `operation_id` (must exist).
fn op(family: &str, operation_id: &str) -> OpId {
    let found: Vec<OpId> = (0..cat().ops.len())
        .filter(|&i| cat().ops[i].family == family && cat().ops[i].operation_id == operation_id)
        .collect();
    assert_eq!(found.len(), 1, "{family} {operation_id}: {found:?}");
    found[0]
}

/// The `apiNamePrefix` of each family, written out independently of the library.
fn expected_prefix(family: &str) -> &'static str {
    match family {
        "v3" | PER_API_FAMILY => "",
        "beta" => "Beta",
        "v2024" => "V2024",
        "v2025" => "V2025",
        "v2026" => "V2026",
        other => panic!("family {other} has no known PowerShell prefix"),
    }
}

// ---------------------------------------------------------------------------------------------
// Naming rules: the doc's edge-case table (§2), every language.

#[test]
fn doc_edge_cases_every_language() {
    // operationId, Python, Go, TypeScript/Angular, PowerShell prefix, cmdlet
    let rows: &[(&str, &str, &str, &str, &str, &str)] = &[
        (
            "listAccessProfiles",
            "list_access_profiles",
            "ListAccessProfiles",
            "listAccessProfiles",
            "V2025",
            "Get-V2025AccessProfiles",
        ),
        (
            "listAccessProfilesV1",
            "list_access_profiles_v1",
            "ListAccessProfilesV1",
            "listAccessProfilesV1",
            "",
            "Get-AccessProfilesV1",
        ),
        (
            "setMFAKBAConfigV1",
            "set_mfakba_config_v1",
            "SetMFAKBAConfigV1",
            "setMFAKBAConfigV1",
            "",
            "Set-MFAKBAConfigV1",
        ),
        (
            "searchFormElementDataByElementIDV1",
            "search_form_element_data_by_element_idv1",
            "SearchFormElementDataByElementIDV1",
            "searchFormElementDataByElementIDV1",
            "",
            "Search-FormElementDataByElementIDV1",
        ),
        (
            "getFileFromS3V1",
            "get_file_from_s3_v1",
            "GetFileFromS3V1",
            "getFileFromS3V1",
            "",
            "Get-FileFromS3V1",
        ),
        (
            "getMFAOktaConfig",
            "get_mfa_okta_config",
            "GetMFAOktaConfig",
            "getMFAOktaConfig",
            "",
            "Get-MFAOktaConfig",
        ),
        (
            "getSSFConfiguration",
            "get_ssf_configuration",
            "GetSSFConfiguration",
            "getSSFConfiguration",
            "V2025",
            "Get-V2025SSFConfiguration",
        ),
        (
            "getOauthClient",
            "get_oauth_client",
            "GetOauthClient",
            "getOauthClient",
            "V2025",
            "Get-V2025OauthClient",
        ),
        ("move", "move", "Move", "move", "", "Move-"),
        ("move", "move", "Move", "move", "Beta", "Move-Beta"),
        ("move", "move", "Move", "move", "V2025", "Move-V2025"),
        ("moveV1", "move_v1", "MoveV1", "moveV1", "", "Move-V1"),
        (
            "synchronizeAttributesForIdentity",
            "synchronize_attributes_for_identity",
            "SynchronizeAttributesForIdentity",
            "synchronizeAttributesForIdentity",
            "V2025",
            "Sync-V2025hronizeAttributesForIdentity",
        ),
        (
            "synchronizeAttributesForIdentityV1",
            "synchronize_attributes_for_identity_v1",
            "SynchronizeAttributesForIdentityV1",
            "synchronizeAttributesForIdentityV1",
            "",
            "Sync-hronizeAttributesForIdentityV1",
        ),
        (
            "dasV1OwnersResourcesResourceIdGet",
            "das_v1_owners_resources_resource_id_get",
            "DasV1OwnersResourcesResourceIdGet",
            "dasV1OwnersResourcesResourceIdGet",
            "",
            "Invoke-DasV1OwnersResourcesResourceIdGet",
        ),
        // Other single-word ids of the catalog, like `move`.
        (
            "delete",
            "delete",
            "Delete",
            "_delete",
            "Beta",
            "Remove-Beta",
        ),
        (
            "update",
            "update",
            "Update",
            "update",
            "V2024",
            "Update-V2024",
        ),
        (
            "updateV1",
            "update_v1",
            "UpdateV1",
            "updateV1",
            "",
            "Update-V1",
        ),
    ];
    for &(id, py, go, ts, prefix, ps) in rows {
        assert_eq!(python_method(id), py, "python {id}");
        assert_eq!(go_method(id), go, "go {id}");
        assert_eq!(ts_method(id), ts, "ts {id}");
        assert_eq!(
            powershell_cmdlet(id, prefix),
            ps,
            "powershell {id} {prefix:?}"
        );
    }
}

#[test]
fn doc_edge_cases_resolve_to_their_operations() {
    let idx = index();
    let cases: &[(&str, &str, &str)] = &[
        ("Move-", "v3", "move"),
        ("Move-Beta", "beta", "move"),
        ("Move-V2024", "v2024", "move"),
        ("Move-V2025", "v2025", "move"),
        ("Move-V2026", "v2026", "move"),
        ("Move-V1", PER_API_FAMILY, "moveV1"),
        (
            "Sync-V2025hronizeAttributesForIdentity",
            "v2025",
            "synchronizeAttributesForIdentity",
        ),
        (
            "Sync-hronizeAttributesForIdentityV1",
            PER_API_FAMILY,
            "synchronizeAttributesForIdentityV1",
        ),
        (
            "Invoke-DasV1OwnersResourcesResourceIdGet",
            PER_API_FAMILY,
            "dasV1OwnersResourcesResourceIdGet",
        ),
        (
            "Invoke-V2025DasOwnersResourcesResourceIdGet",
            "v2025",
            "dasOwnersResourcesResourceIdGet",
        ),
        ("Get-V2025AccessProfiles", "v2025", "listAccessProfiles"),
        ("Get-AccessProfiles", "v3", "listAccessProfiles"),
        (
            "Get-AccessProfilesV1",
            PER_API_FAMILY,
            "listAccessProfilesV1",
        ),
        ("Set-MFAKBAConfigV1", PER_API_FAMILY, "setMFAKBAConfigV1"),
        (
            "Search-FormElementDataByElementIDV1",
            PER_API_FAMILY,
            "searchFormElementDataByElementIDV1",
        ),
        ("Get-FileFromS3V1", PER_API_FAMILY, "getFileFromS3V1"),
        ("Get-MFAOktaConfig", "v3", "getMFAOktaConfig"),
        ("Get-V2025SSFConfiguration", "v2025", "getSSFConfiguration"),
        ("Get-V2025OauthClient", "v2025", "getOauthClient"),
        ("Remove-Beta", "beta", "delete"),
        ("Update-V2024", "v2024", "update"),
        ("Search-Post", "v3", "searchPost"),
        ("Search-PostV1", PER_API_FAMILY, "searchPostV1"),
    ];
    for &(cmdlet, family, id) in cases {
        assert_eq!(idx.cmdlet(cmdlet), [op(family, id)], "{cmdlet}");
    }
    // Method names of the other languages.
    assert_eq!(
        idx.methods(SdkLang::Python, "search_form_element_data_by_element_idv1"),
        [op(PER_API_FAMILY, "searchFormElementDataByElementIDV1")]
    );
    assert_eq!(
        idx.methods(SdkLang::Python, "das_v1_owners_resources_resource_id_get"),
        [op(PER_API_FAMILY, "dasV1OwnersResourcesResourceIdGet")]
    );
    assert_eq!(
        idx.methods(SdkLang::Go, "SetMFAKBAConfigV1"),
        [op(PER_API_FAMILY, "setMFAKBAConfigV1")]
    );
    assert_eq!(
        describe(idx.methods(SdkLang::TypeScript, "move").iter().copied()),
        [
            "beta move",
            "v2024 move",
            "v2025 move",
            "v2026 move",
            "v3 move"
        ]
    );
    // The TypeScript generators escape reserved words: beta `delete` is `_delete`
    // (sailpoint-api-client 1.4.15 `SourcesBetaApi._delete`).
    assert_eq!(
        idx.methods(SdkLang::TypeScript, "_delete"),
        [op("beta", "delete")]
    );
    assert!(idx.methods(SdkLang::TypeScript, "delete").is_empty());
    assert_eq!(
        idx.methods(SdkLang::Python, "delete"),
        [op("beta", "delete")]
    );
    assert_eq!(idx.methods(SdkLang::Go, "Delete"), [op("beta", "delete")]);
    // Lookups are exact for every language but PowerShell.
    assert!(idx.methods(SdkLang::Go, "listAccessProfiles").is_empty());
    assert!(
        idx.methods(SdkLang::TypeScript, "ListAccessProfiles")
            .is_empty()
    );
    assert!(
        idx.methods(SdkLang::Python, "List_Access_Profiles")
            .is_empty()
    );
    assert!(
        idx.methods(SdkLang::Python, "listAccessProfiles")
            .is_empty()
    );
}

#[test]
fn cmdlets_are_case_insensitive() {
    let idx = index();
    let want = [op("v2025", "listAccessProfiles")];
    assert_eq!(idx.cmdlet("get-v2025accessprofiles"), want);
    assert_eq!(idx.cmdlet("GET-V2025ACCESSPROFILES"), want);
    assert_eq!(idx.cmdlet("PSSailpoint\\Get-V2025AccessProfiles"), want);
    assert_eq!(
        idx.methods(SdkLang::PowerShell, "Get-v2025AccessProfiles"),
        want
    );
    assert!(idx.cmdlet("Get-V2025AccessProfilez").is_empty());
    assert!(idx.cmdlet("Get-AccessProfiles-V2025").is_empty());
    assert!(idx.cmdlet("").is_empty());
}

/// §5 observed leading word → verb, over every operation of the catalog: a new leading word
/// fails this test until someone checks what PSSailpoint makes of it.
#[test]
fn powershell_leading_words() {
    let table: BTreeMap<&str, &str> = [
        ("get", "Get"),
        ("list", "Get"),
        ("create", "New"),
        ("generate", "New"),
        ("delete", "Remove"),
        ("patch", "Update"),
        ("update", "Update"),
        ("put", "Send"),
        ("send", "Send"),
        ("set", "Set"),
        ("start", "Start"),
        ("submit", "Submit"),
        ("post", "Submit"),
        ("search", "Search"),
        ("query", "Search"),
        ("import", "Import"),
        ("export", "Export"),
        ("test", "Test"),
        ("approve", "Approve"),
        ("reject", "Deny"),
        ("cancel", "Suspend"),
        ("make", "Select"),
        ("validate", "Confirm"),
        ("peek", "Receive"),
        ("show", "Show"),
        ("move", "Move"),
        ("add", "Add"),
        ("complete", "Complete"),
        ("sync", "Sync"),
        ("synchronize", "Sync"),
        ("enable", "Enable"),
        ("disable", "Disable"),
        ("reset", "Reset"),
        ("compare", "Compare"),
        ("publish", "Publish"),
        ("ping", "Ping"),
        ("unlock", "Unlock"),
        ("close", "Close"),
        ("download", "Invoke"),
        ("execute", "Invoke"),
        ("forward", "Invoke"),
        ("ignore", "Invoke"),
        ("load", "Invoke"),
        ("reassign", "Invoke"),
        ("sign", "Invoke"),
        ("un", "Invoke"),
        ("unsubscribe", "Invoke"),
        ("das", "Invoke"),
    ]
    .into_iter()
    .collect();
    let mut seen = BTreeSet::new();
    for o in &cat().ops {
        let id: &str = &o.operation_id;
        let word = &id[..id.bytes().take_while(u8::is_ascii_lowercase).count()];
        let Some(&verb) = table.get(word) else {
            panic!("leading word {word:?} of {id} is not in the §5 table");
        };
        seen.insert(word);
        let cmdlet = powershell_cmdlet(id, expected_prefix(&o.family));
        let (got, noun) = cmdlet.split_once('-').unwrap();
        assert_eq!(got, verb, "{} {id} → {cmdlet}", o.family);
        if verb == "Invoke" {
            // Not a verb: the whole camelized id follows the prefix.
            let mut name = id.to_string();
            name[..1].make_ascii_uppercase();
            assert_eq!(
                noun,
                format!("{}{name}", expected_prefix(&o.family)),
                "{id}"
            );
        }
    }
    // Every row of the table is still used by some operation.
    let unused: Vec<&&str> = table.keys().filter(|w| !seen.contains(*w)).collect();
    assert!(unused.is_empty(), "unused rows: {unused:?}");
}

#[test]
fn powershell_prefix_matching_has_no_word_boundary() {
    // Approved verbs win over common verbs; matching is a plain prefix of the camelized id.
    assert_eq!(powershell_cmdlet("setup", ""), "Set-up");
    assert_eq!(powershell_cmdlet("resetAll", "Beta"), "Reset-BetaAll");
    assert_eq!(powershell_cmdlet("userInfo", ""), "Use-rInfo");
    assert_eq!(
        powershell_cmdlet("outliersList", "V2026"),
        "Out-V2026liersList"
    );
    assert_eq!(powershell_cmdlet("listed", ""), "Get-ed");
    assert_eq!(powershell_cmdlet("deleted", "V2024"), "Remove-V2024d");
    assert_eq!(powershell_cmdlet("runReport", ""), "Start-Report");
    assert_eq!(powershell_cmdlet("invoke", ""), "Invoke-");
    assert_eq!(powershell_cmdlet("convertToCsv", ""), "ConvertTo-Csv");
    assert_eq!(powershell_cmdlet("fooBar", "V2025"), "Invoke-V2025FooBar");
    assert_eq!(powershell_cmdlet("FooBar", ""), "Invoke-FooBar");
}

#[test]
fn python_underscore_rule() {
    let cases = [
        ("getIdentityIDV1", "get_identity_idv1"),
        ("getJWKSDataV1", "get_jwks_data_v1"),
        ("getSPConfigV1", "get_sp_config_v1"),
        ("getSODViolationsAB", "get_sod_violations_ab"),
        ("getV2Thing", "get_v2_thing"),
        // `[A-Z][a-z][a-z]+`: one lower-case letter after a capital run does not split it.
        ("getIDsV1", "get_ids_v1"),
        ("getHTTPSConfig", "get_https_config"),
        ("getABcDe", "get_abc_de"),
        (
            "getWorkflowExecutionHistoryV2ForV1",
            "get_workflow_execution_history_v2_for_v1",
        ),
        ("a", "a"),
        ("", ""),
        ("3dThing", "call_3d_thing"),
        ("import", "call_import"),
        ("patchPotentialRole_1", "patch_potential_role_1"),
    ];
    for (id, want) in cases {
        assert_eq!(python_method(id), want, "{id}");
    }
    assert_eq!(go_method("3dThing"), "Call3dThing");
    assert_eq!(go_method("import"), "CallImport");
    assert_eq!(ts_method("new"), "_new");
    assert_eq!(ts_method(""), "");
}

/// openapi-generator's `underscore`, written with the regexes it uses.
fn underscore_reference(word: &str) -> String {
    static RE: OnceLock<(regex::Regex, regex::Regex)> = OnceLock::new();
    let (first, second) = RE.get_or_init(|| {
        (
            regex::Regex::new(r"([A-Z]+)([A-Z][a-z][a-z]+)").unwrap(),
            regex::Regex::new(r"([a-z\d])([A-Z])").unwrap(),
        )
    });
    let w = first.replace_all(word, "${1}_${2}");
    let w = second.replace_all(&w, "${1}_${2}");
    w.replace('-', "_").to_lowercase()
}

#[test]
fn python_rule_matches_the_regex_reference() {
    let mut ids: Vec<String> = cat()
        .ops
        .iter()
        .map(|o| o.operation_id.to_string())
        .collect();
    // Synthetic ids: every 6-letter word over a small alphabet of both cases and a digit.
    let alphabet = ['a', 'b', 'A', 'B', '1'];
    let mut word = [0usize; 6];
    loop {
        ids.push(word.iter().map(|&k| alphabet[k]).collect());
        let mut k = 0;
        while k < word.len() && word[k] == alphabet.len() - 1 {
            word[k] = 0;
            k += 1;
        }
        if k == word.len() {
            break;
        }
        word[k] += 1;
    }
    for id in ids
        .iter()
        .filter(|id| !id.starts_with(|c: char| c.is_ascii_digit()))
    {
        assert_eq!(python_method(id), underscore_reference(id), "{id}");
    }
}

#[test]
fn class_base_and_partitions() {
    let cases = [
        ("Access Profiles", "AccessProfiles", "access_profiles"),
        ("SP-Config", "SPConfig", "sp_config"),
        ("IAI Outliers", "IAIOutliers", "iai_outliers"),
        (
            "Shared Signals Framework (SSF)",
            "SharedSignalsFrameworkSSF",
            "shared_signals_framework_ssf",
        ),
        ("MFA Configuration", "MFAConfiguration", "mfa_configuration"),
        (
            "Non-Employee Lifecycle Management",
            "NonEmployeeLifecycleManagement",
            "non_employee_lifecycle_management",
        ),
        (
            "Multi-Host Integration",
            "MultiHostIntegration",
            "multi_host_integration",
        ),
        (
            "access model metadata",
            "AccessModelMetadata",
            "access_model_metadata",
        ),
        ("3rd Party", "Class3rdParty", "3rd_party"),
    ];
    for (tag, class, part) in cases {
        assert_eq!(class_base(tag), class, "{tag}");
        assert_eq!(partition(tag), part, "{tag}");
    }
    assert_eq!(
        powershell_partition("Shared Signals Framework (SSF)"),
        "shared-signals-framework-ssf"
    );
    // Every tag of the catalog gives a distinct class base and partition.
    let tags: BTreeSet<&str> = cat().ops.iter().map(|o| o.tag.as_ref()).collect();
    let bases: BTreeSet<String> = tags.iter().map(|t| class_base(t)).collect();
    let parts: BTreeSet<String> = tags.iter().map(|t| partition(t)).collect();
    assert_eq!(bases.len(), tags.len());
    assert_eq!(parts.len(), tags.len());
    assert!(tags.len() > 100, "{}", tags.len());
}

// ---------------------------------------------------------------------------------------------
// Classes.

fn info(tag: &str, family: Option<&str>) -> Option<ClassInfo> {
    Some(ClassInfo {
        tag: tag.to_string(),
        family: family.map(str::to_string),
    })
}

#[test]
fn class_names() {
    use SdkLang::{Go, PowerShell, Python, TypeScript};
    let idx = index();
    let ap = "Access Profiles";
    let cases: &[(SdkLang, &str, Option<ClassInfo>)] = &[
        // TypeScript 1.x suffixes, 2.x plain, 2.0.0–2.0.1 `V1`, entry points, Angular.
        (TypeScript, "AccessProfilesApi", info(ap, None)),
        (TypeScript, "AccessProfilesBetaApi", info(ap, Some("beta"))),
        (
            TypeScript,
            "AccessProfilesV2024Api",
            info(ap, Some("v2024")),
        ),
        (
            TypeScript,
            "AccessProfilesV2025Api",
            info(ap, Some("v2025")),
        ),
        (
            TypeScript,
            "AccessProfilesV2026Api",
            info(ap, Some("v2026")),
        ),
        (
            TypeScript,
            "AccessProfilesV1Api",
            info(ap, Some(PER_API_FAMILY)),
        ),
        (
            TypeScript,
            "AccessProfilesV2025ApiFactory",
            info(ap, Some("v2025")),
        ),
        (TypeScript, "AccessProfilesApiFp", info(ap, None)),
        (
            TypeScript,
            "AccessProfilesBetaApiAxiosParamCreator",
            info(ap, Some("beta")),
        ),
        (
            TypeScript,
            "AccessProfilesService",
            info(ap, Some(PER_API_FAMILY)),
        ),
        (
            TypeScript,
            "SharedSignalsFrameworkSSFService",
            info("Shared Signals Framework (SSF)", Some(PER_API_FAMILY)),
        ),
        (
            TypeScript,
            "SPConfigBetaApi",
            info("SP-Config", Some("beta")),
        ),
        (
            TypeScript,
            "IAIOutliersV2025Api",
            info("IAI Outliers", Some("v2025")),
        ),
        (TypeScript, "DefaultApi", None),
        (TypeScript, "GenericService", None),
        (TypeScript, "AccessProfiles", None),
        (TypeScript, "AccessProfilesV12Api", None),
        (TypeScript, "AccessProfilesV2Api", None),
        (TypeScript, "AccessProfilesGammaApi", None),
        (TypeScript, "Configuration", None),
        (TypeScript, "Api", None),
        // Python: one class name per tag in both generations.
        (Python, "AccessProfilesApi", info(ap, None)),
        (Python, "IAIOutliersApi", info("IAI Outliers", None)),
        (Python, "SPConfigApi", info("SP-Config", None)),
        (Python, "AccessProfilesV2025Api", None),
        (Python, "IntelligencePackageApi", None),
        (Python, "ApiClient", None),
        (Python, "Paginator", None),
        // Go: v2/v3 modules `…API` fields and `…APIService` types, v1 module `…Api`.
        (Go, "AccessProfilesAPI", info(ap, None)),
        (Go, "AccessProfilesAPIService", info(ap, None)),
        (Go, "AccessProfilesApi", info(ap, None)),
        (Go, "AccessProfilesApiService", info(ap, None)),
        (Go, "V2025", None),
        (Go, "DefaultAPI", None),
        (Go, "AccessProfiles", None),
        // PowerShell has no caller-visible class.
        (PowerShell, "AccessProfilesApi", None),
    ];
    for (lang, name, want) in cases {
        assert_eq!(idx.class(*lang, name), *want, "{lang:?} {name}");
    }
    // Every tag of every family is reachable through its TypeScript 1.x/2.x class name.
    for o in &cat().ops {
        let base = class_base(&o.tag);
        let (name, family) = match o.family.as_ref() {
            "v3" | PER_API_FAMILY => (format!("{base}Api"), None),
            f => (
                format!("{base}{}Api", expected_prefix(f)),
                Some(f.to_string()),
            ),
        };
        let got = idx
            .class(TypeScript, &name)
            .unwrap_or_else(|| panic!("{name}"));
        assert_eq!(got.tag, o.tag.as_ref());
        assert_eq!(got.family, family, "{name}");
        assert_eq!(
            idx.class(Python, &format!("{base}Api")).map(|c| c.tag),
            Some(o.tag.to_string())
        );
        assert_eq!(
            idx.class(Go, &format!("{base}API")).map(|c| c.tag),
            Some(o.tag.to_string())
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Variants, narrowing.

#[test]
fn variants_and_lookup() {
    use SdkLang::{Go, PowerShell, Python, TypeScript};
    assert_eq!(
        strip_variant(Python, "list_access_profiles_with_http_info"),
        "list_access_profiles"
    );
    assert_eq!(
        strip_variant(Python, "list_access_profiles_v1_without_preload_content"),
        "list_access_profiles_v1"
    );
    assert_eq!(strip_variant(Python, "_with_http_info"), "_with_http_info");
    assert_eq!(
        strip_variant(Go, "ListAccessProfilesExecute"),
        "ListAccessProfiles"
    );
    assert_eq!(strip_variant(Go, "Execute"), "Execute");
    assert_eq!(
        strip_variant(TypeScript, "listAccessProfilesExecute"),
        "listAccessProfilesExecute"
    );
    assert_eq!(
        strip_variant(PowerShell, "Get-AccessProfiles"),
        "Get-AccessProfiles"
    );

    let idx = index();
    let bare = describe(idx.methods(Python, "list_access_profiles").iter().copied());
    assert_eq!(
        bare,
        [
            "beta listAccessProfiles",
            "v2024 listAccessProfiles",
            "v2025 listAccessProfiles",
            "v2026 listAccessProfiles",
            "v3 listAccessProfiles"
        ]
    );
    assert_eq!(
        describe(
            idx.lookup(Python, "list_access_profiles_with_http_info")
                .iter()
                .copied()
        ),
        bare
    );
    assert_eq!(
        idx.lookup(Python, "list_access_profiles_v1_without_preload_content"),
        [op(PER_API_FAMILY, "listAccessProfilesV1")]
    );
    assert_eq!(
        idx.lookup(Go, "ListAccessProfilesV1Execute"),
        [op(PER_API_FAMILY, "listAccessProfilesV1")]
    );
    assert_eq!(
        describe(idx.lookup(Go, "ListAccessProfilesExecute").iter().copied()).len(),
        5
    );
    assert!(
        idx.lookup(TypeScript, "listAccessProfilesExecute")
            .is_empty()
    );
    assert!(
        idx.lookup(Python, "no_such_method_with_http_info")
            .is_empty()
    );
}

#[test]
fn narrowing_by_family_and_generation() {
    let idx = index();
    let ops = idx.methods(SdkLang::TypeScript, "listAccessProfiles");
    assert_eq!(
        idx.in_family(ops, "v2025").collect::<Vec<_>>(),
        [op("v2025", "listAccessProfiles")]
    );
    assert_eq!(
        idx.in_family(ops, "v3").collect::<Vec<_>>(),
        [op("v3", "listAccessProfiles")]
    );
    assert_eq!(idx.in_family(ops, PER_API_FAMILY).count(), 0);
    assert_eq!(idx.in_family(ops, "v2099").count(), 0);
    assert_eq!(idx.in_generation(ops, Generation::Versioned).count(), 5);
    assert_eq!(idx.in_generation(ops, Generation::PerApi).count(), 0);
    let v1 = idx.methods(SdkLang::TypeScript, "listAccessProfilesV1");
    assert_eq!(idx.in_generation(v1, Generation::PerApi).count(), 1);
    assert_eq!(idx.in_family(v1, PER_API_FAMILY).count(), 1);
    let o = op("beta", "move");
    assert_eq!(idx.family(o), Some("beta"));
    assert_eq!(idx.generation_of(o), Some(Generation::Versioned));
    assert_eq!(
        idx.generation_of(op(PER_API_FAMILY, "moveV1")),
        Some(Generation::PerApi)
    );
    assert_eq!(idx.family(usize::MAX), None);
}

// ---------------------------------------------------------------------------------------------
// The whole catalog.

#[test]
fn every_operation_is_found_by_its_names() {
    let idx = index();
    let cat = cat();
    // Versioned operations sharing an operationId, per id.
    let mut by_id: BTreeMap<&str, BTreeSet<OpId>> = BTreeMap::new();
    for (i, o) in cat.ops.iter().enumerate() {
        if o.family != PER_API_FAMILY {
            by_id.entry(&o.operation_id).or_default().insert(i);
        }
    }
    let mut shared_names = 0;
    let mut collisions = BTreeSet::new();
    for (i, o) in cat.ops.iter().enumerate() {
        let per_api = o.family == PER_API_FAMILY;
        for lang in [SdkLang::Python, SdkLang::TypeScript, SdkLang::Go] {
            let name = method_name(lang, o);
            let ops = idx.methods(lang, &name);
            assert!(
                ops.contains(&i),
                "{lang:?} {name} misses {} {}",
                o.family,
                o.operation_id
            );
            if per_api {
                // `V1`/`V2` names: only this per-API operation.
                assert_eq!(ops, [i], "{lang:?} {name}");
            } else {
                // Bare names: every versioned family with this operationId, never per-API.
                let got: BTreeSet<OpId> = ops.iter().copied().collect();
                assert_eq!(got, by_id[o.operation_id.as_ref()], "{lang:?} {name}");
                if got.len() > 1 {
                    shared_names += 1;
                }
            }
        }
        let prefix = expected_prefix(&o.family);
        let cmdlet = powershell_cmdlet(&o.operation_id, prefix);
        assert_eq!(cmdlet, method_name(SdkLang::PowerShell, o));
        // The prefix tells the family: a cmdlet names operations of one family (two when
        // patchX and updateX both become Update-X, listed below).
        let ops = idx.cmdlet(&cmdlet);
        assert!(ops.contains(&i), "{cmdlet}");
        assert!(
            ops.iter().all(|&j| cat.ops[j].family == o.family),
            "{cmdlet}"
        );
        if ops.len() > 1 {
            // Only get/list and patch/update pairs of otherwise equal ids collide.
            let mut ids: Vec<&str> = ops
                .iter()
                .map(|&j| cat.ops[j].operation_id.as_ref())
                .collect();
            ids.sort();
            let pair = match ids.as_slice() {
                [a, b] => a
                    .strip_prefix("get")
                    .zip(b.strip_prefix("list"))
                    .or_else(|| a.strip_prefix("patch").zip(b.strip_prefix("update"))),
                _ => None,
            };
            assert!(pair.is_some_and(|(x, y)| x == y), "{cmdlet}: {ids:?}");
            collisions.insert(cmdlet.clone());
        }
        let noun = cmdlet.split_once('-').unwrap().1;
        assert!(noun.starts_with(prefix), "{cmdlet}");
        if prefix.is_empty() {
            assert!(
                !noun.starts_with("Beta") && !noun.starts_with("V20"),
                "{cmdlet}"
            );
        }
        if per_api {
            assert!(
                o.operation_id.ends_with("V1")
                    || o.operation_id.ends_with("V2")
                    || o.operation_id.starts_with("dasV1"),
                "{}",
                o.operation_id
            );
        }
    }
    // PowerShell cmdlets that name two operations (the generator does not deduplicate; the
    // function defined last in the module wins at run time, which the index cannot know).
    assert!(
        collisions.contains("Update-NonEmployeeRecord"),
        "{collisions:?}"
    );
    assert!(
        collisions.contains("Get-V2025ScheduledSearch"),
        "{collisions:?}"
    );
    assert!(
        collisions.contains("Update-SubscriptionV1"),
        "{collisions:?}"
    );
    // listAccessProfiles & co: thousands of bare names are shared by several families.
    assert!(shared_names > 2000, "{shared_names}");
}

#[test]
fn index_is_quick_to_build() {
    // A loose guard against accidental quadratic work (release target: < 5 ms).
    let cat = cat();
    let mut took = std::time::Duration::MAX;
    let mut idx = None;
    for _ in 0..5 {
        let start = std::time::Instant::now();
        idx = Some(SdkIndex::new(cat));
        took = took.min(start.elapsed());
    }
    let idx = idx.unwrap();
    assert!(!idx.methods(SdkLang::Go, "ListAccessProfiles").is_empty());
    println!("SdkIndex::new: {took:?}");
    assert!(took.as_millis() < 500, "{took:?}");
}

// ---------------------------------------------------------------------------------------------
// Generation detection.

use Generation::{PerApi, Versioned};

fn one(path: &str, text: &str, file: &str, lang: SdkLang) -> Option<Generation> {
    detect(&[(path, text)]).for_file(file, lang)
}

#[test]
fn python_manifests() {
    let py = |path: &str, text: &str| one(path, text, "app/main.py", SdkLang::Python);
    // requirements*.txt: positive and negative side by side.
    let cases: &[(&str, Option<Generation>)] = &[
        ("sailpoint==1.4.99", Some(Versioned)),
        ("sailpoint>=2", Some(PerApi)),
        ("sailpoint~=2.1", Some(PerApi)),
        ("sailpoint~=1.4", Some(Versioned)),
        ("sailpoint >= 1.3, < 2", Some(Versioned)),
        (
            "SailPoint[async]==2.1.5 ; python_version>'3.8'",
            Some(PerApi),
        ),
        ("Sail_Point==2.1.5", None),
        ("sailpoint (>=2)", Some(PerApi)),
        ("sailpoint==1.4.99 --hash=sha256:abc", Some(Versioned)),
        ("sailpoint==2.1.5\t--hash=sha256:abc", Some(PerApi)),
        ("sailpoint>=1.3", None),
        ("sailpoint", None),
        (
            "sailpoint @ git+https://github.com/sailpoint-oss/python-sdk@main",
            None,
        ),
        (
            "-e git+https://github.com/sailpoint-oss/python-sdk#egg=sailpoint",
            None,
        ),
        ("sailpoint-cli==2.0.0", None),
        ("sailpoint_iiq==1.0", None),
        ("sailpointsdk==1.0", None),
        ("# sailpoint==1.4.99", None),
        ("-r base.txt\nsailpoint==2.0.0  # pinned", Some(PerApi)),
    ];
    for (text, want) in cases {
        assert_eq!(py("requirements.txt", text), *want, "{text}");
    }
    assert_eq!(py("requirements-dev.txt", "sailpoint<2"), Some(Versioned));
    assert_eq!(py("requirements/prod.txt", "sailpoint<2"), Some(Versioned));
    assert_eq!(py("constraints.txt", "sailpoint<2"), None);
    assert_eq!(py("app/requirements.txt", "sailpoint<2"), Some(Versioned));
    assert_eq!(py("other/requirements.txt", "sailpoint<2"), None);

    // pyproject.toml: PEP 621, dependency groups, Poetry (plain, table, sub-table).
    let pyp = |text: &str| py("pyproject.toml", text);
    assert_eq!(
        pyp("[project]\ndependencies = ['sailpoint>=2']"),
        Some(PerApi)
    );
    assert_eq!(
        pyp("[project.optional-dependencies]\nisc = [\n  \"sailpoint==1.4.99\",\n]"),
        Some(Versioned)
    );
    assert_eq!(
        pyp("[dependency-groups]\ndev = [\"sailpoint~=2.1\"]"),
        Some(PerApi)
    );
    assert_eq!(
        pyp("[tool.poetry.dependencies]\npython = \"^3.10\"\nsailpoint = \"^1.3\""),
        Some(Versioned)
    );
    assert_eq!(
        pyp("[tool.poetry.group.dev.dependencies]\nsailpoint = { version = \"~2.1\" }"),
        Some(PerApi)
    );
    assert_eq!(
        pyp("[tool.poetry.dependencies.sailpoint]\nversion = \"1.4.99\"\nextras = []"),
        Some(Versioned)
    );
    assert_eq!(pyp("[tool.poetry.dependencies]\nsailpoint = \"*\""), None);
    assert_eq!(
        pyp("[tool.poetry.dependencies]\nsailpoint = { git = \"https://x/y.git\" }"),
        None
    );
    assert_eq!(
        pyp("[project]\nname = \"sailpoint\"\nversion = \"1.0.0\""),
        None
    );
    assert_eq!(
        pyp("[build-system]\nrequires = [\"sailpoint==1.4.99\"]"),
        None
    );
    assert_eq!(pyp("[project]\ndependencies = ['sailpoint-iiq>=2']"), None);

    // Lock files and Pipenv.
    let lock = "[[package]]\nname = \"sailpoint\"\nversion = \"2.1.5\"\n";
    assert_eq!(py("poetry.lock", lock), Some(PerApi));
    assert_eq!(
        py("uv.lock", &lock.replace("2.1.5", "1.4.99")),
        Some(Versioned)
    );
    assert_eq!(
        py(
            "uv.lock",
            "[[package]]\nname = \"sailpoint-cli\"\nversion = \"2.1.5\"\n"
        ),
        None
    );
    assert_eq!(
        py("Pipfile", "[packages]\nsailpoint = \"==1.4.99\""),
        Some(Versioned)
    );
    assert_eq!(
        py("Pipfile", "[packages]\nsailpoint = {version = \">=2\"}"),
        Some(PerApi)
    );
    assert_eq!(py("Pipfile", "[packages]\nsailpoint = \"*\""), None);
    assert_eq!(
        py(
            "Pipfile.lock",
            r#"{"default": {"sailpoint": {"version": "==2.1.5"}}}"#
        ),
        Some(PerApi)
    );
    assert_eq!(
        py(
            "Pipfile.lock",
            r#"{"default": {"sailpoint-cli": {"version": "==2.1.5"}}}"#
        ),
        None
    );
    assert_eq!(py("Pipfile.lock", "not json"), None);
    // Another language's question gets no answer.
    assert_eq!(
        one(
            "requirements.txt",
            "sailpoint==1.4.99",
            "app/x.ts",
            SdkLang::TypeScript
        ),
        None
    );
}

#[test]
fn typescript_manifests() {
    let ts = |path: &str, text: &str| one(path, text, "src/index.ts", SdkLang::TypeScript);
    let pj = |deps: &str| format!("{{\"name\": \"x\", \"dependencies\": {{{deps}}}}}");
    let cases: &[(&str, Option<Generation>)] = &[
        (r#""sailpoint-api-client": "^1.8.69""#, Some(Versioned)),
        (r#""sailpoint-api-client": "1.4.15""#, Some(Versioned)),
        (r#""sailpoint-api-client": "~2.1.0""#, Some(PerApi)),
        (r#""sailpoint-api-client": ">=2""#, Some(PerApi)),
        (
            r#""sailpoint-api-client": ">=1.4.0 <2.0.0""#,
            Some(Versioned),
        ),
        (r#""sp": "npm:sailpoint-api-client@^2.0.0""#, Some(PerApi)),
        (r#""sailpoint-api-client": "npm:^1.4.0""#, Some(Versioned)),
        (r#""@sailpoint/angular-sdk": "0.0.2""#, Some(PerApi)),
        (r#""sailpoint-api-client": "*""#, None),
        (r#""sailpoint-api-client": "latest""#, None),
        (r#""sailpoint-api-client": ">=1.4.0""#, None),
        (r#""sailpoint-api-client": "^1.8 || ^2""#, None),
        (
            r#""sailpoint-api-client": "github:sailpoint-oss/typescript-sdk""#,
            None,
        ),
        (r#""sailpoint-api-client-extra": "^1.0.0""#, None),
        (r#""@sailpoint/sailpoint-api-client": "^1.0.0""#, None),
        (r#""sailpoint": "^1.0.0""#, None),
    ];
    for (deps, want) in cases {
        assert_eq!(ts("package.json", &pj(deps)), *want, "{deps}");
    }
    // devDependencies count; the angular SDK yields to sailpoint-api-client in one folder.
    assert_eq!(
        ts(
            "package.json",
            r#"{"devDependencies": {"sailpoint-api-client": "^1.4.15", "@sailpoint/angular-sdk": "0.0.2"}}"#
        ),
        Some(Versioned)
    );
    // Lock files.
    assert_eq!(
        ts(
            "package-lock.json",
            r#"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/sailpoint-api-client": {"version": "2.1.5"}}}"#
        ),
        Some(PerApi)
    );
    assert_eq!(
        ts(
            "package-lock.json",
            r#"{"lockfileVersion": 1, "dependencies": {"sailpoint-api-client": {"version": "1.4.15"}}}"#
        ),
        Some(Versioned)
    );
    assert_eq!(
        ts(
            "package-lock.json",
            r#"{"packages": {"node_modules/x/node_modules/sailpoint-api-client": {"version": "1.4.15"}}}"#
        ),
        None
    );
    assert_eq!(
        ts(
            "yarn.lock",
            "sailpoint-api-client@^1.4.0:\n  version \"1.4.15\"\n"
        ),
        Some(Versioned)
    );
    assert_eq!(
        ts(
            "yarn.lock",
            "\"sailpoint-api-client@npm:^2.1.0\":\n  version: 2.1.5\n  resolution: \"sailpoint-api-client@npm:2.1.5\"\n"
        ),
        Some(PerApi)
    );
    // Two majors in one lock: no answer.
    assert_eq!(
        ts(
            "yarn.lock",
            "sailpoint-api-client@^1.4.0:\n  version \"1.4.15\"\n\nsailpoint-api-client@^2.1.0:\n  version \"2.1.5\"\n"
        ),
        None
    );
    assert_eq!(
        ts(
            "yarn.lock",
            "sailpoint-api-client-extra@^1.4.0:\n  version \"1.4.15\"\n"
        ),
        None
    );
    assert_eq!(
        ts(
            "pnpm-lock.yaml",
            "lockfileVersion: 5.4\ndependencies:\n  sailpoint-api-client: 1.4.15\n"
        ),
        Some(Versioned)
    );
    assert_eq!(
        ts(
            "pnpm-lock.yaml",
            "lockfileVersion: '6.0'\npackages:\n  /sailpoint-api-client@2.1.5:\n    resolution: {integrity: x}\n"
        ),
        Some(PerApi)
    );
    assert_eq!(ts("pnpm-lock.yaml", "lockfileVersion: '9.0'\n"), None);
}

#[test]
fn go_and_powershell_manifests() {
    let go = |text: &str| one("go.mod", text, "cmd/main.go", SdkLang::Go);
    assert_eq!(
        go("module x\nrequire github.com/sailpoint-oss/golang-sdk/v2 v2.7.106\n"),
        Some(Versioned)
    );
    assert_eq!(
        go("module x\nrequire (\n\tgithub.com/sailpoint-oss/golang-sdk/v3 v3.0.4 // indirect\n)\n"),
        Some(PerApi)
    );
    assert_eq!(
        go("module x\nrequire github.com/sailpoint-oss/golang-sdk v1.2.0\n"),
        Some(Versioned)
    );
    assert_eq!(
        go(
            "module x\nrequire (\n github.com/sailpoint-oss/golang-sdk/v2 v2.4.0\n github.com/sailpoint-oss/golang-sdk/v3 v3.0.4\n)\n"
        ),
        None
    );
    assert_eq!(
        go("module x\nrequire github.com/sailpoint-oss/golang-sdk/v9 v9.0.0\n"),
        None
    );
    assert_eq!(
        go("module x\nrequire github.com/sailpoint-oss/sailpoint-cli v1.0.0\n"),
        None
    );
    assert_eq!(
        go("module github.com/sailpoint-oss/golang-sdk/v2\n\ngo 1.21\n"),
        None
    );
    assert_eq!(
        go("module x\n// require github.com/sailpoint-oss/golang-sdk/v2 v2.4.0\n"),
        None
    );

    let ps = |text: &str| one("Mod.psd1", text, "Scripts/run.ps1", SdkLang::PowerShell);
    assert_eq!(
        ps("@{ RequiredModules = @(@{ModuleName='PSSailpoint'; RequiredVersion='1.7.100'}) }"),
        Some(Versioned)
    );
    assert_eq!(
        ps(
            "@{ RequiredModules = @{ ModuleName = \"pssailpoint\"; RequiredVersion = \"2.1.21\" } }"
        ),
        Some(PerApi)
    );
    assert_eq!(
        ps("@{ RequiredModules = @(@{ModuleName='PSSailpoint'; ModuleVersion='2.0.0'}) }"),
        Some(PerApi)
    );
    assert_eq!(
        ps(
            "@{ RequiredModules = @(@{ModuleName='PSSailpoint'; ModuleVersion='1.7.0'; MaximumVersion='1.99.99'}) }"
        ),
        Some(Versioned)
    );
    // A minimum of 1.x alone admits 2.x: no answer.
    assert_eq!(
        ps("@{ RequiredModules = @(@{ModuleName='PSSailpoint'; ModuleVersion='1.7.100'}) }"),
        None
    );
    assert_eq!(ps("@{ RequiredModules = @('PSSailpoint') }"), None);
    assert_eq!(
        ps("@{ RequiredModules = @('PSSailpoint.V2024') }"),
        Some(Versioned)
    );
    assert_eq!(
        ps("@{ ModuleVersion = '2.0.0'; RequiredModules = @('Az.Accounts') }"),
        None
    );
    assert_eq!(
        ps("@{\n# RequiredModules = @(@{ModuleName='PSSailpoint'; RequiredVersion='2.1.21'})\n}"),
        None
    );
    assert_eq!(
        ps("@{ RequiredModules = @(@{ModuleName='PSSailpointTools'; RequiredVersion='2.1.21'}) }"),
        None
    );
}

/// Reads every file under `tests/fixtures/sdk/<name>` as `(relative path, text)`.
fn fixture_tree(name: &str) -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sdk")
        .join(name);
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

#[test]
fn monorepo_nearest_manifest() {
    use SdkLang::{Go, PowerShell, Python, TypeScript};
    let files = fixture_tree("monorepo");
    assert!(files.len() >= 30, "{}", files.len());
    assert!(
        files.iter().all(|(p, _)| is_manifest(p)),
        "a fixture is no manifest"
    );
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let sdks = detect(&refs);
    let cases: &[(&str, SdkLang, Option<Generation>)] = &[
        // Python: root requirements.txt pins 1.x (with extras, marker, hash, continuation).
        ("tool.py", Python, Some(Versioned)),
        ("scripts/deep/er/x.py", Python, Some(Versioned)),
        ("services/py2/app/main.py", Python, Some(PerApi)),
        // Poetry: `*` in pyproject, 1.4.99 in poetry.lock: the lock settles it.
        ("services/poetry1/src/a.py", Python, Some(Versioned)),
        // Named without a version, no lock above: no guess (not the root's 1.x).
        ("services/unpinned/a.py", Python, None),
        // sailpoint-cli / sailpoint_iiq / sailpointsdk do not count: the root decides.
        ("services/lookalike/a.py", Python, Some(Versioned)),
        ("services/uvapp/a.py", Python, Some(PerApi)),
        ("services/pipenv1/a.py", Python, Some(Versioned)),
        ("services/pipenvlock2/a.py", Python, Some(PerApi)),
        // `requirements/base.txt` speaks for its parent folder.
        ("services/reqdir/src/app.py", Python, Some(PerApi)),
        ("services/reqdir/requirements/x.py", Python, Some(PerApi)),
        // TypeScript.
        ("web/src/a.ts", TypeScript, Some(Versioned)),
        ("web/v1app/src/a.ts", TypeScript, Some(Versioned)),
        ("web/v2app/src/a.ts", TypeScript, Some(PerApi)),
        (
            "web/angular/src/app/a.component.ts",
            TypeScript,
            Some(PerApi),
        ),
        ("web/locked/a.ts", TypeScript, Some(PerApi)),
        ("web/yarnapp/a.ts", TypeScript, Some(Versioned)),
        ("web/berry/a.ts", TypeScript, Some(PerApi)),
        ("web/pnpm/src/a.ts", TypeScript, Some(PerApi)),
        ("web/pnpm/packages/a/src/a.ts", TypeScript, Some(Versioned)),
        ("web/pnpm/packages/b/src/b.ts", TypeScript, Some(PerApi)),
        ("tool.ts", TypeScript, None),
        ("services/py2/a.ts", TypeScript, None),
        // Go: a go.mod is a module boundary.
        ("main.go", Go, Some(Versioned)),
        ("go/other/x.go", Go, Some(Versioned)),
        ("go/v3mod/cmd/x.go", Go, Some(PerApi)),
        ("go/bare/x.go", Go, Some(Versioned)),
        ("go/nosdk/x.go", Go, None),
        // PowerShell.
        ("ps/exact/Public/Get-Thing.ps1", PowerShell, Some(PerApi)),
        ("ps/bounded/x.ps1", PowerShell, Some(Versioned)),
        ("ps/minonly/x.ps1", PowerShell, None),
        ("ps/plain/x.ps1", PowerShell, None),
        ("ps/nested/x.ps1", PowerShell, Some(Versioned)),
        ("ps/x.ps1", PowerShell, None),
        // Path forms.
        ("./services/py2/a.py", Python, Some(PerApi)),
        ("services\\py2\\a.py", Python, Some(PerApi)),
    ];
    for &(file, lang, want) in cases {
        assert_eq!(sdks.for_file(file, lang), want, "{file} {lang:?}");
    }
    assert!(sdks.uses(Python) && sdks.uses(TypeScript) && sdks.uses(Go) && sdks.uses(PowerShell));
    // Order of the manifests does not matter.
    let mut rev = refs.clone();
    rev.reverse();
    let sdks_rev = detect(&rev);
    for &(file, lang, want) in cases {
        assert_eq!(
            sdks_rev.for_file(file, lang),
            want,
            "reversed: {file} {lang:?}"
        );
    }
}

#[test]
fn manifest_names() {
    for p in [
        "requirements.txt",
        "a/requirements-dev.txt",
        "requirements/base.txt",
        "a/requirements.in",
        "pyproject.toml",
        "Pipfile",
        "Pipfile.lock",
        "poetry.lock",
        "uv.lock",
        "web/package.json",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "go.mod",
        "Module/Module.psd1",
        "X.PSD1",
    ] {
        assert!(is_manifest(p), "{p}");
    }
    for p in [
        "go.sum",
        "main.py",
        "package.json.bak",
        "req.txt",
        "docs/requirements.md",
        "tsconfig.json",
    ] {
        assert!(!is_manifest(p), "{p}");
    }
    // Files that are no manifest are ignored by detect.
    let sdks = detect(&[
        ("main.py", "sailpoint==1.4.99"),
        ("notes.txt", "sailpoint==1.4.99"),
    ]);
    assert_eq!(sdks.for_file("main.py", SdkLang::Python), None);
    assert!(!sdks.uses(SdkLang::Python));
}
