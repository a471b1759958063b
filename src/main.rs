//! The ratsuche binary: a thin shell around [`ratsuche::cli::run`].

use clap::Parser;

fn main() -> std::process::ExitCode {
    ratsuche::install_logging();
    let cli = ratsuche::cli::Cli::parse();
    match ratsuche::cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::from(2)
        }
    }
}
