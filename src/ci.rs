//! What the CI environment says about this run: the pull request's labels and
//! who acted, from the GitHub Actions event payload. No network.

use serde::Deserialize;

use crate::policy::Override;

#[derive(Deserialize)]
struct Event {
    pull_request: Option<PullRequest>,
    sender: Option<User>,
}

#[derive(Deserialize)]
struct PullRequest {
    #[serde(default)]
    labels: Vec<Label>,
}

#[derive(Deserialize)]
struct Label {
    name: String,
}

#[derive(Deserialize)]
struct User {
    login: String,
}

/// An override granted by `label` on the pull request of the GitHub Actions
/// event at `$GITHUB_EVENT_PATH`, attributed to the event's sender.
pub fn label_override(label: &str) -> Option<Override> {
    let path = std::env::var_os("GITHUB_EVENT_PATH")?;
    let text = std::fs::read_to_string(path).ok()?;
    override_in_event(&text, label)
}

fn override_in_event(event: &str, label: &str) -> Option<Override> {
    let event: Event = serde_json::from_str(event).ok()?;
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
        let o = override_in_event(event, "tfwarden-override").unwrap();
        assert_eq!(
            o,
            Override {
                by: "lead".into(),
                via: "label `tfwarden-override`".into()
            }
        );
        assert!(override_in_event(event, "other").is_none());
        assert!(override_in_event(r#"{"push":{}}"#, "tfwarden-override").is_none());
    }
}
