//! Builds the built-in plugins (`plugins/*`) and the test guests (`tests/guests/*`)
//! for wasm32-wasip2, so the binary can embed the plugins and the tests can load
//! the guests. No `.wasm` is ever committed.

use std::env;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("set by cargo"));

    // TFWARDEN_BUILTINS=a,b limits the built-in plugins, for quicker local builds.
    println!("cargo:rerun-if-env-changed=TFWARDEN_BUILTINS");
    let only = env::var("TFWARDEN_BUILTINS").ok();
    let plugins: Vec<String> = crate_dirs(&root.join("plugins"))
        .into_iter()
        .filter(|name| {
            only.as_deref()
                .is_none_or(|only| only.split(',').any(|o| o == name))
        })
        .collect();
    // Test guests and the SDK examples: built so tests can load them, never embedded.
    let mut guests = crate_dirs(&root.join("tests/guests"));
    guests.extend(crate_dirs(&root.join("examples")));
    // TFWARDEN_GUESTS=0 skips them, for builds that need no plugin at all (fuzzing).
    println!("cargo:rerun-if-env-changed=TFWARDEN_GUESTS");
    if env::var("TFWARDEN_GUESTS").is_ok_and(|v| v == "0") {
        guests.clear();
    }
    for dir in [
        "sdk",
        "plugins",
        "tests/guests",
        "examples",
        "docs/rules",
        "Cargo.lock",
        "Cargo.toml",
    ] {
        println!("cargo:rerun-if-changed={dir}");
    }

    // target/<profile>/build/tfwarden-*/out -> target/wasm-plugins, shared by all profiles.
    let wasm_target = out_dir
        .ancestors()
        .nth(4)
        .expect("OUT_DIR sits four levels under the target directory")
        .join("wasm-plugins");

    let mut cmd = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(&root)
        .args([
            "build",
            "--target",
            "wasm32-wasip2",
            "--profile",
            "wasm",
            "--target-dir",
        ])
        .arg(&wasm_target);
    for name in plugins.iter().chain(&guests) {
        cmd.args(["-p", name]);
    }
    // The outer build's flags and wrappers (clippy, coverage) are not meant for the guests.
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
    ] {
        cmd.env_remove(var);
    }
    if !(plugins.is_empty() && guests.is_empty()) {
        let status = cmd.status().expect("cargo can be run from build.rs");
        assert!(
            status.success(),
            "building the wasm plugins failed; is the wasm32-wasip2 target installed? (rust-toolchain.toml lists it)"
        );
    }

    let wasm_dir = wasm_target.join("wasm32-wasip2/wasm");
    let mut builtins = String::from("/// The built-in plugins, compiled to wasm by build.rs.\n");
    builtins.push_str("pub static BUILTINS: &[(&str, &[u8])] = &[\n");
    for name in &plugins {
        let wasm = wasm_dir.join(format!("{}.wasm", name.replace('-', "_")));
        writeln!(
            builtins,
            "    ({name:?}, include_bytes!({:?})),",
            wasm.display().to_string()
        )
        .expect("writing to a String");
    }
    builtins.push_str("];\n");
    std::fs::write(out_dir.join("builtins.rs"), builtins).expect("OUT_DIR is writable");
    println!("cargo:rustc-env=TFWARDEN_GUEST_DIR={}", wasm_dir.display());
}

/// Package names of the crates directly under `dir` (one folder each, named like the package).
fn crate_dirs(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().join("Cargo.toml").is_file())
                .map(|e| package_name(&e.path().join("Cargo.toml")))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn package_name(manifest: &Path) -> String {
    let text = std::fs::read_to_string(manifest).expect("manifest is readable");
    text.lines()
        .find_map(|line| {
            let value = line
                .trim()
                .strip_prefix("name")?
                .trim_start()
                .strip_prefix('=')?;
            Some(value.trim().trim_matches('"').to_owned())
        })
        .unwrap_or_else(|| panic!("{} has no package name", manifest.display()))
}
