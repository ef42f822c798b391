//! Counts that may be only partly known at plan time, and what they say about a limit.
//!
//! Every check keeps a lower bound (what is certain), a known amount of doubt
//! (links it could not follow, each worth at most a known amount), and a flag
//! for doubt without bound (a list whose length is unknown). Only a lower
//! bound above the limit is a failure; doubt that could cross it is indeterminate.

/// A count or size with its uncertainty.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Certain to be there after apply.
    pub known: u64,
    /// May be there too; at most this much more.
    pub unsure: u64,
    /// May be there too, in an amount nothing bounds.
    pub unbounded: bool,
}

/// What a tally says about a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Within,
    /// Within on what is known, over it if the unknown parts are large enough.
    Unclear,
    Exceeds,
}

impl Tally {
    pub fn known(n: u64) -> Self {
        Tally {
            known: n,
            ..Tally::default()
        }
    }

    pub fn unbounded() -> Self {
        Tally {
            unbounded: true,
            ..Tally::default()
        }
    }

    pub fn verdict(&self, limit: u64) -> Verdict {
        if self.known > limit {
            Verdict::Exceeds
        } else if self.unbounded || self.known + self.unsure > limit {
            Verdict::Unclear
        } else {
            Verdict::Within
        }
    }

    /// "12", "at least 12", "12 to 15" or "an unknown number of", for messages.
    pub fn describe(&self) -> String {
        if self.unbounded && self.known == 0 {
            "an unknown number of".to_owned()
        } else if self.unbounded {
            format!("at least {}", self.known)
        } else if self.unsure > 0 {
            format!("{} to {}", self.known, self.known + self.unsure)
        } else {
            self.known.to_string()
        }
    }
}

impl Tally {
    /// "12", "≥ 12", "12–15" or "unknown", for table cells.
    pub fn short(&self) -> String {
        match (self.unbounded, self.known, self.unsure) {
            (true, 0, _) => "unknown".to_owned(),
            (true, known, _) => format!("≥ {known}"),
            (false, known, 0) => known.to_string(),
            (false, known, unsure) => format!("{known}–{}", known + unsure),
        }
    }
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.known += other.known;
        self.unsure += other.unsure;
        self.unbounded |= other.unbounded;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_certain_excess_fails() {
        assert_eq!(Tally::known(61).verdict(60), Verdict::Exceeds);
        assert_eq!(Tally::known(60).verdict(60), Verdict::Within);
        let doubtful = Tally {
            known: 58,
            unsure: 3,
            unbounded: false,
        };
        assert_eq!(doubtful.verdict(60), Verdict::Unclear);
        assert_eq!(doubtful.describe(), "58 to 61");
        let open = Tally {
            known: 2,
            unsure: 0,
            unbounded: true,
        };
        assert_eq!(open.verdict(60), Verdict::Unclear);
        assert_eq!(open.describe(), "at least 2");
        assert_eq!(Tally::unbounded().describe(), "an unknown number of");
        assert_eq!(Tally::unbounded().short(), "unknown");
        assert_eq!(open.short(), "≥ 2");
        assert_eq!(doubtful.short(), "58–61");
        let mut sum = Tally::known(1);
        sum += open;
        assert_eq!(
            sum,
            Tally {
                known: 3,
                unsure: 0,
                unbounded: true
            }
        );
    }
}
