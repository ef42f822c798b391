//! Runs the cost plugin on every real plan in `../shared/corpus/plans`: none
//! may panic, and `--nocapture` shows how many resource changes were priced,
//! and why the rest were not.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cost::CostPolicy;
use cost::costing::{Coverage, cost_plan};
use cost::estimate::Estimate;
use cost::plan_index::PlanIndex;
use tfwarden_sdk::input::{CheckInput, Subscription};
use tfwarden_sdk::plan::{ChangeKind, PlanFile};
use tfwarden_sdk::policy::{Metadata, Policy};
use tfwarden_sdk::testing::run_file;
use tfwarden_sdk::view::Plan;

fn plans_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/plans")
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Counts of resource changes by what the plugin made of them.
#[derive(Default)]
struct Tally {
    plans: usize,
    skipped: usize,
    changes: usize,
    with_cost: usize,
    priced: usize,
    partly: usize,
    usage_only: usize,
    reasons: BTreeMap<String, usize>,
    unsupported: BTreeMap<String, usize>,
}

impl Tally {
    fn add(&mut self, path: &Path) -> Result<(), String> {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let Ok(plan_file) = serde_json::from_str::<PlanFile>(&text) else {
            self.skipped += 1;
            return Ok(());
        };
        // The plugin's own entry point, exactly as the host would drive it.
        run_file::<CostPolicy>("null", path)?;
        self.plans += 1;
        let changes = plan_file.resource_changes.iter().flatten();
        self.changes += changes
            .filter(|rc| {
                rc.mode == "managed" && ChangeKind::of(&rc.change.actions) != ChangeKind::Read
            })
            .count();

        let meta = Metadata::of::<CostPolicy>("cost", "0");
        let subscription = Subscription {
            resource_types: &meta.resource_types,
            needs_configuration: true,
        };
        let input = CheckInput::for_plugin(&plan_file, "corpus", subscription);
        let plan = Plan::new(&input);
        let policy = CostPolicy::from_settings(Default::default())?;
        drop(policy);
        let settings = cost::settings::Settings::default().validate()?;
        let index = PlanIndex::new(&plan);
        for cost in cost_plan(&plan, &index, &settings) {
            self.with_cost += 1;
            if cost.coverage == Coverage::UsageOnly {
                self.usage_only += 1;
                continue;
            }
            if cost.coverage == Coverage::Unsupported {
                *self
                    .unsupported
                    .entry(cost.rc.type_().to_string())
                    .or_default() += 1;
            }
            let open_side = if cost.after.is_complete() {
                &cost.before
            } else {
                &cost.after
            };
            match open_side.missing().first() {
                None => self.priced += 1,
                Some((_, reason)) => {
                    if matches!(open_side, Estimate::Priced(_)) {
                        self.partly += 1;
                    }
                    *self
                        .reasons
                        .entry(reason.category().to_string())
                        .or_default() += 1;
                }
            }
        }
        Ok(())
    }
}

#[test]
fn every_corpus_plan_is_priced_without_panic() {
    let dir = plans_dir();
    if !dir.is_dir() {
        println!("skipping the corpus run: {} is not there", dir.display());
        return;
    }
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    files.sort();
    let mut tally = Tally::default();
    let mut failures = Vec::new();
    for path in &files {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut one = Tally::default();
            one.add(path).map(|()| one)
        }));
        match outcome {
            Ok(Ok(one)) => merge(&mut tally, one),
            Ok(Err(e)) => failures.push(format!("{}: {e}", path.display())),
            Err(_) => failures.push(format!("{}: panicked", path.display())),
        }
    }
    let share = |n: usize, of: usize| {
        if of == 0 {
            0.0
        } else {
            100.0 * n as f64 / of as f64
        }
    };
    println!(
        "corpus: {} plans processed, {} skipped (not parseable as plans)",
        tally.plans, tally.skipped
    );
    println!(
        "resource changes: {} managed; {} of types with a cost; {} fully priced ({:.1}% of those with a cost, {:.1}% of all), {} partly priced, {} usage-only types not priced",
        tally.changes,
        tally.with_cost,
        tally.priced,
        share(tally.priced, tally.with_cost - tally.usage_only),
        share(tally.priced, tally.changes),
        tally.partly,
        tally.usage_only
    );
    for (reason, n) in &tally.reasons {
        println!("  not fully priced: {n:4}  {reason}");
    }
    for (type_, n) in &tally.unsupported {
        println!("  unsupported type: {n:4}  {type_}");
    }
    assert!(
        failures.is_empty(),
        "{} plans failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        tally.plans > 0,
        "no plans were processed in {}",
        dir.display()
    );
}

fn merge(into: &mut Tally, one: Tally) {
    into.plans += one.plans;
    into.skipped += one.skipped;
    into.changes += one.changes;
    into.with_cost += one.with_cost;
    into.priced += one.priced;
    into.partly += one.partly;
    into.usage_only += one.usage_only;
    for (k, v) in one.reasons {
        *into.reasons.entry(k).or_default() += v;
    }
    for (k, v) in one.unsupported {
        *into.unsupported.entry(k).or_default() += v;
    }
}
