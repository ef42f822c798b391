//! Hostile and odd plans: huge, deeply nested, duplicated, strangely named or
//! self-contradictory input is either processed or refused clearly, never a crash.

use crate::support::{change, guest_path, plan_json, stderr, stdout, tfwarden};

fn check(dir: &std::path::Path, text: &[u8], extra: &[&str]) -> std::process::Output {
    let path = dir.join("plan.json");
    std::fs::write(&path, text).unwrap();
    let example = guest_path("owner-tag-policy").display().to_string();
    let mut args = vec![
        "check",
        "--plan",
        path.to_str().unwrap(),
        "--no-builtins",
        "--plugin",
        &example,
        "--format",
        "json",
    ];
    args.extend(extra);
    tfwarden(&args, dir)
}

#[test]
fn a_1_gb_plan_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.json");
    // A sparse file: 1 GiB on paper, nothing on disk, so the test costs nothing.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let o = tfwarden(
        &["check", "--plan", path.to_str().unwrap(), "--no-builtins"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("is 1073741824 bytes, over the limit of 805306368 bytes"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--max-plan-bytes"));
}

#[test]
fn deeply_nested_json_is_processed_without_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    // Values stay unparsed slices in the host; inside plugins serde_json's
    // recursion limit turns depth into an ordinary "not an object" answer.
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    let text = plan_json(&[&change(
        "aws_s3_bucket.b",
        r#"["create"]"#,
        &format!(r#"{{"tags":{deep}}}"#),
    )]);
    let o = check(dir.path(), text.as_bytes(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["findings"][0]["rule_id"], "OWN001");
    assert_eq!(report["errors"], serde_json::json!([]));
}

#[test]
fn huge_strings_pass_through() {
    let dir = tempfile::tempdir().unwrap();
    let big = "x".repeat(50 << 20);
    let text = plan_json(&[&change(
        "aws_s3_bucket.b",
        r#"["create"]"#,
        &format!(r#"{{"tags":{{"note":"{big}"}}}}"#),
    )]);
    let o = check(dir.path(), text.as_bytes(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["findings"][0]["rule_id"], "OWN001");
}

#[test]
fn duplicate_keys_are_refused_at_the_top_and_tolerated_inside_values() {
    let dir = tempfile::tempdir().unwrap();
    let o = check(
        dir.path(),
        br#"{"format_version":"1.2","format_version":"1.1","resource_changes":[]}"#,
        &[],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("duplicate field `format_version`"),
        "{}",
        stderr(&o)
    );

    // Inside planned values the first of two keys is read, as a JSON parser would.
    let text = plan_json(&[&change(
        "aws_s3_bucket.b",
        r#"["create"]"#,
        r#"{"tags":{"owner":"a","owner":null}}"#,
    )]);
    let o = check(dir.path(), text.as_bytes(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn odd_addresses_are_reported_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let long_key = "k".repeat(10_000);
    let addresses = [
        r#"module.app[\"eu \\\"west\\\"\"].aws_s3_bucket.b[\"naïve-☃\"]"#.to_owned(),
        format!(r#"aws_s3_bucket.b[\"{long_key}\"]"#),
    ];
    let changes: Vec<String> = addresses
        .iter()
        .map(|a| {
            format!(
                r#"{{"address":"{a}","mode":"managed","type":"aws_s3_bucket","name":"b","provider_name":"aws","change":{{"actions":["create"],"before":null,"after":{{"tags":{{}}}},"after_unknown":{{}}}}}}"#
            )
        })
        .collect();
    let refs: Vec<&str> = changes.iter().map(String::as_str).collect();
    let o = check(dir.path(), plan_json(&refs).as_bytes(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let found: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["address"].as_str().unwrap())
        .collect();
    assert!(
        found.contains(&"module.app[\"eu \\\"west\\\"\"].aws_s3_bucket.b[\"naïve-☃\"]"),
        "{found:?}"
    );
    assert!(found.iter().any(|a| a.len() > 10_000));
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["resource_type"] == "aws_s3_bucket")
    );
}

#[test]
fn resource_changes_are_the_truth_when_planned_values_disagree() {
    let dir = tempfile::tempdir().unwrap();
    // planned_values names a resource that resource_changes does not have, and
    // gives the one it has an owner tag the change does not: the change wins.
    let text = r#"{"format_version":"1.2",
      "planned_values":{"root_module":{"resources":[
        {"address":"aws_s3_bucket.ghost","mode":"managed","type":"aws_s3_bucket","name":"ghost","values":{"tags":{}}},
        {"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{"tags":{"owner":"x"}}}]}},
      "resource_changes":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","provider_name":"aws",
        "change":{"actions":["create"],"before":null,"after":{"tags":{}},"after_unknown":{}}}]}"#;
    let o = check(dir.path(), text.as_bytes(), &[]);
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 1);
    assert_eq!(report["findings"][0]["address"], "aws_s3_bucket.b");
}
