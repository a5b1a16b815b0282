//! The integration tests, one crate (one binary to compile and link): each module is one
//! area of the tool, run through its library API or its binary.

mod action;
mod cli_check;
mod cli_diff;
mod cli_examples;
mod cli_scopes;
mod common;
mod discover_cli;
mod discover_csharp;
mod discover_formats;
mod discover_go;
mod discover_idioms;
mod discover_java;
mod discover_javascript;
mod discover_limits;
mod discover_powershell;
mod discover_properties;
mod discover_python;
mod discover_sdk;
mod discover_shell;
mod discover_taught;
mod discover_walk;
mod fuzz_regressions;
mod layers;
mod report_gitlab;
mod report_html;
mod robustness;
mod sdk_index;
mod solver_brute_force;
mod tenant;
mod verdicts;
