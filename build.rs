//! Compiles the browser search runtime (crates/svcbook-search-wasm) to
//! wasm32-unknown-unknown and hands its bytes to the svcbook crate, so that a
//! plain `cargo build` / `cargo install --path .` gives a binary that carries
//! its own search runtime.
//!
//! * The inner cargo gets its own target dir (`<target>/wasm-build`), shared by
//!   every profile: the outer build holds the lock on its own profile dir, and
//!   debug, release and test builds then reuse one wasm build.
//! * rerun-if-changed covers the wasm crate and svcbook-search, so an unchanged
//!   runtime costs nothing on later builds.
//! * `SVCBOOK_SEARCH_WASM=/path/to/file.wasm` skips the inner build and embeds
//!   that file instead (for packagers who prebuild it).
//! * `wasm-opt -Oz` (binaryen) shrinks the runtime when it is on PATH; without
//!   it the build goes on with the unoptimised runtime and says so.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

fn main() {
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let wasm_crate = manifest_dir.join("crates/svcbook-search-wasm");
    let search_crate = manifest_dir.join("crates/svcbook-search");
    for path in [
        wasm_crate.join("src"),
        wasm_crate.join("Cargo.toml"),
        wasm_crate.join("Cargo.lock"),
        wasm_crate.join("regex-lite-shim"),
        search_crate.join("src"),
        search_crate.join("Cargo.toml"),
    ] {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    println!("cargo:rerun-if-env-changed=SVCBOOK_SEARCH_WASM");
    println!("cargo:rerun-if-env-changed=WASM_OPT");

    let dest = out_dir.join("svcbook_search.wasm");
    if let Some(prebuilt) = env::var_os("SVCBOOK_SEARCH_WASM") {
        copy(Path::new(&prebuilt), &dest);
        return;
    }
    let target_dir = outer_target_dir(&out_dir)
        .unwrap_or_else(|| manifest_dir.join("target"))
        .join("wasm-build");
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(&wasm_crate)
        .args([
            "build",
            "--release",
            "--target",
            WASM_TARGET,
            "--target-dir",
        ])
        .arg(&target_dir)
        // The outer build's flags (coverage, sanitizers, target-cpu=native) are for
        // the host; the wasm build gets exactly the one cfg it needs.
        .env(
            "CARGO_ENCODED_RUSTFLAGS",
            "--cfg\u{1f}getrandom_backend=\"custom\"",
        )
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("RUSTC_WORKSPACE_WRAPPER");
    let output = match cmd.output() {
        Ok(output) => output,
        Err(e) => fail(&format!(
            "could not run cargo to build the search runtime: {e}"
        )),
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !target_installed()
            || stderr.contains("may not be installed")
            || stderr.contains("can't find crate for `core`")
        {
            fail(
                "the browser search runtime needs the wasm32-unknown-unknown target.\n\
                 run `rustup target add wasm32-unknown-unknown` and build again \
                 (`./dev preview` and `./dev test` do this for you)",
            );
        }
        fail(&format!(
            "building the search runtime (crates/svcbook-search-wasm) failed:\n{stderr}"
        ));
    }
    let built = target_dir
        .join(WASM_TARGET)
        .join("release/svcbook_search_wasm.wasm");
    if !optimise(&built, &dest) {
        copy(&built, &dest);
    }
}

/// `wasm-opt -Oz` from `from` into `to`; false (with a warning) when binaryen
/// is missing or fails, so the caller embeds the runtime as built.
fn optimise(from: &Path, to: &Path) -> bool {
    // The features rustc's wasm32 target emits by default.
    let features = [
        "--enable-bulk-memory",
        "--enable-sign-ext",
        "--enable-nontrapping-float-to-int",
        "--enable-mutable-globals",
        "--enable-reference-types",
        "--enable-multivalue",
    ];
    let result = Command::new(env::var_os("WASM_OPT").unwrap_or_else(|| "wasm-opt".into()))
        .arg("-Oz")
        .args(features)
        .arg(from)
        .arg("-o")
        .arg(to)
        .output();
    match result {
        Ok(out) if out.status.success() => true,
        Ok(out) => {
            println!(
                "cargo:warning=wasm-opt failed, embedding the unoptimised search runtime: {}",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
            );
            false
        }
        Err(_) => {
            println!(
                "cargo:warning=wasm-opt (binaryen) not found: the search runtime is not size-optimised"
            );
            false
        }
    }
}

/// The outer build's target dir: the ancestor of OUT_DIR that cargo tagged with CACHEDIR.TAG.
fn outer_target_dir(out_dir: &Path) -> Option<PathBuf> {
    out_dir
        .ancestors()
        .find(|dir| dir.join("CACHEDIR.TAG").is_file())
        .map(Path::to_path_buf)
}

fn target_installed() -> bool {
    match Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
    {
        Ok(out) => String::from_utf8_lossy(&out.stdout)
            .lines()
            .any(|l| l.trim() == WASM_TARGET),
        // No rustup: cannot tell, let the compiler's own error speak.
        Err(_) => true,
    }
}

fn copy(from: &Path, to: &Path) {
    if let Err(e) = fs::copy(from, to) {
        fail(&format!(
            "cannot copy the search runtime {} to {}: {e}",
            from.display(),
            to.display()
        ));
    }
}

fn fail(message: &str) -> ! {
    eprintln!("\nerror: {message}\n");
    std::process::exit(1);
}
