//! `build-times SITE_DIR OUT_DIR`: one `svcbook build`, through the same library
//! call the CLI makes (`pipeline::build`), printed as one JSON line with the
//! per-stage wall times the CLI does not show, and the process's peak RSS.
//!
//! bench/run uses it for the per-stage breakdown (wall time, and the highest RSS
//! sampled during each stage); wall time and peak RSS of the build itself are
//! measured on `target/release/svcbook`.
//!
//! Built with `cargo build --release --example build-times`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use svcbook::pipeline::{self, BuildOptions, Stage};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A field of /proc/self/status in KiB (Linux only): `VmHWM` is the peak RSS
/// so far, `VmRSS` the current one.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

const STAGES: [&str; 6] = ["setup", "load", "validate", "render", "index", "write"];

/// Samples RSS every 10 ms and keeps the highest value seen during each stage,
/// so the report can say which stage holds the memory.
fn rss_sampler(stage: Arc<AtomicUsize>, peaks: Arc<Vec<AtomicU64>>) {
    std::thread::spawn(move || loop {
        if let Some(kib) = status_kib("VmRSS:") {
            peaks[stage.load(Ordering::Relaxed)].fetch_max(kib, Ordering::Relaxed);
        }
        std::thread::sleep(Duration::from_millis(10));
    });
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
    let stage = Arc::new(AtomicUsize::new(0));
    let peaks: Arc<Vec<AtomicU64>> = Arc::new(STAGES.iter().map(|_| AtomicU64::new(0)).collect());
    rss_sampler(stage.clone(), peaks.clone());
    let mut on_stage = |s: Stage| {
        let i = match s {
            Stage::Load => 1,
            Stage::Validate => 2,
            Stage::Render => 3,
            Stage::Index => 4,
            Stage::Write => 5,
        };
        stage.store(i, Ordering::Relaxed);
    };
    match pipeline::build(&options, &mut on_stage) {
        Ok(report) => {
            let rss_mib: serde_json::Map<String, serde_json::Value> = STAGES
                .iter()
                .zip(peaks.iter())
                .map(|(name, kib)| {
                    let mib = kib.load(Ordering::Relaxed) as f64 / 1024.0;
                    (
                        name.to_string(),
                        serde_json::json!((mib * 10.0).round() / 10.0),
                    )
                })
                .collect();
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
                "peak_rss_kib": status_kib("VmHWM:"),
                "stage_peak_rss_mib": rss_mib,
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
