//! The `svcbook` command: a thin layer over the library. It parses arguments,
//! shows progress, and turns the library's typed results into text and exit codes.

use std::io::{IsTerminal, Write};
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
    Search(SearchArgs),
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
    /// Serve the site on 127.0.0.1, rebuilding and reloading open pages on every change.
    Serve {
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Port on 127.0.0.1; 0 picks a free one.
        #[arg(short, long, default_value_t = 8000)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Leave drafts out, exactly as `svcbook build` does (the preview shows them by default).
        #[arg(long)]
        no_drafts: bool,
    },
    /// Check the site without writing it: errors, broken links and anchors, review dates.
    Check {
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// `human` (rustc-style, on stderr) or `json` (stable, on stdout; see README).
        #[arg(long, value_enum, default_value = "human")]
        format: CheckFormat,
        /// The date `review_by` is judged against (YYYY-MM-DD; default: today).
        #[arg(long, value_parser = parse_date)]
        today: Option<svcbook::model::Date>,
        /// Exit with 2 when there are warnings (and no errors).
        #[arg(long)]
        deny_warnings: bool,
        /// Check as `svcbook build --drafts` would.
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new site in DIR: config, one example article per kind, .gitignore.
    Init {
        dir: PathBuf,
        /// Write into DIR even if it is not empty (files of the same name are replaced).
        #[arg(long)]
        force: bool,
    },
    /// Write a new article from its kind's archetype, with the next free id.
    New {
        /// fault_case, procedure, script, playbook, standard, faq, page, or a
        /// kind the site declares in svcbook.toml (its name or folder).
        kind: String,
        /// The article's title.
        title: String,
        /// Use this id instead of the next free one (e.g. FC-0100).
        #[arg(long)]
        id: Option<String>,
        /// The site folder.
        #[arg(short, long, default_value = ".")]
        site: PathBuf,
    },
}

/// How `svcbook check` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CheckFormat {
    /// rustc-style text on stderr.
    Human,
    /// The stable JSON document on stdout.
    Json,
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
        Command::Search(args) => search(&args),
        Command::Serve {
            site_dir,
            port,
            open,
            no_drafts,
        } => serve(site_dir, port, open, !no_drafts),
        Command::Check {
            site_dir,
            format,
            today,
            deny_warnings,
            drafts,
        } => check(site_dir, format, today, deny_warnings, drafts),
        Command::Init { dir, force } => init(&dir, force),
        Command::New {
            kind,
            title,
            id,
            site,
        } => new_article(&site, &kind, &title, id.as_deref()),
    }
}

#[derive(Debug, clap::Args)]
struct SearchArgs {
    /// `[SITE_DIR] QUERY`: the site folder (the one holding svcbook.toml /
    /// content/, default `.`) and the query. Quote a query that has spaces.
    #[arg(value_name = "[SITE_DIR] QUERY", required = true, num_args = 1..=2)]
    args: Vec<String>,
    /// Only this kind: its name (fault_case, procedure, script, playbook, standard,
    /// faq, page, or one the site declares), its folder (fault-cases, …) or its
    /// label (故障案例, …), any case; repeatable.
    #[arg(long)]
    kind: Vec<String>,
    /// Only articles about this product (model code); repeatable.
    #[arg(long)]
    product: Vec<String>,
    /// Only articles with this tag; repeatable.
    #[arg(long)]
    tag: Vec<String>,
    /// Most results to show.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Print JSON (stable field names, see `JsonOutput`) instead of text.
    #[arg(long)]
    json: bool,
    /// The built site, when it was built with `svcbook build -o OUT` (default: the config's output folder).
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
}

impl SearchArgs {
    fn site_dir(&self) -> PathBuf {
        match self.args.as_slice() {
            [dir, _] => PathBuf::from(dir),
            _ => PathBuf::from("."),
        }
    }

    fn query(&self) -> &str {
        self.args.last().map(String::as_str).unwrap_or_default()
    }

    fn to_query(&self) -> svcbook::search_cmd::SearchQuery {
        svcbook::search_cmd::SearchQuery {
            site_dir: self.site_dir(),
            query: self.query().to_string(),
            kind: self.kind.clone(),
            product: self.product.clone(),
            tag: self.tag.clone(),
            limit: self.limit,
            output: self.output.clone(),
            facets: self.json,
        }
    }
}

