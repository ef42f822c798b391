//! Reports to GitHub: the job summary, one summary comment per target on the
//! pull request (edited in place on every run), a review with inline
//! comments on the changed lines that findings point at, and a check run with
//! annotations. The only module that knows octocrab, HTTP or async; it runs
//! its own current-thread runtime.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use miette::Diagnostic;
use octocrab::Octocrab;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use thiserror::Error;

use super::github_env::{CommentMode, GithubContext};
use super::markdown::{self, Options};
use super::review::{self, Existing, ReviewPlan};
use super::{Report, ReportFinding, Status, Verdict, diff};

/// GitHub refuses comment bodies over 65,536 characters; no body we send is
/// over this many bytes (so characters).
pub const MAX_COMMENT_BYTES: usize = 60_000;
/// GitHub keeps at most 1 MiB of job summary per step.
const MAX_STEP_SUMMARY_BYTES: usize = 1 << 20;
const PER_PAGE: usize = 100;
/// 3,000 files is as many as GitHub lists for a pull request.
const MAX_PAGES: usize = 30;
/// GitHub takes at most 50 annotations per check-run request.
const ANNOTATIONS_PER_REQUEST: usize = 50;
/// How long, in all, a run may wait for GitHub's rate limits (in GitHub's
/// seconds): past that the report is given up with a warning, since a CI job
/// should not hang for an hour on a comment.
const MAX_TOTAL_WAIT_SECS: u64 = 120;

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

    #[error(
        "GitHub API: {action} failed: rate limited for longer than tfwarden waits ({MAX_TOTAL_WAIT_SECS}s per run)"
    )]
    #[diagnostic(
        code(tfwarden::github::rate_limited),
        help(
            "the token's API quota is used up; re-run the job later, or give this job its own token"
        )
    )]
    RateLimited { action: &'static str },

    #[error("could not write the dry run's requests to {path}: {reason}")]
    #[diagnostic(
        code(tfwarden::github::dry_run),
        help("--dry-run needs a directory tfwarden may create and write")
    )]
    DryRun { path: String, reason: String },

    #[error("could not write the job summary {path}: {reason}")]
    #[diagnostic(
        code(tfwarden::github::step_summary),
        help("GITHUB_STEP_SUMMARY must name a writable file; GitHub Actions sets it")
    )]
    StepSummary { path: String, reason: String },
}

/// What a report to GitHub did, for the log.
#[derive(Debug, Default)]
pub struct Published {
    pub step_summary: bool,
    pub summary: Option<SummaryDone>,
    pub inline_created: usize,
    pub inline_updated: usize,
    pub inline_deleted: usize,
    pub not_inline: usize,
    /// True when GitHub refused the inline comments (422) and the review
    /// went out without them.
    pub inline_refused: bool,
    pub check_run: Option<CheckRunDone>,
    /// Why nothing reached the pull request (no token, no pull request): said
    /// once, and the run goes on.
    pub offline: Option<GithubError>,
    /// Where `--dry-run` wrote the requests, and how many.
    pub dry_run: Option<(PathBuf, usize)>,
    /// True when the review's part (inline comments) was done.
    pub reviewed: bool,
    /// The parts that failed (summary comment, review, check run), in order;
    /// the others were still sent.
    pub failures: Vec<GithubError>,
}

/// What became of the summary comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryDone {
    Posted,
    Updated,
    Unchanged,
    HiddenAndPosted,
    Off,
}

/// Where the annotations went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckRunDone {
    Created {
        name: String,
        annotations: usize,
    },
    /// The token may not create check runs: workflow commands on stdout.
    WorkflowCommands {
        annotations: usize,
    },
}

