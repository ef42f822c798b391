//! What the CI environment says about this run, from the GitHub Actions event
//! payload: the pull request (number, head commit, labels) and who acted. The
//! one reader of `$GITHUB_EVENT_PATH`, for overrides and for `--report
//! github`. No network.

use std::path::Path;

use serde::Deserialize;

use crate::policy::Override;

/// The parts of an Actions event payload tfwarden uses.
#[derive(Debug, Deserialize)]
pub struct Event {
    pub pull_request: Option<PullRequest>,
    sender: Option<User>,
}

#[derive(Debug, Deserialize)]
pub struct PullRequest {
    pub number: Option<u64>,
    pub head: Option<Head>,
    #[serde(default)]
    labels: Vec<Label>,
}

#[derive(Debug, Deserialize)]
pub struct Head {
    pub sha: String,
}

/// The event at `path`. An unreadable or foreign payload is the same as
/// none: a push, or a run outside Actions.
pub fn read_event(path: &Path) -> Option<Event> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

#[derive(Debug, Deserialize)]
struct Label {
    name: String,
}

#[derive(Debug, Deserialize)]
struct User {
    login: String,
}

/// An override granted by `label` on the pull request of the GitHub Actions
/// event at `$GITHUB_EVENT_PATH`, attributed to the event's sender.
pub fn label_override(label: &str) -> Option<Override> {
    let path = std::env::var_os("GITHUB_EVENT_PATH")?;
    override_in_event(read_event(Path::new(&path))?, label)
}

fn override_in_event(event: Event, label: &str) -> Option<Override> {
    let pr = event.pull_request?;
    pr.labels.iter().any(|l| l.name == label).then(|| Override {
        by: event.sender.map_or_else(|| "unknown".into(), |s| s.login),
        via: format!("label `{label}`"),
    })
}

/// Who is running this, for overrides given on the command line.
pub fn actor() -> String {
    ["GITHUB_ACTOR", "USER", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_override_label_is_read_from_the_event() {
        let event = r#"{"action":"labeled","sender":{"login":"lead"},
            "pull_request":{"number":7,"labels":[{"name":"bug"},{"name":"tfwarden-override"}]}}"#;
        let parse = |text: &str| serde_json::from_str::<Event>(text).unwrap();
        let o = override_in_event(parse(event), "tfwarden-override").unwrap();
        assert_eq!(
            o,
            Override {
                by: "lead".into(),
                via: "label `tfwarden-override`".into()
            }
        );
        assert!(override_in_event(parse(event), "other").is_none());
        assert!(override_in_event(parse(r#"{"push":{}}"#), "tfwarden-override").is_none());
    }
}
