//! What to say on a pull request, decided without any HTTP: the summary
//! comment's marker, one inline comment per finding on a changed line, and
//! which earlier inline comments to update. Re-running on a new commit edits
//! comments in place instead of piling up new ones.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::RangeInclusive;

use super::markdown::{code, escape, status_label};
use super::{Report, ReportFinding, digest_hex};

/// At most this many new inline comments per run; the summary has the rest.
pub const MAX_INLINE_COMMENTS: usize = 30;

/// A comment that is already on the pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub id: u64,
    pub body: String,
}

/// A new review comment on one line of the new side of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inline {
    pub path: String,
    pub line: usize,
    pub body: String,
}

/// The changes to make to the pull request's review comments.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ReviewPlan {
    pub create: Vec<Inline>,
    /// Earlier comments to rewrite: `(comment id, new body)`.
    pub update: Vec<(u64, String)>,
    /// Findings that need an answer but are not on a changed line (or over
    /// the limit): the summary comment lists them.
    pub not_inline: usize,
}

/// Hidden in the summary comment, so the next run finds and edits it. One per
/// target: tfaction runs one check per working directory on the same PR.
pub fn summary_marker(target: &str) -> String {
    format!("<!-- tfwarden:summary:{} -->", short_hash(target))
}

fn finding_marker(target: &str, finding: &ReportFinding) -> String {
    format!(
        "<!-- tfwarden:finding:{}:{} -->",
        short_hash(target),
        finding.fingerprint()
    )
}

/// `(fingerprint, resolved)` of an earlier inline comment of this target.
fn parse_marker<'a>(target_hash: &str, body: &'a str) -> Option<(&'a str, bool)> {
    let prefix = format!("<!-- tfwarden:finding:{target_hash}:");
    let rest = &body[body.find(&prefix)? + prefix.len()..];
    let (inside, _) = rest.split_once("-->")?;
    let mut words = inside.split_whitespace();
    let fingerprint = words.next()?;
    Some((fingerprint, words.next() == Some("resolved")))
}

/// Plans the inline comments: `diff` maps each changed file to the lines a
/// comment may be placed on; `existing` are the pull request's review comments.
pub fn plan(
    report: &Report,
    diff: &HashMap<String, Vec<RangeInclusive<usize>>>,
    existing: &[Existing],
    head_sha: &str,
) -> ReviewPlan {
    let target_hash = short_hash(&report.target);
    let mut earlier: HashMap<&str, &Existing> = HashMap::new();
    let mut resolved_before = HashSet::new();
    for e in existing {
        if let Some((fingerprint, resolved)) = parse_marker(&target_hash, &e.body) {
            earlier.entry(fingerprint).or_insert(e);
            if resolved {
                resolved_before.insert(e.id);
            }
        }
    }

    let mut out = ReviewPlan::default();
    let mut current = HashSet::new();
    for f in report
        .findings
        .iter()
        .filter(|f| f.status.asks_for_action())
    {
        let fingerprint = f.fingerprint();
        if !current.insert(fingerprint.clone()) {
            continue; // one comment per rule, resource and attribute
        }
        let body = inline_body(&report.target, f);
        if let Some(e) = earlier.get(fingerprint.as_str()) {
            if e.body != body {
                out.update.push((e.id, body));
            }
            continue;
        }
        match anchor(f, diff) {
            Some((path, line)) if out.create.len() < MAX_INLINE_COMMENTS => {
                out.create.push(Inline { path, line, body });
            }
            _ => out.not_inline += 1,
        }
    }
    let short_sha = &head_sha[..head_sha.len().min(7)];
    for (fingerprint, e) in &earlier {
        if !current.contains(*fingerprint) && !resolved_before.contains(&e.id) {
            out.update.push((
                e.id,
                resolved_body(&target_hash, fingerprint, &e.body, short_sha),
            ));
        }
    }
    out.update.sort();
    out
}

/// The finding's own line when the diff shows it, else the first line of its
/// block that the diff shows.
fn anchor(
    f: &ReportFinding,
    diff: &HashMap<String, Vec<RangeInclusive<usize>>>,
) -> Option<(String, usize)> {
    let l = f.location.as_ref()?;
    let hunks = diff.get(&l.file)?;
    let shown = |line: &usize| hunks.iter().any(|h| h.contains(line));
    std::iter::once(l.line)
        .chain(l.start_line..=l.end_line)
        .find(shown)
        .map(|line| (l.file.clone(), line))
}

fn inline_body(target: &str, f: &ReportFinding) -> String {
    let mut out = finding_marker(target, f);
    let _ = write!(
        out,
        "\n{} · **{}** · {}: {}\n\n",
        status_label(f.status),
        escape(&f.rule_id),
        f.severity.as_str(),
        escape(&f.rule_title)
    );
    if !f.path.is_empty() {
        let _ = write!(out, "{}: ", code(&f.path));
    }
    out.push_str(&escape(&f.message));
    if let Some(fix) = &f.fix {
        let _ = write!(
            out,
            "\n\nfix: set {} = {}",
            code(&fix.path),
            code(&fix.value)
        );
    }
    let _ = write!(
        out,
        "\n\n<sub>{} · `tfwarden explain {}`</sub>",
        code(&f.address),
        f.rule_id
    );
    out
}

