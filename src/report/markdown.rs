//! The Markdown renderer: the pull-request summary comment, also printed by
//! `--format markdown` and written to `GITHUB_STEP_SUMMARY`. Text that came
//! from plugins is escaped so it can neither break the table nor inject HTML
//! or mentions.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{Location, Report, ReportFinding, Status, Verdict};

/// How a rendering is shaped for where it goes.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Links locations to `{blob_url}/{file}#L{line}`, such as
    /// `https://github.com/acme/infra/blob/<sha>`.
    pub blob_url: Option<String>,
    /// Keeps the text under this many bytes, shrinking in stages (GitHub
    /// refuses comments over 65,536 characters).
    pub max_bytes: Option<usize>,
    /// Where the whole report can be read when this one had to be cut: the
    /// workflow run, whose artifacts hold `--output` files.
    pub full_report_url: Option<String>,
}

/// How much of the report a rendering holds: each stage is shorter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Everything.
    Full,
    /// The `<details>` sections (warnings, folded findings, plugin
    /// summaries) reduced to their counts.
    Collapsed,
    /// Also at most this many blocking findings per rule, with each rule's total.
    TopPerRule(usize),
}

/// Blocking findings kept per rule when even the collapsed report is too long.
const TOP_PER_RULE: usize = 3;

/// The report as Markdown: verdict and counts first, then the blocking
/// findings as a table, then warnings, folded findings and plugin summaries
/// (the cost table) inside `<details>`. Over `max_bytes`, it shrinks in
/// stages: details collapsed, then the top findings per rule, then a cut
/// with a pointer to the full report.
pub fn render(report: &Report, options: &Options) -> String {
    let budget = options.max_bytes.unwrap_or(usize::MAX);
    let mut text = String::new();
    for shape in [
        Shape::Full,
        Shape::Collapsed,
        Shape::TopPerRule(TOP_PER_RULE),
    ] {
        text = compose(report, options, shape);
        if text.len() <= budget {
            return text;
        }
    }
    cut(text, budget, options)
}

fn compose(report: &Report, options: &Options, shape: Shape) -> String {
    let mut out = head(report);
    let blocking: Vec<&ReportFinding> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Blocking)
        .collect();
    if !blocking.is_empty() {
        out.push_str(TABLE_HEAD);
        let mut shown_per_rule: HashMap<&str, usize> = HashMap::new();
        let mut left_out: Vec<(&str, usize, usize)> = Vec::new();
        for f in &blocking {
            let shown = shown_per_rule.entry(&f.rule_id).or_default();
            match shape {
                Shape::TopPerRule(top) if *shown >= top => {
                    match left_out.iter_mut().find(|(rule, ..)| *rule == f.rule_id) {
                        Some((_, more, _)) => *more += 1,
                        None => left_out.push((&f.rule_id, 1, 0)),
                    }
                }
                _ => {
                    *shown += 1;
                    out.push_str(&row(f, options));
                }
            }
        }
        for (rule, more, total) in &mut left_out {
            *total = *more + shown_per_rule.get(rule).copied().unwrap_or(0);
        }
        out.push('\n');
        if !left_out.is_empty() {
            for (rule, more, total) in left_out {
                let _ = writeln!(
                    out,
                    "- … and {more} more `{}` findings ({total} in all)",
                    escape(rule)
                );
            }
            out.push_str(&pointer(options, "left out to keep this comment short"));
            out.push('\n');
        }
    }

    let warnings: Vec<&ReportFinding> = report
        .findings
        .iter()
        .filter(|f| f.status != Status::Blocking && f.status.asks_for_action())
        .collect();
    if !warnings.is_empty() {
        let summary = format!(
            "{} (advisory or known after apply)",
            plural(warnings.len(), "warning")
        );
        let body: String = std::iter::once(TABLE_HEAD.to_owned())
            .chain(warnings.iter().map(|f| row(f, options)))
            .collect();
        out.push_str(&details(&summary, &body, shape, options));
    }

    let hidden: Vec<&ReportFinding> = report
        .findings
        .iter()
        .filter(|f| !f.status.asks_for_action())
        .collect();
    if !hidden.is_empty() {
        let summary = format!(
            "{} pre-existing or waived findings (not blocking)",
            hidden.len()
        );
        let mut body = String::new();
        for f in hidden {
            let _ = write!(
                body,
                "- {} `{}` {}: {}",
                status_label(f.status),
                f.rule_id,
                code(&f.address),
                escape(&f.message)
            );
            if let Some(reason) = &f.waiver {
                let _ = write!(body, " (waiver: {})", escape(reason));
            }
            body.push('\n');
        }
        out.push_str(&details(&summary, &body, shape, options));
    }
    out.push_str(&tail(report, shape, options));
    out
}

