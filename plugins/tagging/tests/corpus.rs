//! Runs the default tagging policy over every plan in the shared corpus of real
//! plans: none may panic, and every finding must be on a managed resource of a
//! supported cloud that is being created or updated. Run with `--nocapture` to
//! see how many plans were flagged and which rules fired most.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use tfwarden_sdk::plan::{ChangeKind, PlanFile};
use tfwarden_sdk::testing::run_file;

#[test]
fn corpus_plans() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/plans");
    if !root.is_dir() {
        println!("skipped: no corpus at {}", root.display());
        return;
    }
    let mut files = Vec::new();
    collect_json(&root, &mut files);
    files.sort();

    let mut tally = Tally::default();
    let mut panicked = Vec::new();
    let mut misplaced = Vec::new();
    for file in &files {
        let run = std::panic::catch_unwind(|| run_file::<tagging::Tagging>("null", file));
        let outcome = match run {
            Err(_) => {
                panicked.push(file.display().to_string());
                continue;
            }
            Ok(Err(_)) => {
                tally.unreadable += 1;
                continue;
            }
            Ok(Ok(outcome)) => outcome,
        };
        tally.processed += 1;
        let judged = judged_addresses(file);
        for finding in &outcome.findings {
            if !judged.contains(finding.address.as_str()) {
                misplaced.push(format!(
                    "{}: {} {}",
                    file.display(),
                    finding.rule_id,
                    finding.address
                ));
            }
            let counts = tally.rules.entry(finding.rule_id.clone()).or_default();
            if finding.indeterminate {
                counts.1 += 1;
            } else {
                counts.0 += 1;
            }
        }
        if outcome.findings.iter().any(|f| !f.indeterminate) {
            tally.flagged += 1;
        }
    }

    println!("{}", tally.report(files.len()));
    assert!(
        panicked.is_empty(),
        "the policy panicked on:\n{}",
        panicked.join("\n")
    );
    assert!(
        misplaced.is_empty(),
        "findings on resources that are not judged:\n{}",
        misplaced.join("\n")
    );
    assert!(tally.processed > 0, "no corpus plan could be read");
}

#[derive(Default)]
struct Tally {
    processed: usize,
    unreadable: usize,
    flagged: usize,
    /// Per rule: definite findings, indeterminate findings.
    rules: BTreeMap<String, (usize, usize)>,
}

impl Tally {
    fn report(&self, files: usize) -> String {
        let mut top: Vec<_> = self.rules.iter().collect();
        top.sort_by(|a, b| (b.1.0 + b.1.1).cmp(&(a.1.0 + a.1.1)).then(a.0.cmp(b.0)));
        let top: Vec<String> = top
            .iter()
            .take(5)
            .map(|(rule, (definite, indeterminate))| {
                format!("  {rule}: {definite} findings, {indeterminate} indeterminate")
            })
            .collect();
        format!(
            "corpus: {files} files, {} plans processed, {} unreadable (not plans), {} plans flagged\nmost frequent rules:\n{}",
            self.processed,
            self.unreadable,
            self.flagged,
            top.join("\n")
        )
    }
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.is_dir() {
            collect_json(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Addresses the policy may report on: managed resources of the supported
/// clouds, created or updated, whose planned values have a tag attribute.
/// Read here with a plain JSON tree, independently of the plugin's own parsing.
fn judged_addresses(file: &Path) -> HashSet<String> {
    const TAG_ATTRIBUTES: [&str; 7] = [
        "tags",
        "tags_all",
        "labels",
        "user_labels",
        "resource_labels",
        "terraform_labels",
        "effective_labels",
    ];
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let Ok(plan) = serde_json::from_str::<PlanFile>(&text) else {
        return HashSet::new();
    };
    let has_tag_attribute = |json: Option<&serde_json::value::RawValue>| {
        json.and_then(|j| {
            serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(j.get()).ok()
        })
        .is_some_and(|object| TAG_ATTRIBUTES.iter().any(|a| object.contains_key(*a)))
    };
    plan.resource_changes
        .iter()
        .flatten()
        .filter(|rc| {
            rc.mode == "managed" && ChangeKind::of(&rc.change.actions).creates_or_updates()
        })
        .filter(|rc| {
            ["aws_", "google_", "azurerm_"]
                .iter()
                .any(|p| rc.type_.starts_with(p))
        })
        .filter(|rc| {
            has_tag_attribute(rc.change.after) || has_tag_attribute(rc.change.after_unknown)
        })
        .map(|rc| rc.address.to_string())
        .collect()
}
