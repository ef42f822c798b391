//! Findings placed in the `.tf` sources: the root module, local modules,
//! instances of `count` and `for_each`, remote modules, and files that do
//! not parse.

use std::path::{Path, PathBuf};

use tfwarden::plan::PlanSource;
use tfwarden::report::Location;
use tfwarden::source::SourceMap;

use crate::support::{guest_path, stderr, stdout, tfwarden};

fn fixture(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/source")
        .join(dir)
}

fn at(file: &str, line: usize, start_line: usize, end_line: usize) -> Option<Location> {
    Some(Location {
        file: format!("testdata/source/{file}"),
        line,
        start_line,
        end_line,
    })
}

/// Checks `plan.json` in `dir` with the owner-tag example, as JSON.
fn check(dir: &str, extra: &[&str]) -> (std::process::Output, serde_json::Value) {
    let cache = tempfile::tempdir().unwrap();
    let dir = fixture(dir);
    let plan = dir.join("plan.json");
    let mut args = vec![
        "check",
        "--plan",
        plan.to_str().unwrap(),
        "--dir",
        dir.to_str().unwrap(),
        "--no-builtins",
        "--format",
        "json",
    ];
    let plugin = guest_path("owner-tag-policy").display().to_string();
    args.extend(["--plugin", &plugin]);
    args.extend(extra);
    let o = tfwarden(&args, cache.path());
    let json = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
    (o, json)
}

#[test]
fn places_findings_in_root_and_local_modules() {
    let (o, report) = check("root", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "no warnings expected");
    let placed: Vec<(String, serde_json::Value)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["address"].as_str().unwrap().to_owned(),
                f["location"].clone(),
            )
        })
        .collect();
    let loc = |file: &str, line: usize, start: usize, end: usize| {
        serde_json::json!({
            "file": format!("testdata/source/{file}"),
            "line": line, "start_line": start, "end_line": end,
        })
    };
    assert_eq!(
        placed,
        [
            (
                "aws_s3_bucket.assets".to_owned(),
                loc("root/main.tf", 16, 13, 19)
            ),
            (
                "aws_s3_bucket.by_team[\"a\"]".to_owned(),
                loc("root/main.tf", 30, 27, 31)
            ),
            (
                "module.logs.aws_s3_bucket.this".to_owned(),
                loc("modules/bucket/main.tf", 7, 5, 10)
            ),
            (
                "module.logs.module.inner.aws_s3_bucket.deep".into(),
                loc("modules/bucket/inner/main.tf", 3, 1, 4)
            ),
            // A remote module: the `module` block that calls it.
            (
                "module.vpc.aws_s3_bucket.flow_logs".to_owned(),
                loc("root/main.tf", 8, 8, 11)
            ),
        ]
    );
}

#[test]
fn text_report_shows_where_each_resource_is() {
    let cache = tempfile::tempdir().unwrap();
    let dir = fixture("root");
    let plan = dir.join("plan.json");
    let plugin = guest_path("owner-tag-policy").display().to_string();
    let o = tfwarden(
        &[
            "check",
            "--plan",
            plan.to_str().unwrap(),
            "--dir",
            dir.to_str().unwrap(),
            "--no-builtins",
            "--plugin",
            &plugin,
        ],
        cache.path(),
    );
    let text = stdout(&o);
    assert!(
        text.contains(
            "aws_s3_bucket.assets  testdata/source/root/main.tf:13\n  ✗ OWN001 high     tags.owner: add an `owner` tag\n      at testdata/source/root/main.tf:16\n      fix: set tags.owner = \"team-name\""
        ),
        "{text}"
    );
    assert!(
        text.contains("module.vpc.aws_s3_bucket.flow_logs  testdata/source/root/main.tf:8\n  ✗ OWN001 high     tags.owner: add an `owner` tag\n      fix:"),
        "{text}"
    );
}

#[test]
fn a_file_that_does_not_parse_is_a_warning_with_a_span() {
    let (o, report) = check("broken", &[]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the check still runs: {}",
        stderr(&o)
    );
    let err = stderr(&o);
    assert!(err.contains("tfwarden::source::parse"), "{err}");
    assert!(
        err.contains("testdata/source/broken/broken.tf does not parse as HCL"),
        "{err}"
    );
    // miette draws the file with a label under the place the parser stopped.
    assert!(err.contains("broken.tf:"), "{err}");
    assert!(
        err.contains("`terraform validate` shows the same problem"),
        "{err}"
    );
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings[0]["address"], "aws_s3_bucket.lost");
    assert_eq!(findings[0]["location"], serde_json::Value::Null);
    assert_eq!(findings[1]["address"], "aws_s3_bucket.ok");
    assert_eq!(
        findings[1]["location"]["file"],
        "testdata/source/broken/good.tf"
    );
}

#[test]
fn a_missing_directory_is_a_warning() {
    let cache = tempfile::tempdir().unwrap();
    let plan = fixture("root").join("plan.json");
    let plugin = guest_path("owner-tag-policy").display().to_string();
    let o = tfwarden(
        &[
            "check",
            "--plan",
            plan.to_str().unwrap(),
            "--dir",
            "/nonexistent/tfwarden-dir",
            "--no-builtins",
            "--plugin",
            &plugin,
        ],
        cache.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("tfwarden::source::unreadable"),
        "{}",
        stderr(&o)
    );
}

/// Every resource of a real plan, made by `terraform` with `count`,
/// `for_each` and module instances, finds its block.
#[test]
fn every_resource_of_a_real_plan_finds_its_block() {
    let dir = fixture("real");
    let source = PlanSource::read(dir.join("plan.json").to_str().unwrap(), None, 1 << 20).unwrap();
    let plan = source.parse().unwrap();
    let (map, warnings) = SourceMap::load(&dir, plan.configuration);
    assert!(warnings.is_empty(), "{warnings:?}");
    let placed: Vec<(String, Option<Location>)> = plan
        .resource_changes
        .iter()
        .flatten()
        .map(|rc| {
            (
                rc.address.to_string(),
                map.locate(&rc.address, "input.tags.owner"),
            )
        })
        .collect();
    let root = |line, start, end| at("real/main.tf", line, start, end);
    assert_eq!(
        placed,
        [
            ("terraform_data.counted[0]".to_owned(), root(11, 9, 12)),
            ("terraform_data.counted[1]".to_owned(), root(11, 9, 12)),
            ("terraform_data.keyed[\"a.b\"]".to_owned(), root(16, 14, 17)),
            ("terraform_data.keyed[\"c\"]".to_owned(), root(16, 14, 17)),
            ("terraform_data.single".to_owned(), root(6, 5, 7)),
            (
                "module.app.terraform_data.config".to_owned(),
                at("real/modules/app/main.tf", 8, 5, 10)
            ),
            (
                "module.apps[\"x\"].terraform_data.config".into(),
                at("real/modules/app/main.tf", 8, 5, 10)
            ),
            (
                "module.apps[\"y\"].terraform_data.config".into(),
                at("real/modules/app/main.tf", 8, 5, 10)
            ),
        ]
    );
    assert_eq!(
        map.locate("module.app.data.terraform_remote_state.unused", ""),
        at("real/modules/app/main.tf", 12, 12, 15)
    );
    assert_eq!(map.locate("", ""), None);
}
