//! `--report github` against a fake GitHub API: the exact requests for a
//! first run and a re-run, a GHES base URL, the job summary, and failures
//! that warn (or, with `--strict-report`, fail) without hiding the verdict.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};
use tfwarden::report::review::summary_marker;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::{guest_path, stderr};

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
        let mock = Mock::given(method(verb))
            .and(path(format!("{REPO}{route}")))
            .respond_with(ResponseTemplate::new(status).set_body_json(body));
        self.runtime.block_on(mock.mount(&self.server));
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
    let work = tempfile::tempdir().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/source/root");
    let plan = dir.join("plan.json");
    let summary = work.path().join("step-summary.md");
    let plugin = guest_path("owner-tag-policy");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tfwarden"));
    cmd.args(["check", "--plan"])
        .arg(&plan)
        .arg("--dir")
        .arg(&dir)
        .args(["--no-builtins", "--plugin"])
        .arg(&plugin)
        .args(["--target", "infra", "--report", "github"])
        .args(extra)
        .env("TFWARDEN_CACHE_DIR", work.path().join("cache"))
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
            "tfwarden: GitHub: wrote the job summary; posted the summary comment; 1 new and 0 updated inline comments, 4 findings only in the summary"
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
        summary.contains("| ❌ blocking | `OWN001` high | `aws_s3_bucket.assets` | [`testdata/source/root/main.tf:16`](https://github.example.com/acme/infra/blob/abc1234def/testdata/source/root/main.tf#L16) | `tags.owner`: add an `owner` tag<br>fix: set `tags.owner` = `\"team-name\"` |"),
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

#[test]
fn a_rerun_edits_in_place_and_resolves_what_is_fixed() {
    // The first run's comments, to hand back as the pull request's.
    let first = FakeGithub::start();
    first.on("GET", "/issues/7/comments", 200, json!([]));
    first.on("POST", "/issues/7/comments", 201, json!({ "id": 100 }));
    first.on("GET", "/pulls/7/files", 200, files());
    first.on("GET", "/pulls/7/comments", 200, json!([]));
    first.on("POST", "/pulls/7/reviews", 200, json!({ "id": 5 }));
    run(&first.api_url(), &[], &[]);
    let posted = first.requests();
    let inline = body(&posted[4])["comments"][0]["body"]
        .as_str()
        .unwrap()
        .to_owned();
    let target_hash = inline
        .strip_prefix("<!-- tfwarden:finding:")
        .and_then(|rest| rest.split(':').next())
        .unwrap()
        .to_owned();
    let stale = format!(
        "<!-- tfwarden:finding:{target_hash}:00000000000000000000000000000000 -->\n❌ **OWN001** old finding"
    );

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
    gh.on(
        "GET",
        "/pulls/7/comments",
        200,
        json!([{ "id": 11, "body": inline }, { "id": 12, "body": stale }]),
    );
    gh.on("PATCH", "/pulls/comments/12", 200, json!({ "id": 12 }));

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
            "PATCH /pulls/comments/12",
        ]
    );
    let summary = body(&requests[2])["body"].as_str().unwrap().to_owned();
    assert!(summary.contains("/blob/fedcba98765/"), "{summary}");
    let resolved = body(&requests[5])["body"].as_str().unwrap().to_owned();
    assert_eq!(
        resolved,
        format!(
            "<!-- tfwarden:finding:{target_hash}:00000000000000000000000000000000 resolved -->\n\
             ✅ No longer reported by tfwarden as of fedcba9.\n\n\
             <details><summary>Earlier finding</summary>\n\n❌ **OWN001** old finding\n\n</details>"
        )
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
    // The job summary was written before the API was tried.
    assert!(run_.step_summary.contains("5 blocking findings"));
    assert_eq!(
        lines(&gh.requests()),
        ["GET /issues/7/comments?per_page=100&page=1"]
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
        ]
    );
}
