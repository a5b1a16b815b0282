//! Robustness of the walk: odd files, odd trees, odd roots. Library-level through
//! `discover::walk::walk`, end to end through the `calls` command (exit code 0 everywhere).
//!
//! Every test builds its own tree under `std::env::temp_dir()` (unique name, removed at the
//! end, also on failure) and bounds every walk and every run of the binary in time, so that a
//! hang (a FIFO opened, a symlink loop followed) fails the test instead of stalling the suite.

use isc_scope_lint::discover::walk::{SKIP_DIRS, walk};
use isc_scope_lint::discover::{FileKind, Options, SourceFile, Warning};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_isc-scope-lint");
const TIME_LIMIT: Duration = Duration::from_secs(120);

/// A temporary folder, removed on drop.
struct Tree {
    root: PathBuf,
}

impl Tree {
    fn new(name: &str) -> Tree {
        static N: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let root = std::env::temp_dir().join(format!(
            "isc-walk-{name}-{}-{nanos}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&root).unwrap();
        Tree { root }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn symlink(&self, target: &str, rel: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, p).unwrap();
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        // Give folders back the permissions a test took away, so that a non-root run can
        // delete their content. Files are left alone: deleting one needs no permission on it
        // (and one may be a hard link to the test binary).
        fn restore(p: &Path) {
            let Ok(m) = std::fs::symlink_metadata(p) else {
                return;
            };
            if m.is_dir() {
                let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755));
                if let Ok(rd) = std::fs::read_dir(p) {
                    for e in rd.flatten() {
                        restore(&e.path());
                    }
                }
            }
        }
        restore(&self.root);
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

type Walked = (Vec<SourceFile>, Vec<Warning>, usize);

/// `walk` on another thread, failing the test if it does not return in time.
fn walk_bounded(roots: &[PathBuf], opts: &Options) -> Walked {
    let (tx, rx) = std::sync::mpsc::channel();
    let (roots, opts) = (roots.to_vec(), opts.clone());
    std::thread::spawn(move || {
        let _ = tx.send(walk(&roots, &opts));
    });
    rx.recv_timeout(TIME_LIMIT)
        .expect("walk hung (or panicked: see above)")
}

fn walk_one(root: &Path) -> Walked {
    walk_bounded(&[root.to_path_buf()], &Options::default())
}

fn rels(files: &[SourceFile]) -> Vec<&str> {
    files.iter().map(|f| f.rel.as_str()).collect()
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The `warnings` of `--format json` output, as (path, message).
    fn warnings(&self) -> Vec<(String, String)> {
        let v: serde_json::Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout));
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| {
                (
                    w["path"].as_str().unwrap().to_string(),
                    w["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    fn assert_ok(&self) -> &Run {
        assert_eq!(self.code, Some(0), "stderr: {}", self.stderr);
        self
    }
}

/// Runs the binary (optionally as another user), killing it if it does not finish in time.
fn run_as(args: &[&str], cwd: Option<&Path>, uid: Option<u32>) -> Run {
    run_exe(Path::new(BIN), args, cwd, uid)
}

fn run_exe(exe: &Path, args: &[&str], cwd: Option<&Path>, uid: Option<u32>) -> Run {
    let mut c = Command::new(exe);
    c.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(d) = cwd {
        c.current_dir(d);
    }
    if let Some(u) = uid {
        use std::os::unix::process::CommandExt;
        c.uid(u).gid(u);
    }
    let mut child = c.spawn().expect("start the binary");
    // Drain the pipes on threads so a large output cannot stall the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).unwrap();
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).unwrap();
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`isc-scope-lint {}` hung", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        code: status.code(),
        stdout: t_out.join().unwrap(),
        stderr: t_err.join().unwrap(),
    }
}

fn run(args: &[&str]) -> Run {
    run_as(args, None, None)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const ISC_PY: &str = "import requests\nr = requests.get(f\"{base}/v3/sources/{id}\")\n";

#[test]
fn non_utf8_file_is_decoded_lossily() {
    let t = Tree::new("latin1");
    let mut b = b"# caf\xe9 cr\xe8me \xff\xfe\n".to_vec();
    b.extend_from_slice(ISC_PY.as_bytes());
    t.write("latin1.py", &b);
    let (files, warnings, scanned) = walk_one(&t.root);
    assert_eq!(rels(&files), ["latin1.py"]);
    assert!(files[0].text.contains('\u{FFFD}'));
    assert!(files[0].text.contains("/v3/sources/"));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(scanned, 1);
    run(&["calls", s(&t.root), "--format", "json"]).assert_ok();
}

#[test]
fn utf16_scripts_are_decoded_not_taken_for_binary() {
    let t = Tree::new("utf16");
    let script = "$r = Invoke-RestMethod -Uri \"$base/v2025/accounts\"\r\n";
    let mut le = vec![0xFF, 0xFE];
    script
        .encode_utf16()
        .for_each(|u| le.extend(u.to_le_bytes()));
    t.write("le.ps1", &le);
    let mut be = vec![0xFE, 0xFF];
    script
        .encode_utf16()
        .for_each(|u| be.extend(u.to_be_bytes()));
    t.write("be.ps1", &be);
    let (files, warnings, _) = walk_one(&t.root);
    assert_eq!(rels(&files), ["be.ps1", "le.ps1"]);
    assert!(files.iter().all(|f| f.text == script));
    assert!(warnings.is_empty());
}

#[test]
fn huge_minified_line_is_skipped_with_a_warning_or_read_when_allowed() {
    let t = Tree::new("minified");
    // 50 MB on one line, generated here (never committed); the hint is at the very end so
    // that the prefilter has to scan all of it.
    let chunk = "var a=function(b){return b*2+c.d(e,f)};";
    let mut js = String::with_capacity(50 * 1024 * 1024 + 100);
    while js.len() < 50 * 1024 * 1024 {
        js.push_str(chunk);
    }
    js.push_str("fetch(base+\"/v3/sources\");");
    t.write("app.min.js", js.as_bytes());
    t.write("small.py", ISC_PY);
    let len = js.len();
    drop(js);

    // Default limit (4 MiB): skipped, with a warning naming the file and the flag.
    let (files, warnings, scanned) = walk_one(&t.root);
    assert_eq!(rels(&files), ["small.py"]);
    assert_eq!(scanned, 1);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].path, "app.min.js");
    assert!(warnings[0].message.contains("--max-file-size"));
    let r = run(&["calls", s(&t.root), "--format", "json"]);
    r.assert_ok();
    assert_eq!(r.warnings().len(), 1);
    assert!(r.stderr.contains("app.min.js"), "{}", r.stderr);

