//! The native lower bound for the benchmark: read the plan, parse it once into
//! tfwarden's typed, borrowed model, and answer one policy (created or updated
//! resources without an `owner` tag) with no sandbox, no plugins and no report.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;
use tfwarden_sdk::plan::{ChangeKind, PlanFile};

#[derive(Deserialize)]
struct Tagged<'a> {
    #[serde(borrow, default)]
    tags: Option<HashMap<Cow<'a, str>, Option<Cow<'a, str>>>>,
    #[serde(borrow, default)]
    labels: Option<HashMap<Cow<'a, str>, Option<Cow<'a, str>>>>,
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: lower-bound PLAN.json");
    let text = std::fs::read_to_string(&path).expect("the plan is readable");
    let plan: PlanFile = serde_json::from_str(&text).expect("the plan parses");
    let mut missing = 0;
    for rc in plan.resource_changes.iter().flatten() {
        if rc.mode != "managed" || !ChangeKind::of(&rc.change.actions).creates_or_updates() {
            continue;
        }
        let Some(after) = rc.change.after else {
            continue;
        };
        let Ok(t) = serde_json::from_str::<Tagged>(after.get()) else {
            continue;
        };
        let tags = if rc.type_.starts_with("google_") {
            t.labels
        } else {
            t.tags
        };
        let has_owner = tags.is_some_and(|m| {
            m.get("owner")
                .is_some_and(|v| v.as_deref().is_some_and(|v| !v.is_empty()))
        });
        if !has_owner {
            missing += 1;
        }
    }
    println!("{missing}");
}
