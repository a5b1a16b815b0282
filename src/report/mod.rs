//! The report stage: renders answers and findings for people and machines.

pub mod calls;
pub mod catalog_show;
pub mod check;
pub mod forced;
pub mod gitlab;
pub mod html;
pub mod redact;
pub mod scopes;
pub mod shared;

/// Output formats of the answer commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum AnswerFormat {
    #[default]
    Human,
    Json,
}
