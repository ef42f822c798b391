//! Fixture cases: one plan per situation, with the findings a reviewer should see.

use std::path::Path;

use limits::Limits;
use tfwarden_sdk::testing::{assert_cases, cases_in, run_file};

#[test]
fn fixture_cases() {
    assert_cases::<Limits>("tests/cases");
}

/// Fixtures mark `hunter2` sensitive; no message or summary may repeat it.
#[test]
fn sensitive_values_never_reach_the_output() {
    for (plan, _, settings) in cases_in(Path::new("tests/cases")) {
        let settings = std::fs::read_to_string(&settings).unwrap_or_else(|_| "null".into());
        let outcome = run_file::<Limits>(&settings, &plan).expect("a plan");
        let summary = outcome.summary.map(|s| s.markdown).unwrap_or_default();
        for text in outcome
            .findings
            .iter()
            .map(|f| &f.message)
            .chain([&summary])
        {
            assert!(!text.contains("hunter2"), "{}: {text}", plan.display());
        }
    }
}
