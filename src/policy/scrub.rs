//! The second line of defence for secrets: scrubs every sensitive value of the
//! plan from text that leaves the host, whatever a plugin wrote.

use aho_corasick::AhoCorasick;
use tfwarden_sdk::value::REDACTED;

/// Shorter values are left alone: scrubbing "1" or "on" would mangle messages
/// without protecting anything a plugin did not already never see.
const MIN_SECRET_LEN: usize = 4;

/// Replaces known sensitive values with the redaction marker.
pub struct Scrubber {
    matcher: Option<AhoCorasick>,
}

impl Scrubber {
    pub fn new(secrets: &[String]) -> Self {
        let secrets: Vec<&str> = secrets
            .iter()
            .map(String::as_str)
            .filter(|s| s.len() >= MIN_SECRET_LEN)
            .collect();
        let matcher = if secrets.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(&secrets)
                .ok()
        };
        Scrubber { matcher }
    }

    /// `text` with every secret replaced.
    pub fn scrub(&self, text: &mut String) {
        if let Some(m) = &self.matcher
            && m.is_match(text.as_str())
        {
            let replacements = vec![REDACTED; m.patterns_len()];
            *text = m.replace_all(text, &replacements);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_longest_secret_and_ignores_short_ones() {
        let s = Scrubber::new(&["hunter2".into(), "hunter2-long".into(), "ab".into()]);
        let mut text = "pw hunter2-long and hunter2, ab".to_string();
        s.scrub(&mut text);
        assert_eq!(text, "pw (sensitive) and (sensitive), ab");
    }
}
