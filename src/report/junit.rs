//! The JUnit XML renderer, for CI systems that show test reports: one test
//! suite per plugin, one test case per finding; blocking findings fail,
//! plugin errors error, waived and pre-existing findings are skipped.

use std::fmt::Write as _;

use super::{Report, ReportFinding, Status};

pub fn render(report: &Report) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let total = report.findings.len() + report.errors.len();
    let failures = report.counts.blocking;
    let _ = writeln!(
        out,
        "<testsuites name=\"tfwarden\" tests=\"{total}\" failures=\"{failures}\" errors=\"{}\">",
        report.errors.len()
    );
    let mut names: Vec<&str> = report.plugins.iter().map(|p| p.name.as_str()).collect();
    names.extend(report.errors.iter().map(|e| e.plugin.as_str()));
    names.sort_unstable();
    names.dedup();
    for plugin in names {
        let findings: Vec<&ReportFinding> = report
            .findings
            .iter()
            .filter(|f| f.plugin == plugin)
            .collect();
        let errors: Vec<_> = report
            .errors
            .iter()
            .filter(|e| e.plugin == plugin)
            .collect();
        let failed = findings
            .iter()
            .filter(|f| f.status == Status::Blocking)
            .count();
        let skipped = findings
            .iter()
            .filter(|f| !matches!(f.status, Status::Blocking | Status::Advisory))
            .count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"{}\" skipped=\"{skipped}\">",
            escape(plugin),
            findings.len() + errors.len(),
            errors.len()
        );
        for f in findings {
            let subject = if f.address.is_empty() {
                "plan".to_owned()
            } else {
                f.address.clone()
            };
            let name = if f.path.is_empty() {
                subject
            } else {
                format!("{subject} {}", f.path)
            };
            let _ = write!(
                out,
                "    <testcase classname=\"{}.{}\" name=\"{}\"",
                escape(plugin),
                escape(&f.rule_id),
                escape(&name)
            );
            // The `file` and `line` attributes most JUnit viewers link to.
            if let Some(l) = &f.location {
                let _ = write!(out, " file=\"{}\" line=\"{}\"", escape(&l.file), l.line);
            }
            let detail = format!("{} ({}): {}", f.rule_title, f.severity, f.message);
            match f.status {
                Status::Blocking => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                        escape(&f.message),
                        escape(&f.rule_id),
                        escape(&detail)
                    );
                }
                Status::Advisory => {
                    let _ = writeln!(
                        out,
                        ">\n      <system-out>{}</system-out>\n    </testcase>",
                        escape(&detail)
                    );
                }
                other => {
                    let why = match other {
                        Status::Waived => {
                            format!("waived: {}", f.waiver.as_deref().unwrap_or_default())
                        }
                        Status::PreExisting => {
                            "pre-existing: the resource had this before the plan".into()
                        }
                        _ => "indeterminate: depends on values known only after apply".into(),
                    };
                    let _ = writeln!(
                        out,
                        ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                        escape(&why)
                    );
                }
            }
        }
        for e in errors {
            let _ = writeln!(
                out,
                "    <testcase classname=\"{0}\" name=\"{0}\">\n      <error message=\"{1}\"/>\n    </testcase>",
                escape(plugin),
                escape(&e.message)
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Escapes text for XML attributes and content, dropping characters XML 1.0 cannot hold.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
