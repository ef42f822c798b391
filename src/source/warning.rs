//! Problems with the `.tf` sources. They are warnings: a file that cannot be
//! read only means its findings carry no line.

use std::path::Path;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A `.tf` file or module directory that could not be used to place findings.
#[derive(Debug, Error, Diagnostic)]
pub enum SourceWarning {
    #[error("{file} does not parse as HCL; its findings are shown without a line")]
    #[diagnostic(
        code(tfwarden::source::parse),
        severity(Warning),
        help("`terraform validate` shows the same problem; the check itself is not affected")
    )]
    Parse {
        file: String,
        #[source_code]
        text: NamedSource<String>,
        #[label("{message}")]
        span: SourceSpan,
        message: String,
    },

    #[error("{path} could not be read ({reason}); its findings are shown without a line")]
    #[diagnostic(
        code(tfwarden::source::unreadable),
        severity(Warning),
        help("pass the Terraform working directory with `--dir`")
    )]
    Unreadable { path: String, reason: String },
}

impl SourceWarning {
    pub fn parse(file: String, text: String, err: &hcl::edit::parser::Error) -> SourceWarning {
        let offset = err.location().offset().min(text.len());
        let end = text[offset..]
            .chars()
            .next()
            .map_or(offset, |c| offset + c.len_utf8());
        SourceWarning::Parse {
            text: NamedSource::new(&file, text).with_language("HCL"),
            file,
            span: SourceSpan::from(offset..end),
            message: err.message().to_owned(),
        }
    }

    pub fn unreadable(path: &Path, err: &std::io::Error) -> SourceWarning {
        SourceWarning::Unreadable {
            path: path.display().to_string(),
            reason: err.to_string(),
        }
    }
}
