//! Dollar amounts as reports show them: `$1,234.56`, signed for deltas.

/// `$1,234.56`; negative amounts as `-$1.00`.
pub fn usd(amount: f64) -> String {
    let sign = if amount < -0.004 { "-" } else { "" };
    let cents = (amount.abs() * 100.0).round() as u64;
    format!("{sign}${}.{:02}", thousands(cents / 100), cents % 100)
}

/// A delta with an explicit sign: `+$12.00`, `-$3.50`, `$0.00`.
pub fn signed_usd(amount: f64) -> String {
    if amount > 0.004 {
        format!("+{}", usd(amount))
    } else {
        usd(amount)
    }
}

/// A unit price with enough digits for small rates such as $0.0000166667.
pub fn unit_price(price: f64) -> String {
    let text = format!("{price:.10}");
    let trimmed = text.trim_end_matches('0');
    let (whole, fraction) = trimmed.split_once('.').unwrap_or((trimmed, ""));
    format!("${whole}.{fraction:0<2}")
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_amounts() {
        assert_eq!(usd(1234.567), "$1,234.57");
        assert_eq!(usd(0.0), "$0.00");
        assert_eq!(usd(-3.5), "-$3.50");
        assert_eq!(signed_usd(12.0), "+$12.00");
        assert_eq!(signed_usd(-0.001), "$0.00");
        assert_eq!(unit_price(0.045), "$0.045");
        assert_eq!(unit_price(0.1), "$0.10");
        assert_eq!(unit_price(5.84), "$5.84");
        assert_eq!(unit_price(0.0000166667), "$0.0000166667");
        assert_eq!(usd(1_000_000.0), "$1,000,000.00");
    }
}
