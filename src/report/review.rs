//! What to say on a pull request, decided without any HTTP: the summary
//! comment's marker, one inline comment per finding on a changed line, and
//! which earlier inline comments to update or delete. Re-running on a new
//! commit edits comments in place instead of piling up new ones.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::RangeInclusive;

use super::markdown::{clip, code, escape, status_label};
use super::{Report, ReportFinding, digest_hex};

/// At most this many new inline comments per run; the summary has the rest.
pub const MAX_INLINE_COMMENTS: usize = 30;
/// A plugin's message is cut to this in an inline comment, which keeps every
/// comment far below GitHub's limit.
const MAX_MESSAGE_BYTES: usize = 4_000;

/// A comment that is already on the pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub id: u64,
    pub body: String,
    /// The comment this one answers, when it is a reply.
    pub in_reply_to: Option<u64>,
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
    /// Earlier comments whose finding is gone and that nobody answered.
    pub delete: Vec<u64>,
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
/// comment may be placed on; `existing` are the pull request's review
/// comments; `source_line(file, line)` reads a line of the checked-out `.tf`
/// files, for suggestions.
pub fn plan(
    report: &Report,
    diff: &HashMap<String, Vec<RangeInclusive<usize>>>,
    existing: &[Existing],
    head_sha: &str,
    source_line: &dyn Fn(&str, usize) -> Option<String>,
) -> ReviewPlan {
    let target_hash = short_hash(&report.target);
    let answered: HashSet<u64> = existing.iter().filter_map(|e| e.in_reply_to).collect();
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
        let anchored = anchor(f, diff);
        let suggestion = anchored
            .as_ref()
            .and_then(|(path, line)| suggestion(f, *line, &source_line(path, *line)?));
        let body = inline_body(&report.target, f, suggestion.as_deref());
        if let Some(e) = earlier.get(fingerprint.as_str()) {
            if e.body != body {
                out.update.push((e.id, body));
            }
            continue;
        }
        match anchored {
            Some((path, line)) if out.create.len() < MAX_INLINE_COMMENTS => {
                out.create.push(Inline { path, line, body });
            }
            _ => out.not_inline += 1,
        }
    }
    let short_sha = &head_sha[..head_sha.len().min(7)];
    for (fingerprint, e) in &earlier {
        if current.contains(*fingerprint) {
            continue;
        }
        if !answered.contains(&e.id) {
            // Nobody answered it: the comment only adds noise now.
            out.delete.push(e.id);
        } else if !resolved_before.contains(&e.id) {
            // A discussion hangs on it: keep it, say it is resolved.
            out.update.push((
                e.id,
                resolved_body(&target_hash, fingerprint, &e.body, short_sha),
            ));
        }
    }
    out.update.sort();
    out.delete.sort();
    out
}

/// A GitHub suggestion that replaces the anchored line, when the finding's
/// fix is mechanical and the line is exactly the one the fix changes: the
/// attribute to set (`key = value`), or the opening line of the map a missing
/// key goes into (`tags = {`). Anything else gets no suggestion: a wrong one
/// is worse than none. The replacement is built from the fix, never from the
/// plan, and the old line is only reproduced when it has the exact shape.
fn suggestion(f: &ReportFinding, line: usize, text: &str) -> Option<String> {
    let fix = f.fix.as_ref()?;
    let location = f.location.as_ref()?;
    if line != location.line || fix.value.contains(['\n', '\r', '`']) || fix.value.is_empty() {
        return None;
    }
    let indent = &text[..text.len() - text.trim_start().len()];
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let identifier = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && !s.starts_with(|c: char| c.is_ascii_digit())
    };
    let (key, value) = text.trim().split_once('=')?;
    let (key, value) = (key.trim(), value.trim());
    let replacement = match fix.path.split_once('.') {
        // `flag = old` becomes `flag = new`; the old value must be one plain
        // token, so no block, list, heredoc or comment is cut in half.
        None if key == fix.path
            && identifier(key)
            && !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-\"".contains(c)) =>
        {
            format!("{indent}{key} = {}", fix.value)
        }
        // `map = {` gains the missing key on the next line.
        Some((map, entry))
            if key == map && identifier(map) && identifier(entry) && value == "{" =>
        {
            format!("{indent}{map} = {{\n{indent}  {entry} = {}", fix.value)
        }
        _ => return None,
    };
    Some(replacement)
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

