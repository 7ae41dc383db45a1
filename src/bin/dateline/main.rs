//! The `dateline` command: parse arguments, call the library, map the
//! outcome to an exit code.

mod args;
mod eval;
mod extract;
mod index;
mod remove;
mod render;
mod search;
mod show;
mod stats;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
        Command::Extract(args) => extract::run(args),
        Command::Show(args) => show::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Remove(args) => remove::run(args),
        Command::Eval(command) => eval::run(command),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "dateline",
                &mut std::io::stdout(),
            );
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => render::fatal(&error),
    }
}
