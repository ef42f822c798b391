//! Shared helpers: the built binary, the test guests, and small plans.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A compiled test guest or example plugin, built by build.rs.
pub fn guest(package: &str) -> Vec<u8> {
    std::fs::read(guest_path(package)).expect("build.rs built the guest")
}

pub fn guest_path(package: &str) -> PathBuf {
    Path::new(env!("TFWARDEN_GUEST_DIR")).join(format!("{}.wasm", package.replace('-', "_")))
}

/// Runs the `tfwarden` binary with a private plugin cache.
pub fn tfwarden(args: &[&str], cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tfwarden"))
        .args(args)
        .env("TFWARDEN_CACHE_DIR", cache)
        .env_remove("TFACTION_TARGET")
        .output()
        .expect("the binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A plan with the given resource changes (JSON objects).
pub fn plan_json(changes: &[&str]) -> String {
    format!(
        r#"{{"format_version":"1.2","terraform_version":"1.11.0","resource_changes":[{}]}}"#,
        changes.join(",")
    )
}

/// One managed resource change.
pub fn change(address: &str, actions: &str, after: &str) -> String {
    let (type_, name) = address.split_once('.').expect("type.name");
    format!(
        r#"{{"address":"{address}","mode":"managed","type":"{type_}","name":"{name}","provider_name":"registry.terraform.io/hashicorp/aws","change":{{"actions":{actions},"before":null,"after":{after},"after_unknown":{{}}}}}}"#
    )
}