    // Raised limit: read (once), prefiltered, kept, no panic.
    let opts = Options {
        max_file_size: 60_000_000,
        ..Options::default()
    };
    let (files, warnings, scanned) = walk_bounded(std::slice::from_ref(&t.root), &opts);
    assert_eq!(rels(&files), ["app.min.js", "small.py"]);
    assert_eq!(files[0].text.len(), len);
    assert!(warnings.is_empty());
    assert_eq!(scanned, 2);
    let r = run(&[
        "calls",
        s(&t.root),
        "--format",
        "json",
        "--max-file-size",
        "60000000",
    ]);
    r.assert_ok();
    // Read and kept by the walk, then left out of the analysis as a minified bundle, with a
    // warning that says so.
    let w = r.warnings();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, "app.min.js");
    assert!(w[0].1.contains("minified"), "{w:?}");
}

#[test]
fn symlink_loops_and_dangling_links_neither_hang_nor_fail() {
    let t = Tree::new("links");
    t.write("src/a.py", ISC_PY);
    t.symlink("loop_b", "loop_a"); // a → b → a
    t.symlink("loop_a", "loop_b");
    t.symlink(".", "src/self"); // a folder that contains itself
    t.symlink("..", "src/up");
    t.symlink("missing.py", "dangling.py");
    t.symlink("src/a.py", "alias.py"); // a good link: not followed either
    let (files, warnings, scanned) = walk_one(&t.root);
    assert_eq!(rels(&files), ["src/a.py"]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(scanned, 1);

    // Named explicitly: a link to a folder or a file is followed; a loop or a dangling link
    // is a warning.
    let roots: Vec<PathBuf> = ["loop_a", "dangling.py", "src/self", "alias.py"]
        .iter()
        .map(|r| t.path(r))
        .collect();
    let (files, warnings, _) = walk_bounded(&roots, &Options::default());
    assert_eq!(rels(&files), ["a.py", "alias.py"]);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings.iter().all(|w| w.message.contains("symlink")));

    let r = run(&[
        "calls",
        s(&t.root),
        s(&t.path("loop_a")),
        s(&t.path("dangling.py")),
        "--format",
        "json",
    ]);
    r.assert_ok();
    assert_eq!(r.warnings().len(), 2);
}

