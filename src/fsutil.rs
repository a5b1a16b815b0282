//! File helpers: safe writes of outputs, bounded reads of inputs, and writes to stdout that
//! tell a closed pipe from a failure.
//!
//! Writes (`-o`, `--write-baseline`, `--fix`, `init`, `catalog build -o`) go to a temporary
//! file created exclusively (`O_EXCL`, an unpredictable name) beside the target, which is then
//! renamed over it: a reader never sees a truncated file and a failed write leaves the old
//! file as it was. A symlinked target is followed and its real file replaced (the link stays);
//! only regular files are written: a folder, a FIFO, a device, a socket or a read-only file is
//! refused. The new file keeps the old one's permissions.
//!
//! Inputs read outside the walk (`--spec`, the manifest, `--baseline`, stdin of `scopes -`)
//! must be regular files (opened without blocking, so a FIFO is refused instead of waited on)
//! and within a size limit.

use crate::error::PlainError;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Size limit of a spec file (the largest SailPoint spec is under 4 MiB).
pub const MAX_SPEC_BYTES: u64 = 64 * 1024 * 1024;
/// Size limit of the manifest.
pub const MAX_MANIFEST_BYTES: u64 = 8 * 1024 * 1024;
/// Size limit of a baseline file.
pub const MAX_BASELINE_BYTES: u64 = 64 * 1024 * 1024;
/// Size limit of the calls read from stdin (`scopes -`).
pub const MAX_STDIN_BYTES: u64 = 16 * 1024 * 1024;

/// Symlinks followed at most when resolving a write target (as the kernel's `ELOOP` limit).
const MAX_LINKS: usize = 40;

fn io_err(msg: impl Into<String>) -> std::io::Error {
    std::io::Error::other(msg.into())
}

/// What a non-regular file is, for messages.
fn kind_of(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        "a folder"
    } else if ft.is_symlink() {
        "a symlink"
    } else {
        "not a regular file"
    }
}

/// The file a write to `path` lands in: `path` itself, or where its chain of symlinks ends
/// (which may not exist yet).
pub fn resolve_target(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&p)?;
                p = if link.is_absolute() {
                    link
                } else {
                    p.parent().unwrap_or(Path::new("")).join(link)
                };
            }
            Ok(_) => return Ok(p),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(p),
            Err(e) => return Err(e),
        }
    }
    Err(io_err(format!(
        "more than {MAX_LINKS} symlinks to follow (a loop?)"
    )))
}

/// Writes `bytes` to `path` safely (see the module documentation). Errors say what was wrong
/// with the target; nothing is changed then.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = resolve_target(path)?;
    let old = match std::fs::metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if let Some(m) = &old {
        if !m.is_file() {
            return Err(io_err(format!(
                "{} is {}; only regular files are written",
                shown(path, &target),
                kind_of(m.file_type())
            )));
        }
        if m.permissions().readonly() {
            return Err(io_err(format!(
                "{} is read-only; make it writable first if it should be replaced",
                shown(path, &target)
            )));
        }
        // Whether this user may write it at all (renaming over it would only need the
        // folder's permission). Opened without blocking and without truncating.
        match open_nonblocking(&target, true) {
            Ok(f) => {
                if !f.metadata()?.is_file() {
                    return Err(io_err(format!(
                        "{} is not a regular file; only regular files are written",
                        shown(path, &target)
                    )));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                return Err(io_err(format!(
                    "{} is not writable by this user",
                    shown(path, &target)
                )));
            }
            Err(e) => return Err(e),
        }
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    // `tempfile`: an unpredictable name, created with O_EXCL (never through a planted
    // symlink), removed again if anything below fails.
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // A new file gets the usual mode (the umask applies); an existing file's mode is
        // copied below.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.flush()?;
    if let Some(m) = &old {
        tmp.as_file().set_permissions(m.permissions())?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

fn shown(path: &Path, target: &Path) -> String {
    if path == target {
        "it".into()
    } else {
        format!("its target `{}`", target.display())
    }
}

/// [`write_atomic`] with the error as a diagnostic: `cannot write `PATH`: why`.
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<(), PlainError> {
    write_atomic(path, bytes)
        .map_err(|e| PlainError::new(format!("cannot write `{}`: {e}", path.display())))
}

/// Opens without blocking (`O_NONBLOCK`), so that a FIFO never waits for a writer or reader
/// (the flag changes nothing for regular files).
pub(crate) fn open_nonblocking(path: &Path, write: bool) -> std::io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    if write {
        o.write(true);
    } else {
        o.read(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(O_NONBLOCK);
    }
    o.open(path)
}

/// `O_NONBLOCK` of the platforms whose value is known; 0 (no flag) elsewhere, where the
/// metadata check after opening still refuses a FIFO.
#[cfg(unix)]
const O_NONBLOCK: i32 = if cfg!(any(
    target_vendor = "apple",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
)) {
    0x4
} else if cfg!(all(
    any(target_os = "linux", target_os = "android"),
    any(
        target_arch = "x86",
        target_arch = "x86_64",
        target_arch = "arm",
        target_arch = "aarch64",
        target_arch = "riscv64",
        target_arch = "s390x",
        target_arch = "powerpc64",
        target_arch = "loongarch64"
    )
)) {
    0o4000
} else {
    0
};

/// Reads an input file: a regular file (never waits on a FIFO; a device or a folder is
/// refused) of at most `limit` bytes. `what` names it in errors (`spec`, `manifest`).
pub fn read_input(path: &Path, what: &str, limit: u64) -> Result<Vec<u8>, PlainError> {
    let fail = |e: std::io::Error| {
        PlainError::new(format!("cannot read {what} `{}`: {e}", path.display()))
    };
    let mut f = open_nonblocking(path, false).map_err(fail)?;
    let meta = f.metadata().map_err(fail)?;
    if !meta.is_file() {
        return Err(PlainError::new(format!(
            "cannot read {what} `{}`: it is {}",
            path.display(),
            kind_of(meta.file_type())
        ))
        .with_help(format!("give the {what} as a regular file")));
    }
    if meta.len() > limit {
        return Err(too_large(
            what,
            &path.display().to_string(),
            meta.len(),
            limit,
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    (&mut f)
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(fail)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(
            what,
            &path.display().to_string(),
            bytes.len() as u64,
            limit,
        ));
    }
    Ok(bytes)
}

/// Reads at most `limit` bytes from a stream (stdin).
pub fn read_stream(r: impl Read, what: &str, limit: u64) -> Result<Vec<u8>, PlainError> {
    let mut bytes = Vec::new();
    r.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| PlainError::new(format!("cannot read {what}: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(PlainError::new(format!(
            "{what} holds more than the limit of {limit} bytes"
        )));
    }
    Ok(bytes)
}

fn too_large(what: &str, name: &str, len: u64, limit: u64) -> PlainError {
    PlainError::new(format!(
        "{what} `{name}` is too large: {len} bytes, over the limit of {limit} bytes"
    ))
    .with_help(format!(
        "the limits of every input are listed in the README (Limits and safety); is `{name}` really a {what}?"
    ))
}

/// Decodes UTF-8 input, dropping a byte-order mark; an invalid byte is an error at its place.
/// Returns the text and whether a BOM was dropped.
pub fn decode_utf8(name: &str, what: &str, bytes: Vec<u8>) -> miette::Result<(String, bool)> {
    let (bom, bytes) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest.to_vec()),
        None => (false, bytes),
    };
    match String::from_utf8(bytes) {
        Ok(t) => Ok((t, bom)),
        Err(e) => {
            let off = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The lossy text has one U+FFFD (3 bytes) per bad sequence; the first starts at
            // `off` in both.
            Err(crate::error::SourceError::new(
                name,
                &lossy,
                (off, 1),
                format!("{what} `{name}` is not valid UTF-8"),
                "invalid byte here",
            )
            .into())
        }
    }
}

