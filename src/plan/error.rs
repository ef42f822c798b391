//! Everything that can be wrong with a plan input, as diagnostics that name the
//! file, the place and the fix.

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// Why a plan could not be read.
#[derive(Debug, Error, Diagnostic)]
pub enum PlanError {
    #[error("{path}: no such file")]
    #[diagnostic(
        code(tfwarden::plan::not_found),
        help(
            "check the path; make the plan with `terraform plan -out plan.tfplan && terraform show -json plan.tfplan > plan.json`"
        )
    )]
    NotFound { path: String },

    #[error("{path} is a directory, not a plan file")]
    #[diagnostic(
        code(tfwarden::plan::directory),
        help("pass the plan file inside it, for example `{path}/plan.json`")
    )]
    Directory { path: String },

    #[error("{path} could not be read: {reason}")]
    #[diagnostic(code(tfwarden::plan::unreadable), help("check the file's permissions"))]
    Unreadable { path: String, reason: String },

    #[error("{path} is {size} bytes, over the limit of {limit} bytes")]
    #[diagnostic(
        code(tfwarden::plan::too_large),
        help(
            "raise the limit with `--max-plan-bytes` if the machine has the memory (about 2× the plan's size)"
        )
    )]
    TooLarge { path: String, size: u64, limit: u64 },

    #[error("{path} is empty")]
    #[diagnostic(
        code(tfwarden::plan::empty),
        help(
            "an empty plan file usually means `terraform show -json` failed; run it again and check its errors"
        )
    )]
    Empty { path: String },

    #[error("{path} is not valid UTF-8 (at byte {offset})")]
    #[diagnostic(
        code(tfwarden::plan::encoding),
        help(
            "`terraform show -json` writes UTF-8; re-create the file without converting it (PowerShell: `terraform show -json plan.tfplan | Out-File -Encoding utf8 plan.json`)"
        )
    )]
    NotUtf8 { path: String, offset: usize },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(Box<SyntaxError>),

    #[error("{path} is {what}, not a plan")]
    #[diagnostic(code(tfwarden::plan::not_a_plan))]
    NotAPlan {
        path: String,
        what: &'static str,
        #[help]
        help: &'static str,
    },

    #[error("{path} is a binary plan file and `terraform` is not on PATH")]
    #[diagnostic(
        code(tfwarden::plan::terraform_missing),
        help(
            "convert it where terraform is installed: `terraform show -json {path} > plan.json`, then pass plan.json"
        )
    )]
    TerraformMissing { path: String },

    #[error("`terraform show -json {path}` failed: {stderr}")]
    #[diagnostic(
        code(tfwarden::plan::terraform_failed),
        help(
            "run it in the initialised working directory of the plan (pass `--dir`), or convert it there yourself"
        )
    )]
    TerraformFailed { path: String, stderr: String },
}

/// JSON that does not parse, or does not fit the plan format, at a place in the file.
#[derive(Debug, Error, Diagnostic)]
#[error("{path}:{line}:{column}: {message}")]
#[diagnostic(code(tfwarden::plan::syntax))]
pub struct SyntaxError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[source_code]
    pub snippet: NamedSource<String>,
    #[label("here")]
    pub span: SourceSpan,
    #[help]
    pub help: String,
}

/// How much of a line a syntax error shows on each side of the error.
const SNIPPET_RADIUS: usize = 40;

impl PlanError {
    /// A syntax or schema error at byte `offset` of `text`, shown as a short
    /// window of its line: plan JSON is often one line of many megabytes.
    pub fn at(path: &str, text: &str, err: &serde_json::Error) -> Self {
        let (line, column) = (err.line(), err.column());
        let offset = line_offset(text, line) + column.saturating_sub(1);
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let start = floor_char_boundary(text, offset.saturating_sub(SNIPPET_RADIUS));
        let end = floor_char_boundary(text, (offset + SNIPPET_RADIUS).min(text.len()));
        let window = &text[start..end];
        // Keep the window on one line so the label lands where the error is.
        let (start, window) = match window[..offset - start].rfind('\n') {
            Some(nl) => (start + nl + 1, &window[nl + 1..]),
            None => (start, window),
        };
        let window = window.split('\n').next().unwrap_or_default();
        let help = match err.classify() {
            serde_json::error::Category::Eof => {
                "the file ends early: it was probably cut off while being written or copied"
                    .to_owned()
            }
            serde_json::error::Category::Syntax => {
                "this is not JSON; pass the output of `terraform show -json`".to_owned()
            }
            _ => "the JSON does not match the plan format of `terraform show -json`".to_owned(),
        };
        let message = err.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        PlanError::Syntax(Box::new(SyntaxError {
            path: path.to_owned(),
            line,
            column,
            message,
            snippet: NamedSource::new(format!("{path}:{line}:{column}"), window.to_owned()),
            span: SourceSpan::from(
                (offset - start).min(window.len())..(offset - start + 1).min(window.len()),
            ),
            help,
        }))
    }
}

fn line_offset(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}
