//! The Markdown renderer: the pull-request summary comment, also printed by
//! `--format markdown` and written to `GITHUB_STEP_SUMMARY`. Text that came
//! from plugins is escaped so it can neither break the table nor inject HTML
//! or mentions.

use std::fmt::Write as _;

use super::{Location, Report, ReportFinding, Status, Verdict};

/// How a rendering is shaped for where it goes.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Links locations to `{blob_url}/{file}#L{line}`, such as
    /// `https://github.com/acme/infra/blob/<sha>`.
    pub blob_url: Option<String>,
    /// Keeps the text under this many bytes by listing fewer findings
    /// (GitHub refuses comments over 65,536 characters).
    pub max_bytes: Option<usize>,
}

pub fn render(report: &Report, options: &Options) -> String {
    let head = head(report);
    let tail = tail(report);
    let rows: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.status.asks_for_action())
        .map(|f| row(f, options))
        .collect();
    let hidden: Vec<&ReportFinding> = report
        .findings
        .iter()
        .filter(|f| !f.status.asks_for_action())
        .collect();

    let budget = options.max_bytes.unwrap_or(usize::MAX);
    let fixed = head.len() + tail.len() + TABLE_HEAD.len() + 200;
    let mut shown = 0;
    let mut used = fixed;
    for r in &rows {
        if used + r.len() > budget {
            break;
        }
        used += r.len();
        shown += 1;
    }

    let mut out = head;
    if !rows.is_empty() {
        out.push_str(TABLE_HEAD);
        for r in &rows[..shown] {
            out.push_str(r);
        }
        if shown < rows.len() {
            let _ = writeln!(
                out,
                "\n… and {} more findings, left out to keep this comment short: \
                 the job log and `--format sarif` have all of them.",
                rows.len() - shown
            );
        }
        out.push('\n');
    }
    if !hidden.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>{} pre-existing or waived findings (not blocking)</summary>\n",
            hidden.len()
        );
        for f in hidden {
            let _ = write!(
                out,
                "- {} `{}` {}: {}",
                status_label(f.status),
                f.rule_id,
                code(&f.address),
                escape(&f.message)
            );
            if let Some(reason) = &f.waiver {
                let _ = write!(out, " (waiver: {})", escape(reason));
            }
            out.push('\n');
        }
        out.push_str("\n</details>\n\n");
    }
    out.push_str(&tail);
    if out.len() > budget {
        // Only plugin summaries can still be too long: cut, and say so.
        let note = "\n\n… (cut to fit)\n";
        let mut end = budget.saturating_sub(note.len());
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
        out.push_str(note);
    }
    out
}

const TABLE_HEAD: &str =
    "| | Rule | Resource | Where | Finding |\n| --- | --- | --- | --- | --- |\n";

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
    let place = f
        .location
        .as_ref()
        .map(|l| location(l, options))
        .unwrap_or_default();
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
        "| {} | `{}` {} | {resource} | {place} | {finding} |\n",
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

fn tail(report: &Report) -> String {
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
            let _ = writeln!(
                out,
                "<details open><summary>{}</summary>\n\n{}\n\n</details>\n",
                escape(&s.plugin),
                neutralise(s.markdown.trim())
            );
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
            text.contains("| ❌ blocking | `TAG001` high | `aws_s3_bucket.new` | `main.tf:12` |"),
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
        };
        let short = render(&r, &options);
        assert!(full.len() > 50_000);
        assert!(short.len() <= 10_000, "{}", short.len());
        assert!(short.contains("more findings, left out to keep this comment short"));
        assert!(
            short.contains("[`main.tf:12`](https://github.com/acme/infra/blob/abc/main.tf#L12)")
        );
        assert!(short.ends_with("</sub>\n"), "the footer survives");
    }
}
