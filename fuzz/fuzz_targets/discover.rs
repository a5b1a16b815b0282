#![no_main]
//! See `fuzz/src/lib.rs` for the input format.
libfuzzer_sys::fuzz_target!(|data: &[u8]| isc_scope_lint_fuzz::discover_project(data));
