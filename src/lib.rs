//! tfwarden: policy checks for Terraform plans, run as sandboxed WebAssembly plugins.
//!
//! The data flow is plan → [`plan`] → [`engine`] (through [`runtime`]) →
//! [`policy`] → [`report`]; `ARCHITECTURE.md` has the map and the invariants.

pub mod builtin;
pub mod ci;
pub mod cli;
pub mod commands;
pub mod engine;
#[doc(hidden)]
pub mod fuzzing;
pub mod pipeline;
pub mod plan;
pub mod plugins;
pub mod policy;
pub mod report;
pub mod runtime;
pub mod source;
pub mod suggest;

use std::process::ExitCode;

use clap::Parser;

/// Exit code for input or plugins that could not be processed.
pub const EXIT_UNPROCESSABLE: u8 = 3;

/// Runs the command line and maps the outcome to the documented exit codes.
pub fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    // Long paths and commands in messages must stay copyable: never wrap them.
    let _ = miette::set_hook(Box::new(|_| {
        Box::new(miette::MietteHandlerOpts::new().wrap_lines(false).build())
    }));
    let result = match &cli.command {
        cli::Command::Check(args) => commands::check(args),
        cli::Command::Rules(args) => commands::rules(args),
        cli::Command::Explain(args) => commands::explain(args),
        cli::Command::Test(args) => commands::test(args),
        cli::Command::Init(args) => commands::init(args),
        cli::Command::Schema => commands::schema(),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(EXIT_UNPROCESSABLE)
        }
    }
}
