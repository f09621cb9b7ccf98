//! `build-times SITE_DIR OUT_DIR`: one `svcbook build`, through the same library
//! call the CLI makes (`pipeline::build`), printed as one JSON line with the
//! per-stage wall times the CLI does not show, and the process's peak RSS.
//!
//! bench/run uses it for the per-stage breakdown; wall time and peak RSS of the
//! build itself are measured on `target/release/svcbook`.
//!
//! Built with `cargo build --release --example build-times`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use svcbook::pipeline::{self, BuildOptions};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak resident set size of this process so far, in KiB (Linux only).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [site, out] = args.as_slice() else {
        eprintln!("usage: build-times SITE_DIR OUT_DIR");
        return ExitCode::from(2);
    };
    let options = BuildOptions {
        site_dir: PathBuf::from(site),
        output_dir: Some(PathBuf::from(out)),
        ..BuildOptions::default()
    };
    match pipeline::build(&options, &mut |_| {}) {
        Ok(report) => {
            let t = &report.times;
            let json = serde_json::json!({
                "articles": report.articles,
                "pages": report.pages,
                "files": report.files,
                "warnings": report.warnings.warnings().count(),
                "total_ms": ms(report.elapsed),
                "load_ms": ms(t.load),
                "validate_ms": ms(t.validate),
                "render_ms": ms(t.render),
                "index_ms": ms(t.index),
                "write_ms": ms(t.write),
                "peak_rss_kib": peak_rss_kib(),
            });
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("build failed: {e}");
            ExitCode::FAILURE
        }
    }
}