/// An earlier comment whose finding is gone: kept (it may hold a discussion),
/// marked resolved, its old text folded away.
fn resolved_body(target_hash: &str, fingerprint: &str, old: &str, short_sha: &str) -> String {
    let old_text = old.split_once("-->").map_or(old, |(_, rest)| rest).trim();
    format!(
        "<!-- tfwarden:finding:{target_hash}:{fingerprint} resolved -->\n\
         ✅ No longer reported by tfwarden as of {short_sha}.\n\n\
         <details><summary>Earlier finding</summary>\n\n{old_text}\n\n</details>"
    )
}

fn short_hash(text: &str) -> String {
    digest_hex(&[text], 6)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Location, Status};

    fn finding(address: &str, path: &str, status: Status, line: usize) -> ReportFinding {
        let mut f = crate::report::tests::finding(address, status);
        f.path = path.into();
        f.location = Some(Location {
            file: "infra/main.tf".into(),
            line,
            start_line: line - 1,
            end_line: line + 3,
        });
        f
    }

    fn report(findings: Vec<ReportFinding>) -> Report {
        let mut r = crate::report::tests::empty_report();
        r.findings = findings;
        r
    }

    #[test]
    fn comments_only_on_changed_lines_and_skips_what_needs_no_answer() {
        let r = report(vec![
            finding("aws_s3_bucket.a", "tags.owner", Status::Blocking, 10),
            finding("aws_s3_bucket.b", "tags.owner", Status::Advisory, 30),
            finding("aws_s3_bucket.c", "tags.owner", Status::PreExisting, 11),
            finding("aws_s3_bucket.d", "tags.owner", Status::Indeterminate, 50),
        ]);
        // Line 10 is changed; of b's block (29..=33) only 32 is; nothing of d's.
        let diff = HashMap::from([("infra/main.tf".to_owned(), vec![8..=12, 32..=32])]);
        let p = plan(&r, &diff, &[], "0123456789");
        let placed: Vec<(String, usize)> =
            p.create.iter().map(|c| (c.path.clone(), c.line)).collect();
        assert_eq!(
            placed,
            [
                ("infra/main.tf".to_owned(), 10),
                ("infra/main.tf".to_owned(), 32)
            ]
        );
        assert_eq!(p.not_inline, 1);
        assert!(p.update.is_empty());
        assert!(p.create[0].body.starts_with("<!-- tfwarden:finding:"));
        assert!(
            p.create[0]
                .body
                .contains("❌ blocking · **TAG001** · high: resource has no owner tag")
        );
    }

    #[test]
    fn edits_earlier_comments_instead_of_repeating_them() {
        let still = finding("aws_s3_bucket.a", "tags.owner", Status::Blocking, 10);
        let gone = finding("aws_s3_bucket.gone", "tags.owner", Status::Blocking, 20);
        let r_before = report(vec![still.clone(), gone.clone()]);
        let diff = HashMap::from([("infra/main.tf".to_owned(), vec![1..=100])]);
        let first = plan(&r_before, &diff, &[], "aaaaaaa");
        let existing: Vec<Existing> = first
            .create
            .iter()
            .zip([1, 2])
            .map(|(c, id)| Existing {
                id,
                body: c.body.clone(),
            })
            .collect();

        // Same findings: nothing to do.
        assert_eq!(
            plan(&r_before, &diff, &existing, "bbbbbbb"),
            ReviewPlan::default()
        );

        // One fixed: its comment is marked resolved, once.
        let r_after = report(vec![still]);
        let second = plan(&r_after, &diff, &existing, "ccccccc1234");
        assert!(second.create.is_empty());
        assert_eq!(second.update.len(), 1);
        let (id, body) = &second.update[0];
        assert_eq!(*id, 2);
        assert!(body.contains("resolved -->\n✅ No longer reported by tfwarden as of ccccccc."));
        assert!(body.contains("aws_s3_bucket.gone"));
        let resolved = vec![
            existing[0].clone(),
            Existing {
                id: 2,
                body: body.clone(),
            },
        ];
        assert_eq!(plan(&r_after, &diff, &resolved, "d"), ReviewPlan::default());

        // Back again: the resolved comment is rewritten, not duplicated.
        let third = plan(&r_before, &diff, &resolved, "e");
        assert!(third.create.is_empty());
        assert_eq!(third.update, [(2, first.create[1].body.clone())]);
    }

    #[test]
    fn other_targets_comments_are_left_alone() {
        let f = finding("aws_s3_bucket.a", "tags.owner", Status::Blocking, 10);
        let mut other = report(vec![f.clone()]);
        other.target = "other".into();
        let diff = HashMap::from([("infra/main.tf".to_owned(), vec![1..=100])]);
        let theirs = plan(&other, &diff, &[], "a").create;
        let existing = [Existing {
            id: 5,
            body: theirs[0].body.clone(),
        }];
        let mine = plan(&report(vec![]), &diff, &existing, "a");
        assert_eq!(mine, ReviewPlan::default());
    }
}
