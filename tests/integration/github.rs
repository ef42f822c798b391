//! `--report github` against a fake GitHub API: the exact requests for a
//! first run and re-runs, a GHES base URL, the job summary, the check run,
//! rate limits, refusals (422, 403), `--comment-mode`, `--dry-run`, and
//! failures that warn (or, with `--strict-report`, fail) without hiding the
//! verdict.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};
use tfwarden::report::review::summary_marker;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::{guest_path, stderr, stdout};

const REPO: &str = "/api/v3/repos/acme/infra";

/// A fake GitHub Enterprise API (under `/api/v3`) on localhost.
struct FakeGithub {
    runtime: tokio::runtime::Runtime,
    server: MockServer,
}

impl FakeGithub {
    fn start() -> FakeGithub {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(MockServer::start());
        FakeGithub { runtime, server }
    }

    fn on(&self, verb: &str, route: &str, status: u16, body: Value) {
        self.answer(
            verb,
            route,
            ResponseTemplate::new(status).set_body_json(body),
            None,
        );
    }

    /// Answers `route` (under the repository) with `response`, at most
    /// `times` times when given; mocks mounted first answer first.
    fn answer(&self, verb: &str, route: &str, response: ResponseTemplate, times: Option<u64>) {
        let full = if route.starts_with("/api/") {
            route.to_owned()
        } else {
            format!("{REPO}{route}")
        };
        let mut mock = Mock::given(method(verb))
            .and(path(full))
            .respond_with(response);
        if let Some(n) = times {
            mock = mock.up_to_n_times(n);
        }
        self.runtime.block_on(mock.mount(&self.server));
    }

    /// The answers of a pull request with no comments yet.
    fn fresh_pull_request(&self) {
        self.on("GET", "/issues/7/comments", 200, json!([]));
        self.on("POST", "/issues/7/comments", 201, json!({ "id": 100 }));
        self.on("GET", "/pulls/7/files", 200, files());
        self.on("GET", "/pulls/7/comments", 200, json!([]));
        self.on("POST", "/pulls/7/reviews", 200, json!({ "id": 5 }));
        self.on("POST", "/check-runs", 201, json!({ "id": 900 }));
    }

    fn api_url(&self) -> String {
        format!("{}/api/v3", self.server.uri())
    }

    fn requests(&self) -> Vec<Request> {
        self.runtime
            .block_on(self.server.received_requests())
            .unwrap_or_default()
    }
}

/// `METHOD /path?query` of each request, in order, with the API prefix cut.
fn lines(requests: &[Request]) -> Vec<String> {
    requests
        .iter()
        .map(|r| {
            let query = r.url.query().map(|q| format!("?{q}")).unwrap_or_default();
            let route = r.url.path().strip_prefix(REPO).unwrap_or(r.url.path());
            format!("{} {route}{query}", r.method)
        })
        .collect()
}

fn body(r: &Request) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

struct Run {
    output: Output,
    step_summary: String,
}

/// `tfwarden check --report github` on the source-mapping fixture, with the
/// environment GitHub Actions would give it (and nothing inherited).
fn run(api_url: &str, env: &[(&str, &str)], extra: &[&str]) -> Run {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/source/root");
    run_on(&dir.join("plan.json"), &dir, api_url, env, extra)
}

fn run_on(plan: &Path, dir: &Path, api_url: &str, env: &[(&str, &str)], extra: &[&str]) -> Run {
    let work = tempfile::tempdir().unwrap();
    let summary = work.path().join("step-summary.md");
    let plugin = guest_path("owner-tag-policy");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tfwarden"));
    cmd.args(["check", "--plan"])
        .arg(plan)
        .arg("--dir")
        .arg(dir)
        .args(["--no-builtins", "--plugin"])
        .arg(&plugin)
        .args(["--target", "infra", "--report", "github"])
        .args(extra)
        .env("TFWARDEN_CACHE_DIR", work.path().join("cache"))
        // GitHub's rate-limit seconds last a millisecond here.
        .env("TFWARDEN_GITHUB_SECOND_MS", "1")
        .env_remove("TFACTION_WORKING_DIR")
        .env_remove("TFACTION_TARGET")
        .env_remove("CI_INFO_PR_NUMBER")
        .env_remove("GH_TOKEN")
        .env("GITHUB_API_URL", api_url)
        .env("GITHUB_SERVER_URL", "https://github.example.com")
        .env("GITHUB_REPOSITORY", "acme/infra")
        .env("GITHUB_TOKEN", "test-token")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_EVENT_PATH", event(work.path()));
    for (k, v) in env {
        if v.is_empty() {
            cmd.env_remove(k);
        } else {
            cmd.env(k, v);
        }
    }
    let output = cmd.output().expect("the binary runs");
    let step_summary = std::fs::read_to_string(&summary).unwrap_or_default();
    Run {
        output,
        step_summary,
    }
}

