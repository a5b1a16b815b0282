//! The GitHub Action (`action.yml`, composite): its shell steps run here in order, as the
//! runner would, with the GitHub environment faked (`GITHUB_ACTION_PATH`, `GITHUB_OUTPUT`,
//! `GITHUB_STEP_SUMMARY`, `GITHUB_PATH`, `RUNNER_TEMP`, `HOME`); `uses:` steps (cache,
//! SARIF upload) are GitHub's and are only checked for their inputs. The test checks the job
//! summary, the annotations, the SARIF file and the exit code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn action() -> serde_yaml::Value {
    serde_yaml::from_str(&std::fs::read_to_string(root().join("action.yml")).unwrap())
        .expect("action.yml is YAML")
}

/// `${{ inputs.NAME }}` with the given or default value; any other expression in a shell
/// step's environment is a test failure (scripts read inputs from `env`, never from
/// expressions pasted into the script).
fn expand(v: &str, inputs: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(i) = rest.find("${{") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find("}}").expect("closed expression") + i;
        let expr = rest[i + 3..end].trim();
        let name = expr
            .strip_prefix("inputs.")
            .unwrap_or_else(|| panic!("unexpected expression `{expr}` in a step's env"));
        out.push_str(&inputs[name]);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

struct Ran {
    /// Exit code of the last step run (the first failing one stops the job).
    code: i32,
    stdout: String,
    summary: String,
    outputs: String,
    /// The SARIF file named by the `sarif-file` output, read before the runner's temp folder
    /// goes.
    sarif: Option<String>,
}

fn run_action(given: &[(&str, &str)], work: &Path) -> Ran {
    let a = action();
    assert_eq!(a["runs"]["using"], "composite");
    let mut inputs: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in a["inputs"].as_mapping().unwrap() {
        let k = k.as_str().unwrap().to_string();
        assert!(v["description"].is_string(), "input {k} has no description");
        inputs.insert(k, v["default"].as_str().unwrap_or("").to_string());
    }
    for (k, v) in given {
        assert!(inputs.contains_key(*k), "no input `{k}`");
        inputs.insert(k.to_string(), v.to_string());
    }
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let home = t.join("home");
    // The tool is already "installed" (as after a cache hit): the install step must not build.
    std::fs::create_dir_all(home.join(".isc-scope-lint/bin")).unwrap();
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_isc-scope-lint"),
        home.join(".isc-scope-lint/bin/isc-scope-lint"),
    )
    .unwrap();
    // A `cargo` that fails: a cache hit never calls it.
    let fake = t.join("fakebin");
    std::fs::create_dir_all(&fake).unwrap();
    std::fs::write(
        fake.join("cargo"),
        "#!/bin/sh\necho cargo called >&2\nexit 97\n",
    )
    .unwrap();
    let mut perm = std::fs::metadata(fake.join("cargo")).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o755);
    std::fs::set_permissions(fake.join("cargo"), perm).unwrap();
    let (output, summary, gh_path, runner) = (
        t.join("output"),
        t.join("summary.md"),
        t.join("path"),
        t.join("runner"),
    );
    for f in [&output, &summary, &gh_path] {
        std::fs::write(f, "").unwrap();
    }
    std::fs::create_dir_all(&runner).unwrap();
    let mut stdout = String::new();
    let mut code = 0;
    for step in a["runs"]["steps"].as_sequence().unwrap() {
        if let Some(u) = step["uses"].as_str() {
            assert!(
                u.starts_with("actions/cache@")
                    || u.starts_with("github/codeql-action/upload-sarif@"),
                "unexpected action {u}"
            );
            continue;
        }
        let script = step["run"].as_str().expect("a run step");
        assert_eq!(step["shell"], "bash", "every run step says shell: bash");
        assert!(!script.contains("${{"), "expressions in a script: {script}");
        // PATH: the entries added to GITHUB_PATH so far, the fake cargo, the system's.
        let added: Vec<String> = std::fs::read_to_string(&gh_path)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        let mut path: Vec<String> = added.into_iter().rev().collect();
        path.push(fake.display().to_string());
        path.push("/usr/bin:/bin".into());
        let mut cmd = std::process::Command::new("bash");
        // As the runner runs `shell: bash`: bash --noprofile --norc -eo pipefail {0}.
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
            .arg(script)
            .current_dir(work)
            .env_clear()
            .env("PATH", path.join(":"))
            .env("HOME", &home)
            .env("GITHUB_ACTION_PATH", root())
            .env("GITHUB_WORKSPACE", work)
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_PATH", &gh_path)
            .env("RUNNER_TEMP", &runner)
            .env("RUNNER_OS", "Linux")
            .env("NO_COLOR", "1");
        if let Some(env) = step["env"].as_mapping() {
            for (k, v) in env {
                cmd.env(k.as_str().unwrap(), expand(v.as_str().unwrap(), &inputs));
            }
        }
        let o = crate::common::run_guarded(cmd);
        stdout.push_str(&o.stdout);
        assert!(
            !o.stderr.contains("cargo called"),
            "built although installed"
        );
        code = o.code;
        if code != 0 {
            eprintln!("step {:?} exited {code}: {}", step["name"], o.stderr);
            break;
        }
    }
    let outputs = std::fs::read_to_string(&output).unwrap();
    let sarif = outputs
        .lines()
        .find_map(|l| l.strip_prefix("sarif-file="))
        .map(|p| std::fs::read_to_string(p).unwrap());
    Ran {
        code,
        stdout,
        summary: std::fs::read_to_string(&summary).unwrap(),
        outputs,
        sarif,
    }
}

