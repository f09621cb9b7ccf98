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
    /// List what changed (changelog entries and updates), newest first, for release notes.
    Changes {
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Only changes on or after this date (YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
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
        Command::Changes {
            site_dir,
            since,
            json,
        } => changes(site_dir, since.as_deref(), json),
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

fn changes(site_dir: PathBuf, since: Option<&str>, json: bool) -> ExitCode {
    let since = match since.map(|s| (s, svcbook::model::Date::parse(s))) {
        Some((text, None)) => {
            eprintln!("error: --since `{text}` is not a date; write YYYY-MM-DD");
            return ExitCode::from(2);
        }
        Some((_, date)) => date,
        None => None,
    };
    let options = BuildOptions {
        site_dir,
        ..BuildOptions::default()
    };
    let site = match pipeline::load_and_validate(&options, &mut |_| {}, &mut Default::default()) {
        Ok(site) => site,
        Err(BuildError::Invalid(d)) => {
            print_diagnostics(&d);
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let list = svcbook::changes::list(&site, since);
    if json {
        let doc = serde_json::json!({
            "version": 1,
            "since": since.map(|d| d.to_string()),
            "changes": list,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).expect("plain data serialises")
        );
    } else if list.is_empty() {
        println!(
            "no changes{}",
            since.map(|d| format!(" since {d}")).unwrap_or_default()
        );
    } else {
        for c in &list {
            let version = c
                .version
                .as_deref()
                .map(|v| format!("v{v}"))
                .unwrap_or_default();
            let note = if c.note.is_empty() {
                String::new()
            } else {
                format!(" — {}", c.note)
            };
            println!(
                "{}  {:<8} {:<6} {}{}  ({})",
                c.date, c.id, version, c.title, note, c.url
            );
        }
    }
    ExitCode::SUCCESS
}
