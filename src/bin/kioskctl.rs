//! `kioskctl`: the command line for fleet admins and branch staff. For now
//! it checks a configuration folder: the merged result, or every error.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tongban terminal administration.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Configuration tools.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Validates a config folder (fleet.toml, district.toml, branch.toml,
    /// terminal.toml over the built-in defaults). Prints the merged config
    /// with the layer that set each key, or every error; exits 1 on errors.
    Check {
        /// The folder.
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Config {
            command: ConfigCommand::Check { dir },
        } => match kiosk_config::load_dir(&dir) {
            Ok(loaded) => {
                let layers: Vec<String> = loaded
                    .layers
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect();
                println!("# {}: valid", dir.display());
                println!(
                    "# layers: defaults{}{}",
                    if layers.is_empty() { "" } else { " < " },
                    layers.join(" < ")
                );
                print!("{}", loaded.render());
                ExitCode::SUCCESS
            }
            Err(errors) => {
                eprintln!("{}: {} error(s)", dir.display(), errors.0.len());
                for error in &errors.0 {
                    eprintln!("  {error}");
                }
                ExitCode::FAILURE
            }
        },
    }
}
