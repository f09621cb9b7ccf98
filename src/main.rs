//! The `svcbook` command: a thin layer over the library. It parses arguments,
//! shows progress, and turns the library's typed results into text and exit codes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use svcbook::diagnostics::Diagnostics;
use svcbook::pipeline::{self, BuildError, BuildOptions};

#[derive(Parser)]
#[command(
    name = "svcbook",
    version,
    about = "Static site generator for after-sales service knowledge bases"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into OUT (default: SITE_DIR/public).
    Build {
        /// Site folder: holds svcbook.toml and content/ (or the Markdown itself).
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Output folder.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Include articles with `status: draft`.
        #[arg(long)]
        drafts: bool,
        /// Open the built site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Search the index the last build wrote.
    Search(svcbook::search_cmd::SearchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            site_dir,
            output,
            drafts,
            open,
        } => {
            let options = BuildOptions {
                site_dir,
                output_dir: output,
                drafts,
                today: None,
            };
            build(&options, open)
        }
        Command::Search(args) => {
            ExitCode::from(svcbook::search_cmd::run(&args).clamp(0, 255) as u8)
        }
    }
}

/// Colour only for a terminal, and never when NO_COLOR is set (no-color.org).
fn use_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn print_diagnostics(diagnostics: &Diagnostics) {
    let color = use_color();
    for d in &diagnostics.0 {
        eprintln!("{}\n", d.render(color));
    }
}

fn build(options: &BuildOptions, open: bool) -> ExitCode {
    let spinner = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(Duration::from_millis(80));
        bar
    });
    let mut on_stage = |stage: pipeline::Stage| {
        if let Some(bar) = &spinner {
            bar.set_message(stage.label());
        }
    };
    let result = pipeline::build(options, &mut on_stage);
    if let Some(bar) = &spinner {
        bar.finish_and_clear();
    }
    match result {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            let warnings = report.warnings.warnings().count();
            eprintln!(
                "built {} pages ({} articles, {} files) in {:.2}s, {} warning{} → {}",
                report.pages,
                report.articles,
                report.files,
                report.elapsed.as_secs_f64(),
                warnings,
                if warnings == 1 { "" } else { "s" },
                report.output_dir.display()
            );
            if open {
                open_in_browser(&report.output_dir.join("index.html"));
            }
            ExitCode::SUCCESS
        }
        Err(BuildError::Invalid(diagnostics)) => {
            print_diagnostics(&diagnostics);
            let errors = diagnostics.errors().count();
            let warnings = diagnostics.warnings().count();
            eprintln!(
                "build failed: {errors} error{}, {warnings} warning{}; the previous output was left as it was",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" },
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}\nbuild failed; the previous output was left as it was");
            ExitCode::FAILURE
        }
    }
}

fn open_in_browser(path: &std::path::Path) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener)
        .arg(path)
        .spawn()
        .is_err()
    {
        eprintln!("open {} in a browser", path.display());
    }
}
