//! The policy layer end to end: nested configuration, enforcement levels and
//! overrides, waivers, change-awareness, indeterminate findings, JUnit, init,
//! schema and `tfwarden test`.

use std::path::Path;

use crate::support::{change, guest_path, plan_json, stderr, stdout, tfwarden};

/// A repository with a root config and a target folder, and an untagged bucket plan.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new(root_config: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let example = guest_path("owner-tag-policy").display().to_string();
        std::fs::write(
            dir.path().join("tfwarden.toml"),
            format!("{root_config}\n[plugins.owner-tag]\npath = {example:?}\n"),
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("envs/prod")).unwrap();
        let plan = plan_json(&[
            &change("aws_s3_bucket.logs", r#"["create"]"#, r#"{"tags":{}}"#),
            &change(
                "aws_s3_bucket.data",
                r#"["create"]"#,
                r#"{"tags":{"owner":"data"}}"#,
            ),
        ]);
        std::fs::write(dir.path().join("envs/prod/plan.json"), plan).unwrap();
        Repo { dir }
    }

    fn target(&self) -> std::path::PathBuf {
        self.dir.path().join("envs/prod")
    }

    fn write_target_config(&self, text: &str) {
        std::fs::write(self.target().join("tfwarden.toml"), text).unwrap();
    }

    /// Runs `check --format json` in the target folder.
    fn check(&self, extra: &[&str]) -> (i32, serde_json::Value, String) {
        let plan = self.target().join("plan.json").display().to_string();
        let dir = self.target().display().to_string();
        let mut args = vec![
            "check",
            "--plan",
            &plan,
            "--dir",
            &dir,
            "--no-builtins",
            "--format",
            "json",
        ];
        args.extend(extra);
        let o = tfwarden(&args, self.dir.path());
        let report = serde_json::from_str(&stdout(&o)).unwrap_or(serde_json::Value::Null);
        (o.status.code().unwrap(), report, stderr(&o))
    }
}

fn statuses(report: &serde_json::Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["address"].as_str().unwrap().to_owned(),
                f["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn nearer_config_refines_the_root() {
    let repo = Repo::new("fail_on = \"critical\"\n");
    let (code, report, err) = repo.check(&[]);
    assert_eq!(code, 0, "high is below the root's fail_on: {err}");
    assert_eq!(report["fail_on"], "critical");
    repo.write_target_config("fail_on = \"high\"\n");
    let (code, report, _) = repo.check(&[]);
    assert_eq!(code, 1, "the target's fail_on wins");
    assert_eq!(
        statuses(&report),
        [("aws_s3_bucket.logs".into(), "blocking".into())]
    );
}

#[test]
fn enforcement_levels_and_the_override() {
    let repo = Repo::new("[rules.OWN001]\nenforcement = \"advisory\"\n");
    let (code, report, _) = repo.check(&[]);
    assert_eq!((code, statuses(&report)[0].1.as_str()), (0, "advisory"));

    repo.write_target_config("[rules.OWN001]\nenforcement = \"soft\"\n");
    assert_eq!(repo.check(&[]).0, 1, "soft blocks without an override");
    let (code, report, _) = repo.check(&["--override", "--override-by", "ana"]);
    assert_eq!(code, 0, "the override releases soft rules");
    assert_eq!(
        report["overrides"],
        serde_json::json!([{"by": "ana", "via": "flag `--override`", "rules": ["OWN001"]}])
    );
    assert_eq!(statuses(&report)[0].1, "advisory");

    repo.write_target_config("[rules.OWN001]\nenforcement = \"hard\"\n");
    let (code, report, _) = repo.check(&["--override"]);
    assert_eq!(code, 1, "hard always blocks");
    assert_eq!(report["overrides"], serde_json::json!([]));
}

#[test]
fn the_override_label_comes_from_the_pull_request_event() {
    let repo = Repo::new("override_label = \"ship-it\"\n");
    let event = repo.dir.path().join("event.json");
    std::fs::write(
        &event,
        r#"{"sender":{"login":"lead"},"pull_request":{"labels":[{"name":"ship-it"}]}}"#,
    )
    .unwrap();
    let plan = repo.target().join("plan.json").display().to_string();
    let dir = repo.target().display().to_string();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tfwarden"))
        .args([
            "check",
            "--plan",
            &plan,
            "--dir",
            &dir,
            "--no-builtins",
            "--format",
            "json",
        ])
        .env("TFWARDEN_CACHE_DIR", repo.dir.path())
        .env("GITHUB_EVENT_PATH", &event)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["overrides"][0]["by"], "lead");
    assert_eq!(report["overrides"][0]["via"], "label `ship-it`");
}