/// A folded section; collapsed to its summary line when space is short.
fn details(summary: &str, body: &str, shape: Shape, options: &Options) -> String {
    if shape == Shape::Full {
        format!("<details><summary>{summary}</summary>\n\n{body}\n</details>\n\n")
    } else {
        format!(
            "{summary}: {}\n",
            pointer(options, "left out to keep this comment short")
        )
    }
}

/// Where to read what was left out.
fn pointer(options: &Options, why: &str) -> String {
    match &options.full_report_url {
        Some(url) => format!("{why}; the full report is in [the workflow run]({url}).\n"),
        None => format!("{why}; the job log and `--format sarif` have the full report.\n"),
    }
}

/// The last resort: cut at a line, and say where the rest is.
fn cut(mut text: String, budget: usize, options: &Options) -> String {
    let note = format!(
        "\n\n… cut to fit: {}",
        pointer(options, "GitHub limits a comment's length")
    );
    let mut end = budget.saturating_sub(note.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if let Some(line_end) = text[..end].rfind('\n') {
        end = line_end;
    }
    text.truncate(end);
    text.push_str(&note);
    text
}

const TABLE_HEAD: &str = "| | Rule | Resource | Finding |\n| --- | --- | --- | --- |\n";

fn head(report: &Report) -> String {
    let c = &report.counts;
    let (icon, headline) = match report.verdict {
        Verdict::Pass => ("✅", "no blocking findings".to_owned()),
        Verdict::Fail => ("❌", plural(c.blocking, "blocking finding")),
        Verdict::Error => ("💥", "incomplete: a plugin failed".to_owned()),
    };
    let mut out = format!("### {icon} tfwarden: {headline}");
    if !report.target.is_empty() {
        let _ = write!(out, " in {}", code(&report.target));
    }
    let _ = write!(
        out,
        "\n\n**{}** blocking · **{}** advisory · **{}** indeterminate",
        c.blocking, c.advisory, c.indeterminate
    );
    if c.pre_existing + c.waived > 0 {
        let _ = write!(
            out,
            " · {} pre-existing · {} waived",
            c.pre_existing, c.waived
        );
    }
    let p = &report.plan;
    let _ = write!(
        out,
        " — findings of severity `{}` and above block. {} resource changes",
        report.fail_on, p.resource_changes
    );
    if !p.terraform_version.is_empty() {
        let _ = write!(out, ", Terraform {}", escape(&p.terraform_version));
    }
    out.push_str(".\n\n");
    for o in &report.overrides {
        let _ = writeln!(
            out,
            "> [!WARNING]\n> {} released {} via {}.\n",
            escape(&o.by),
            o.rules
                .iter()
                .map(|r| code(r))
                .collect::<Vec<_>>()
                .join(", "),
            escape(&o.via)
        );
    }
    if p.deferred_changes > 0 {
        let _ = writeln!(
            out,
            "> [!NOTE]\n> {} deferred changes were not checked.\n",
            p.deferred_changes
        );
    }
    out
}

fn row(f: &ReportFinding, options: &Options) -> String {
    let resource = if f.address.is_empty() {
        "(plan)".to_owned()
    } else {
        code(&f.address)
    };
    // The place goes under the address, not in a column of its own: a fifth
    // column squeezed the findings themselves into a scrolling table.
    let resource = match &f.location {
        Some(l) => format!("{resource}<br>{}", location(l, options)),
        None => resource,
    };
    let mut finding = String::new();
    if !f.path.is_empty() {
        let _ = write!(finding, "{}: ", code(&f.path));
    }
    finding.push_str(&escape(&f.message));
    if let Some(fix) = &f.fix {
        let _ = write!(
            finding,
            "<br>fix: set {} = {}",
            code(&fix.path),
            code(&fix.value)
        );
    }
    format!(
        "| {} | `{}` {} | {resource} | {finding} |\n",
        status_label(f.status),
        escape(&f.rule_id),
        f.severity.as_str(),
    )
}

fn location(l: &Location, options: &Options) -> String {
    let text = code(&l.to_string());
    match &options.blob_url {
        Some(base) => format!(
            "[{text}]({}/{}#L{})",
            base.trim_end_matches('/'),
            url_path(&l.file),
            l.line
        ),
        None => text,
    }
}

fn tail(report: &Report, shape: Shape, options: &Options) -> String {
    let mut out = String::new();
    if !report.errors.is_empty() {
        out.push_str("#### Errors\n\n");
        for e in &report.errors {
            let _ = writeln!(out, "- **{}**: {}", escape(&e.plugin), escape(&e.message));
        }
        out.push('\n');
    }
    for s in &report.summaries {
        if !s.markdown.trim().is_empty() {
            // A plugin's own Markdown (a cost table, say) is kept as written,
            // but it may not open HTML or mention anyone.
            let body = format!("{}\n", neutralise(s.markdown.trim()));
            out.push_str(&details(&escape(&s.plugin), &body, shape, options));
        }
    }
    let plugins: Vec<String> = report
        .plugins
        .iter()
        .map(|p| format!("{} {}", p.name, p.version))
        .collect();
    let _ = writeln!(
        out,
        "<sub>tfwarden {} · {}</sub>",
        report.tool.version,
        escape(&plugins.join(", "))
    );
    out
}

pub fn status_label(status: Status) -> &'static str {
    match status {
        Status::Blocking => "❌ blocking",
        Status::Advisory => "⚠️ advisory",
        Status::Indeterminate => "❔ known after apply",
        Status::PreExisting => "➖ pre-existing",
        Status::Waived => "💤 waived",
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// `text` cut to at most `max` bytes at a character boundary, with an
/// ellipsis when cut: plugin messages have no length limit, comments do.
pub fn clip(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Text for a table cell: no HTML, no table breaks, no mentions.
pub fn escape(text: &str) -> String {
    neutralise(text)
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

/// Markdown with HTML and `@` mentions defused; everything else kept.
fn neutralise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A zero-width space after `@` keeps the text and drops the ping.
            '@' => out.push_str("@\u{200b}"),
            c => out.push(c),
        }
    }
    out
}

/// A code span that survives backticks, pipes and newlines in `text`.
pub fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let text = text.replace('|', "\\|").replace(['\r', '\n'], " ");
    if longest > 0 {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// A repository path as a URL path: each segment percent-encoded.
fn url_path(file: &str) -> String {
    let mut out = String::new();
    for b in file.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::OverrideRecord;
    use crate::report::tests::{empty_report, finding};
    use crate::report::{PluginFailure, PluginSummary};

    #[test]
    fn escapes_cells() {
        assert_eq!(
            escape("a|b <img> @org/team\nnext"),
            "a\\|b &lt;img&gt; @\u{200b}org/team<br>next"
        );
        assert_eq!(code("tags.owner"), "`tags.owner`");
        assert_eq!(code("a`b|c"), "`` a`b\\|c ``");
        assert_eq!(url_path("infra/my env/main.tf"), "infra/my%20env/main.tf");
    }

    #[test]
    fn lists_what_needs_an_answer_and_folds_the_rest() {
        let mut r = empty_report();
        let mut waived = finding("aws_s3_bucket.old", Status::Waived);
        waived.waiver = Some("legacy <bucket>, see @ops".into());
        r.findings = vec![finding("aws_s3_bucket.new", Status::Blocking), waived];
        r.overrides = vec![OverrideRecord {
            by: "lead".into(),
            via: "label `tfwarden-override`".into(),
            rules: vec!["TAG001".into()],
        }];
        r.errors = vec![PluginFailure {
            plugin: "cost".into(),
            message: "plugin `cost` ran past its deadline".into(),
        }];
        r.summaries = vec![PluginSummary {
            plugin: "cost".into(),
            markdown: "| a | b |\n|---|---|\n| <script> | @all |".into(),
            metrics: Vec::new(),
        }];
        let text = render(&r, &Options::default());
        assert!(
            text.contains("> [!WARNING]\n> lead released `TAG001` via label `tfwarden-override`."),
            "{text}"
        );
        assert!(
            text.contains("| ❌ blocking | `TAG001` high | `aws_s3_bucket.new`<br>`main.tf:12` |"),
            "{text}"
        );
        assert!(text.contains("<details><summary>1 pre-existing or waived findings (not blocking)</summary>\n\n- 💤 waived `TAG001` `aws_s3_bucket.old`: add an `owner` tag (waiver: legacy &lt;bucket&gt;, see @\u{200b}ops)\n"), "{text}");
        assert!(
            text.contains("#### Errors\n\n- **cost**: plugin `cost` ran past its deadline"),
            "{text}"
        );
        assert!(text.contains("| &lt;script&gt; | @\u{200b}all |"), "{text}");
    }

    #[test]
    fn keeps_under_the_budget_by_listing_fewer_findings() {
        let mut r = empty_report();
        r.findings = (0..500)
            .map(|i| finding(&format!("aws_s3_bucket.b{i:03}"), Status::Blocking))
            .collect();
        let full = render(&r, &Options::default());
        let options = Options {
            max_bytes: Some(10_000),
            blob_url: Some("https://github.com/acme/infra/blob/abc/".into()),
            full_report_url: Some("https://github.com/acme/infra/actions/runs/9".into()),
        };
        let short = render(&r, &options);
        assert!(full.len() > 50_000);
        assert!(short.len() <= 10_000, "{}", short.len());
        // The top findings of the rule, and its total.
        assert_eq!(short.matches("| ❌ blocking |").count(), TOP_PER_RULE);
        assert!(
            short.contains("- … and 497 more `TAG001` findings (500 in all)\nleft out to keep this comment short; the full report is in [the workflow run](https://github.com/acme/infra/actions/runs/9)."),
            "{short}"
        );
        assert!(
            short.contains("[`main.tf:12`](https://github.com/acme/infra/blob/abc/main.tf#L12)")
        );
        assert!(short.ends_with("</sub>\n"), "the footer survives");
    }

    #[test]
    fn shrinks_in_stages_collapsing_details_first_and_cutting_last() {
        let mut r = empty_report();
        r.findings = vec![
            finding("aws_s3_bucket.a", Status::Blocking),
            finding("aws_s3_bucket.b", Status::Advisory),
        ];
        r.summaries = vec![PluginSummary {
            plugin: "cost".into(),
            markdown: "| resource | monthly |\n|---|---|\n".to_owned()
                + &"| x | $1 |\n".repeat(3000),
            metrics: Vec::new(),
        }];
        let full = render(&r, &Options::default());
        // Order: verdict and counts, blocking table, then the folded rest.
        let blocking = full.find("| ❌ blocking |").unwrap();
        let warnings = full
            .find("<details><summary>1 warning (advisory or known after apply)</summary>")
            .unwrap();
        let cost = full.find("<details><summary>cost</summary>").unwrap();
        assert!(full.starts_with("### "));
        assert!(blocking < warnings && warnings < cost, "{full}");

        let collapsed = render(
            &r,
            &Options {
                max_bytes: Some(5_000),
                ..Options::default()
            },
        );
        assert!(collapsed.len() <= 5_000);
        assert!(collapsed.contains("| ❌ blocking |"), "{collapsed}");
        assert!(!collapsed.contains("<details>"), "{collapsed}");
        assert!(collapsed.contains("1 warning (advisory or known after apply): left out to keep this comment short; the job log and `--format sarif` have the full report."), "{collapsed}");
        assert!(collapsed.contains("cost: left out"), "{collapsed}");

        // Even the head is too long for 300 bytes: cut at a line, with a pointer.
        let cut = render(
            &r,
            &Options {
                max_bytes: Some(300),
                ..Options::default()
            },
        );
        assert!(cut.len() <= 300, "{}", cut.len());
        assert!(cut.ends_with("… cut to fit: GitHub limits a comment's length; the job log and `--format sarif` have the full report.\n"), "{cut}");
    }
}
