//! "Did you mean" hints for misspelled names.

/// The candidate closest to `input`, if it is close enough to be a likely typo.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&input, &c.to_ascii_lowercase()), c))
        .filter(|&(distance, c)| distance <= (c.len() / 3).max(1))
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let names = ["tagging", "security", "limits", "cost"];
        assert_eq!(closest("taging", names), Some("tagging"));
        assert_eq!(closest("SECURTY", names), Some("security"));
        assert_eq!(closest("network", names), None);
        assert_eq!(closest("tag001", ["TAG001", "TAG002"]), Some("TAG001"));
    }
}