impl std::fmt::Display for Published {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if self.step_summary {
            parts.push("wrote the job summary".to_owned());
        }
        match self.summary {
            Some(SummaryDone::Posted) => parts.push("posted the summary comment".to_owned()),
            Some(SummaryDone::Updated) => parts.push("updated the summary comment".to_owned()),
            Some(SummaryDone::Unchanged) => {
                parts.push("left the summary comment as it was".to_owned())
            }
            Some(SummaryDone::HiddenAndPosted) => {
                parts.push("hid the old summary comment and posted a new one".to_owned())
            }
            Some(SummaryDone::Off) | None => {}
        }
        if self.reviewed {
            parts.push(format!(
                "{} new, {} updated and {} deleted inline comments, {} findings only in the summary",
                self.inline_created, self.inline_updated, self.inline_deleted, self.not_inline
            ));
        }
        if self.inline_refused {
            parts.push("GitHub refused the inline comments (422)".to_owned());
        }
        match &self.check_run {
            Some(CheckRunDone::Created { name, annotations }) => {
                parts.push(format!("check run {name} with {annotations} annotations"))
            }
            Some(CheckRunDone::WorkflowCommands { annotations }) => parts.push(format!(
                "{annotations} annotations as workflow commands (no check run)"
            )),
            None => {}
        }
        if let Some((dir, n)) = &self.dry_run {
            parts.push(format!(
                "dry run: {n} requests written to {}, nothing sent",
                dir.display()
            ));
        }
        if parts.is_empty() {
            parts.push("nothing to do".to_owned());
        }
        write!(f, "{}", parts.join("; "))
    }
}

