//! Runs plugins over a plan: loads and configures each one (all settings are
//! validated before any check runs), then checks them in parallel, each on
//! only the changes it subscribed to.

use std::borrow::Cow;
use std::collections::HashSet;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tfwarden_sdk::findings::Finding;
use tfwarden_sdk::input::{CheckInput, Redactions, Subscription};
use tfwarden_sdk::plan::ChangeKind;
use tfwarden_sdk::plan::PlanFile;
use tfwarden_sdk::policy::Metadata;

use crate::runtime::{CheckOutput, Limits, Plugin, PluginError, Run, Runtime};

/// A plugin to run: its wasm, settings and limits.
#[derive(Debug, Clone)]
pub struct PluginSpec {
    pub name: String,
    pub wasm: Cow<'static, [u8]>,
    /// Settings as JSON (`null` for defaults).
    pub settings: String,
    pub limits: Limits,
}

/// A compiled plugin with its settings and limits, ready to start runs.
pub struct Prepared {
    spec: PluginSpec,
    plugin: Plugin,
}

/// A plugin that loaded and accepted its settings.
pub struct Loaded {
    pub metadata: Metadata,
    run: Run,
}

/// What one plugin's check produced.
pub struct PluginRun {
    pub metadata: Metadata,
    pub changes_checked: usize,
    pub duration: Duration,
    pub result: Result<CheckOutput, PluginError>,
    /// `(rule, address, path)` of the findings the same check gives on the
    /// prior values of updated and replaced resources.
    pub before: HashSet<FindingKey>,
    pub logs: Vec<String>,
}

/// True when some finding is on a resource this plan updates or replaces.
fn findings_on_prior_resources(output: &CheckOutput, input: &CheckInput) -> bool {
    let prior: HashSet<&str> = input
        .changes
        .iter()
        .filter(|c| {
            matches!(
                ChangeKind::of(&c.actions),
                ChangeKind::Update | ChangeKind::Replace | ChangeKind::ReplaceCreateFirst
            )
        })
        .map(|c| c.address.as_str())
        .collect();
    !prior.is_empty()
        && output
            .findings
            .iter()
            .any(|f| prior.contains(f.address.as_str()))
}

/// What identifies a finding across the before and after views.
pub type FindingKey = (String, String, String);

/// The key of a finding.
pub fn key(f: &Finding) -> FindingKey {
    (f.rule_id.clone(), f.address.clone(), f.path.clone())
}

/// Loads every plugin in parallel: compile (or cache hit), instantiate, read
/// metadata, validate settings. Results keep the order of `specs`.
pub fn load_all(runtime: &Runtime, specs: &[PluginSpec]) -> Vec<Result<Loaded, PluginError>> {
    prepare_all(runtime, specs)
        .into_par_iter()
        .map(|prepared| configure(runtime, &prepared?))
        .collect()
}

/// Compiles (or loads from the cache) every plugin in parallel.
pub fn prepare_all(runtime: &Runtime, specs: &[PluginSpec]) -> Vec<Result<Prepared, PluginError>> {
    specs
        .par_iter()
        .map(|spec| {
            Ok(Prepared {
                plugin: runtime.load(&spec.name, &spec.wasm)?,
                spec: spec.clone(),
            })
        })
        .collect()
}

/// Starts a run of a prepared plugin: instantiate, read metadata, validate settings.
pub fn configure(runtime: &Runtime, prepared: &Prepared) -> Result<Loaded, PluginError> {
    let mut run = runtime.start(&prepared.plugin, prepared.spec.limits)?;
    let mut metadata = run.metadata()?;
    // Reports use the name the user gave the plugin (its configuration key or
    // file name), the same name its errors carry.
    metadata.name.clone_from(&prepared.spec.name);
    run.validate_settings(&prepared.spec.settings)?;
    Ok(Loaded { metadata, run })
}

/// Checks the plan with every loaded plugin in parallel.
pub fn check_all(loaded: Vec<Loaded>, plan: &PlanFile<'_>, target: &str) -> Vec<PluginRun> {
    let redactions = Redactions::of(plan);
    loaded
        .into_par_iter()
        .map(|l| check(l, plan, target, &redactions))
        .collect()
}

fn check(loaded: Loaded, plan: &PlanFile<'_>, target: &str, redactions: &Redactions) -> PluginRun {
    let Loaded { metadata, mut run } = loaded;
    let started = Instant::now();
    // Built inside the parallel task, so only as many inputs as threads exist at once.
    let subscription = Subscription {
        resource_types: &metadata.resource_types,
        needs_configuration: metadata.needs_configuration,
    };
    let mut input = CheckInput::for_plugin_with(plan, target, subscription, redactions);
    let changes_checked = input.changes.len();
    let result = run.check(&mut input);
    // Replaying the check on prior values tells introduced findings from
    // pre-existing ones; it is needed only when a finding is on a resource
    // that existed before. If the replay fails, every finding counts as introduced.
    let before = match &result {
        Ok(output) if findings_on_prior_resources(output, &input) => input
            .into_before_world()
            .and_then(|mut world| run.check(&mut world).ok())
            .map(|prior| {
                prior
                    .findings
                    .iter()
                    .filter(|f| !f.address.is_empty())
                    .map(key)
                    .collect()
            })
            .unwrap_or_default(),
        _ => HashSet::new(),
    };
    PluginRun {
        changes_checked,
        duration: started.elapsed(),
        result,
        before,
        logs: run.logs().to_vec(),
        metadata,
    }
}
