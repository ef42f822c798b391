//! Reports to GitHub: the job summary, one summary comment per target on the
//! pull request (edited in place on every run), and a review with inline
//! comments on the changed lines that findings point at. The only module that
//! knows octocrab, HTTP or async; it runs its own current-thread runtime.

use std::collections::HashMap;
use std::io::Write as _;

use miette::Diagnostic;
use octocrab::Octocrab;
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::json;
use thiserror::Error;

use super::github_env::GithubContext;
use super::markdown::{self, Options};
use super::review::{self, Existing, ReviewPlan};
use super::{Report, diff};

/// GitHub refuses comment bodies over 65,536 characters.
const MAX_COMMENT_BYTES: usize = 60_000;
/// GitHub keeps at most 1 MiB of job summary per step.
const MAX_STEP_SUMMARY_BYTES: usize = 1 << 20;
const PER_PAGE: usize = 100;
/// 3,000 files is as many as GitHub lists for a pull request.
const MAX_PAGES: usize = 30;

/// Why the report did not reach GitHub. The check's result stands regardless.
#[derive(Debug, Error, Diagnostic)]
pub enum GithubError {
    #[error("there is no pull request to comment on and no job summary to write")]
    #[diagnostic(
        code(tfwarden::github::no_pull_request),
        help("run on a `pull_request` event, or pass `--pr NUMBER`")
    )]
    NoPullRequest,

    #[error("no GitHub token: GITHUB_TOKEN is not set")]
    #[diagnostic(
        code(tfwarden::github::no_token),
        help(
            "give the step `env: GITHUB_TOKEN: ${{{{ github.token }}}}` and the job `permissions: pull-requests: write`"
        )
    )]
    NoToken,

    #[error("GITHUB_REPOSITORY is not set to `owner/name`")]
    #[diagnostic(
        code(tfwarden::github::no_repository),
        help("GitHub Actions sets it; elsewhere, export GITHUB_REPOSITORY=owner/name")
    )]
    NoRepository,

    #[error("GitHub API: {action} failed: {reason}")]
    #[diagnostic(
        code(tfwarden::github::api),
        help(
            "check GITHUB_API_URL and that the token may write pull requests and issues (`permissions: pull-requests: write`)"
        )
    )]
    Api {
        action: &'static str,
        reason: String,
    },

    #[error("could not start the GitHub client: {0}")]
    #[diagnostic(
        code(tfwarden::github::client),
        help("check GITHUB_API_URL; it must be a URL such as https://api.github.com")
    )]
    Client(String),

    #[error("could not write the job summary {path}: {reason}")]
    #[diagnostic(
        code(tfwarden::github::step_summary),
        help("GITHUB_STEP_SUMMARY must name a writable file; GitHub Actions sets it")
    )]
    StepSummary { path: String, reason: String },
}

/// What a report to GitHub did, for the log.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Published {
    pub step_summary: bool,
    /// `Some(true)` when an earlier summary comment was edited.
    pub summary_updated: Option<bool>,
    pub inline_created: usize,
    pub inline_updated: usize,
    pub not_inline: usize,
}

impl std::fmt::Display for Published {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if self.step_summary {
            parts.push("wrote the job summary".to_owned());
        }
        match self.summary_updated {
            Some(true) => parts.push("updated the summary comment".to_owned()),
            Some(false) => parts.push("posted the summary comment".to_owned()),
            None => {}
        }
        if self.summary_updated.is_some() {
            parts.push(format!(
                "{} new and {} updated inline comments, {} findings only in the summary",
                self.inline_created, self.inline_updated, self.not_inline
            ));
        }
        write!(f, "{}", parts.join("; "))
    }
}