fn inline_body(target: &str, f: &ReportFinding, suggestion: Option<&str>) -> String {
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
    out.push_str(&escape(&clip(&f.message, MAX_MESSAGE_BYTES)));
    if let Some(fix) = &f.fix {
        let _ = write!(
            out,
            "\n\nfix: set {} = {}",
            code(&fix.path),
            code(&fix.value)
        );
    }
    if let Some(replacement) = suggestion {
        let _ = write!(out, "\n\n```suggestion\n{replacement}\n```");
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

    fn no_source(_: &str, _: usize) -> Option<String> {
        None
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
        let p = plan(&r, &diff, &[], "0123456789", &no_source);
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
        let first = plan(&r_before, &diff, &[], "aaaaaaa", &no_source);
        let existing: Vec<Existing> = first
            .create
            .iter()
            .zip([1, 2])
            .map(|(c, id)| Existing {
                id,
                body: c.body.clone(),
                in_reply_to: None,
            })
            .collect();

        // Same findings: nothing to do.
        assert_eq!(
            plan(&r_before, &diff, &existing, "bbbbbbb", &no_source),
            ReviewPlan::default()
        );

        // One fixed and nobody answered its comment: deleted.
        let r_after = report(vec![still]);
        let unanswered = plan(&r_after, &diff, &existing, "ccccccc1234", &no_source);
        assert_eq!((unanswered.delete, unanswered.update), (vec![2], vec![]));

        // One fixed and someone answered: kept, marked resolved, once.
        let reply = Existing {
            id: 3,
            body: "why?".into(),
            in_reply_to: Some(2),
        };
        let mut existing = existing;
        existing.push(reply.clone());
        let second = plan(&r_after, &diff, &existing, "ccccccc1234", &no_source);
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
                in_reply_to: None,
            },
            reply.clone(),
        ];
        assert_eq!(
            plan(&r_after, &diff, &resolved, "d", &no_source),
            ReviewPlan::default()
        );

        // Back again: the resolved comment is rewritten, not duplicated.
        let third = plan(&r_before, &diff, &resolved, "e", &no_source);
        assert!(third.create.is_empty());
        assert_eq!(third.update, [(2, first.create[1].body.clone())]);
    }

    #[test]
    fn other_targets_comments_are_left_alone() {
        let f = finding("aws_s3_bucket.a", "tags.owner", Status::Blocking, 10);
        let mut other = report(vec![f.clone()]);
        other.target = "other".into();
        let diff = HashMap::from([("infra/main.tf".to_owned(), vec![1..=100])]);
        let theirs = plan(&other, &diff, &[], "a", &no_source).create;
        let existing = [Existing {
            id: 5,
            body: theirs[0].body.clone(),
            in_reply_to: None,
        }];
        let mine = plan(&report(vec![]), &diff, &existing, "a", &no_source);
        assert_eq!(mine, ReviewPlan::default());
    }

    #[test]
    fn mechanical_fixes_carry_a_suggestion_for_the_exact_line() {
        let mut f = finding("aws_s3_bucket.a", "tags.owner", Status::Blocking, 10);
        f.fix = Some(tfwarden_sdk::findings::Fix {
            path: "tags.owner".into(),
            value: "\"team-name\"".into(),
        });
        let diff = HashMap::from([("infra/main.tf".to_owned(), vec![1..=100])]);
        let body = |f: &ReportFinding, line: &str| {
            let line = line.to_owned();
            let p = plan(
                &report(vec![f.clone()]),
                &diff,
                &[],
                "a",
                &move |file, n| (file == "infra/main.tf" && n == 10).then(|| line.clone()),
            );
            p.create[0].body.clone()
        };
        let text = body(&f, "  tags = {");
        assert!(
            text.contains("```suggestion\n  tags = {\n    owner = \"team-name\"\n```"),
            "{text}"
        );
        // Not the shape the fix expects: no suggestion at all.
        assert!(!body(&f, "  tags = merge(local.tags, {").contains("suggestion"));
        assert!(!body(&f, "  tags = { env = \"prod\" }").contains("suggestion"));

        f.path = "versioning".into();
        f.fix = Some(tfwarden_sdk::findings::Fix {
            path: "versioning".into(),
            value: "true".into(),
        });
        assert!(!body(&f, "    versioning = false # old").contains("suggestion"));
        assert!(
            body(&f, "    versioning = false")
                .contains("```suggestion\n    versioning = true\n```")
        );
    }
}
