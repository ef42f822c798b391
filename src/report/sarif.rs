//! The SARIF 2.1.0 renderer, for GitHub code scanning and other SARIF
//! viewers: rules carry their plugin's metadata and documentation, results
//! point at the `.tf` sources, and fingerprints keep an alert the same alert
//! from one run to the next.

use serde_json::{Value, json};
use tfwarden_sdk::policy::Severity;

use super::{Report, ReportFinding, ReportRule, Status, Verdict};

pub fn render(report: &Report) -> String {
    let rules: Vec<Value> = report.rules.iter().map(rule).collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(f, &report.rules))
        .collect();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": { "text": e.message },
                "properties": { "plugin": e.plugin },
            })
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": report.tool.name,
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            // One category per target, so code scanning keeps the alerts of
            // several working directories apart.
            "automationDetails": { "id": format!("tfwarden/{}/", report.target) },
            "originalUriBaseIds": {
                "%SRCROOT%": { "description": { "text": "The repository root." } }
            },
            "invocations": [{
                "executionSuccessful": report.verdict != Verdict::Error,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
            "properties": {
                "target": report.target,
                "verdict": report.verdict,
                "failOn": report.fail_on,
                "plan": report.plan.path,
            },
        }],
    });
    let mut out = serde_json::to_string_pretty(&sarif).expect("SARIF serializes");
    out.push('\n');
    out
}

fn rule(r: &ReportRule) -> Value {
    let help = if r.help.trim().is_empty() {
        r.title.clone()
    } else {
        r.help.clone()
    };
    // SARIF requires distinct tags; a plugin may name its category after itself.
    let mut tags = vec![r.category.as_str(), r.plugin.as_str()];
    tags.dedup();
    let mut properties = json!({
        "plugin": r.plugin,
        "category": r.category,
        "tags": tags,
    });
    if r.category == "security" {
        // Code scanning ranks security alerts by this CVSS-like score.
        properties["security-severity"] = json!(security_severity(r.severity));
    }
    json!({
        "id": r.id,
        "shortDescription": { "text": r.title },
        "fullDescription": { "text": r.title },
        "help": { "text": help, "markdown": help },
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": properties,
    })
}

fn result(f: &ReportFinding, rules: &[ReportRule]) -> Value {
    let mut text = String::new();
    if !f.address.is_empty() {
        text.push_str(&f.address);
        if !f.path.is_empty() {
            text.push_str(&format!(" ({})", f.path));
        }
        text.push_str(": ");
    }
    text.push_str(&f.message);

    let mut location = json!({
        "logicalLocations": [{ "fullyQualifiedName": f.address, "kind": "resource" }],
    });
    if let Some(l) = &f.location {
        location["physicalLocation"] = json!({
            "artifactLocation": { "uri": l.file, "uriBaseId": "%SRCROOT%" },
            "region": { "startLine": l.line },
            "contextRegion": { "startLine": l.start_line, "endLine": l.end_line },
        });
    }
    // Anything other than a definite failure is, in SARIF's words, for review.
    let (kind, level) = match f.status {
        Status::Indeterminate => ("review", "none"),
        _ => ("fail", level(f.severity)),
    };
    let mut out = json!({
        "ruleId": f.rule_id,
        "kind": kind,
        "level": level,
        "message": { "text": text },
        "locations": [location],
        "partialFingerprints": { "tfwardenFinding/v1": f.fingerprint() },
        "properties": {
            "plugin": f.plugin,
            "severity": f.severity,
            "status": f.status,
            "address": f.address,
            "path": f.path,
        },
    });
    if let Some(index) = rules
        .iter()
        .position(|r| r.id == f.rule_id && r.plugin == f.plugin)
    {
        out["ruleIndex"] = json!(index);
    }
    if let Some(fix) = &f.fix {
        out["properties"]["fix"] = json!({ "path": fix.path, "value": fix.value });
    }
    match f.status {
        Status::PreExisting => out["baselineState"] = json!("unchanged"),
        Status::Waived => {
            out["suppressions"] = json!([{
                "kind": "external",
                "status": "accepted",
                "justification": f.waiver.as_deref().unwrap_or_default(),
            }]);
        }
        _ => {}
    }
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::{empty_report, finding};

    #[test]
    fn maps_statuses_to_sarif_kinds_levels_and_suppressions() {
        let mut r = empty_report();
        let mut waived = finding("aws_s3_bucket.w", Status::Waived);
        waived.waiver = Some("legacy".into());
        let mut unplaced = finding("aws_s3_bucket.u", Status::Indeterminate);
        unplaced.location = None;
        unplaced.severity = Severity::Medium;
        r.findings = vec![
            finding("aws_s3_bucket.b", Status::Blocking),
            finding("aws_s3_bucket.p", Status::PreExisting),
            unplaced,
            waived,
        ];
        let doc: Value = serde_json::from_str(&render(&r)).unwrap();
        let results = doc["runs"][0]["results"].as_array().unwrap();
        let kinds: Vec<(&str, &str)> = results
            .iter()
            .map(|r| (r["kind"].as_str().unwrap(), r["level"].as_str().unwrap()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("fail", "error"),
                ("fail", "error"),
                ("review", "none"),
                ("fail", "error")
            ]
        );
        assert_eq!(results[1]["baselineState"], "unchanged");
        assert_eq!(results[2]["locations"][0].get("physicalLocation"), None);
        assert_eq!(
            results[2]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "aws_s3_bucket.u"
        );
        assert_eq!(results[3]["suppressions"][0]["justification"], "legacy");
        // The same rule, resource and attribute: the same fingerprint, whatever the line.
        let mut moved = finding("aws_s3_bucket.b", Status::Blocking);
        moved.location.as_mut().unwrap().line = 99;
        assert_eq!(
            results[0]["partialFingerprints"]["tfwardenFinding/v1"],
            moved.fingerprint()
        );
    }
}
