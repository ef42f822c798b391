//! Which lines of a pull request's files can carry a review comment: GitHub
//! accepts one only on the new side of a diff hunk (added or context lines).

use std::ops::RangeInclusive;

/// The new-side line ranges of every hunk in a unified diff `patch`, as the
/// `patch` field of GitHub's "list pull request files" gives it.
pub fn commentable_lines(patch: &str) -> Vec<RangeInclusive<usize>> {
    patch
        .lines()
        .filter_map(|line| line.strip_prefix("@@ -"))
        .filter_map(|header| {
            // `a,b +c,d @@ context`: the new side is `c,d`, `d` defaulting to 1.
            let new_side = header.split_whitespace().nth(1)?.strip_prefix('+')?;
            let (start, count) = match new_side.split_once(',') {
                Some((s, c)) => (s.parse::<usize>().ok()?, c.parse::<usize>().ok()?),
                None => (new_side.parse().ok()?, 1),
            };
            (count > 0).then(|| start..=start + count - 1)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_new_side_ranges_of_hunks() {
        let patch = "@@ -1,3 +1,4 @@ resource \"a\" \"b\" {\n a\n+b\n c\n d\n@@ -20 +21 @@\n-x\n+y\n@@ -30,2 +31,0 @@\n-gone\n-gone\n";
        assert_eq!(commentable_lines(patch), [1..=4, 21..=21]);
        assert!(commentable_lines("Binary files differ").is_empty());
    }
}
