//! isc-scope-lint: least privilege for SailPoint Identity Security Cloud API integrations.
//!
//! The pipeline, one module per stage:
//! specs ([`spec`]) → catalog ([`catalog`]) → call discovery ([`discover`]) → requirements
//! ([`solver`]) → rules ([`rules`]) → report ([`report`]).

pub mod catalog;
pub mod check;
pub mod diff;
pub mod discover;
pub mod error;
pub mod fsutil;
pub mod manifest;
pub mod nesting;
pub mod query;
pub mod report;
pub mod rules;
pub mod solver;
pub mod spec;
pub mod tenant;
