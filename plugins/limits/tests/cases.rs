//! Fixture cases: one plan per situation, with the findings a reviewer should see.

#[test]
fn fixture_cases() {
    tfwarden_sdk::testing::assert_cases::<limits::Limits>("tests/cases");
}