#[test]
fn fifos_and_sockets_are_never_opened() {
    let t = Tree::new("fifo");
    t.write("a.py", ISC_PY);
    let fifo = t.path("pipe.py");
    let st = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(st.success());
    let _sock = std::os::unix::net::UnixListener::bind(t.path("sock.py")).unwrap();
    // Opening the FIFO for reading would block until a writer comes: none ever does.
    let (files, warnings, scanned) = walk_one(&t.root);
    assert_eq!(rels(&files), ["a.py"]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(scanned, 1);
    // Named explicitly: a warning, still not opened.
    let (files, warnings, _) = walk_bounded(std::slice::from_ref(&fifo), &Options::default());
    assert!(files.is_empty());
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].message.contains("not a regular file"));
    run(&["calls", s(&t.root), s(&fifo), "--format", "json"]).assert_ok();
}

/// The effective user id, without libc: the owner of a file this process creates.
fn euid(t: &Tree) -> u32 {
    use std::os::unix::fs::MetadataExt;
    let p = t.write(".whoami", "");
    let uid = std::fs::metadata(&p).unwrap().uid();
    std::fs::remove_file(p).unwrap();
    uid
}

#[test]
fn unreadable_files_and_folders_are_warnings_naming_them() {
    // Mode 000 stops every user but root (CAP_DAC_OVERRIDE). Tests run as root here, so the
    // binary is run as `nobody` (65534) then, for whom mode 000 means what it says; as any
    // other user it runs as that user.
    let t = Tree::new("unreadable");
    t.write("ok.py", ISC_PY);
    let locked = t.write("locked.py", ISC_PY);
    t.write("closed/inner.py", ISC_PY);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(t.path("closed"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let uid = if euid(&t) == 0 { Some(65534) } else { None };
    // `nobody` must be able to reach the tree, and to run the binary: the build folder may
    // be private, so run a link to it (or a copy) in a temporary folder of its own.
    let bin_dir = Tree::new("unreadable-bin");
    let exe = if uid.is_some() {
        let exe = bin_dir.path("isc-scope-lint");
        if std::fs::hard_link(BIN, &exe).is_err() {
            std::fs::copy(BIN, &exe).unwrap();
        }
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        for d in [&t.root, &bin_dir.root] {
            let mut up = Some(d.as_path());
            while let Some(d) = up {
                let mode = std::fs::metadata(d).unwrap().permissions().mode();
                assert!(mode & 0o001 != 0, "{} is private", d.display());
                up = d.parent();
            }
        }
        exe
    } else {
        PathBuf::from(BIN)
    };
    let r = run_exe(
        &exe,
        &["calls", ".", "--format", "json"],
        Some(&t.root),
        uid,
    );
    r.assert_ok();
    let w = r.warnings();
    assert!(
        w.iter()
            .any(|(p, m)| p == "locked.py" && m.contains("ermission denied")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|(p, m)| p == "closed" && m.contains("ermission denied")),
        "{w:?}"
    );
    assert!(!w.iter().any(|(p, _)| p == "ok.py"), "{w:?}");
    assert!(r.stderr.contains("warning: locked.py"), "{}", r.stderr);
}

#[test]
fn three_hundred_levels_deep() {
    let t = Tree::new("deep");
    let mut rel = String::new();
    for _ in 0..300 {
        rel.push_str("d/");
    }
    t.write(&format!("{rel}deep.py"), ISC_PY);
    t.write("top.py", ISC_PY);
    let (files, warnings, _) = walk_one(&t.root);
    assert_eq!(rels(&files), [format!("{rel}deep.py").as_str(), "top.py"]);
    assert!(warnings.is_empty());
    run(&["calls", s(&t.root), "--format", "json"]).assert_ok();
}

#[test]
fn gitignore_and_ignore_files_apply_without_a_git_repository() {
    let t = Tree::new("ignores");
    assert!(!t.path(".git").exists());
    t.write(".gitignore", "secret.py\ngenerated/\n*.bak.py\n");
    t.write(".ignore", "scratch/\n!keep.bak.py\n");
    t.write("sub/.gitignore", "local.py\n");
    for f in [
        "app.py",
        "secret.py",
        "generated/client.py",
        "old.bak.py",
        "keep.bak.py",
        "scratch/try.py",
        "sub/local.py",
        "sub/kept.py",
        "other/local.py",
    ] {
        t.write(f, ISC_PY);
    }
    let (files, warnings, _) = walk_one(&t.root);
    assert_eq!(
        rels(&files),
        ["app.py", "keep.bak.py", "other/local.py", "sub/kept.py"]
    );
    assert!(warnings.is_empty());
    // A file named on the command line is read whatever the ignore files say.
    let (files, _, _) = walk_one(&t.path("secret.py"));
    assert_eq!(rels(&files), ["secret.py"]);
}

#[test]
fn dependency_build_and_vcs_folders_are_skipped() {
    let t = Tree::new("skipdirs");
    t.write("app.py", ISC_PY);
    for d in SKIP_DIRS {
        t.write(&format!("{d}/lib.py"), ISC_PY);
        t.write(&format!("pkg/{d}/lib.js"), "fetch('/v3/sources')");
    }
    let (files, warnings, scanned) = walk_one(&t.root);
    assert_eq!(rels(&files), ["app.py"]);
    assert!(warnings.is_empty());
    assert_eq!(scanned, 1);
    // Named as the root, such a folder is walked: the user asked for it.
    let (files, _, _) = walk_one(&t.path("vendor"));
    assert_eq!(rels(&files), ["lib.py"]);
    run(&["calls", s(&t.root), "--format", "json"]).assert_ok();
}

#[test]
fn docs_are_skipped_unless_asked_for() {
    let t = Tree::new("docs");
    t.write(
        "README.md",
        "curl -X POST https://acme.api.identitynow.com/beta/workflows\n",
    );
    t.write("docs/guide.rst", "requests.get(f\"{base}/v3/sources\")\n");
    t.write("notes.txt", "/v2025/accounts\n");
    t.write(
        "run.sh",
        "curl -X POST https://acme.api.identitynow.com/beta/workflows\n",
    );
    let (files, _, scanned) = walk_one(&t.root);
    assert_eq!(rels(&files), ["run.sh"]);
    assert_eq!(scanned, 1, "docs are not even read");
    let opts = Options {
        include_docs: true,
        ..Options::default()
    };
    let (files, _, _) = walk_bounded(std::slice::from_ref(&t.root), &opts);
    assert_eq!(
        rels(&files),
        ["README.md", "docs/guide.rst", "notes.txt", "run.sh"]
    );
    assert!(
        files[..3].iter().all(|f| f.kind == FileKind::Doc),
        "{:?}",
        files.iter().map(|f| f.kind).collect::<Vec<_>>()
    );
    run(&["calls", s(&t.root), "--format", "json", "--include-docs"]).assert_ok();
}

#[test]
fn include_globs_widen_to_docs_and_skipped_folders() {
    use isc_scope_lint::discover::walk::Include;
    let t = Tree::new("include");
    t.write("app.py", ISC_PY);
    t.write("vendor/isc/client.py", ISC_PY);
    t.write("vendor/other/lib.py", ISC_PY);
    t.write("node_modules/x/index.js", "fetch('/v3/sources')");
    t.write("docs/runbook.md", "```sh\nsail api get /v3/sources\n```\n");
    t.write("docs/notes.md", "```sh\nsail api get /v3/roles\n```\n");
    let with = |globs: &[&str]| {
        let globs: Vec<String> = globs.iter().map(|g| g.to_string()).collect();
        let opts = Options {
            include: Include::new(&globs).unwrap(),
            ..Options::default()
        };
        let (files, warnings, _) = walk_bounded(std::slice::from_ref(&t.root), &opts);
        assert!(warnings.is_empty(), "{warnings:?}");
        rels(&files)
            .iter()
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(with(&[]), ["app.py"]);
    // Only what matches, inside the skipped folder it opens.
    assert_eq!(with(&["vendor/isc/**"]), ["app.py", "vendor/isc/client.py"]);
    assert_eq!(with(&["docs/runbook.md"]), ["app.py", "docs/runbook.md"]);
    // A leading `**` may match under any folder.
    assert_eq!(
        with(&["**/*.md", "**/node_modules/**"]),
        [
            "app.py",
            "docs/notes.md",
            "docs/runbook.md",
            "node_modules/x/index.js"
        ]
    );
    // End to end: the fenced `sail` command of the included document is a call.
    let r = run(&[
        "calls",
        s(&t.root),
        "--format",
        "json",
        "--include",
        "docs/runbook.md",
    ]);
    r.assert_ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let docs: Vec<(&str, &str)> = v["calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["file"].as_str().is_some_and(|f| f.starts_with("docs/")))
        .map(|c| {
            (
                c["file"].as_str().unwrap(),
                c["operation"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(docs, [("docs/runbook.md", "GET /v3/sources")]);
    // A bad glob is a usage error naming it.
    let r = run(&["calls", s(&t.root), "--include", "a["]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("invalid --include glob `a[`"),
        "{}",
        r.stderr
    );
}

#[test]
fn binary_files_are_skipped_silently() {
    let t = Tree::new("binary");
    let mut b = b"curl https://acme.api.identitynow.com/v3/sources\n".to_vec();
    b.extend_from_slice(&[0, 1, 2, 3]);
    t.write("blob.sh", &b);
    // A NUL past the first 8 KiB does not make a file binary (as git and ripgrep judge).
    let mut late = vec![b'#'; 10_000];
    late.push(b'\n');
    late.extend_from_slice(b"curl https://acme.api.identitynow.com/v3/sources\n\0");
    t.write("late.sh", &late);
    t.write("image.png", [0x89, b'P', b'N', b'G', 0, 0, 0, 0]);
    let (files, warnings, scanned) = walk_one(&t.root);
    assert_eq!(rels(&files), ["late.sh"]);
    assert!(warnings.is_empty());
    assert_eq!(scanned, 2, "the .png is not read");
    run(&["calls", s(&t.root), "--format", "json"]).assert_ok();
}

#[test]
fn prefilter_manifests_and_scripts_without_extension() {
    let t = Tree::new("kinds");
    t.write("math.py", "def add(a, b):\n    return a + b\n");
    t.write("client.ts", "await fetch(`${base}/v3/sources`)\n");
    t.write(
        "package.json",
        "{\"dependencies\": {\"left-pad\": \"1\"}}\n",
    );
    t.write(
        "bin/sync",
        "#!/usr/bin/env bash\ncurl \"$BASE/v3/sources\"\n",
    );
    t.write("bin/notes", "curl \"$BASE/v3/sources\"\n"); // no shebang: not a script
    t.write("LICENSE", "MIT\n");
    let (files, _, scanned) = walk_one(&t.root);
    assert_eq!(rels(&files), ["bin/sync", "client.ts", "package.json"]);
    let kinds: Vec<FileKind> = files.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [FileKind::Shell, FileKind::JavaScript, FileKind::Manifest]
    );
    // math.py, client.ts, package.json, bin/sync; bin/notes and LICENSE only had their first
    // bytes looked at.
    assert_eq!(scanned, 4);
}

#[test]
fn roots_many_file_dot_and_as_written() {
    let t = Tree::new("roots");
    t.write("a/x.py", ISC_PY);
    t.write("a/sub/y.py", ISC_PY);
    t.write("b/z.go", "resp, err := http.Get(base + \"/v3/sources\")\n");
    let single = t.write(
        "single.ps1",
        "Invoke-RestMethod -Uri \"$base/v2025/accounts\"\n",
    );

    // Several roots, one of them a file, written with `/.`, `//` and trailing slashes.
    let roots = vec![
        PathBuf::from(format!("{}/./a/", t.root.display())),
        PathBuf::from(format!("{}//b//", t.root.display())),
        single,
    ];
    let (files, warnings, scanned) = walk_bounded(&roots, &Options::default());
    assert_eq!(rels(&files), ["single.ps1", "sub/y.py", "x.py", "z.go"]);
    assert!(warnings.is_empty());
    assert_eq!(scanned, 4);

    // Folders walked together keep their own names; one inside another is walked on its own
    // too, so a file under both is named relative to each.
    let nested = vec![t.root.join("a"), t.root.join("a/sub"), t.root.join("b")];
    let (files, warnings, _) = walk_bounded(&nested, &Options::default());
    assert_eq!(rels(&files), ["sub/y.py", "x.py", "y.py", "z.go"]);
    assert!(warnings.is_empty());

    // Through the binary from inside the tree: `.`, `./`, `./a/`, `a`. A 1-byte size limit
    // turns every file into a warning that shows its `rel`.
    let paths = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["calls", "--format", "json", "--max-file-size", "1"];
        a.extend_from_slice(args);
        let r = run_as(&a, Some(&t.root), None);
        r.assert_ok();
        r.warnings().into_iter().map(|(p, _)| p).collect()
    };
    let all = ["a/sub/y.py", "a/x.py", "b/z.go", "single.ps1"];
    assert_eq!(paths(&["."]), all);
    assert_eq!(paths(&["./"]), all);
    assert_eq!(paths(&["./a/"]), ["sub/y.py", "x.py"]);
    assert_eq!(
        paths(&["a", "./b/", "single.ps1"]),
        ["single.ps1", "sub/y.py", "x.py", "z.go"]
    );
    // No root at all means `.`.
    assert_eq!(paths(&[]), all);
}

#[test]
fn a_folder_named_dash_is_a_folder_not_stdin() {
    let t = Tree::new("dash");
    t.write("-/x.py", ISC_PY);
    let r = run_as(
        &["calls", "-", "--format", "json", "--max-file-size", "1"],
        Some(&t.root),
        None,
    );
    r.assert_ok();
    let paths: Vec<String> = r.warnings().into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, ["x.py"]);
}

#[test]
fn missing_root_is_a_warning_for_the_library() {
    let t = Tree::new("missing");
    let (files, warnings, _) = walk_one(&t.path("nope"));
    assert!(files.is_empty());
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].path.ends_with("nope"));
}

#[test]
fn the_number_of_threads_does_not_change_the_result() {
    let t = Tree::new("threads");
    for i in 0..300 {
        let body = if i % 3 == 0 { ISC_PY } else { "x = 1\n" };
        t.write(&format!("p{}/q{}/f{i}.py", i % 7, i % 5), body);
        if i % 50 == 0 {
            t.write(
                &format!("p{}/big{i}.py", i % 7),
                "x".repeat(5 * 1024 * 1024),
            );
        }
    }
    let view = |w: &Walked| {
        (
            w.0.iter()
                .map(|f| (f.rel.clone(), f.kind, f.text.len()))
                .collect::<Vec<_>>(),
            w.1.clone(),
            w.2,
        )
    };
    let one = view(&walk_bounded(
        std::slice::from_ref(&t.root),
        &Options {
            threads: 1,
            ..Options::default()
        },
    ));
    assert_eq!(one.0.len(), 100);
    assert_eq!(one.1.len(), 6);
    let mut sorted = one.0.clone();
    sorted.sort();
    assert_eq!(one.0, sorted);
    for threads in [0, 2, 4] {
        for _ in 0..3 {
            let opts = Options {
                threads,
                ..Options::default()
            };
            assert_eq!(
                view(&walk_bounded(std::slice::from_ref(&t.root), &opts)),
                one
            );
        }
    }
}

#[test]
fn the_number_of_threads_does_not_change_the_calls() {
    // Every front-end's fixtures at once: helpers, constants across modules, SDK contexts.
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/discover");
    let one = run(&["calls", root, "--format", "json", "--threads", "1"]);
    one.assert_ok();
    assert!(
        one.stdout.matches("\"operation\"").count() > 100,
        "{}",
        one.stdout
    );
    for threads in ["2", "3", "8"] {
        let many = run(&["calls", root, "--format", "json", "--threads", threads]);
        many.assert_ok();
        assert!(many.stdout == one.stdout, "--threads {threads} differs");
    }
}

#[test]
fn constants_in_documentation_examples_do_not_reach_the_code() {
    let t = Tree::new("docconsts");
    t.write(
        "docs/example.md",
        "```python\nBASE_URL = \"https://acme.api.identitynow.com/v2024\"\nrequests.get(BASE_URL + \"/roles\")\n```\n",
    );
    t.write(
        "app.py",
        "import requests\nfrom settings import BASE_URL\nrequests.get(BASE_URL + \"/sources\")\n",
    );
    let r = run(&["calls", s(&t.root), "--format", "json", "--include-docs"]);
    r.assert_ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let got: Vec<(&str, &str)> = v["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["file"].as_str().unwrap(),
                c["operation"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    // The example's own call uses its constant; app.py does not pick it up.
    assert_eq!(got, [("docs/example.md", "GET /v2024/roles")]);
}
