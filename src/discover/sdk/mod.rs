//! The official SDKs: naming rules from operationId to method/cmdlet/class, the index from
//! SDK names back to catalog operations, and which SDK generation a project uses.
//!
//! * [`naming`]: operationId → Python / Go / TypeScript / Angular method, PowerShell cmdlet;
//!   tag → API class base and 2.x partition (`sdk-conventions.md` §2–§7).
//! * [`index`]: [`SdkIndex`], names → operations, narrowed by family or generation.
//! * [`generation`]: [`detect()`] reads dependency manifests and lock files and tells, per
//!   file, whether the project uses the 1.x (versioned) or 2.x (per-API) SDKs.
//! * [`detect`](mod@detect): the SDK call finder ([`SdkContext`]): builds the project-wide
//!   context and hands each file to its language's detector (`detect_python`, `detect_ts` for
//!   TypeScript/JavaScript and Angular, `detect_go`, `detect_ps`), which share
//!   `detect_common` (the context's queries, SDK objects, call-chain helpers) and never each
//!   other or `detect`.

pub mod detect;
mod detect_common;
mod detect_go;
mod detect_ps;
mod detect_python;
mod detect_ts;
pub mod generation;
pub mod index;
pub mod naming;
mod range;
mod tomlscan;

pub use detect::is_generated_isc_client;
pub use detect_common::SdkContext;
pub use generation::{ProjectSdks, detect, is_manifest};
pub use index::{ClassInfo, Generation, SdkIndex, SdkLang, method_name, strip_variant};
