//! Inline waivers: a `# tfwarden:ignore RULE reason` comment on a block's
//! first line or in the comment lines right above it waives that rule for the
//! resource (every instance of it).

use std::ops::Range;

/// One `tfwarden:ignore` directive found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub rule: String,
    /// Empty when the comment gives none: an error for the caller to report.
    pub reason: String,
    /// The byte span of the directive in the file.
    pub span: Range<usize>,
    pub line: usize,
}

const MARKER: &str = "tfwarden:ignore";

/// The directives for the block starting at byte `block_start` of `text`.
pub fn directives(text: &str, block_start: usize) -> Vec<Directive> {
    let line_start = text[..block_start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[block_start..]
        .find('\n')
        .map_or(text.len(), |i| block_start + i);
    let mut found = Vec::new();
    // The block's own first line (a trailing comment) ...
    scan(text, line_start, line_end, &mut found);
    // ... and the run of comment lines directly above it.
    let mut end = line_start.saturating_sub(1);
    while line_start > 0 && end > 0 {
        let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        let line = text[start..end].trim_start();
        if !(line.starts_with('#') || line.starts_with("//")) {
            break;
        }
        scan(text, start, end, &mut found);
        if start == 0 {
            break;
        }
        end = start - 1;
    }
    found
}

fn scan(text: &str, start: usize, end: usize, out: &mut Vec<Directive>) {
    let line = &text[start..end];
    let Some(at) = line.find(MARKER) else { return };
    let before = &line[..at];
    if !(before.contains('#') || before.contains("//")) {
        return; // the marker inside a string, not a comment
    }
    let rest = line[at + MARKER.len()..].trim();
    let (rule, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if rule.is_empty() {
        return;
    }
    out.push(Directive {
        rule: rule.to_owned(),
        reason: reason.trim().to_owned(),
        span: start + at..end,
        line: text[..start].matches('\n').count() + 1,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_directives_on_and_above_a_block() {
        let text = "# unrelated\n\n# tfwarden:ignore SEC001 public by design: static site\n// tfwarden:ignore TAG001\nresource \"a\" \"b\" { # tfwarden:ignore LIM007 many tags\n  x = \"# tfwarden:ignore NOPE\"\n}\n";
        let start = text.find("resource").unwrap();
        let found = directives(text, start);
        let rules: Vec<(&str, &str, usize)> = found
            .iter()
            .map(|d| (d.rule.as_str(), d.reason.as_str(), d.line))
            .collect();
        assert_eq!(
            rules,
            [
                ("LIM007", "many tags", 5),
                ("TAG001", "", 4),
                ("SEC001", "public by design: static site", 3)
            ]
        );
        assert_eq!(
            &text[found[2].span.clone()],
            "tfwarden:ignore SEC001 public by design: static site"
        );
    }

    #[test]
    fn a_blank_line_ends_the_comment_run() {
        let text = "# tfwarden:ignore SEC001 far away\n\nresource \"a\" \"b\" {}\n";
        assert!(directives(text, text.find("resource").unwrap()).is_empty());
    }
}
