//! Hand-written HTTP, one module per language: each finds the request calls of a file and
//! returns them as [`Site`](super::frontend::Site)s.

pub mod brace;
pub mod csharp;
pub mod go;
pub mod java;
pub mod javascript;
pub mod powershell;
pub mod python;
pub mod shell;
