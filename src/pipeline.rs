//! One check, from a parsed plan and loaded plugins to the report: the path
//! shared by `tfwarden check` and the corpus suite.

use tfwarden_sdk::plan::PlanFile;

use crate::engine::{self, Loaded};
use crate::plan;
use crate::policy::scrub::Scrubber;
use crate::policy::{self, Judgement};
use crate::report::{PlanInfo, Report};
use crate::runtime::PluginError;
use crate::source::SourceMap;

/// Runs the loaded plugins on `plan`, judges their findings and places each
/// in the `.tf` sources of `sources`. With `verbose`, plugin timings and logs
/// go to stderr.
pub fn check_plan(
    plan: &PlanFile<'_>,
    plan_name: &str,
    loaded: Vec<Loaded>,
    load_errors: Vec<PluginError>,
    judgement: &Judgement,
    sources: &SourceMap,
    verbose: bool,
) -> Report {
    let runs = engine::check_all(loaded, plan, &judgement.target);
    if verbose {
        for run in &runs {
            let name = &run.metadata.name;
            eprintln!(
                "[{name}] {} changes in {:?}",
                run.changes_checked, run.duration
            );
            for line in &run.logs {
                eprintln!("[{name}] {line}");
            }
        }
    }
    let info = PlanInfo {
        path: plan_name.to_owned(),
        terraform_version: plan
            .terraform_version
            .as_deref()
            .unwrap_or_default()
            .to_owned(),
        format_version: plan
            .format_version
            .as_deref()
            .unwrap_or_default()
            .to_owned(),
        resource_changes: plan.resource_changes.as_ref().map_or(0, Vec::len),
        deferred_changes: plan.deferred_changes.as_ref().map_or(0, Vec::len),
    };
    let scrubber = Scrubber::new(&plan::sensitive_values(plan));
    let mut report = policy::evaluate(judgement, info, runs, load_errors, &scrubber);
    for f in &mut report.findings {
        f.location = sources.locate(&f.address, &f.path);
    }
    report
}