/// Standard output closed by its reader (`| head`): the run ends quietly with
/// [`BROKEN_PIPE_EXIT`].
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("standard output was closed")]
pub struct BrokenPipe;

/// The exit status after a broken pipe: 128 + SIGPIPE, what a shell reports for a process a
/// closed pipe ended.
pub const BROKEN_PIPE_EXIT: u8 = 141;

/// Writes a whole report to stdout and flushes it. A closed pipe is [`BrokenPipe`]; any other
/// failure (`> /dev/full`) a clear error.
pub fn print(text: &str) -> miette::Result<()> {
    let out = std::io::stdout();
    let mut lock = out.lock();
    let r = lock.write_all(text.as_bytes()).and_then(|_| lock.flush());
    match r {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(BrokenPipe.into()),
        Err(e) => Err(PlainError::new(format!("cannot write to standard output: {e}")).into()),
    }
}

/// A report to `-o FILE`, or stdout for `-o -` or no `-o`.
pub fn emit(output: Option<&Path>, text: &str) -> miette::Result<()> {
    match output {
        Some(p) if p.as_os_str() != "-" => Ok(write_output(p, text.as_bytes())?),
        _ => print(text),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn tmpdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("isc-fsutil-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn replaces_the_target_of_a_symlink_and_keeps_the_mode() {
        let d = tmpdir("link");
        let real = d.join("real.yaml");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = d.join("link.yaml");
        std::os::unix::fs::symlink("real.yaml", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        // No temporary file is left behind.
        let left: Vec<_> = std::fs::read_dir(&d).unwrap().collect();
        assert_eq!(left.len(), 2);
    }

    #[test]
    fn refuses_folders_fifos_devices_and_read_only_files() {
        let d = tmpdir("refuse");
        let e = write_atomic(&d, b"x").unwrap_err().to_string();
        assert!(e.contains("a folder"), "{e}");
        let e = write_atomic(Path::new("/dev/null"), b"x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("a device"), "{e}");
        let ro = d.join("ro.txt");
        std::fs::write(&ro, "keep").unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
        let e = write_atomic(&ro, b"x").unwrap_err().to_string();
        assert!(e.contains("read-only"), "{e}");
        assert_eq!(std::fs::read_to_string(&ro).unwrap(), "keep");
    }

    #[test]
    fn inputs_are_regular_files_within_a_limit() {
        let e = read_input(Path::new("/dev/zero"), "spec", 10).unwrap_err();
        assert!(e.message.contains("a device"), "{}", e.message);
        let d = tmpdir("input");
        let f = d.join("a.json");
        std::fs::write(&f, "0123456789ab").unwrap();
        let e = read_input(&f, "baseline", 10).unwrap_err();
        assert!(e.message.contains("too large"), "{}", e.message);
        assert_eq!(read_input(&f, "baseline", 12).unwrap(), b"0123456789ab");
        let e = read_input(&d, "spec", 10).unwrap_err();
        assert!(e.message.contains("a folder"), "{}", e.message);
    }

    #[test]
    fn utf8_with_a_bom_and_invalid_bytes() {
        let (t, bom) = decode_utf8("m", "manifest", b"\xEF\xBB\xBFa: 1\n".to_vec()).unwrap();
        assert_eq!((t.as_str(), bom), ("a: 1\n", true));
        let e = decode_utf8("m", "manifest", b"a: \xFF\n".to_vec()).unwrap_err();
        let e = e.downcast_ref::<crate::error::SourceError>().unwrap();
        assert_eq!(e.src.text(), "a: \u{FFFD}\n");
    }
}