fn event(dir: &Path) -> PathBuf {
    let path = dir.join("event.json");
    let event = json!({
        "action": "synchronize",
        "pull_request": { "number": 7, "head": { "sha": "abc1234def" } },
    });
    std::fs::write(&path, event.to_string()).unwrap();
    path
}

/// The pull request changed lines 13 to 19 of the root module: the
/// `aws_s3_bucket.assets` block, and nothing of the other findings.
fn files() -> Value {
    json!([
        { "filename": "testdata/source/root/main.tf", "status": "modified",
          "patch": "@@ -12,0 +13,7 @@ module \"vpc\" {\n+resource \"aws_s3_bucket\" \"assets\" {\n+  bucket = \"acme-assets\"\n+\n+  tags = {\n+    env = \"prod\"\n+  }\n+}" },
        { "filename": "docs/logo.png", "status": "added" },
    ])
}

#[test]
fn first_run_posts_a_summary_and_one_review() {
    let gh = FakeGithub::start();
    gh.on(
        "GET",
        "/issues/7/comments",
        200,
        json!([{ "id": 1, "body": "LGTM" }]),
    );
    gh.on("POST", "/issues/7/comments", 201, json!({ "id": 100 }));
    gh.on("GET", "/pulls/7/files", 200, files());
    gh.on("GET", "/pulls/7/comments", 200, json!([]));
    gh.on("POST", "/pulls/7/reviews", 200, json!({ "id": 5 }));
    gh.on("POST", "/check-runs", 201, json!({ "id": 900 }));

    let run = run(&gh.api_url(), &[], &[]);
    let o = &run.output;
    assert_eq!(
        o.status.code(),
        Some(1),
        "the verdict decides: {}",
        stderr(o)
    );
    assert!(
        stderr(o).contains(
            "tfwarden: GitHub: wrote the job summary; posted the summary comment; 1 new, 0 updated and 0 deleted inline comments, 4 findings only in the summary; check run tfwarden/infra with 5 annotations"
        ),
        "{}",
        stderr(o)
    );

    let requests = gh.requests();
    assert_eq!(
        lines(&requests),
        [
            "GET /issues/7/comments?per_page=100&page=1",
            "POST /issues/7/comments",
            "GET /pulls/7/files?per_page=100&page=1",
            "GET /pulls/7/comments?per_page=100&page=1",
            "POST /pulls/7/reviews",
            "POST /check-runs",
        ]
    );
    for r in &requests {
        assert_eq!(r.headers["authorization"], "Bearer test-token");
    }

    let summary = body(&requests[1])["body"].as_str().unwrap().to_owned();
    assert!(
        summary.starts_with(&format!(
            "{}\n### ❌ tfwarden: 5 blocking findings in `infra`",
            summary_marker("infra")
        )),
        "{summary}"
    );
    assert!(
        summary.contains("| ❌ blocking | `OWN001` high | `aws_s3_bucket.assets`<br>[`testdata/source/root/main.tf:16`](https://github.example.com/acme/infra/blob/abc1234def/testdata/source/root/main.tf#L16) | `tags.owner`: add an `owner` tag<br>fix: set `tags.owner` = `\"team-name\"` |"),
        "{summary}"
    );

    let review = body(&requests[4]);
    assert_eq!(review["commit_id"], "abc1234def");
    assert_eq!(review["event"], "COMMENT");
    assert_eq!(
        review["body"],
        "tfwarden: 1 finding on changed lines. The summary comment lists every finding."
    );
    let comments = review["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 1);
    let c = &comments[0];
    assert_eq!(
        (&c["path"], &c["line"], &c["side"]),
        (
            &json!("testdata/source/root/main.tf"),
            &json!(16),
            &json!("RIGHT")
        )
    );
    let text = c["body"].as_str().unwrap();
    assert!(text.starts_with("<!-- tfwarden:finding:"), "{text}");
    assert!(
        text.contains("❌ blocking · **OWN001** · high: resource has no owner tag\n\n`tags.owner`: add an `owner` tag"),
        "{text}"
    );
    // Line 16 is `  tags = {`: the fix is one line away from mechanical.
    assert!(
        text.contains("```suggestion\n  tags = {\n    owner = \"team-name\"\n```"),
        "{text}"
    );

    let check = body(&requests[5]);
    assert_eq!(check["name"], "tfwarden/infra");
    assert_eq!(check["head_sha"], "abc1234def");
    assert_eq!(check["status"], "completed");
    assert_eq!(check["conclusion"], "failure");
    assert_eq!(check["output"]["title"], "5 blocking findings");
    let annotations = check["output"]["annotations"].as_array().unwrap();
    assert_eq!(annotations.len(), 5);
    assert!(
        annotations.contains(&json!({
            "path": "testdata/source/root/main.tf",
            "start_line": 16,
            "end_line": 16,
            "annotation_level": "failure",
            "title": "OWN001 high: resource has no owner tag",
            "message": "aws_s3_bucket.assets: tags.owner: add an `owner` tag\nfix: set tags.owner = \"team-name\"",
        })),
        "{annotations:?}"
    );

    // Comments quote no plan values: the bucket names are the plan's `after`.
    for r in &requests {
        let text = String::from_utf8_lossy(&r.body);
        assert!(
            !text.contains("acme-assets") && !text.contains("vpc-flow-logs"),
            "{text}"
        );
    }

    // The job summary is the same Markdown, without the marker.
    assert!(
        run.step_summary
            .starts_with("### ❌ tfwarden: 5 blocking findings in `infra`"),
        "{}",
        run.step_summary
    );
    assert!(
        run.step_summary
            .contains("/blob/abc1234def/testdata/source/root/main.tf#L16")
    );
}

/// The first run's summary and inline comment, as the pull request shows them.
fn first_run_comments() -> (String, String) {
    let first = FakeGithub::start();
    first.fresh_pull_request();
    run(&first.api_url(), &[], &[]);
    let posted = first.requests();
    let summary = body(&posted[1])["body"].as_str().unwrap().to_owned();
    let inline = body(&posted[4])["comments"][0]["body"]
        .as_str()
        .unwrap()
        .to_owned();
    (summary, inline)
}

#[test]
fn a_second_run_with_the_same_findings_posts_nothing_new() {
    let (summary, inline) = first_run_comments();
    let gh = FakeGithub::start();
    gh.on(
        "GET",
        "/issues/7/comments",
        200,
        json!([{ "id": 100, "body": summary }]),
    );
    gh.on("GET", "/pulls/7/files", 200, files());
    gh.on(
        "GET",
        "/pulls/7/comments",
        200,
        json!([{ "id": 11, "body": inline, "path": "testdata/source/root/main.tf", "line": 16 }]),
    );
    gh.on("POST", "/check-runs", 201, json!({ "id": 901 }));

    let run = run(&gh.api_url(), &[], &[]);
    assert_eq!(run.output.status.code(), Some(1), "{}", stderr(&run.output));
    assert!(
        stderr(&run.output).contains(
            "left the summary comment as it was; 0 new, 0 updated and 0 deleted inline comments"
        ),
        "{}",
        stderr(&run.output)
    );
    // No edit, no comment, no review: only the reads and this commit's check run.
    assert_eq!(
        lines(&gh.requests()),
        [
            "GET /issues/7/comments?per_page=100&page=1",
            "GET /pulls/7/files?per_page=100&page=1",
            "GET /pulls/7/comments?per_page=100&page=1",
            "POST /check-runs",
        ]
    );
}

#[test]
fn a_rerun_posts_the_new_finding_deletes_the_fixed_one_and_keeps_discussed_ones() {
    let (_, inline) = first_run_comments();
    let target_hash = inline
        .strip_prefix("<!-- tfwarden:finding:")
        .and_then(|rest| rest.split(':').next())
        .unwrap()
        .to_owned();
    let stale = |fingerprint: &str| {
        format!("<!-- tfwarden:finding:{target_hash}:{fingerprint} -->\n❌ **OWN001** old finding")
    };

    let gh = FakeGithub::start();
    gh.on(
        "GET",
        "/pulls/7",
        200,
        json!({ "number": 7, "head": { "sha": "fedcba98765" } }),
    );
    gh.on(
        "GET",
        "/issues/7/comments",
        200,
        json!([{ "id": 100, "body": format!("{}\nold summary", summary_marker("infra")) }]),
    );
    gh.on("PATCH", "/issues/comments/100", 200, json!({ "id": 100 }));
    gh.on("GET", "/pulls/7/files", 200, files());
    // The bucket's finding is new to this pull request; two earlier ones are
    // fixed, and someone answered one of them.
    gh.on(
        "GET",
        "/pulls/7/comments",
        200,
        json!([
            { "id": 12, "body": stale("00000000000000000000000000000000") },
            { "id": 13, "body": stale("11111111111111111111111111111111") },
            { "id": 14, "body": "Why is this a problem?", "in_reply_to_id": 13 },
        ]),
    );
    gh.on("DELETE", "/pulls/comments/12", 204, json!(null));
    gh.on("PATCH", "/pulls/comments/13", 200, json!({ "id": 13 }));
    gh.on("POST", "/pulls/7/reviews", 200, json!({ "id": 6 }));
    gh.on("POST", "/check-runs", 201, json!({ "id": 901 }));

    // tfaction names the pull request; no event payload, so its head is asked for.
    let run = run(
        &gh.api_url(),
        &[("CI_INFO_PR_NUMBER", "7"), ("GITHUB_EVENT_PATH", "")],
        &[],
    );
    assert_eq!(run.output.status.code(), Some(1), "{}", stderr(&run.output));
    let requests = gh.requests();
    assert_eq!(
        lines(&requests),
        [
            "GET /pulls/7",
            "GET /issues/7/comments?per_page=100&page=1",
            "PATCH /issues/comments/100",
            "GET /pulls/7/files?per_page=100&page=1",
            "GET /pulls/7/comments?per_page=100&page=1",
            "PATCH /pulls/comments/13",
            "DELETE /pulls/comments/12",
            "POST /pulls/7/reviews",
            "POST /check-runs",
        ]
    );
    let summary = body(&requests[2])["body"].as_str().unwrap().to_owned();
    assert!(summary.contains("/blob/fedcba98765/"), "{summary}");
    let resolved = body(&requests[5])["body"].as_str().unwrap().to_owned();
    assert_eq!(
        resolved,
        format!(
            "<!-- tfwarden:finding:{target_hash}:11111111111111111111111111111111 resolved -->\n\
             ✅ No longer reported by tfwarden as of fedcba9.\n\n\
             <details><summary>Earlier finding</summary>\n\n❌ **OWN001** old finding\n\n</details>"
        )
    );
    let review = body(&requests[7]);
    assert_eq!(review["commit_id"], "fedcba98765");
    assert_eq!(review["comments"][0]["body"], inline);
    assert_eq!(body(&requests[8])["head_sha"], "fedcba98765");
}

#[test]
fn findings_outside_the_diff_go_to_the_summary_only() {
    let gh = FakeGithub::start();
    gh.fresh_pull_request();
    gh.runtime.block_on(gh.server.reset());
    gh.on("GET", "/issues/7/comments", 200, json!([]));
    gh.on("POST", "/issues/7/comments", 201, json!({ "id": 100 }));
    // Only a README changed: no finding's block is on the new side.
    gh.on(
        "GET",
        "/pulls/7/files",
        200,
        json!([{ "filename": "README.md", "patch": "@@ -1 +1 @@\n-a\n+b" }]),
    );
    gh.on("GET", "/pulls/7/comments", 200, json!([]));
    gh.on("POST", "/check-runs", 201, json!({ "id": 900 }));
    let run = run(&gh.api_url(), &[], &[]);
    assert!(
        stderr(&run.output).contains(
            "0 new, 0 updated and 0 deleted inline comments, 5 findings only in the summary"
        ),
        "{}",
        stderr(&run.output)
    );
    let requests = gh.requests();
    assert!(!lines(&requests).iter().any(|l| l.contains("/reviews")));
    let summary = body(&requests[1])["body"].as_str().unwrap().to_owned();
    assert!(summary.contains("`aws_s3_bucket.assets`"), "{summary}");
}

#[test]
fn a_refused_review_is_posted_again_without_inline_comments() {
    let gh = FakeGithub::start();
    gh.answer(
        "POST",
        "/pulls/7/reviews",
        ResponseTemplate::new(422).set_body_json(json!({ "message": "Unprocessable Entity" })),
        Some(1),
    );
    gh.fresh_pull_request();
    let run = run(&gh.api_url(), &[], &[]);
    assert_eq!(run.output.status.code(), Some(1), "{}", stderr(&run.output));
    assert!(
        stderr(&run.output).contains("0 new, 0 updated and 0 deleted inline comments, 5 findings only in the summary; GitHub refused the inline comments (422)"),
        "{}",
        stderr(&run.output)
    );
    let requests = gh.requests();
    let reviews: Vec<&Request> = requests
        .iter()
        .filter(|r| r.url.path().ends_with("/reviews"))
        .collect();
    assert_eq!(reviews.len(), 2);
    assert_eq!(body(reviews[0])["comments"].as_array().unwrap().len(), 1);
    assert_eq!(body(reviews[1])["comments"], json!([]));
    assert_eq!(body(reviews[1])["event"], "COMMENT");
}

#[test]
fn without_check_run_permission_annotations_become_workflow_commands() {
    let gh = FakeGithub::start();
    gh.answer(
        "POST",
        "/check-runs",
        ResponseTemplate::new(403)
            .set_body_json(json!({ "message": "Resource not accessible by integration" })),
        None,
    );
    gh.fresh_pull_request();
    let run = run(&gh.api_url(), &[], &[]);
    let o = &run.output;
    assert_eq!(
        o.status.code(),
        Some(1),
        "the verdict decides: {}",
        stderr(o)
    );
    let err = stderr(o);
    assert_eq!(
        err.matches("the token may not create check runs (GitHub API: creating the check run failed: Resource not accessible by integration (403)); writing the annotations as workflow commands instead").count(),
        1,
        "{err}"
    );
    assert!(
        err.contains("5 annotations as workflow commands (no check run)"),
        "{err}"
    );
    let out = stdout(o);
    assert_eq!(out.matches("::error file=").count(), 5, "{out}");
    assert!(
        out.contains("::error file=testdata/source/root/main.tf,line=16,endLine=16,title=OWN001 high%3A resource has no owner tag::aws_s3_bucket.assets: tags.owner: add an `owner` tag%0Afix: set tags.owner = \"team-name\"\n"),
        "{out}"
    );
    // Tried once, not again.
    let creates = lines(&gh.requests())
        .iter()
        .filter(|l| *l == "POST /check-runs")
        .count();
    assert_eq!(creates, 1);
}

#[test]
fn rate_limits_are_waited_out_and_a_post_is_never_repeated_blindly() {
    let gh = FakeGithub::start();
    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 2;
    // The primary limit is used up for the first read...
    gh.answer(
        "GET",
        "/issues/7/comments",
        ResponseTemplate::new(403)
            .insert_header("x-ratelimit-remaining", "0")
            .insert_header("x-ratelimit-reset", reset.to_string().as_str())
            .set_body_json(json!({ "message": "API rate limit exceeded" })),
        Some(1),
    );
    // ...and a secondary limit stops the first create.
    gh.answer(
        "POST",
        "/issues/7/comments",
        ResponseTemplate::new(429)
            .insert_header("retry-after", "3")
            .set_body_json(json!({ "message": "secondary rate limit" })),
        Some(1),
    );
    gh.fresh_pull_request();
    let run = run(&gh.api_url(), &[], &[]);
    assert_eq!(run.output.status.code(), Some(1), "{}", stderr(&run.output));
    assert!(
        stderr(&run.output).contains("posted the summary comment"),
        "{}",
        stderr(&run.output)
    );
    assert_eq!(
        lines(&gh.requests())[..5],
        [
            "GET /issues/7/comments?per_page=100&page=1",
            "GET /issues/7/comments?per_page=100&page=1",
            "POST /issues/7/comments",
            // Listed again before creating: the refused POST might have landed.
            "GET /issues/7/comments?per_page=100&page=1",
            "POST /issues/7/comments",
        ]
    );
}

#[test]
fn a_rate_limit_longer_than_tfwarden_waits_is_a_warning() {
    let gh = FakeGithub::start();
    gh.answer(
        "GET",
        "/issues/7/comments",
        ResponseTemplate::new(429).insert_header("retry-after", "3600"),
        None,
    );
    let run = run(&gh.api_url(), &[], &[]);
    assert_eq!(run.output.status.code(), Some(1));
    let err = stderr(&run.output);
    assert!(err.contains("tfwarden::github::rate_limited"), "{err}");
    assert_eq!(gh.requests().len(), 1);
}

#[test]
fn a_used_up_quota_holds_back_the_next_request() {
    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600;
    let gh = FakeGithub::start();
    // The answer is fine, but it spent the last request of the hour.
    gh.answer(
        "GET",
        "/issues/7/comments",
        ResponseTemplate::new(200)
            .insert_header("x-ratelimit-remaining", "0")
            .insert_header("x-ratelimit-reset", reset.to_string().as_str())
            .set_body_json(json!([])),
        None,
    );
    gh.fresh_pull_request();
    let run = run(&gh.api_url(), &[], &[]);
    assert_eq!(run.output.status.code(), Some(1));
    let err = stderr(&run.output);
    assert!(err.contains("tfwarden::github::rate_limited"), "{err}");
    assert!(
        err.contains("posting the summary comment failed: rate limited"),
        "{err}"
    );
    // Nothing was sent into a used-up quota.
    assert_eq!(
        lines(&gh.requests()),
        ["GET /issues/7/comments?per_page=100&page=1"]
    );
}

#[test]
fn comment_modes_hide_and_new_or_off() {
    let (summary, _) = first_run_comments();
    let gh = FakeGithub::start();
    gh.on(
        "GET",
        "/issues/7/comments",
        200,
        json!([{ "id": 100, "node_id": "IC_old", "body": format!("{}\nold", summary_marker("infra")) }]),
    );
    gh.on(
        "POST",
        "/api/graphql",
        200,
        json!({ "data": { "minimizeComment": { "minimizedComment": { "isMinimized": true } } } }),
    );
    gh.fresh_pull_request();
    let run_ = run(&gh.api_url(), &[], &["--comment-mode", "hide-and-new"]);
    assert!(
        stderr(&run_.output).contains("hid the old summary comment and posted a new one"),
        "{}",
        stderr(&run_.output)
    );
    let requests = gh.requests();
    // GHES serves GraphQL at /api/graphql, beside /api/v3.
    assert_eq!(
        lines(&requests)[..3],
        [
            "GET /issues/7/comments?per_page=100&page=1",
            "POST /api/graphql",
            "POST /issues/7/comments",
        ]
    );
    let minimize = body(&requests[1]);
    assert!(
        minimize["query"]
            .as_str()
            .unwrap()
            .contains("minimizeComment(input: {subjectId: $id, classifier: OUTDATED})")
    );
    assert_eq!(minimize["variables"]["id"], "IC_old");
    assert_eq!(body(&requests[2])["body"], summary);

    let off = FakeGithub::start();
    off.fresh_pull_request();
    let run_ = run(&off.api_url(), &[], &["--comment-mode", "off"]);
    assert_eq!(run_.output.status.code(), Some(1));
    assert!(
        !lines(&off.requests())
            .iter()
            .any(|l| l.contains("/issues/")),
        "{:?}",
        lines(&off.requests())
    );
}

#[test]
fn a_dry_run_writes_the_markdown_and_request_bodies_and_sends_nothing() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("requests");
    let unused = "http://127.0.0.1:9/api/v3";
    let run_ = run(
        unused,
        &[("GITHUB_TOKEN", "")],
        &["--dry-run", dir.to_str().unwrap()],
    );
    assert_eq!(
        run_.output.status.code(),
        Some(1),
        "{}",
        stderr(&run_.output)
    );
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "001-POST-repos-acme-infra-issues-7-comments.json",
            "002-POST-repos-acme-infra-check-runs.json",
            "summary.md",
        ]
    );
    let markdown = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    let comment: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("001-POST-repos-acme-infra-issues-7-comments.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(comment, json!({ "body": markdown }));
    assert!(markdown.starts_with(&summary_marker("infra")));
    assert!(
        stderr(&run_.output).contains(&format!(
            "dry run: 2 requests written to {}, nothing sent",
            dir.display()
        )),
        "{}",
        stderr(&run_.output)
    );
}