#[test]
fn action_steps_write_the_summary_annotations_and_sarif() {
    let r = run_action(&[("paths", "examples"), ("sarif", "true")], &root());
    // The example grants sp:scopes:all: the default fail-on warning fails the step.
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.summary.starts_with("## isc-scope-lint"), "{}", r.summary);
    assert!(r.summary.contains("| `sync-bot` |"), "{}", r.summary);
    assert!(r.stdout.contains("isc-scope-lint 0.1.0"));
    assert!(
        r.stdout
            .contains("::warning file=isc-scope-lint.yaml,line=9,"),
        "{}",
        r.stdout
    );
    let v: serde_json::Value =
        serde_json::from_str(r.sarif.as_deref().expect("sarif-file output")).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        r.stdout.lines().filter(|l| l.starts_with("::")).count()
    );
    assert!(r.outputs.contains("summary-file="));
    assert!(
        r.outputs
            .lines()
            .any(|l| l.starts_with("key=isc-scope-lint-Linux-"))
    );

    // fail-on never passes; no SARIF unless asked; several paths.
    let r = run_action(
        &[
            ("paths", "examples/sync examples/scripts"),
            ("fail-on", "never"),
        ],
        &root(),
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(!r.outputs.contains("sarif-file="));
    assert!(r.summary.contains("## isc-scope-lint"));

    // A bad manifest stops at the first run with exit 2 and writes no summary.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("isc-scope-lint.yaml"), "credentials: 3\n").unwrap();
    let r = run_action(&[], tmp.path());
    assert_eq!(r.code, 2);
    assert!(r.summary.is_empty());
}

/// The `uses:` steps get what they need, and the upload runs only when asked.
#[test]
fn action_upload_step_is_conditional() {
    let a = action();
    let steps = a["runs"]["steps"].as_sequence().unwrap();
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .unwrap();
    let cond = upload["if"].as_str().unwrap();
    assert!(cond.contains("inputs.sarif == 'true'") && cond.contains("always()"));
    assert_eq!(
        upload["with"]["sarif_file"],
        "${{ steps.check.outputs.sarif-file }}"
    );
}

/// The README's workflow is the example `.ci/run` lints with actionlint (but for the
/// action's reference).
#[test]
fn readme_workflow_is_the_linted_example() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("# .github/workflows/isc-scope-lint.yml\n")
        .expect("the workflow in the README");
    let end = start + readme[start..].find("```").unwrap();
    let block = readme[start..end]
        .replacen("# .github/workflows/isc-scope-lint.yml\n", "", 1)
        .replace("uses: isc-scope-lint/isc-scope-lint@v0.1.0", "uses: ./");
    let example = std::fs::read_to_string(root().join(".ci/github-workflow.example.yml")).unwrap();
    let body: String = example
        .lines()
        .skip_while(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(block, body);
}
