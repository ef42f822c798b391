//! `tfwarden check` end to end: formats, exit codes, stdin, configuration, secrets.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::{change, guest_path, plan_json, stderr, stdout, tfwarden};

fn example() -> String {
    guest_path("owner-tag-policy").display().to_string()
}

fn plan_file(dir: &std::path::Path, text: &str) -> String {
    let path = dir.join("plan.json");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn reports_findings_grouped_by_resource_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_file(
        dir.path(),
        &plan_json(&[
            &change("aws_s3_bucket.untagged", r#"["create"]"#, r#"{"tags":{}}"#),
            &change(
                "aws_s3_bucket.tagged",
                r#"["create"]"#,
                r#"{"tags":{"owner":"ops"}}"#,
            ),
            &change("aws_s3_bucket.gone", r#"["delete"]"#, r#"null"#),
        ]),
    );
    let o = tfwarden(
        &[
            "check",
            "--plan",
            &plan,
            "--no-builtins",
            "--plugin",
            &example(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("aws_s3_bucket.untagged\n  ✗ OWN001 high     tags.owner: add an `owner` tag"),
        "{text}"
    );
    assert!(
        !text.contains("aws_s3_bucket.tagged") && !text.contains("aws_s3_bucket.gone"),
        "{text}"
    );
    assert!(text.contains("FAIL: 1 blocking"), "{text}");
}

#[test]
fn json_report_follows_the_documented_schema() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_file(
        dir.path(),
        &plan_json(&[&change(
            "aws_s3_bucket.b",
            r#"["create"]"#,
            r#"{"tags":{}}"#,
        )]),
    );
    let o = tfwarden(
        &[
            "check",
            "--plan",
            &plan,
            "--no-builtins",
            "--plugin",
            &example(),
            "--format",
            "json",
            "--fail-on",
            "critical",
        ],
        dir.path(),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "high is below --fail-on critical: {}",
        stderr(&o)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["verdict"], "pass");
    assert_eq!(report["fail_on"], "critical");
    assert_eq!(report["counts"]["advisory"], 1);
    let f = &report["findings"][0];
    assert_eq!(f["rule_id"], "OWN001");
    assert_eq!(f["plugin"], "owner_tag_policy", "named after the file");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["status"], "advisory");
    assert_eq!(f["address"], "aws_s3_bucket.b");
    assert_eq!(f["resource_type"], "aws_s3_bucket");
    assert_eq!(f["path"], "tags.owner");
    assert_eq!(f["fix"]["value"], "\"team-name\"");
    assert_eq!(report["plugins"][0]["changes_checked"], 1);
}

#[test]
fn reads_the_plan_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tfwarden"))
        .args([
            "check",
            "--plan",
            "-",
            "--no-builtins",
            "--plugin",
            &example(),
        ])
        .env("TFWARDEN_CACHE_DIR", dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let text = plan_json(&[&change(
        "aws_s3_bucket.b",
        r#"["create"]"#,
        r#"{"tags":{"owner":"a"}}"#,
    )]);
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("<stdin>") && stdout(&o).contains("PASS"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_crashing_plugin_fails_closed_but_keeps_other_findings() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_file(
        dir.path(),
        &plan_json(&[&change(
            "aws_s3_bucket.b",
            r#"["create"]"#,
            r#"{"tags":{}}"#,
        )]),
    );
    let config = dir.path().join("tfwarden.toml");
    let hostile = guest_path("tfwarden-guest-hostile").display().to_string();
    std::fs::write(
        &config,
        format!("[plugins.hostile]\npath = {hostile:?}\nsettings = {{ mode = \"panic\" }}\n"),
    )
    .unwrap();
    let o = tfwarden(
        &[
            "check",
            "--plan",
            &plan,
            "--no-builtins",
            "--plugin",
            &example(),
            "--config",
            config.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3));
    let text = stdout(&o);
    assert!(text.contains("OWN001"), "{text}");
    assert!(text.contains("error: plugin `hostile` crashed during check: panicked: hostile plugin panicked on purpose (at tests/guests/hostile/src/lib.rs:"), "{text}");
    assert!(text.contains("ERROR: 1 blocking"), "{text}");
}

#[test]
fn rejected_settings_stop_the_run_before_any_check() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_file(dir.path(), &plan_json(&[]));
    let config = dir.path().join("tfwarden.toml");
    let hostile = guest_path("tfwarden-guest-hostile").display().to_string();
    std::fs::write(
        &config,
        format!("[plugins.hostile]\npath = {hostile:?}\nsettings = {{ mode = \"nope\" }}\n"),
    )
    .unwrap();
    let o = tfwarden(
        &[
            "check",
            "--plan",
            &plan,
            "--no-builtins",
            "--config",
            config.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(stdout(&o).is_empty());
    assert!(
        stderr(&o).contains("plugin `hostile` rejected its settings: unknown mode `nope`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn sha256_pins_are_enforced_and_unknown_plugins_get_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_file(dir.path(), &plan_json(&[]));
    let config = dir.path().join("tfwarden.toml");
    std::fs::write(
        &config,
        format!(
            "[plugins.example]\npath = {:?}\nsha256 = \"00ff\"\n",
            example()
        ),
    )
    .unwrap();
    let o = tfwarden(
        &[
            "check",
            "--plan",
            &plan,
            "--config",
            config.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("but the configuration pins 00ff"),
        "{}",
        stderr(&o)
    );

    std::fs::write(&config, "[plugins.taging]\nsettings = {}\n").unwrap();
    let o = tfwarden(
        &[
            "check",
            "--plan",
            &plan,
            "--config",
            config.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("plugin `taging`"), "{}", stderr(&o));
}

#[test]
fn sensitive_values_never_reach_the_report() {
    let dir = tempfile::tempdir().unwrap();
    // The hostile guest reports every change it sees; the secret must not be among them.
    let secret_change = r#"{"address":"aws_db_instance.db","mode":"managed","type":"aws_db_instance","name":"db","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create"],"before":null,"after":{"password":"hunter2-secret","tags":{}},"after_unknown":{},"after_sensitive":{"password":true}}}"#;
    let plan = plan_file(dir.path(), &plan_json(&[secret_change]));
    for format in ["text", "json"] {
        let o = tfwarden(
            &[
                "check",
                "--plan",
                &plan,
                "--no-builtins",
                "--plugin",
                &example(),
                "--format",
                format,
            ],
            dir.path(),
        );
        assert!(!stdout(&o).contains("hunter2"), "{format}: {}", stdout(&o));
        assert!(stdout(&o).contains("aws_db_instance.db"));
    }
}
