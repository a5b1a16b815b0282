//! Limits on the analysis of one file, and containment of its failures.
//!
//! Call discovery runs heuristics over arbitrary bytes; whatever a file holds, its analysis
//! must end, in time linear in its size, in bounded memory, and without taking the rest of
//! the run down with it. Three mechanisms:
//!
//! * **Fuel**: a deterministic work counter. [`run`] gives a file's analysis
//!   [`fuel_for`]`(len)` units; the analysis [`spend`]s them in its loops (tokens scanned,
//!   expressions evaluated, bytes of values built). Running out stops the file's analysis
//!   with [`Failure::Exhausted`]: its calls are then reported as one unresolved site, so the
//!   verdict is marked incomplete instead of the run hanging. Fuel is counted, not timed, so
//!   the same input always stops at the same place on any machine.
//! * **Depth**: recursive evaluators call [`deeper`] and get `None` past [`MAX_DEPTH`]
//!   nested levels (then treat the nested part as unknown), so no input overflows the stack.
//! * **Containment**: [`run`] catches a panic of the analysis (a bug): the file is skipped
//!   with a warning naming it, the rest of the run is reported, and the caller makes the exit
//!   code say the scan was incomplete. The panic message is captured, not printed.
//!
//! Outside [`run`] (unit tests, tools calling the evaluators directly) fuel is unlimited.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Units of work a file gets per byte, on top of [`FUEL_BASE`]. Measured on the fixtures, the
/// official SDKs and large public repositories, real files use well under a tenth of it.
pub const FUEL_PER_BYTE: u64 = 2_000;
/// Units of work every file gets whatever its size.
pub const FUEL_BASE: u64 = 50_000_000;
/// Nested levels an evaluator follows (parentheses, interpolations inside interpolations,
/// names defined through other names) before it treats the rest as unknown.
pub const MAX_DEPTH: u32 = 200;

/// The fuel for analysing `len` bytes.
pub fn fuel_for(len: usize) -> u64 {
    FUEL_BASE.saturating_add(FUEL_PER_BYTE.saturating_mul(len as u64))
}

/// Why the analysis of a file stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The file used up its fuel ([`fuel_for`]).
    Exhausted,
    /// The analysis panicked (a bug of the finder): where and what.
    Panic(String),
}

impl Failure {
    /// A sentence for warnings and unresolved calls.
    pub fn describe(&self) -> String {
        match self {
            Failure::Exhausted => format!(
                "analysis stopped: the file exceeded the work budget ({FUEL_PER_BYTE} units per byte); its calls are not known"
            ),
            Failure::Panic(msg) => format!(
                "internal error while analysing this file ({msg}); it was skipped — please report this at the project's issue tracker with the file if you can"
            ),
        }
    }
}

/// The panic payload that ends an analysis out of fuel.
struct OutOfFuel;

#[derive(Clone, Copy)]
struct State {
    /// Fuel left (`u64::MAX` outside [`run`]).
    fuel: u64,
    depth: u32,
    /// Inside [`run`]: panics are captured, not printed.
    guarded: bool,
}

thread_local! {
    static STATE: Cell<State> = const {
        Cell::new(State { fuel: u64::MAX, depth: 0, guarded: false })
    };
    static LAST_PANIC: Cell<Option<String>> = const { Cell::new(None) };
}

/// Spends `n` units of the current file's fuel; out of fuel, unwinds to [`run`].
#[inline]
pub fn spend(n: u64) {
    STATE.with(|s| {
        let mut st = s.get();
        if st.fuel == u64::MAX {
            return;
        }
        if st.fuel < n {
            st.fuel = 0;
            s.set(st);
            std::panic::panic_any(OutOfFuel);
        }
        st.fuel -= n;
        s.set(st);
    });
}

/// Fuel left for the current file (`u64::MAX` outside [`run`]).
pub fn fuel_left() -> u64 {
    STATE.with(|s| s.get().fuel)
}

/// One more nested level of evaluation; `None` past [`MAX_DEPTH`]. Keep the guard while
/// evaluating the nested part.
#[must_use]
pub fn deeper() -> Option<DepthGuard> {
    deeper_by(1)
}

/// Levels a nested text costs that is lexed again on its own (an interpolation inside an
/// interpolation): such a level re-reads its whole text, so at most
/// [`MAX_DEPTH`]` / `[`TEXT_LEVEL`] of them nest (the work stays a small multiple of the
/// input).
pub const TEXT_LEVEL: u32 = 16;

/// [`deeper`] for a level that costs `cost` levels (see [`TEXT_LEVEL`]).
#[must_use]
pub fn deeper_by(cost: u32) -> Option<DepthGuard> {
    STATE.with(|s| {
        let mut st = s.get();
        if st.depth.saturating_add(cost) > MAX_DEPTH {
            return None;
        }
        st.depth += cost;
        s.set(st);
        Some(DepthGuard(cost))
    })
}

/// Holds the levels of [`deeper`]; dropping it returns them.
pub struct DepthGuard(u32);

impl Drop for DepthGuard {
    fn drop(&mut self) {
        STATE.with(|s| {
            let mut st = s.get();
            st.depth = st.depth.saturating_sub(self.0);
            s.set(st);
        });
    }
}

/// Installs (once) a panic hook that stays quiet for panics inside [`run`] and records their
/// message, and otherwise defers to the hook that was there.
fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if STATE.with(|s| s.get().guarded) {
                if info.payload().is::<OutOfFuel>() {
                    return;
                }
                let msg = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".into());
                let at = info
                    .location()
                    .map(|l| format!(" at {}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                LAST_PANIC.with(|p| p.set(Some(format!("{msg}{at}"))));
                return;
            }
            previous(info);
        }));
    });
}

