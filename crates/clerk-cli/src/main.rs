//! The `clerk` command.
//!
//! For now it has one subcommand, `clerk serve`, which runs the local Backend
//! API-compatible server of the `clerk-server` crate (see [`serve`]).

mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Drive Clerk's Backend API, or run a compatible server locally.
#[derive(Debug, Parser)]
#[command(name = "clerk", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a local server that speaks Clerk's Backend API.
    Serve(serve::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("clerk: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Command::Serve(args) => runtime.block_on(serve::run(args)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("clerk: {err}");
            ExitCode::FAILURE
        }
    }
}