/// Reports `report` wherever `ctx` allows: the job summary when there is
/// one, and the pull request when there is one (or, with `--dry-run`, files
/// holding what would have been sent).
pub fn publish(report: &Report, ctx: &GithubContext) -> Result<Published, GithubError> {
    let mut done = Published::default();
    let blob_url = |sha: &str| {
        ctx.repository
            .as_ref()
            .map(|repo| format!("{}/{repo}/blob/{sha}", ctx.server_url.trim_end_matches('/')))
    };
    let full_report_url = match (&ctx.repository, &ctx.run_id) {
        (Some(repo), Some(run)) => Some(format!(
            "{}/{repo}/actions/runs/{run}",
            ctx.server_url.trim_end_matches('/')
        )),
        _ => None,
    };
    if let Some(path) = &ctx.step_summary {
        let body = markdown::render(
            report,
            &Options {
                blob_url: ctx.head_sha.as_deref().and_then(blob_url),
                max_bytes: Some(MAX_STEP_SUMMARY_BYTES),
                full_report_url: full_report_url.clone(),
            },
        );
        append(path, &body).map_err(|e| GithubError::StepSummary {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        done.step_summary = true;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| GithubError::Client(e.to_string()))?;
    // octocrab's client spawns its worker on the current runtime.
    let _entered = runtime.enter();
    let wire = match &ctx.dry_run {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| GithubError::DryRun {
                path: dir.display().to_string(),
                reason: e.to_string(),
            })?;
            Wire::DryRun {
                dir: dir.clone(),
                written: Cell::new(0),
            }
        }
        None => {
            let Some(token) = ctx.token.clone() else {
                done.offline = Some(GithubError::NoToken);
                return Ok(done);
            };
            if ctx.pull_request.is_none() {
                done.offline = Some(GithubError::NoPullRequest);
                return Ok(done);
            }
            let client = |base: &str| {
                Octocrab::builder()
                    .base_uri(base)
                    .map_err(|e| GithubError::Client(e.to_string()))?
                    .personal_token(token.clone())
                    .build()
                    .map_err(|e| GithubError::Client(e.to_string()))
            };
            // GraphQL lives at `/graphql` on github.com, `/api/graphql` on GHES.
            let api = ctx.api_url.trim_end_matches('/');
            let graphql_base = api.strip_suffix("/v3").unwrap_or(api);
            Wire::Live {
                rest: client(api)?,
                graphql: client(graphql_base)?,
            }
        }
    };
    let repo = match (&ctx.repository, &wire) {
        (Some(r), _) if r.split('/').count() == 2 && !r.starts_with('/') && !r.ends_with('/') => {
            r.clone()
        }
        (_, Wire::DryRun { .. }) => "OWNER/REPO".to_owned(),
        _ => return Err(GithubError::NoRepository),
    };

    runtime.block_on(async {
        let api = Api {
            wire,
            repo,
            // A dry run outside a pull request still shows its requests.
            pr: ctx.pull_request.unwrap_or(0),
            second: ctx.second,
            wait_left: Cell::new(MAX_TOTAL_WAIT_SECS),
            used_up_until: Cell::new(None),
        };
        let head_sha = match &ctx.head_sha {
            Some(sha) => sha.clone(),
            None if api.is_dry_run() => "HEAD".to_owned(),
            None => api.head_sha().await?,
        };
        let marker = review::summary_marker(&report.target);
        let body = format!(
            "{marker}\n{}",
            markdown::render(
                report,
                &Options {
                    blob_url: blob_url(&head_sha),
                    max_bytes: Some(MAX_COMMENT_BYTES - marker.len() - 1),
                    full_report_url: full_report_url.clone(),
                },
            )
        );
        if let Wire::DryRun { dir, .. } = &api.wire {
            write_file(&dir.join("summary.md"), &body)?;
        }
        // Each part goes out even when another failed: a token that may not
        // comment may still create check runs, and the other way round.
        match api
            .upsert_summary(&report.target, &body, ctx.comment_mode)
            .await
        {
            Ok(summary) => done.summary = Some(summary),
            Err(e) => done.failures.push(e),
        }

        let source = SourceLines::new(&ctx.workdir);
        // Where a reader finds the findings that have no inline comment.
        let everything = if ctx.comment_mode == CommentMode::Off {
            "The job summary lists every finding."
        } else {
            "The summary comment lists every finding."
        };
        if let Err(e) = api
            .review(report, &head_sha, &source, everything, &mut done)
            .await
        {
            done.failures.push(e);
        }
        match api.check_run(report, &head_sha).await {
            Ok(check_run) => done.check_run = Some(check_run),
            Err(e) => done.failures.push(e),
        }
        if let Wire::DryRun { dir, written } = &api.wire {
            done.dry_run = Some((dir.clone(), written.get()));
        }
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

fn write_file(path: &Path, text: &str) -> Result<(), GithubError> {
    std::fs::write(path, text).map_err(|e| GithubError::DryRun {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// Lines of the `.tf` files as checked out, for suggestions. Finding
/// locations are relative to the repository root, the nearest parent of the
/// working directory with `.git`.
struct SourceLines {
    root: Option<PathBuf>,
    files: RefCell<HashMap<String, Option<String>>>,
}

impl SourceLines {
    fn new(workdir: &Path) -> SourceLines {
        let root = workdir.canonicalize().ok().and_then(|dir| {
            dir.ancestors()
                .find(|d| d.join(".git").exists())
                .map(Path::to_path_buf)
        });
        SourceLines {
            root,
            files: RefCell::default(),
        }
    }

    fn line(&self, file: &str, line: usize) -> Option<String> {
        let root = self.root.as_ref()?;
        let mut files = self.files.borrow_mut();
        let text = files
            .entry(file.to_owned())
            .or_insert_with(|| std::fs::read_to_string(root.join(file)).ok());
        text.as_deref()?
            .lines()
            .nth(line.checked_sub(1)?)
            .map(str::to_owned)
    }
}

/// Where requests go: GitHub, or numbered files for `--dry-run`.
enum Wire {
    Live { rest: Octocrab, graphql: Octocrab },
    DryRun { dir: PathBuf, written: Cell<usize> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Get,
    Post,
    Patch,
    Delete,
}

impl Verb {
    fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Patch => "PATCH",
            Verb::Delete => "DELETE",
        }
    }
}

/// GitHub's answer, whatever its status.
struct Reply {
    status: u16,
    /// Seconds GitHub asks us to wait before trying again, when it refused
    /// for a rate limit.
    retry_after: Option<u64>,
    body: String,
}

impl Reply {
    fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as `T` when GitHub said yes, else GitHub's own message.
    fn parse<T: DeserializeOwned>(self, action: &'static str) -> Result<T, GithubError> {
        if !self.ok() {
            return Err(self.error(action));
        }
        let text = if self.body.trim().is_empty() {
            "null"
        } else {
            &self.body
        };
        serde_json::from_str(text).map_err(|e| GithubError::Api {
            action,
            reason: format!("unexpected answer: {e}"),
        })
    }

    fn error(&self, action: &'static str) -> GithubError {
        if self.retry_after.is_some() {
            return GithubError::RateLimited { action };
        }
        let message = serde_json::from_str::<Value>(&self.body)
            .ok()
            .and_then(|v| v["message"].as_str().map(str::to_owned))
            .unwrap_or_else(|| "no message".to_owned());
        GithubError::Api {
            action,
            reason: format!("{message} ({})", self.status),
        }
    }
}

/// How long GitHub asks us to wait, when `status` is a rate-limit refusal:
/// `retry-after` first (secondary limits), else the primary limit's reset
/// time, else a minute for a bare 429, as GitHub's documentation says.
fn rate_limit_wait(status: u16, header: impl Fn(&str) -> Option<String>, now: u64) -> Option<u64> {
    if status != 403 && status != 429 {
        return None;
    }
    if let Some(secs) = header("retry-after").and_then(|v| v.trim().parse::<u64>().ok()) {
        return Some(secs.max(1));
    }
    if header("x-ratelimit-remaining").as_deref().map(str::trim) == Some("0") {
        let reset = header("x-ratelimit-reset").and_then(|v| v.trim().parse::<u64>().ok());
        return Some(reset.map_or(60, |r| r.saturating_sub(now)).max(1));
    }
    (status == 429).then_some(60)
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// One pull request, through the REST API.
struct Api {
    wire: Wire,
    repo: String,
    pr: u64,
    second: Duration,
    /// What is left of [`MAX_TOTAL_WAIT_SECS`].
    wait_left: Cell<u64>,
    /// When an answer said the quota is used up (`x-ratelimit-remaining: 0`),
    /// the time it is reset: no request is sent before then.
    used_up_until: Cell<Option<u64>>,
}

#[derive(Deserialize)]
struct Comment {
    id: u64,
    #[serde(default)]
    node_id: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    in_reply_to_id: Option<u64>,
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

#[derive(Deserialize)]
struct Created {
    id: u64,
}

#[derive(Deserialize)]
struct CheckRuns {
    check_runs: Vec<CheckRun>,
}

#[derive(Deserialize)]
struct CheckRun {
    id: u64,
    #[serde(default)]
    external_id: Option<String>,
}

/// GitHub's message when it sent one; else the error and its causes (a
/// refused connection, say).
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

/// A query value, percent-encoded.
fn query_value(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Escapes a workflow command's message (`::error ...::message`).
fn command_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property (`file=...`).
fn command_property(text: &str) -> String {
    command_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One check-run annotation: a finding at a place in a file.
struct Annotation<'a> {
    finding: &'a ReportFinding,
    file: &'a str,
    start_line: usize,
    end_line: usize,
}

impl Annotation<'_> {
    fn level(&self) -> &'static str {
        match self.finding.status {
            Status::Blocking => "failure",
            Status::Advisory => "warning",
            _ => "notice",
        }
    }

    fn title(&self) -> String {
        let f = self.finding;
        format!("{} {}: {}", f.rule_id, f.severity.as_str(), f.rule_title)
    }

    fn message(&self) -> String {
        let f = self.finding;
        let mut text = format!("{}: ", f.address);
        if !f.path.is_empty() {
            text.push_str(&format!("{}: ", f.path));
        }
        text.push_str(&f.message);
        if let Some(fix) = &f.fix {
            text.push_str(&format!("\nfix: set {} = {}", fix.path, fix.value));
        }
        // GitHub takes 64 KB per annotation message; a screenful is plenty.
        markdown::clip(&text, 4_000)
    }

    fn json(&self) -> Value {
        json!({
            "path": self.file,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "annotation_level": self.level(),
            "title": self.title(),
            "message": self.message(),
        })
    }

    /// The same annotation as a workflow command, for when there is no check run.
    fn command(&self) -> String {
        let command = match self.level() {
            "failure" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        format!(
            "::{command} file={},line={},endLine={},title={}::{}",
            command_property(self.file),
            self.start_line,
            self.end_line,
            command_property(&self.title()),
            command_data(&self.message())
        )
    }
}

fn annotations(report: &Report) -> Vec<Annotation<'_>> {
    report
        .findings
        .iter()
        .filter(|f| f.status.asks_for_action())
        .filter_map(|finding| {
            let l = finding.location.as_ref()?;
            Some(Annotation {
                finding,
                file: &l.file,
                start_line: l.line,
                end_line: l.line,
            })
        })
        .collect()
}

/// What a failed POST asks for: another look before trying again, or nothing.
enum Posted<T> {
    Done(T),
    /// Rate limited after waiting: list again, then update or create.
    Again,
}

impl Api {
    fn is_dry_run(&self) -> bool {
        matches!(self.wire, Wire::DryRun { .. })
    }

    /// Waits `secs` of GitHub's seconds if the run's budget allows.
    async fn pause(&self, secs: u64) -> bool {
        let left = self.wait_left.get();
        if secs > left {
            // GitHub refuses everything until then: send nothing more.
            self.used_up_until.set(Some(unix_now() + secs));
            return false;
        }
        self.wait_left.set(left - secs);
        tokio::time::sleep(self.second * u32::try_from(secs).unwrap_or(u32::MAX)).await;
        true
    }

    async fn send(
        &self,
        verb: Verb,
        route: &str,
        body: Option<&Value>,
        action: &'static str,
    ) -> Result<Reply, GithubError> {
        self.exchange(false, verb, route, body, action).await
    }

    /// Sends one request. Reads, edits and deletes are repeated after a
    /// rate-limit wait, since doing them twice is harmless; a POST is not: its
    /// caller lists again before deciding to create.
    async fn exchange(
        &self,
        graphql: bool,
        verb: Verb,
        route: &str,
        body: Option<&Value>,
        action: &'static str,
    ) -> Result<Reply, GithubError> {
        let (rest, graphql_client) = match &self.wire {
            Wire::Live { rest, graphql } => (rest, graphql),
            Wire::DryRun { dir, written } => {
                // Nothing is sent: reads see an empty pull request, and every
                // request with a body is written down.
                if let Some(body) = body {
                    let n = written.get() + 1;
                    written.set(n);
                    let slug: String = route
                        .trim_start_matches('/')
                        .split('?')
                        .next()
                        .unwrap_or_default()
                        .chars()
                        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                        .collect();
                    let name = format!("{n:03}-{}-{slug}.json", verb.as_str());
                    let text = serde_json::to_string_pretty(body).unwrap_or_default();
                    write_file(&dir.join(name), &text)?;
                }
                let answer = match verb {
                    Verb::Get => "[]",
                    _ => r#"{"id": 0}"#,
                };
                return Ok(Reply {
                    status: 200,
                    retry_after: None,
                    body: answer.to_owned(),
                });
            }
        };
        let client = if graphql { graphql_client } else { rest };
        let failed = |e: octocrab::Error| GithubError::Api {
            action,
            reason: reason(&e),
        };
        loop {
            if let Some(reset) = self.used_up_until.get() {
                let wait = reset.saturating_sub(unix_now());
                if wait > 0 && !self.pause(wait).await {
                    return Err(GithubError::RateLimited { action });
                }
                self.used_up_until.set(None);
            }
            let response = match verb {
                Verb::Get => client._get(route).await,
                Verb::Post => client._post(route, body).await,
                Verb::Patch => client._patch(route, body).await,
                Verb::Delete => client._delete(route, body).await,
            }
            .map_err(failed)?;
            let status = response.status().as_u16();
            let headers = response.headers();
            let header = |name: &str| {
                headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(|v| v.trim().to_owned())
            };
            let retry_after = rate_limit_wait(status, header, unix_now());
            if retry_after.is_none() && header("x-ratelimit-remaining").as_deref() == Some("0") {
                // This one went through, but it was the last of the quota.
                self.used_up_until
                    .set(header("x-ratelimit-reset").and_then(|r| r.parse().ok()));
            }
            let body_text = client.body_to_string(response).await.map_err(failed)?;
            if let Some(secs) = retry_after
                && verb != Verb::Post
                && self.pause(secs).await
            {
                continue;
            }
            return Ok(Reply {
                status,
                retry_after,
                body: body_text,
            });
        }
    }

    /// Sends a POST once. When rate limited, waits (within the budget) and
    /// asks its caller to look again rather than repeating a create.
    async fn post<T: DeserializeOwned>(
        &self,
        route: &str,
        body: &Value,
        action: &'static str,
    ) -> Result<Posted<T>, GithubError> {
        let reply = self.send(Verb::Post, route, Some(body), action).await?;
        if let Some(secs) = reply.retry_after
            && self.pause(secs).await
        {
            return Ok(Posted::Again);
        }
        Ok(Posted::Done(reply.parse(action)?))
    }

    async fn head_sha(&self) -> Result<String, GithubError> {
        let route = format!("/repos/{}/pulls/{}", self.repo, self.pr);
        let pull: Pull = self
            .send(Verb::Get, &route, None, "reading the pull request")
            .await?
            .parse("reading the pull request")?;
        Ok(pull.head.sha)
    }

    /// This target's summary comment, as `mode` says. The newest comment with
    /// the marker is the current one (older ones were hidden by
    /// `hide-and-new`).
    async fn upsert_summary(
        &self,
        target: &str,
        body: &str,
        mode: CommentMode,
    ) -> Result<SummaryDone, GithubError> {
        if mode == CommentMode::Off {
            return Ok(SummaryDone::Off);
        }
        let marker = review::summary_marker(target);
        let route = format!("/repos/{}/issues/{}/comments", self.repo, self.pr);
        for _ in 0..2 {
            let comments: Vec<Comment> = self.pages(&route, "listing comments").await?;
            let earlier = comments
                .iter()
                .rev()
                .find(|c| c.body.as_deref().is_some_and(|b| b.contains(&marker)));
            if let Some(c) = earlier {
                if c.body.as_deref() == Some(body) {
                    return Ok(SummaryDone::Unchanged);
                }
                if mode == CommentMode::Update {
                    let route = format!("/repos/{}/issues/comments/{}", self.repo, c.id);
                    let action = "editing the summary comment";
                    let _: Value = self
                        .send(Verb::Patch, &route, Some(&json!({ "body": body })), action)
                        .await?
                        .parse(action)?;
                    return Ok(SummaryDone::Updated);
                }
                if let Some(node_id) = &c.node_id {
                    self.minimize(node_id).await?;
                }
            }
            let posted = self
                .post::<Value>(
                    &route,
                    &json!({ "body": body }),
                    "posting the summary comment",
                )
                .await?;
            if let Posted::Done(_) = posted {
                return Ok(match (earlier, mode) {
                    (Some(_), CommentMode::HideAndNew) => SummaryDone::HiddenAndPosted,
                    _ => SummaryDone::Posted,
                });
            }
        }
        Err(GithubError::RateLimited {
            action: "posting the summary comment",
        })
    }

    /// Hides a comment as outdated: only GraphQL can.
    async fn minimize(&self, node_id: &str) -> Result<(), GithubError> {
        let action = "hiding the old summary comment";
        let query = json!({
            "query": "mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }",
            "variables": { "id": node_id },
        });
        let answer: Value = self
            .exchange(true, Verb::Post, "/graphql", Some(&query), action)
            .await?
            .parse(action)?;
        if let Some(errors) = answer.get("errors").and_then(Value::as_array)
            && let Some(first) = errors.first()
        {
            return Err(GithubError::Api {
                action,
                reason: first["message"]
                    .as_str()
                    .unwrap_or("GraphQL error")
                    .to_owned(),
            });
        }
        Ok(())
    }

    /// The review: inline comments on changed lines, earlier ones edited or
    /// deleted. A rate-limited POST makes it list and plan again.
    async fn review(
        &self,
        report: &Report,
        head_sha: &str,
        source: &SourceLines,
        everything: &str,
        done: &mut Published,
    ) -> Result<(), GithubError> {
        let diff = self.diff().await?;
        for _ in 0..2 {
            let existing = self.review_comments().await?;
            let ReviewPlan {
                create,
                update,
                delete,
                not_inline,
            } = review::plan(report, &diff, &existing, head_sha, &|file, line| {
                source.line(file, line)
            });
            for (id, body) in &update {
                let route = format!("/repos/{}/pulls/comments/{id}", self.repo);
                let action = "editing a review comment";
                let _: Value = self
                    .send(Verb::Patch, &route, Some(&json!({ "body": body })), action)
                    .await?
                    .parse(action)?;
            }
            for id in &delete {
                let route = format!("/repos/{}/pulls/comments/{id}", self.repo);
                let action = "deleting an outdated review comment";
                let reply = self.send(Verb::Delete, &route, None, action).await?;
                // Already gone is what we wanted.
                if !reply.ok() && reply.status != 404 {
                    return Err(reply.error(action));
                }
            }
            done.inline_updated += update.len();
            done.inline_deleted += delete.len();
            done.not_inline = not_inline;
            if create.is_empty() {
                done.reviewed = true;
                return Ok(());
            }
            match self.post_review(head_sha, &create, everything).await? {
                Posted::Again => continue,
                Posted::Done(true) => done.inline_created = create.len(),
                Posted::Done(false) => {
                    done.inline_refused = true;
                    done.not_inline += create.len();
                }
            }
            done.reviewed = true;
            return Ok(());
        }
        Err(GithubError::RateLimited {
            action: "posting the review",
        })
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
                in_reply_to: c.in_reply_to_id,
            })
            .collect())
    }

    /// One review for all new inline comments: one notification, not thirty.
    /// `Done(false)` when GitHub refused the comments (422: a line it does
    /// not take) and the review went out without them, once.
    async fn post_review(
        &self,
        head_sha: &str,
        comments: &[review::Inline],
        everything: &str,
    ) -> Result<Posted<bool>, GithubError> {
        let route = format!("/repos/{}/pulls/{}/reviews", self.repo, self.pr);
        let action = "posting the review";
        let inline: Vec<_> = comments
            .iter()
            .map(|c| json!({ "path": c.path, "line": c.line, "side": "RIGHT", "body": c.body }))
            .collect();
        let review = json!({
            "commit_id": head_sha,
            "event": "COMMENT",
            "body": format!(
                "tfwarden: {} on changed lines. {everything}",
                if inline.len() == 1 { "1 finding".to_owned() } else { format!("{} findings", inline.len()) }
            ),
            "comments": inline,
        });
        let reply = self.send(Verb::Post, &route, Some(&review), action).await?;
        if reply.status == 422 {
            // Nothing was created: one more try, with no line to refuse.
            let bare = json!({
                "commit_id": head_sha,
                "event": "COMMENT",
                "body": format!("tfwarden: GitHub did not accept comments on these lines. {everything}"),
                "comments": [],
            });
            let _: Value = self
                .send(Verb::Post, &route, Some(&bare), action)
                .await?
                .parse(action)?;
            return Ok(Posted::Done(false));
        }
        if let Some(secs) = reply.retry_after
            && self.pause(secs).await
        {
            return Ok(Posted::Again);
        }
        let _: Value = reply.parse(action)?;
        Ok(Posted::Done(true))
    }

    /// The check run `tfwarden/<target>`, completed with the verdict, and its
    /// annotations in batches of 50: the first with the create, the rest as
    /// edits. When the token may not create check runs (a fork's), the
    /// annotations go to stdout as workflow commands instead.
    async fn check_run(
        &self,
        report: &Report,
        head_sha: &str,
    ) -> Result<CheckRunDone, GithubError> {
        let name = format!("tfwarden/{}", report.target);
        let annotations = annotations(report);
        let batches: Vec<Vec<Value>> = annotations
            .chunks(ANNOTATIONS_PER_REQUEST)
            .map(|batch| batch.iter().map(Annotation::json).collect())
            .collect();
        let c = &report.counts;
        let title = match report.verdict {
            Verdict::Pass => "no blocking findings".to_owned(),
            Verdict::Fail => format!("{} blocking findings", c.blocking),
            Verdict::Error => "incomplete: a plugin failed".to_owned(),
        };
        let summary = format!(
            "{} blocking · {} advisory · {} indeterminate · {} pre-existing · {} waived",
            c.blocking, c.advisory, c.indeterminate, c.pre_existing, c.waived
        );
        let output = |batch: Option<&Vec<Value>>| {
            json!({
                "title": title,
                "summary": summary,
                "annotations": batch.cloned().unwrap_or_default(),
            })
        };
        let conclusion = match report.verdict {
            Verdict::Pass => "success",
            Verdict::Fail | Verdict::Error => "failure",
        };
        // Each run creates its own check run (GitHub shows a commit's latest
        // of a name): editing an earlier one would add its annotations twice.
        // The external id tells this run's check run from earlier ones.
        let external_id = format!(
            "tfwarden-{}",
            super::digest_hex(
                &[
                    &report.target,
                    &std::process::id().to_string(),
                    &format!("{:?}", std::time::SystemTime::now()),
                ],
                8
            )
        );
        let first = json!({
            "name": name,
            "head_sha": head_sha,
            "external_id": external_id,
            "status": "completed",
            "conclusion": conclusion,
            "output": output(batches.first()),
        });
        let create = format!("/repos/{}/check-runs", self.repo);
        let action = "creating the check run";
        let mut id = None;
        for _ in 0..2 {
            let reply = self.send(Verb::Post, &create, Some(&first), action).await?;
            if reply.status == 403 && reply.retry_after.is_none() {
                let reason = reply.error(action);
                eprintln!(
                    "tfwarden: warning: GitHub: the token may not create check runs ({reason}); \
                     writing the annotations as workflow commands instead"
                );
                let mut stdout = std::io::stdout().lock();
                for a in &annotations {
                    let _ = writeln!(stdout, "{}", a.command());
                }
                return Ok(CheckRunDone::WorkflowCommands {
                    annotations: annotations.len(),
                });
            }
            if let Some(secs) = reply.retry_after
                && self.pause(secs).await
            {
                // Look before creating again: a check run with this run's
                // own external id means the create went through after all.
                let route = format!(
                    "/repos/{}/commits/{head_sha}/check-runs?check_name={}",
                    self.repo,
                    query_value(&name)
                );
                let action = "listing check runs";
                let runs: CheckRuns = self
                    .send(Verb::Get, &route, None, action)
                    .await?
                    .parse(action)?;
                if let Some(run) = runs
                    .check_runs
                    .iter()
                    .find(|r| r.external_id.as_deref() == Some(external_id.as_str()))
                {
                    id = Some(run.id);
                    break;
                }
                continue;
            }
            let created: Created = reply.parse(action)?;
            id = Some(created.id);
            break;
        }
        let id = id.ok_or(GithubError::RateLimited { action })?;
        let route = format!("/repos/{}/check-runs/{id}", self.repo);
        for batch in batches.iter().skip(1) {
            let action = "adding annotations to the check run";
            let _: Value = self
                .send(
                    Verb::Patch,
                    &route,
                    Some(&json!({ "output": output(Some(batch)) })),
                    action,
                )
                .await?
                .parse(action)?;
        }
        Ok(CheckRunDone::Created {
            name,
            annotations: annotations.len(),
        })
    }

    /// Every item of a paginated list, page by page until a short one.
    async fn pages<T: DeserializeOwned>(
        &self,
        route: &str,
        action: &'static str,
    ) -> Result<Vec<T>, GithubError> {
        let mut out = Vec::new();
        for page in 1..=MAX_PAGES {
            let paged = format!("{route}?per_page={PER_PAGE}&page={page}");
            let batch: Vec<T> = self
                .send(Verb::Get, &paged, None, action)
                .await?
                .parse(action)?;
            let last = batch.len() < PER_PAGE;
            out.extend(batch);
            if last {
                break;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_headers_say_how_long_to_wait() {
        let headers = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(
            rate_limit_wait(403, headers(&[("retry-after", "7")]), 0),
            Some(7)
        );
        assert_eq!(
            rate_limit_wait(
                403,
                headers(&[
                    ("x-ratelimit-remaining", "0"),
                    ("x-ratelimit-reset", "1030")
                ]),
                1000
            ),
            Some(30)
        );
        assert_eq!(rate_limit_wait(429, headers(&[]), 0), Some(60));
        // A plain 403 is a permission, not a rate limit.
        assert_eq!(
            rate_limit_wait(403, headers(&[("x-ratelimit-remaining", "12")]), 0),
            None
        );
        assert_eq!(
            rate_limit_wait(200, headers(&[("retry-after", "7")]), 0),
            None
        );
    }

    #[test]
    fn workflow_commands_escape_what_would_end_them() {
        assert_eq!(command_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(command_data("one\ntwo: 100%"), "one%0Atwo: 100%25");
    }
}