#[test]
fn an_api_failure_warns_and_keeps_the_exit_code() {
    let gh = FakeGithub::start();
    gh.on(
        "GET",
        "/issues/7/comments",
        500,
        json!({ "message": "boom" }),
    );
    gh.fresh_pull_request();
    let run_ = run(&gh.api_url(), &[], &[]);
    let o = &run_.output;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
    let err = stderr(o);
    assert!(err.contains("tfwarden::github::api"), "{err}");
    assert!(err.contains("listing comments failed: boom (500"), "{err}");
    assert!(
        err.contains("pass --strict-report to fail the run instead"),
        "{err}"
    );
    assert!(!err.contains("test-token"), "{err}");
    // The job summary was written before the API was tried, and the review
    // and the check run still went out.
    assert!(run_.step_summary.contains("5 blocking findings"));
    assert!(
        err.contains("tfwarden: GitHub: wrote the job summary; 1 new, 0 updated and 0 deleted inline comments, 4 findings only in the summary; check run tfwarden/infra with 5 annotations"),
        "{err}"
    );
    assert_eq!(
        lines(&gh.requests()),
        [
            "GET /issues/7/comments?per_page=100&page=1",
            "GET /pulls/7/files?per_page=100&page=1",
            "GET /pulls/7/comments?per_page=100&page=1",
            "POST /pulls/7/reviews",
            "POST /check-runs",
        ]
    );

    let strict = run(&gh.api_url(), &[], &["--strict-report"]);
    assert_eq!(
        strict.output.status.code(),
        Some(3),
        "{}",
        stderr(&strict.output)
    );
    assert!(stderr(&strict.output).contains("tfwarden::github::api"));
}

