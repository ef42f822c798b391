//! The corpus suite: every real plan in `../shared/corpus/plans` goes through
//! the built-in plugins without error, and no sensitive value reaches any output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tfwarden::engine::{self, PluginSpec};
use tfwarden::pipeline::check_plan;
use tfwarden::plan::{PlanSource, sensitive_values};
use tfwarden::policy::Judgement;
use tfwarden::report::{self, Status};
use tfwarden::runtime::{Cache, Limits, Runtime};
use tfwarden::source::SourceMap;
use tfwarden_sdk::policy::Severity;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/plans")
}

fn plans(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            plans(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Secrets this long are checked for; shorter ones ("1", "true") occur in any text.
const CHECKED_SECRET_LEN: usize = 6;

#[test]
fn every_corpus_plan_is_processed_and_no_secret_leaks() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        eprintln!("SKIPPED: corpus suite needs ../shared/corpus/plans beside the repository");
        return;
    }
    let mut files = Vec::new();
    plans(&dir, &mut files);
    files.sort();

    let cache = tempfile::tempdir().unwrap();
    let runtime = Runtime::new(Cache::new(Some(cache.path().to_owned()))).unwrap();
    let specs: Vec<PluginSpec> = tfwarden::builtin::BUILTINS
        .iter()
        .map(|(name, wasm)| PluginSpec {
            name: name.to_string(),
            wasm: (*wasm).into(),
            settings: "null".into(),
            limits: Limits::default(),
        })
        .collect();
    let prepared: Vec<_> = engine::prepare_all(&runtime, &specs)
        .into_iter()
        .map(Result::unwrap)
        .collect();

    let mut failures = Vec::new();
    let mut flagged: BTreeMap<String, usize> = BTreeMap::new();
    let mut rules: BTreeMap<String, usize> = BTreeMap::new();
    let mut processed = 0;
    for file in &files {
        let name = file.strip_prefix(&dir).unwrap().display().to_string();
        let source = PlanSource::read(file.to_str().unwrap(), None, 1 << 30).unwrap();
        let plan = match source.parse() {
            Ok(plan) => plan,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let loaded = prepared
            .iter()
            .map(|p| engine::configure(&runtime, p).unwrap())
            .collect();
        let judgement = Judgement::new("corpus", Severity::High);
        let report = check_plan(
            &plan,
            &name,
            loaded,
            Vec::new(),
            &judgement,
            &SourceMap::default(),
            false,
        );
        processed += 1;
        for e in &report.errors {
            failures.push(format!("{name}: {}", e.message));
        }
        let outputs = [
            report::terminal::render(&report),
            report::json::render(&report),
            report::markdown::render(&report, &report::markdown::Options::default()),
            report::sarif::render(&report),
        ];
        for secret in sensitive_values(&plan)
            .iter()
            .filter(|s| s.len() >= CHECKED_SECRET_LEN)
        {
            if outputs.iter().any(|o| o.contains(secret.as_str())) {
                failures.push(format!("{name}: a sensitive value appears in the output"));
            }
        }
        for f in &report.findings {
            *rules
                .entry(format!("{} {}", f.plugin, f.rule_id))
                .or_default() += 1;
        }
        let mut plugins: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.status != Status::Indeterminate)
            .map(|f| f.plugin.as_str())
            .collect();
        plugins.dedup();
        for p in plugins {
            *flagged.entry(p.to_owned()).or_default() += 1;
        }
    }

    eprintln!("corpus: {processed} of {} plans processed", files.len());
    for (plugin, n) in &flagged {
        eprintln!("corpus: {plugin} flags {n} plans");
    }
    let mut top: Vec<_> = rules.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (rule, n) in top.iter().take(15) {
        eprintln!("corpus: {n:6} {rule}");
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(processed, files.len());
}
