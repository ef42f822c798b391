//! Times the security policy on one large plan, such as one made by
//! `shared/peers/gen_plan.py 50000`, to catch anything slower than linear:
//! `SECURITY_LARGE_PLAN=/tmp/plan.json cargo test --release -p security --test large_plan -- --ignored --nocapture`

use std::collections::BTreeMap;
use std::time::Instant;

use security::Security;
use tfwarden_sdk::input::{CheckInput, Subscription};
use tfwarden_sdk::plan::PlanFile;
use tfwarden_sdk::policy::{Metadata, configure};
use tfwarden_sdk::testing::check;

#[test]
#[ignore = "needs SECURITY_LARGE_PLAN pointing at a large plan"]
fn large_plan_runs_in_linear_time() {
    let Some(path) = std::env::var_os("SECURITY_LARGE_PLAN") else {
        eprintln!("set SECURITY_LARGE_PLAN to a plan file to run this test");
        return;
    };
    let text = std::fs::read_to_string(&path).expect("the plan is readable");
    let started = Instant::now();
    let plan: PlanFile = serde_json::from_str(&text).expect("the file is a plan");
    let meta = Metadata::of::<Security>("security", "0");
    let subscription = Subscription {
        resource_types: &meta.resource_types,
        needs_configuration: true,
    };
    let input = CheckInput::for_plugin(&plan, "large", subscription);
    let prepared = started.elapsed();

    let policy: Security = configure("null").expect("default settings are valid");
    let started = Instant::now();
    let outcome = check(&policy, &input);
    let checked = started.elapsed();

    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in &outcome.findings {
        *by_rule.entry(finding.rule_id.as_str()).or_default() += 1;
    }
    println!(
        "{} of {} changes subscribed; host-side preparation {:.2} s; check {:.2} s; {} findings",
        input.changes.len(),
        plan.resource_changes.as_ref().map_or(0, Vec::len),
        prepared.as_secs_f64(),
        checked.as_secs_f64(),
        outcome.findings.len()
    );
    println!("findings by rule: {by_rule:?}");

    // Where the time goes: each check on its own, slowest first.
    let settings = security::settings::Settings::default();
    let view = tfwarden_sdk::view::Plan::new(&input);
    let started = Instant::now();
    let ctx = security::context::Ctx::new(&view, &settings);
    ctx.refs();
    let mut timings = vec![("context and references".to_owned(), started.elapsed())];
    for c in security::rules::CHECKS {
        let mut sink = tfwarden_sdk::findings::Findings::default();
        let started = Instant::now();
        (c.run)(&ctx, &mut sink);
        timings.push((c.rules[0].id.to_owned(), started.elapsed()));
    }
    let started = Instant::now();
    let known = view.changes().filter(|rc| rc.after().is_known()).count();
    timings.push((
        format!("one after() per change ({known})"),
        started.elapsed(),
    ));
    timings.sort_by_key(|t| std::cmp::Reverse(t.1));
    for (name, took) in timings.iter().take(8) {
        println!("  {name}: {:.3} s", took.as_secs_f64());
    }
}