#[test]
fn without_a_pull_request_only_the_job_summary_is_written() {
    let unused = "http://127.0.0.1:9/api/v3";
    let run_ = run(unused, &[("GITHUB_EVENT_PATH", "")], &[]);
    assert_eq!(run_.output.status.code(), Some(1));
    assert!(stderr(&run_.output).contains("tfwarden: GitHub: wrote the job summary\n"));
    assert!(run_.step_summary.contains("5 blocking findings"));

    let nowhere = run(
        unused,
        &[("GITHUB_EVENT_PATH", ""), ("GITHUB_STEP_SUMMARY", "")],
        &[],
    );
    assert_eq!(nowhere.output.status.code(), Some(1));
    let err = stderr(&nowhere.output);
    assert!(err.contains("tfwarden::github::no_pull_request"), "{err}");
    assert!(err.contains("pass `--pr NUMBER`"), "{err}");

    let no_token = run(unused, &[("GITHUB_TOKEN", "")], &[]);
    assert!(stderr(&no_token.output).contains("tfwarden::github::no_token"));
}

#[test]
fn long_lists_are_read_page_by_page() {
    let gh = FakeGithub::start();
    let others: Vec<Value> = (1..=100)
        .map(|id| json!({ "id": id, "body": "chatter" }))
        .collect();
    let comments = format!("{REPO}/issues/7/comments");
    gh.runtime.block_on(
        Mock::given(method("GET"))
            .and(path(&comments))
            .and(query_param("page", "1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(others))
            .mount(&gh.server),
    );
    gh.runtime.block_on(
        Mock::given(method("GET"))
            .and(path(&comments))
            .and(query_param("page", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([
                { "id": 555, "body": format!("{}\nold", summary_marker("infra")) }
            ])))
            .mount(&gh.server),
    );
    gh.on("PATCH", "/issues/comments/555", 200, json!({ "id": 555 }));
    gh.on("GET", "/pulls/7/files", 200, json!([]));
    gh.on("GET", "/pulls/7/comments", 200, json!([]));
    gh.on("POST", "/check-runs", 201, json!({ "id": 900 }));

    let run = run(&gh.api_url(), &[], &[]);
    assert_eq!(run.output.status.code(), Some(1), "{}", stderr(&run.output));
    assert_eq!(
        lines(&gh.requests()),
        [
            "GET /issues/7/comments?per_page=100&page=1",
            "GET /issues/7/comments?per_page=100&page=2",
            "PATCH /issues/comments/555",
            "GET /pulls/7/files?per_page=100&page=1",
            "GET /pulls/7/comments?per_page=100&page=1",
            "POST /check-runs",
        ]
    );
}

#[test]
fn no_body_is_over_the_limit_however_many_findings() {
    // 3,000 buckets without an owner tag: a full table would be ~500 KB.
    let work = tempfile::tempdir().unwrap();
    let changes: Vec<Value> = (0..3000)
        .map(|i| {
            json!({
                "address": format!("aws_s3_bucket.b{i:04}"), "mode": "managed",
                "type": "aws_s3_bucket", "name": format!("b{i:04}"),
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": { "actions": ["create"], "before": null,
                            "after": { "tags": { "env": "prod" } }, "after_unknown": {} },
            })
        })
        .collect();
    let plan = work.path().join("plan.json");
    std::fs::write(
        &plan,
        json!({ "format_version": "1.2", "terraform_version": "1.11.0",
                "resource_changes": changes, "configuration": { "root_module": {} } })
        .to_string(),
    )
    .unwrap();
    let gh = FakeGithub::start();
    gh.fresh_pull_request();
    let run = run_on(
        &plan,
        work.path(),
        &gh.api_url(),
        &[("GITHUB_RUN_ID", "4242")],
        &[],
    );
    assert_eq!(run.output.status.code(), Some(1), "{}", stderr(&run.output));
    let requests = gh.requests();
    for r in &requests {
        assert!(r.body.len() <= 60_000 + 1_000, "{} bytes", r.body.len());
        if r.method.as_str() == "POST" && r.url.path().ends_with("/comments") {
            let text = body(r)["body"].as_str().unwrap().to_owned();
            assert!(text.chars().count() <= 60_000, "{}", text.chars().count());
            assert!(
                text.contains("- … and 2997 more `OWN001` findings (3000 in all)"),
                "{text}"
            );
            assert!(
                text.contains("the full report is in [the workflow run](https://github.example.com/acme/infra/actions/runs/4242)"),
                "{text}"
            );
        }
    }
    assert!(lines(&requests).contains(&"POST /issues/7/comments".to_owned()));
}

#[test]
fn many_findings_cap_inline_comments_and_send_annotations_in_batches() {
    // 120 untagged buckets, all in a file the pull request adds.
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir(work.path().join(".git")).unwrap();
    let mut tf = String::new();
    let mut changes = Vec::new();
    for i in 0..120 {
        tf.push_str(&format!(
            "resource \"aws_s3_bucket\" \"b{i:03}\" {{\n  tags = {{\n    env = \"prod\"\n  }}\n}}\n"
        ));
        changes.push(json!({
            "address": format!("aws_s3_bucket.b{i:03}"), "mode": "managed",
            "type": "aws_s3_bucket", "name": format!("b{i:03}"),
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": { "actions": ["create"], "before": null,
                        "after": { "tags": { "env": "prod" } }, "after_unknown": {} },
        }));
    }
    std::fs::write(work.path().join("main.tf"), &tf).unwrap();
    let plan = work.path().join("plan.json");
    std::fs::write(
        &plan,
        json!({ "format_version": "1.2", "terraform_version": "1.11.0",
                "resource_changes": changes, "configuration": { "root_module": {} } })
        .to_string(),
    )
    .unwrap();
    let patch = format!("@@ -0,0 +1,{} @@\n", tf.lines().count());

    let gh = FakeGithub::start();
    gh.on(
        "GET",
        "/pulls/7/files",
        200,
        json!([{ "filename": "main.tf", "status": "added", "patch": patch }]),
    );
    // The first create meets a secondary rate limit and did not go through.
    gh.answer(
        "POST",
        "/check-runs",
        ResponseTemplate::new(403)
            .insert_header("retry-after", "1")
            .set_body_json(json!({ "message": "secondary rate limit" })),
        Some(1),
    );
    gh.on(
        "GET",
        "/commits/abc1234def/check-runs",
        200,
        json!({ "total_count": 1, "check_runs": [{ "id": 1, "external_id": "an earlier run" }] }),
    );
    gh.on("PATCH", "/check-runs/900", 200, json!({ "id": 900 }));
    gh.fresh_pull_request();

    let run = run_on(&plan, work.path(), &gh.api_url(), &[], &[]);
    let err = stderr(&run.output);
    assert_eq!(run.output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("30 new, 0 updated and 0 deleted inline comments, 90 findings only in the summary; check run tfwarden/infra with 120 annotations"),
        "{err}"
    );
    let requests = gh.requests();
    let review = requests
        .iter()
        .find(|r| r.url.path().ends_with("/reviews"))
        .unwrap();
    assert_eq!(body(review)["comments"].as_array().unwrap().len(), 30);

    let checks: Vec<&Request> = requests
        .iter()
        .filter(|r| r.url.path().contains("check-runs"))
        .collect();
    assert_eq!(
        lines(&requests)[requests.len() - checks.len()..],
        [
            "POST /check-runs",
            "GET /commits/abc1234def/check-runs?check_name=tfwarden%2Finfra",
            "POST /check-runs",
            "PATCH /check-runs/900",
            "PATCH /check-runs/900",
        ]
    );
    let sizes: Vec<usize> = checks
        .iter()
        .filter(|r| r.method.as_str() != "GET")
        .map(|r| body(r)["output"]["annotations"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [50, 50, 50, 20]);
    assert_eq!(
        body(checks[0]),
        body(checks[2]),
        "the same create, after looking"
    );
    assert_eq!(
        body(checks[3])["output"]["annotations"][0]["path"],
        "main.tf"
    );
}

#[test]
fn under_tfaction_the_step_needs_only_the_plan() {
    let out = tempfile::tempdir().unwrap();
    let requests = out.path().join("requests");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = Command::new(env!("CARGO_BIN_EXE_tfwarden"))
        .current_dir(root)
        .args(["check", "--plan", "testdata/source/root/plan.json"])
        .args(["--no-builtins", "--plugin"])
        .arg(guest_path("owner-tag-policy"))
        .args(["--report", "github", "--dry-run"])
        .arg(&requests)
        .env("TFWARDEN_CACHE_DIR", out.path().join("cache"))
        .env("TFACTION_TARGET", "aws/prod")
        .env("TFACTION_WORKING_DIR", "testdata/source/root")
        .env("CI_INFO_PR_NUMBER", "12")
        .env("GITHUB_REPOSITORY", "acme/infra")
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_EVENT_PATH")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let markdown = std::fs::read_to_string(requests.join("summary.md")).unwrap();
    assert!(
        markdown.starts_with(&summary_marker("aws/prod")),
        "{markdown}"
    );
    assert!(
        markdown.contains("5 blocking findings in `aws/prod`"),
        "{markdown}"
    );
    let check: Value = serde_json::from_str(
        &std::fs::read_to_string(requests.join("002-POST-repos-acme-infra-check-runs.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(check["name"], "tfwarden/aws/prod");
    // The working directory came from TFACTION_WORKING_DIR: findings are placed.
    assert_eq!(
        check["output"]["annotations"][0]["path"]
            .as_str()
            .unwrap()
            .split_once("testdata/source/")
            .map(|(_, rest)| rest.split('/').next().unwrap()),
        Some("root")
    );
    assert!(
        requests
            .join("001-POST-repos-acme-infra-issues-12-comments.json")
            .exists()
    );
}
