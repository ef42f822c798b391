//! Runs the security policy over every real plan in the shared corpus to prove
//! it never panics on plans nobody on this project wrote, and prints what it
//! found (`cargo test -p security --test corpus -- --nocapture`). Set
//! `SECURITY_CORPUS_DUMP=1` to print every finding for review.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use security::Security;
use tfwarden_sdk::testing::run_file;

#[test]
fn every_corpus_plan_is_processed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/plans");
    if !dir.is_dir() {
        eprintln!("skipping the corpus test: {} does not exist", dir.display());
        return;
    }
    let dump = std::env::var_os("SECURITY_CORPUS_DUMP").is_some();
    let mut plans = Vec::new();
    collect_json(&dir, &mut plans);
    plans.sort();

    let (mut processed, mut flagged, mut indeterminate_plans) = (0, 0, 0);
    let mut unreadable = Vec::new();
    let mut panicked = Vec::new();
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    for plan in &plans {
        let outcome = match std::panic::catch_unwind(|| run_file::<Security>("null", plan)) {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(_)) => {
                unreadable.push(plan);
                continue;
            }
            Err(_) => {
                panicked.push(plan.display().to_string());
                continue;
            }
        };
        processed += 1;
        let definite: Vec<_> = outcome
            .findings
            .iter()
            .filter(|f| !f.indeterminate)
            .collect();
        flagged += usize::from(!definite.is_empty());
        indeterminate_plans += usize::from(definite.len() < outcome.findings.len());
        for finding in &definite {
            *by_rule.entry(finding.rule_id.clone()).or_default() += 1;
        }
        if dump {
            let name = plan.strip_prefix(&dir).unwrap_or(plan).display();
            for f in &outcome.findings {
                let kind = if f.indeterminate { "?" } else { "!" };
                println!(
                    "{kind} {} {} [{}] {} -- {name}",
                    f.rule_id, f.address, f.path, f.message
                );
            }
        }
    }

    let mut top: Vec<_> = by_rule.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    println!(
        "security corpus: {} files, {processed} plans processed, {} skipped as unreadable",
        plans.len(),
        unreadable.len()
    );
    println!(
        "plans with a definite finding: {flagged}; with an indeterminate one: {indeterminate_plans}"
    );
    println!("most frequent rules (definite findings):");
    for (rule, count) in top.iter().take(5) {
        println!("  {rule}: {count}");
    }
    assert!(
        panicked.is_empty(),
        "the policy panicked on:\n{}",
        panicked.join("\n")
    );
    assert!(processed > 0, "no plan in {} could be read", dir.display());
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
