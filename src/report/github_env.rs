//! Where a GitHub report goes, read from the environment GitHub Actions (and
//! tfaction) sets: the API (GHES included), the repository, the pull request
//! and its head commit, the token, and the job summary file.

use std::path::PathBuf;
use std::time::Duration;

use crate::ci;

/// What `--report github` needs to know about its surroundings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GithubContext {
    /// `GITHUB_API_URL`: `https://api.github.com`, or a GHES `/api/v3` URL.
    pub api_url: String,
    /// `GITHUB_SERVER_URL`, for links to files.
    pub server_url: String,
    /// `GITHUB_TOKEN`, else `GH_TOKEN`.
    pub token: Option<String>,
    /// `GITHUB_REPOSITORY`: `owner/name`.
    pub repository: Option<String>,
    /// `--pr`, else `CI_INFO_PR_NUMBER` (tfaction), else the event's pull request.
    pub pull_request: Option<u64>,
    /// The pull request's head commit, when the event says it.
    pub head_sha: Option<String>,
    /// `GITHUB_STEP_SUMMARY`: the file GitHub shows as the job's summary.
    pub step_summary: Option<PathBuf>,
    /// `GITHUB_RUN_ID`: the workflow run, where a cut comment points for the
    /// full report.
    pub run_id: Option<String>,
    /// `--comment-mode`: what happens to the earlier summary comment.
    pub comment_mode: CommentMode,
    /// `--dry-run DIR`: write the requests there instead of sending them.
    pub dry_run: Option<PathBuf>,
    /// The working directory, whose repository holds the `.tf` files that
    /// suggestions rewrite.
    pub workdir: PathBuf,
    /// How long a second of GitHub's `retry-after` lasts. One second, except
    /// in tests (`TFWARDEN_GITHUB_SECOND_MS`), which must not sleep.
    pub second: Duration,
}

/// What `--comment-mode` does with this target's earlier summary comment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CommentMode {
    /// Edit it in place (no notification, one comment for the whole PR).
    #[default]
    Update,
    /// Hide it as outdated and post a new one, so the news shows at the end.
    HideAndNew,
    /// Post no summary comment.
    Off,
}

impl GithubContext {
    pub fn from_env(pr: Option<u64>) -> GithubContext {
        GithubContext::from_vars(pr, |name| {
            std::env::var(name).ok().filter(|v| !v.trim().is_empty())
        })
    }

    /// `var` looks up one environment variable (tests pass their own).
    pub fn from_vars(pr: Option<u64>, var: impl Fn(&str) -> Option<String>) -> GithubContext {
        // The event payload is only read for its pull request; an unreadable
        // one is the same as none (a push, or a run outside Actions).
        let event = var("GITHUB_EVENT_PATH")
            .and_then(|path| ci::read_event(std::path::Path::new(&path)))
            .and_then(|e| e.pull_request)
            .filter(|p| p.number.is_some());
        let pull_request = pr
            .or_else(|| var("CI_INFO_PR_NUMBER").and_then(|n| n.trim().parse().ok()))
            .or(event.as_ref().and_then(|p| p.number));
        // The event's head is only right for the event's own pull request.
        let head_sha = event
            .filter(|p| p.number == pull_request)
            .and_then(|p| p.head)
            .map(|h| h.sha);
        GithubContext {
            api_url: var("GITHUB_API_URL").unwrap_or_else(|| "https://api.github.com".into()),
            server_url: var("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".into()),
            token: var("GITHUB_TOKEN").or_else(|| var("GH_TOKEN")),
            repository: var("GITHUB_REPOSITORY"),
            pull_request,
            head_sha,
            step_summary: var("GITHUB_STEP_SUMMARY").map(PathBuf::from),
            run_id: var("GITHUB_RUN_ID"),
            comment_mode: CommentMode::Update,
            dry_run: None,
            workdir: PathBuf::from("."),
            second: var("TFWARDEN_GITHUB_SECOND_MS")
                .and_then(|ms| ms.parse().ok())
                .map_or(Duration::from_secs(1), Duration::from_millis),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(pr: Option<u64>, vars: &[(&str, &str)]) -> GithubContext {
        GithubContext::from_vars(pr, |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn reads_the_pull_request_from_the_event() {
        let dir = tempfile::tempdir().unwrap();
        let event = dir.path().join("event.json");
        std::fs::write(
            &event,
            r#"{"action":"synchronize","pull_request":{"number":42,"head":{"sha":"abc123"}}}"#,
        )
        .unwrap();
        let event = event.to_str().unwrap();
        let c = context(
            None,
            &[
                ("GITHUB_EVENT_PATH", event),
                ("GITHUB_REPOSITORY", "acme/infra"),
                ("GITHUB_API_URL", "https://ghe.example.com/api/v3"),
                ("GH_TOKEN", "t"),
            ],
        );
        assert_eq!(c.pull_request, Some(42));
        assert_eq!(c.head_sha.as_deref(), Some("abc123"));
        assert_eq!(c.api_url, "https://ghe.example.com/api/v3");
        assert_eq!(c.server_url, "https://github.com");
        assert_eq!(c.token.as_deref(), Some("t"));

        // Another pull request than the event's: its head must be asked for.
        let c = context(
            None,
            &[("GITHUB_EVENT_PATH", event), ("CI_INFO_PR_NUMBER", "7")],
        );
        assert_eq!((c.pull_request, c.head_sha), (Some(7), None));
        let c = context(Some(9), &[("GITHUB_EVENT_PATH", event)]);
        assert_eq!((c.pull_request, c.head_sha), (Some(9), None));
    }

    #[test]
    fn a_push_has_no_pull_request() {
        let c = context(None, &[("GITHUB_EVENT_PATH", "/nonexistent/event.json")]);
        assert_eq!(c.pull_request, None);
        assert_eq!(c.api_url, "https://api.github.com");
    }
}
