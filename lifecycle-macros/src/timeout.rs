//! `timeout = "250ms" | "5s" | "1m" | "1h" | "1m30s"`, parsed at compile time.

use std::time::Duration;

/// Parse a human duration; the error says what is wrong and what to write.
pub(crate) fn parse(text: &str) -> Result<Duration, String> {
    let help =
        "write a number followed by `ms`, `s`, `m` or `h`, e.g. `timeout = \"5s\"` or `\"1m30s\"`";
    let s = text.trim();
    if s.is_empty() {
        return Err(format!("empty timeout; {help}"));
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(format!("invalid timeout `{text}`; {help}"));
        }
        let value: u64 = rest[..digits]
            .parse()
            .map_err(|_| format!("timeout `{text}` is too large"))?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let part = match &rest[..unit_len] {
            "ms" => Duration::from_millis(value),
            "s" => Duration::from_secs(value),
            "m" => Duration::from_secs(value.saturating_mul(60)),
            "h" => Duration::from_secs(value.saturating_mul(3600)),
            "" => return Err(format!("timeout `{text}` has no unit; {help}")),
            unit => return Err(format!("unknown unit `{unit}` in timeout `{text}`; {help}")),
        };
        rest = &rest[unit_len..];
        total = total
            .checked_add(part)
            .ok_or_else(|| format!("timeout `{text}` is too large"))?;
    }
    if total.is_zero() {
        return Err(format!(
            "timeout `{text}` is zero: a hook needs time to run; remove `timeout` to use the app's default"
        ));
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_sums() {
        assert_eq!(parse("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(parse("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse("1m30s"), Ok(Duration::from_secs(90)));
    }

    #[test]
    fn rejects_bad_input() {
        assert!(parse("0s").unwrap_err().contains("zero"));
        assert!(parse("5").unwrap_err().contains("no unit"));
        assert!(parse("5x").unwrap_err().contains("unknown unit `x`"));
        assert!(parse("fast").unwrap_err().contains("invalid timeout"));
        assert!(parse("").unwrap_err().contains("empty"));
        assert!(
            parse("99999999999999999999s")
                .unwrap_err()
                .contains("too large")
        );
    }
}
