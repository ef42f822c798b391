//! Snapshots of the Markdown and SARIF renderings of the source-mapping
//! fixture. `TFWARDEN_BLESS=1 cargo test` rewrites them after a deliberate change.

use std::path::Path;
use std::process::Command;

use crate::support::{guest_path, stderr, stdout};

fn render(format: &str) -> String {
    let cache = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_tfwarden"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "check",
            "--plan",
            "testdata/source/root/plan.json",
            "--dir",
            "testdata/source/root",
            "--target",
            "infra/prod",
            "--no-builtins",
            "--plugin",
        ])
        .arg(guest_path("owner-tag-policy"))
        .args(["--format", format])
        .env("TFWARDEN_CACHE_DIR", cache.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    stdout(&o)
}

fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/source/root")
        .join(name);
    if std::env::var_os("TFWARDEN_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{name} differs (TFWARDEN_BLESS=1 rewrites it):\n{actual}"
    );
}

#[test]
fn markdown_summary() {
    snapshot("report.md", &render("markdown"));
}

#[test]
fn sarif_report() {
    let sarif = render("sarif");
    let doc: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    // serde-sarif's types are generated from the official SARIF 2.1.0 JSON
    // Schema: reading the output into them checks it against that schema.
    serde_json::from_str::<serde_sarif::sarif::Sarif>(&sarif)
        .expect("SARIF 2.1.0 as the schema defines it");
    // What code scanning relies on, beyond the snapshot.
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["rules"][0]["id"], "OWN001");
    // The schema's `uniqueItems`, which the generated types do not enforce.
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        let tags = rule["properties"]["tags"].as_array().unwrap();
        assert!(
            tags.iter().enumerate().all(|(i, t)| !tags[..i].contains(t)),
            "{rule}"
        );
    }
    for result in run["results"].as_array().unwrap() {
        assert_eq!(result["ruleIndex"], 0);
        let uri = &result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        assert!(
            uri.as_str().unwrap().starts_with("testdata/source/"),
            "{result}"
        );
    }
    snapshot("report.sarif.json", &sarif);
}