/// With `ISC_SCOPE_LINT_DEBUG_FUEL=1`, every guarded phase prints the fuel it used (for
/// calibrating [`FUEL_PER_BYTE`]; see DEVELOPERS.md).
fn debug_fuel() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("ISC_SCOPE_LINT_DEBUG_FUEL").is_some_and(|v| v == "1"))
}

/// [`run`], also returning the fuel used.
pub fn run_measured<R>(fuel: u64, f: impl FnOnce() -> R) -> (Result<R, Failure>, u64) {
    let mut left = 0;
    let r = run(fuel, || {
        let r = f();
        left = fuel_left();
        r
    });
    let used = match r {
        Ok(_) => fuel - left,
        Err(Failure::Exhausted) => fuel,
        Err(_) => fuel.saturating_sub(left),
    };
    (r, used)
}

/// Runs `f` with `fuel` units of work, catching a panic or the end of the fuel. Nested calls
/// run with their own fuel and restore the outer state.
pub fn run<R>(fuel: u64, f: impl FnOnce() -> R) -> Result<R, Failure> {
    install_hook();
    let saved = STATE.with(|s| {
        let old = s.get();
        s.set(State {
            fuel,
            depth: 0,
            guarded: true,
        });
        old
    });
    let result = catch_unwind(AssertUnwindSafe(f));
    STATE.with(|s| s.set(saved));
    result.map_err(|payload| {
        if payload.is::<OutOfFuel>() {
            Failure::Exhausted
        } else {
            Failure::Panic(
                LAST_PANIC
                    .with(|p| p.take())
                    .unwrap_or_else(|| "panic".into()),
            )
        }
    })
}

/// The files whose analysis failed, by index (shared by the phases of one run).
#[derive(Debug, Default)]
pub struct Failures {
    per_file: std::sync::Mutex<std::collections::BTreeMap<usize, Failure>>,
}

impl Failures {
    /// Runs one phase of the analysis of file `fi` (`len` bytes) under [`run`]; `None` (and
    /// the failure recorded) when it panicked or ran out of fuel, or when an earlier phase of
    /// the same file failed.
    pub fn guard<R>(&self, fi: usize, len: usize, f: impl FnOnce() -> R) -> Option<R> {
        if self.failed(fi) {
            return None;
        }
        let fuel = fuel_for(len);
        let result = run_measured(fuel, f);
        if debug_fuel() {
            eprintln!(
                "fuel: file #{fi}: {} of {fuel} units for {len} bytes ({:.1} per byte)",
                result.1,
                result.1 as f64 / len.max(1) as f64
            );
        }
        match result.0 {
            Ok(r) => Some(r),
            Err(e) => {
                self.lock().entry(fi).or_insert(e);
                None
            }
        }
    }

    /// Records a failure of file `fi` found outside [`Failures::guard`].
    pub fn record(&self, fi: usize, e: Failure) {
        self.lock().entry(fi).or_insert(e);
    }

    /// Whether a phase of file `fi` failed.
    pub fn failed(&self, fi: usize) -> bool {
        self.lock().contains_key(&fi)
    }

    /// The failures, by file index.
    pub fn into_map(self) -> std::collections::BTreeMap<usize, Failure> {
        self.per_file
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::BTreeMap<usize, Failure>> {
        self.per_file.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Test hook: in debug builds (the ones `cargo test` runs), with the environment variable
/// `ISC_SCOPE_LINT_FAULT_INJECTION=1`, a file whose text contains this marker makes its
/// analysis panic, so that containment is tested end to end. Release builds ignore both.
pub const PANIC_MARKER: &str = "ISC_SCOPE_LINT_TEST_PANIC";

/// Panics when fault injection is on and `text` holds [`PANIC_MARKER`] (debug builds only).
#[inline]
pub fn fault_injection(text: &str) {
    if cfg!(debug_assertions)
        && text.contains(PANIC_MARKER)
        && std::env::var_os("ISC_SCOPE_LINT_FAULT_INJECTION").is_some_and(|v| v == "1")
    {
        panic!("fault injected for testing");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuel_runs_out_and_is_reported() {
        let r = run(10, || {
            for _ in 0..100 {
                spend(1);
            }
        });
        assert_eq!(r, Err(Failure::Exhausted));
        // Outside `run`, fuel is unlimited again.
        spend(1_000_000);
        assert_eq!(fuel_left(), u64::MAX);
        assert_eq!(run(100, || 7), Ok(7));
    }

    #[test]
    fn a_panic_is_contained_with_its_message() {
        let r: Result<(), _> = run(1000, || panic!("boom {}", 42));
        match r {
            Err(Failure::Panic(m)) => assert!(m.starts_with("boom 42 at "), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn depth_is_bounded_and_restored() {
        fn nest(n: u32) -> u32 {
            match deeper() {
                Some(_g) if n > 0 => 1 + nest(n - 1),
                _ => 0,
            }
        }
        assert_eq!(nest(10), 10);
        assert_eq!(nest(10_000), MAX_DEPTH);
        assert_eq!(nest(5), 5);
    }

    #[test]
    fn nested_runs_restore_the_outer_fuel() {
        let r = run(1000, || {
            spend(100);
            let inner = run(5, || spend(10));
            assert_eq!(inner, Err(Failure::Exhausted));
            fuel_left()
        });
        assert_eq!(r, Ok(900));
    }
}