/// Reports `report` wherever `ctx` allows: the job summary when there is
/// one, and the pull request when there is one.
pub fn publish(report: &Report, ctx: &GithubContext) -> Result<Published, GithubError> {
    let mut done = Published::default();
    let blob_url = |sha: &str| {
        ctx.repository
            .as_ref()
            .map(|repo| format!("{}/{repo}/blob/{sha}", ctx.server_url.trim_end_matches('/')))
    };
    if let Some(path) = &ctx.step_summary {
        let body = markdown::render(
            report,
            &Options {
                blob_url: ctx.head_sha.as_deref().and_then(blob_url),
                max_bytes: Some(MAX_STEP_SUMMARY_BYTES),
            },
        );
        append(path, &body).map_err(|e| GithubError::StepSummary {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        done.step_summary = true;
    }
    let Some(pr) = ctx.pull_request else {
        return if done.step_summary {
            Ok(done)
        } else {
            Err(GithubError::NoPullRequest)
        };
    };
    let token = ctx.token.clone().ok_or(GithubError::NoToken)?;
    let repo = ctx
        .repository
        .clone()
        .filter(|r| r.split('/').count() == 2 && !r.starts_with('/') && !r.ends_with('/'))
        .ok_or(GithubError::NoRepository)?;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| GithubError::Client(e.to_string()))?;
    runtime.block_on(async {
        let client = Octocrab::builder()
            .base_uri(ctx.api_url.as_str())
            .map_err(|e| GithubError::Client(e.to_string()))?
            .personal_token(token)
            .build()
            .map_err(|e| GithubError::Client(e.to_string()))?;
        let api = Api { client, repo, pr };
        let head_sha = match &ctx.head_sha {
            Some(sha) => sha.clone(),
            None => api.head_sha().await?,
        };
        let body = format!(
            "{}\n{}",
            review::summary_marker(&report.target),
            markdown::render(
                report,
                &Options {
                    blob_url: blob_url(&head_sha),
                    max_bytes: Some(MAX_COMMENT_BYTES),
                },
            )
        );
        done.summary_updated = Some(api.upsert_summary(&report.target, &body).await?);

        let diff = api.diff().await?;
        let existing = api.review_comments().await?;
        let ReviewPlan {
            create,
            update,
            not_inline,
        } = review::plan(report, &diff, &existing, &head_sha);
        for (id, body) in &update {
            api.edit_review_comment(*id, body).await?;
        }
        if !create.is_empty() {
            api.post_review(&head_sha, &create).await?;
        }
        done.inline_created = create.len();
        done.inline_updated = update.len();
        done.not_inline = not_inline;
        Ok(done)
    })
}

/// Appends, as GitHub expects of every step writing to the job summary.
fn append(path: &std::path::Path, body: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(body.as_bytes())?;
    file.write_all(b"\n")
}

/// One pull request, through the REST API.
struct Api {
    client: Octocrab,
    repo: String,
    pr: u64,
}

#[derive(Deserialize)]
struct Comment {
    id: u64,
    #[serde(default)]
    body: Option<String>,
}

#[derive(Deserialize)]
struct PullFile {
    filename: String,
    /// Absent for binary files and very large diffs.
    #[serde(default)]
    patch: Option<String>,
}

#[derive(Deserialize)]
struct Pull {
    head: PullHead,
}

#[derive(Deserialize)]
struct PullHead {
    sha: String,
}

fn failed(action: &'static str) -> impl FnOnce(octocrab::Error) -> GithubError {
    move |e| GithubError::Api {
        action,
        reason: reason(&e),
    }
}

/// GitHub's own message when it sent one; else the error and its causes
/// (a refused connection, say).
fn reason(e: &octocrab::Error) -> String {
    if let octocrab::Error::GitHub { source, .. } = e {
        return format!("{} ({})", source.message, source.status_code);
    }
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

impl Api {
    async fn head_sha(&self) -> Result<String, GithubError> {
        let route = format!("/repos/{}/pulls/{}", self.repo, self.pr);
        let pull: Pull = self
            .client
            .get(route, None::<&()>)
            .await
            .map_err(failed("reading the pull request"))?;
        Ok(pull.head.sha)
    }

    /// Edits this target's earlier summary comment, or posts one. True when edited.
    async fn upsert_summary(&self, target: &str, body: &str) -> Result<bool, GithubError> {
        let marker = review::summary_marker(target);
        let route = format!("/repos/{}/issues/{}/comments", self.repo, self.pr);
        let comments: Vec<Comment> = self.pages(&route, "listing comments").await?;
        let earlier = comments
            .iter()
            .find(|c| c.body.as_deref().is_some_and(|b| b.contains(&marker)));
        match earlier {
            Some(c) => {
                let route = format!("/repos/{}/issues/comments/{}", self.repo, c.id);
                let _: IgnoredAny = self
                    .client
                    .patch(route, Some(&json!({ "body": body })))
                    .await
                    .map_err(failed("editing the summary comment"))?;
                Ok(true)
            }
            None => {
                let _: IgnoredAny = self
                    .client
                    .post(route, Some(&json!({ "body": body })))
                    .await
                    .map_err(failed("posting the summary comment"))?;
                Ok(false)
            }
        }
    }

    /// The lines of each changed file that can take a review comment.
    async fn diff(
        &self,
    ) -> Result<HashMap<String, Vec<std::ops::RangeInclusive<usize>>>, GithubError> {
        let route = format!("/repos/{}/pulls/{}/files", self.repo, self.pr);
        let files: Vec<PullFile> = self.pages(&route, "listing changed files").await?;
        Ok(files
            .into_iter()
            .map(|f| {
                let lines = f.patch.as_deref().map(diff::commentable_lines);
                (f.filename, lines.unwrap_or_default())
            })
            .collect())
    }

    async fn review_comments(&self) -> Result<Vec<Existing>, GithubError> {
        let route = format!("/repos/{}/pulls/{}/comments", self.repo, self.pr);
        let comments: Vec<Comment> = self.pages(&route, "listing review comments").await?;
        Ok(comments
            .into_iter()
            .map(|c| Existing {
                id: c.id,
                body: c.body.unwrap_or_default(),
            })
            .collect())
    }

    async fn edit_review_comment(&self, id: u64, body: &str) -> Result<(), GithubError> {
        let route = format!("/repos/{}/pulls/comments/{id}", self.repo);
        let _: IgnoredAny = self
            .client
            .patch(route, Some(&json!({ "body": body })))
            .await
            .map_err(failed("editing a review comment"))?;
        Ok(())
    }

    /// One review for all new inline comments: one notification, not thirty.
    async fn post_review(
        &self,
        head_sha: &str,
        comments: &[review::Inline],
    ) -> Result<(), GithubError> {
        let route = format!("/repos/{}/pulls/{}/reviews", self.repo, self.pr);
        let comments: Vec<_> = comments
            .iter()
            .map(|c| json!({ "path": c.path, "line": c.line, "side": "RIGHT", "body": c.body }))
            .collect();
        let body = json!({
            "commit_id": head_sha,
            "event": "COMMENT",
            "body": format!(
                "tfwarden: {} on changed lines. The summary comment lists every finding.",
                if comments.len() == 1 { "1 finding".to_owned() } else { format!("{} findings", comments.len()) }
            ),
            "comments": comments,
        });
        let _: IgnoredAny = self
            .client
            .post(route, Some(&body))
            .await
            .map_err(failed("posting the review"))?;
        Ok(())
    }

    /// Every item of a paginated list, page by page until a short one.
    async fn pages<T: DeserializeOwned>(
        &self,
        route: &str,
        action: &'static str,
    ) -> Result<Vec<T>, GithubError> {
        let mut out = Vec::new();
        for page in 1..=MAX_PAGES {
            let query = [("per_page", PER_PAGE), ("page", page)];
            let batch: Vec<T> = self
                .client
                .get(route, Some(&query))
                .await
                .map_err(failed(action))?;
            let last = batch.len() < PER_PAGE;
            out.extend(batch);
            if last {
                break;
            }
        }
        Ok(out)
    }
}