#[test]
fn waivers_apply_expire_and_go_stale() {
    let repo = Repo::new(
        r#"
[[waivers]]
rule = "OWN001"
address = "aws_s3_bucket.l*"
reason = "log buckets are tagged by the logging stack"
owner = "platform"
expires = 2999-01-01

[[waivers]]
rule = "*"
address = "module.gone.*"
reason = "nothing matches this any more"
"#,
    );
    let (code, report, err) = repo.check(&[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        statuses(&report),
        [("aws_s3_bucket.logs".into(), "waived".into())]
    );
    assert_eq!(
        report["findings"][0]["waiver"],
        "log buckets are tagged by the logging stack"
    );
    let states: Vec<_> = report["waivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["state"].clone())
        .collect();
    assert_eq!(states, ["applied", "stale"]);

    let repo = Repo::new(
        "[[waivers]]\nrule = \"OWN001\"\naddress = \"aws_s3_bucket.logs\"\nreason = \"temporary\"\nexpires = 2020-01-01\n",
    );
    let (code, report, _) = repo.check(&[]);
    assert_eq!(code, 1, "an expired waiver no longer waives");
    let expired: Vec<_> = report["waivers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["state"] == "expired")
        .collect();
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0]["matched"], 1);
}

#[test]
fn misspelled_rule_ids_get_a_hint_and_a_span() {
    let repo = Repo::new("[rules.OWN01]\nenforcement = \"hard\"\n");
    let (code, _, err) = repo.check(&[]);
    assert_eq!(code, 3);
    assert!(
        err.contains("no rule `OWN01` in the enabled plugins"),
        "{err}"
    );
    assert!(err.contains("did you mean `OWN001`?"), "{err}");
    assert!(
        err.contains("[rules.OWN01]"),
        "the span shows the line: {err}"
    );

    let repo = Repo::new("[[waivers]]\nrule = \"OWN0001\"\naddress = \"*\"\nreason = \"x\"\n");
    let (code, _, err) = repo.check(&[]);
    assert_eq!(code, 3);
    assert!(err.contains("did you mean `OWN001`?"), "{err}");
}

#[test]
fn indeterminate_findings_show_but_do_not_block_unless_configured() {
    let repo = Repo::new("");
    let unknown_owner = r#"{"address":"aws_s3_bucket.logs","mode":"managed","type":"aws_s3_bucket","name":"logs","provider_name":"aws","change":{"actions":["create"],"before":null,"after":{"tags":{}},"after_unknown":{"tags":{"owner":true}}}}"#;
    std::fs::write(repo.target().join("plan.json"), plan_json(&[unknown_owner])).unwrap();
    let (code, report, _) = repo.check(&[]);
    assert_eq!(
        (code, statuses(&report)[0].1.as_str()),
        (0, "indeterminate")
    );
    repo.write_target_config("block_indeterminate = true\n");
    assert_eq!(repo.check(&[]).0, 1);
}

#[test]
fn introduced_and_pre_existing_findings_on_updates() {
    let repo = Repo::new("");
    let update = |addr: &str, before: &str, after: &str| {
        let name = addr.split('.').nth(1).unwrap();
        format!(
            r#"{{"address":"{addr}","mode":"managed","type":"aws_s3_bucket","name":"{name}","provider_name":"aws","change":{{"actions":["update"],"before":{before},"after":{after},"after_unknown":{{}}}}}}"#
        )
    };
    let plan = plan_json(&[
        // The owner tag was removed by this plan: introduced, blocks.
        &update(
            "aws_s3_bucket.lost",
            r#"{"tags":{"owner":"a"}}"#,
            r#"{"tags":{}}"#,
        ),
        // It never had one: pre-existing, reported, does not block.
        &update(
            "aws_s3_bucket.never",
            r#"{"tags":{}}"#,
            r#"{"tags":{"env":"x"}}"#,
        ),
    ]);
    std::fs::write(repo.target().join("plan.json"), plan).unwrap();
    let (code, report, _) = repo.check(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        statuses(&report),
        [
            ("aws_s3_bucket.lost".into(), "blocking".into()),
            ("aws_s3_bucket.never".into(), "pre-existing".into())
        ]
    );
    repo.write_target_config("block_pre_existing = true\n");
    let (_, report, _) = repo.check(&[]);
    assert_eq!(statuses(&report)[1].1, "blocking");
}

#[test]
fn pre_existing_findings_on_a_real_corpus_update() {
    let plan = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/plans/terraform-compliance+cli/tests/functional/actions_regular/plan.out.json");
    if !plan.is_file() {
        eprintln!("SKIPPED: needs ../shared/corpus");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let o = tfwarden(
        &[
            "check",
            "--plan",
            plan.to_str().unwrap(),
            "--format",
            "json",
        ],
        dir.path(),
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let changed: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["address"] == "aws_instance.changed" && f["rule_id"] == "TAG001")
        .collect();
    assert_eq!(changed.len(), 1, "{report:#}");
    assert_eq!(
        changed[0]["status"], "pre-existing",
        "the instance had no owner tag before this update either"
    );
}

#[test]
fn junit_output_is_well_formed() {
    let repo = Repo::new("[[waivers]]\nrule = \"OWN001\"\naddress = \"nothing\"\nreason = \"r\"\n");
    let plan = repo.target().join("plan.json").display().to_string();
    let o = tfwarden(
        &[
            "check",
            "--plan",
            &plan,
            "--no-builtins",
            "--format",
            "junit",
            "--config",
            repo.dir.path().join("tfwarden.toml").to_str().unwrap(),
        ],
        repo.dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let xml = stdout(&o);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("failures"), Some("1"));
    let case = root
        .descendants()
        .find(|n| n.has_tag_name("testcase"))
        .unwrap();
    assert_eq!(case.attribute("classname"), Some("owner-tag.OWN001"));
    assert_eq!(
        case.attribute("name"),
        Some("aws_s3_bucket.logs tags.owner")
    );
    assert!(case.children().any(|c| c.has_tag_name("failure")));
}

#[test]
fn init_writes_a_config_that_loads_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tfwarden.toml");
    let o = tfwarden(&["init", path.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    tfwarden::policy::config::Config::read(&path).unwrap();
    let o = tfwarden(&["init", path.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("already exists"));
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/tfwarden.schema.json"),
    );
    assert_eq!(
        committed.ok().as_deref(),
        Some(tfwarden::policy::config::json_schema().as_str()),
        "regenerate with `cargo run -- schema > docs/tfwarden.schema.json`"
    );
}

#[test]
fn built_in_plugins_pass_their_own_cases_through_the_sandbox() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cache = tempfile::tempdir().unwrap();
    let mut tested = 0;
    for name in tfwarden::builtin::names() {
        let cases = root.join("plugins").join(name).join("tests/cases");
        if !cases.is_dir() {
            continue;
        }
        let o = tfwarden(
            &["test", cases.to_str().unwrap(), "--plugin", name],
            cache.path(),
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{name}:\n{}{}",
            stdout(&o),
            stderr(&o)
        );
        assert!(stdout(&o).contains(" passed, 0 failed"), "{}", stdout(&o));
        tested += 1;
    }
    assert!(tested > 0);
}

#[test]
fn tfwarden_test_shows_a_diff_and_fails_on_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("case.json"),
        plan_json(&[&change(
            "aws_s3_bucket.b",
            r#"["create"]"#,
            r#"{"tags":{}}"#,
        )]),
    )
    .unwrap();
    std::fs::write(dir.path().join("case.expected.json"), "[]").unwrap();
    let example = guest_path("owner-tag-policy").display().to_string();
    let o = tfwarden(
        &["test", dir.path().to_str().unwrap(), "--plugin", &example],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("+ OWN001 aws_s3_bucket.b tags.owner"),
        "{}",
        stdout(&o)
    );
    let o = tfwarden(
        &[
            "test",
            dir.path().to_str().unwrap(),
            "--plugin",
            &example,
            "--update",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0));
    let o = tfwarden(
        &["test", dir.path().to_str().unwrap(), "--plugin", &example],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn inline_waivers_in_tf_comments() {
    let repo = Repo::new("");
    std::fs::write(
        repo.target().join("main.tf"),
        "resource \"aws_s3_bucket\" \"data\" {\n}\n\n# The logging stack tags this bucket after apply.\n# tfwarden:ignore OWN001 tagged by the logging stack\nresource \"aws_s3_bucket\" \"logs\" {\n}\n",
    )
    .unwrap();
    let (code, report, err) = repo.check(&[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        statuses(&report),
        [("aws_s3_bucket.logs".into(), "waived".into())]
    );
    assert_eq!(report["waivers"][0]["source"], "envs/prod/main.tf:5");
    assert_eq!(report["waivers"][0]["state"], "applied");

    std::fs::write(
        repo.target().join("main.tf"),
        "# tfwarden:ignore OWN001\nresource \"aws_s3_bucket\" \"logs\" {\n}\n",
    )
    .unwrap();
    let (code, _, err) = repo.check(&[]);
    assert_eq!(code, 3);
    assert!(
        err.contains("the inline waiver for `OWN001` on `aws_s3_bucket.logs` has no reason"),
        "{err}"
    );
}

#[test]
fn the_monorepo_example_reports_as_its_readme_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/monorepo");
    let cache = tempfile::tempdir().unwrap();
    let run = |target: &str| {
        let dir = root.join(target);
        let plan = dir.join("plan.json");
        let o = tfwarden(
            &[
                "check",
                "--plan",
                plan.to_str().unwrap(),
                "--dir",
                dir.to_str().unwrap(),
                "--format",
                "json",
            ],
            cache.path(),
        );
        let report: serde_json::Value =
            serde_json::from_str(&stdout(&o)).unwrap_or_else(|_| panic!("{}", stderr(&o)));
        (o.status.code().unwrap(), report)
    };
    let has = |report: &serde_json::Value, rule: &str, address: &str, status: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule_id"] == rule && f["address"] == address && f["status"] == status)
    };

    let (code, payments) = run("services/payments");
    assert_eq!(code, 1);
    assert!(
        has(&payments, "TAG001", "aws_s3_bucket.scratch", "waived"),
        "{payments:#}"
    );
    assert!(
        has(&payments, "TAG002", "aws_s3_bucket.receipts", "blocking"),
        "{payments:#}"
    );
    assert!(
        payments["summaries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["plugin"] == "cost")
    );

    let (code, network) = run("platform/network");
    assert_eq!(code, 1);
    assert!(
        has(&network, "SEC010", "aws_security_group.bastion", "blocking"),
        "{network:#}"
    );
    let legacy: Vec<_> = network["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["address"].as_str().unwrap().starts_with("module.legacy."))
        .collect();
    assert!(
        !legacy.is_empty() && legacy.iter().all(|f| f["status"] == "waived"),
        "{network:#}"
    );
}
