//! `svcbook search`: queries the index the last build wrote. (Placeholder until the search issue lands.)

use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Site folder (the one holding svcbook.toml / content/).
    #[arg(default_value = ".")]
    pub site_dir: PathBuf,
    /// The query.
    pub query: String,
}

/// Runs the search and prints results; returns the process exit code.
pub fn run(args: &SearchArgs) -> i32 {
    eprintln!("search is not implemented yet (query: {})", args.query);
    let _ = &args.site_dir;
    2
}
