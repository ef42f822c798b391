//! Runs the limits policy on every real plan in the shared corpus: none may
//! panic, and the figures (`--nocapture`) show what the rules find in the wild.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use limits::Limits;
use tfwarden_sdk::testing::run_file;

fn plans_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            plans_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_plan_is_processed() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/plans");
    if !corpus.is_dir() {
        println!("skipping: no corpus at {}", corpus.display());
        return;
    }
    let mut plans = Vec::new();
    plans_under(&corpus, &mut plans);
    plans.sort();

    // `LIMITS_CORPUS_VERBOSE=1` prints every finding, for reviewing them by hand.
    let verbose = std::env::var_os("LIMITS_CORPUS_VERBOSE").is_some();
    let (mut processed, mut unreadable, mut flagged) = (0, 0, 0);
    let mut by_rule: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for plan in &plans {
        let outcome = match run_file::<Limits>("null", plan) {
            Ok(outcome) => outcome,
            Err(e) => {
                unreadable += 1;
                println!("not a plan: {}: {e}", plan.display());
                continue;
            }
        };
        processed += 1;
        if verbose {
            for f in &outcome.findings {
                let kind = if f.indeterminate {
                    "indeterminate"
                } else {
                    "finding"
                };
                println!(
                    "{}: {} {kind} {} {}: {}",
                    plan.display(),
                    f.rule_id,
                    f.address,
                    f.path,
                    f.message
                );
            }
        }
        if outcome.findings.iter().any(|f| !f.indeterminate) {
            flagged += 1;
        }
        for finding in &outcome.findings {
            let counts = by_rule.entry(finding.rule_id.clone()).or_default();
            if finding.indeterminate {
                counts.1 += 1;
            } else {
                counts.0 += 1;
            }
        }
    }
    let mut frequent: Vec<_> = by_rule.iter().collect();
    frequent.sort_by(|a, b| {
        (b.1.0 + b.1.1)
            .cmp(&(a.1.0 + a.1.1))
            .then_with(|| a.0.cmp(b.0))
    });
    println!(
        "plans: {} files, {processed} processed, {unreadable} not plans, {flagged} flagged",
        plans.len()
    );
    for (rule, (failures, indeterminate)) in frequent.iter().take(5) {
        println!("  {rule}: {failures} findings, {indeterminate} indeterminate");
    }
    assert_eq!(processed + unreadable, plans.len());
    assert!(
        processed > 0,
        "the corpus has plans, yet none was processed"
    );
}

/// `LIMITS_LARGE_PLAN=/path/plan.json` times one large plan, such as one from
/// `shared/peers/gen_plan.py 50000`; without it the test does nothing.
#[test]
fn times_a_large_plan() {
    use tfwarden_sdk::input::{CheckInput, Subscription};
    use tfwarden_sdk::policy::{Metadata, configure};

    let Some(path) = std::env::var_os("LIMITS_LARGE_PLAN") else {
        println!("skipping: set LIMITS_LARGE_PLAN to time a large plan");
        return;
    };
    let text = std::fs::read_to_string(&path).expect("the plan is readable");
    let started = std::time::Instant::now();
    let plan = serde_json::from_str(&text).expect("a plan");
    let meta = Metadata::of::<Limits>("limits", "0");
    let subscription = Subscription {
        resource_types: &meta.resource_types,
        needs_configuration: meta.needs_configuration,
    };
    let input = CheckInput::for_plugin(&plan, "large", subscription);
    let prepared = started.elapsed();
    let policy: Limits = configure("null").expect("default settings");
    let (started, cpu_started) = (std::time::Instant::now(), thread_cpu_ns());
    let outcome = tfwarden_sdk::testing::check(&policy, &input);
    let cpu = match (cpu_started, thread_cpu_ns()) {
        (Some(a), Some(b)) => format!(" ({:.1} ms of CPU)", (b - a) as f64 / 1e6),
        _ => String::new(),
    };
    println!(
        "{}: {} changes; host side {prepared:.2?}; check {:.2?}{cpu}, {} findings",
        PathBuf::from(path).display(),
        input.changes.len(),
        started.elapsed(),
        outcome.findings.len()
    );
}

/// This thread's CPU time on Linux, which a busy machine does not inflate as it does wall time.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}