/// Runs the search and prints the results: exit 0 with results, 1 with none,
/// 2 on error.
fn search(args: &SearchArgs) -> ExitCode {
    use svcbook::search_cmd;
    match search_cmd::search(&args.to_query()) {
        Ok((response, output_dir)) => {
            let stdout = std::io::stdout();
            let text = if args.json {
                search_cmd::json(&response, &output_dir)
            } else {
                search_cmd::human(&response, &output_dir, stdout.is_terminal())
            };
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = stdout.lock().write_all(text.as_bytes());
            ExitCode::from(u8::from(response.hits.is_empty()))
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn parse_date(text: &str) -> Result<svcbook::model::Date, String> {
    svcbook::model::Date::parse(text).ok_or_else(|| format!("`{text}` is not a date YYYY-MM-DD"))
}

fn serve(site_dir: PathBuf, port: u16, open: bool, drafts: bool) -> ExitCode {
    use svcbook::serve::{Rebuild, ServeOptions, Server};
    let options = ServeOptions {
        site_dir,
        port,
        drafts,
        today: None,
    };
    let report = |r: &Rebuild| match r {
        Rebuild::Changed {
            changed,
            took,
            warnings,
            pages,
        } => {
            print_diagnostics(warnings);
            let scope = match pages {
                Some(n) => format!(" ({n} page{})", if *n == 1 { "" } else { "s" }),
                None => String::new(),
            };
            eprintln!(
                "rebuilt in {} ms{scope}: {} file{} changed",
                took.as_millis(),
                changed.len(),
                if changed.len() == 1 { "" } else { "s" }
            );
        }
        Rebuild::Unchanged(took, warnings) => {
            print_diagnostics(warnings);
            eprintln!("rebuilt in {} ms: no page changed", took.as_millis());
        }
        Rebuild::Failed(took, text, diagnostics) => {
            if diagnostics.0.is_empty() {
                eprintln!("{text}");
            } else {
                print_diagnostics(diagnostics);
            }
            eprintln!(
                "build failed after {} ms: still serving the last good site",
                took.as_millis()
            );
        }
    };
    let (server, first) = match Server::start(&options) {
        Ok(started) => started,
        Err(e) => {
            eprintln!("error: {e}");
            if port != 0 {
                eprintln!("help: another program may use port {port}; try --port 0 for a free one");
            }
            return ExitCode::FAILURE;
        }
    };
    report(&first);
    // On stdout, alone on its line, so scripts and tests can read the address.
    println!("serving {}", server.url());
    eprintln!(
        "watching {} for changes; Ctrl-C stops",
        options.site_dir.display()
    );
    if open {
        open_in_browser(std::path::Path::new(&server.url()));
    }
    match server.watch(report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check(
    site_dir: PathBuf,
    format: CheckFormat,
    today: Option<svcbook::model::Date>,
    deny_warnings: bool,
    drafts: bool,
) -> ExitCode {
    let report = svcbook::check::check(&svcbook::check::CheckOptions {
        site_dir: site_dir.clone(),
        drafts,
        today: today.unwrap_or_else(svcbook::model::Date::today),
    });
    match format {
        CheckFormat::Json => {
            // A closed pipe (`| head`) is the reader's choice, not an error.
            let _ = writeln!(std::io::stdout(), "{}", report.to_json());
        }
        CheckFormat::Human => {
            print_diagnostics(&report.diagnostics);
            let (errors, warnings) = (report.errors(), report.warnings());
            eprintln!(
                "checked {}: {errors} error{}, {warnings} warning{}",
                site_dir.display(),
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" },
            );
        }
    }
    ExitCode::from(report.exit_code(deny_warnings))
}

fn init(dir: &std::path::Path, force: bool) -> ExitCode {
    match svcbook::scaffold::init(dir, force, svcbook::model::Date::today()) {
        Ok(files) => {
            for f in &files {
                eprintln!("  created {}", dir.join(f).display());
            }
            eprintln!(
                "new site in {0}: `svcbook serve {0}` to preview, `svcbook new fault_case \"标题\"` to add an article",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn new_article(site: &std::path::Path, kind: &str, title: &str, id: Option<&str>) -> ExitCode {
    match svcbook::scaffold::new_article(site, kind, title, id, svcbook::model::Date::today()) {
        Ok(created) => {
            let shown = created
                .path
                .strip_prefix(".")
                .unwrap_or(&created.path)
                .to_path_buf();
            let _ = writeln!(std::io::stdout(), "{}", shown.display());
            eprintln!(
                "created {} ({}, from the {} archetype); drafts show in `svcbook serve`: set `status: published` when it is ready",
                shown.display(),
                created.id,
                created.archetype
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
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
        // Another build holds the output: its result, not ours, is what comes.
        Err(e @ BuildError::Write(svcbook::write::WriteError::Busy { .. })) => {
            eprintln!("error: {e}\nbuild failed");
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
        println!("{}", svcbook::changes::to_json(&list, since));
    } else {
        print!("{}", svcbook::changes::to_text(&list, since));
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_positional_is_the_query_two_are_dir_and_query() {
        let one = match Cli::parse_from(["svcbook", "search", "E04 不制冷"]).command {
            Command::Search(args) => args.to_query(),
            _ => unreachable!(),
        };
        assert_eq!(
            (one.site_dir, one.query.as_str()),
            (PathBuf::from("."), "E04 不制冷")
        );
        let two = match Cli::parse_from([
            "svcbook",
            "search",
            "site",
            "E04",
            "--kind",
            "fault_case",
            "--json",
        ])
        .command
        {
            Command::Search(args) => args,
            _ => unreachable!(),
        };
        assert!(two.json);
        let two = two.to_query();
        assert_eq!(
            (two.site_dir, two.query.as_str()),
            (PathBuf::from("site"), "E04")
        );
        assert_eq!(two.kind, vec!["fault_case"]);
        assert!(Cli::try_parse_from(["svcbook", "search"]).is_err());
    }
}
