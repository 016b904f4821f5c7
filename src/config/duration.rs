//! Durations as people write them in `devctl.toml` and compose files ("500ms", "60s", "1m30s"),
//! parsed in one place so both files accept the same forms.

use std::time::Duration;

/// What a valid duration looks like, for error messages.
pub(crate) const DURATION_FORMS: &str =
    "expected a number followed by ms, s, m or h (e.g. \"60s\", \"500ms\", \"1m30s\")";

/// Parses Go-style durations as compose writes them: one or more `<number><unit>` parts, units
/// `ns`, `us`, `ms`, `s`, `m`, `h`, decimals allowed ("1.5s"). The error is [`DURATION_FORMS`].
pub(crate) fn parse_duration(text: &str) -> Result<Duration, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DURATION_FORMS);
    }
    let mut rest = text;
    let mut total = 0f64;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number == "." {
            return Err(DURATION_FORMS);
        }
        let value: f64 = number.parse().map_err(|_| DURATION_FORMS)?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let seconds_per_unit = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return Err(DURATION_FORMS),
        };
        rest = &rest[unit_len..];
        total += value * seconds_per_unit;
    }
    Duration::try_from_secs_f64(total).map_err(|_| DURATION_FORMS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_single_and_combined_units() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("60s"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
    }

    #[test]
    fn rejects_missing_or_unknown_units() {
        for bad in ["", "60", "6o s", "s", "1x", "1.2.3s", "-1s", "1 s"] {
            assert_eq!(parse_duration(bad), Err(DURATION_FORMS), "{bad:?}");
        }
    }
}
