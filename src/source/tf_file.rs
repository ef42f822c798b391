//! One parsed `.tf` file: byte spans turned into line numbers, and the place of
//! an attribute path (such as `tags.owner` or `ingress.0.cidr_blocks`) inside
//! a block, so a finding can point at the line a reviewer would change.

use std::ops::Range;

use hcl::edit::Span as _;
use hcl::edit::expr::{Expression, ObjectKey};
use hcl::edit::structure::{Block, Body};

/// A `.tf` file that parsed.
pub struct TfFile {
    /// The name shown in reports: relative to the repository root, `/`-separated.
    pub display: String,
    line_starts: Vec<usize>,
    pub body: Body,
    /// The file's text, for comments (which the parsed body does not keep).
    pub text: String,
}

impl TfFile {
    pub fn parse(display: String, text: &str) -> Result<TfFile, Box<hcl::edit::parser::Error>> {
        let body = hcl::edit::parser::parse_body(text).map_err(Box::new)?;
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Ok(TfFile {
            display,
            line_starts,
            body,
            text: text.to_owned(),
        })
    }

    /// The one-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// The first and last line a span covers.
    pub fn lines_of(&self, span: &Range<usize>) -> (usize, usize) {
        let last = span.end.saturating_sub(1).max(span.start);
        (self.line_of(span.start), self.line_of(last))
    }
}

/// The span of the deepest part of `path` written out in `block`: a nested
/// block, an attribute, an object key or a list element. `None` when not even
/// the first step is written (the value comes from a default or a variable).
pub fn path_span(block: &Block, path: &str) -> Option<Range<usize>> {
    let steps = steps(path);
    let mut best = None;
    let mut node = Node::Body(&block.body);
    let mut i = 0;
    while let Some(&step) = steps.get(i) {
        i += 1;
        let (span, next) = match node {
            Node::Body(body) => {
                if let Some(attr) = body.get_attribute(step) {
                    (attr.span(), Node::Expr(&attr.value))
                } else if let Some(nested) = nested_block(body, step, steps.get(i)) {
                    // A numeric step picks one of repeated blocks: consumed here.
                    if steps.get(i).is_some_and(|s| s.parse::<usize>().is_ok()) {
                        i += 1;
                    }
                    (nested.span(), Node::Body(content(nested)))
                } else {
                    break;
                }
            }
            Node::Expr(Expression::Object(object)) => {
                let Some((key, value)) = object.iter().find(|(k, _)| key_name(k) == Some(step))
                else {
                    break;
                };
                (key.span(), Node::Expr(value.expr()))
            }
            Node::Expr(Expression::Array(array)) => {
                let Some(item) = step.parse().ok().and_then(|n| array.get(n)) else {
                    break;
                };
                (item.span(), Node::Expr(item))
            }
            Node::Expr(_) => break,
        };
        best = span.or(best);
        node = next;
    }
    best
}

#[derive(Clone, Copy)]
enum Node<'a> {
    Body(&'a Body),
    Expr(&'a Expression),
}

/// `ingress` as a nested block (the `index`-th when repeated), or a
/// `dynamic "ingress"` block that generates it.
fn nested_block<'a>(body: &'a Body, name: &'a str, index: Option<&&str>) -> Option<&'a Block> {
    let index = index.and_then(|s| s.parse::<usize>().ok());
    let literal = index
        .and_then(|n| body.get_blocks(name).nth(n))
        .or_else(|| body.get_blocks(name).next());
    literal.or_else(|| {
        body.get_blocks("dynamic")
            .find(|b| b.labels.first().is_some_and(|l| l.as_str() == name))
    })
}

/// A `dynamic` block's `content`, else the block's own body.
fn content(block: &Block) -> &Body {
    if block.ident.as_str() == "dynamic"
        && let Some(content) = block.body.get_blocks("content").next()
    {
        return &content.body;
    }
    &block.body
}

fn key_name(key: &ObjectKey) -> Option<&str> {
    match key {
        ObjectKey::Ident(ident) => Some(ident.as_str()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.as_str()),
        ObjectKey::Expression(_) => None,
    }
}

/// `a.0.b[1]["c"]` → `a`, `0`, `b`, `1`, `c`. A wildcard ends the walk.
fn steps(path: &str) -> Vec<&str> {
    path.split('.')
        .flat_map(|part| part.split(['[', ']']))
        .map(|s| s.trim_matches('"'))
        .filter(|s| !s.is_empty())
        .take_while(|&s| s != "*")
        .collect()
}

#[cfg(test)]
mod tests {
    use hcl::edit::Span as _;

    use super::*;

    const TEXT: &str = r#"resource "aws_security_group" "web" {
  name = "web"

  ingress {
    from_port = 80
  }
  ingress {
    from_port   = 22
    cidr_blocks = [
      "10.0.0.0/8",
      "0.0.0.0/0",
    ]
  }

  tags = {
    owner  = "web"
    "team" = "platform"
  }

  dynamic "egress" {
    for_each = var.egress
    content {
      to_port = egress.value
    }
  }
}
"#;

    fn line(path: &str) -> Option<usize> {
        let file = TfFile::parse("main.tf".into(), TEXT).unwrap();
        let block = file.body.blocks().next().unwrap();
        path_span(block, path).map(|span| file.line_of(span.start))
    }

    #[test]
    fn finds_the_line_of_each_kind_of_step() {
        assert_eq!(line("name"), Some(2));
        assert_eq!(line("ingress"), Some(4));
        assert_eq!(line("ingress.1"), Some(7));
        assert_eq!(line("ingress.1.cidr_blocks"), Some(9));
        assert_eq!(line("ingress[1].cidr_blocks[1]"), Some(11));
        assert_eq!(line("tags.owner"), Some(16));
        assert_eq!(line("tags.team"), Some(17));
        assert_eq!(line("egress.0.to_port"), Some(23));
    }

    #[test]
    fn stops_at_the_deepest_written_step() {
        assert_eq!(line("tags.missing"), Some(15));
        assert_eq!(line("ingress.7.from_port"), Some(5));
        assert_eq!(line("name.length"), Some(2));
        assert_eq!(line("tags.*"), Some(15));
        assert_eq!(line("tags_all.owner"), None);
        assert_eq!(line(""), None);
    }

    #[test]
    fn block_lines_cover_the_whole_block() {
        let file = TfFile::parse("main.tf".into(), TEXT).unwrap();
        let block = file.body.blocks().next().unwrap();
        assert_eq!(file.lines_of(&block.span().unwrap()), (1, 26));
    }
}
