//! Compose-style `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`, `${VAR?err}`,
//! `${VAR:+alt}`, `${VAR+alt}`, `$VAR` and `$$` interpolation, so a compose file means to devctl
//! what it means to `docker compose`.

/// Interpolates one string; `lookup` returns a variable's value. Errors carry the message of
/// `${VAR:?err}` or say which expression is malformed.
///
/// An unset variable without a default becomes the empty string. Defaults and alternatives may
/// contain further `${...}` expressions; they are only evaluated when used.
pub fn interpolate(input: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(body_and_tail) = after.strip_prefix('{') {
            let end = closing_brace(body_and_tail).ok_or_else(|| {
                format!("invalid interpolation in {input:?}: `${{` has no closing `}}`")
            })?;
            out.push_str(&braced(&body_and_tail[..end], input, lookup)?);
            rest = &body_and_tail[end + 1..];
        } else {
            let name_len = name_length(after);
            if name_len == 0 {
                return Err(format!(
                    "invalid interpolation in {input:?}: `$` must be followed by a variable name, \
                     `{{` or `$` (write `$$` for a literal `$`)"
                ));
            }
            out.push_str(&lookup(&after[..name_len]).unwrap_or_default());
            rest = &after[name_len..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The byte index of the `}` that closes a `${` whose body starts at `text`, skipping nested
/// `${...}` and `$$`.
fn closing_brace(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'$') => i += 1,
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The length of the variable name at the start of `text`: `[A-Za-z_][A-Za-z0-9_]*`.
fn name_length(text: &str) -> usize {
    let mut chars = text.char_indices();
    match chars.next() {
        Some((_, c)) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return 0,
    }
    chars
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(text.len(), |(i, _)| i)
}

/// Evaluates the inside of one `${...}`.
fn braced(
    body: &str,
    input: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    let name_len = name_length(body);
    if name_len == 0 {
        return Err(format!(
            "invalid interpolation in {input:?}: `${{{body}}}` does not start with a variable name"
        ));
    }
    let name = &body[..name_len];
    let operator = &body[name_len..];
    let value = lookup(name);
    let set = value.is_some();
    let non_empty = value.as_deref().is_some_and(|v| !v.is_empty());
    let (op, arg) = if operator.is_empty() {
        ("", "")
    } else if let Some(op) = [":-", ":?", ":+"]
        .into_iter()
        .find(|op| operator.starts_with(op))
    {
        (op, &operator[2..])
    } else if let Some(op) = ["-", "?", "+"]
        .into_iter()
        .find(|op| operator.starts_with(op))
    {
        (op, &operator[1..])
    } else {
        return Err(format!(
            "invalid interpolation in {input:?}: unexpected {operator:?} after `${{{name}`; \
             expected `}}`, `:-`, `-`, `:?`, `?`, `:+` or `+`"
        ));
    };
    let required = |arg: &str| -> Result<String, String> {
        let message = interpolate(arg, lookup)?;
        Err(if message.is_empty() {
            format!("required variable {name} is missing a value")
        } else {
            format!("required variable {name} is missing a value: {message}")
        })
    };
    match op {
        "" => Ok(value.unwrap_or_default()),
        ":-" if non_empty => Ok(value.unwrap_or_default()),
        "-" if set => Ok(value.unwrap_or_default()),
        ":-" | "-" => interpolate(arg, lookup),
        ":?" if non_empty => Ok(value.unwrap_or_default()),
        "?" if set => Ok(value.unwrap_or_default()),
        ":?" | "?" => required(arg),
        ":+" if non_empty => interpolate(arg, lookup),
        "+" if set => interpolate(arg, lookup),
        _ => Ok(String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `SET=value`, `EMPTY=` and `OTHER=other`; everything else is unset.
    fn run(input: &str) -> Result<String, String> {
        interpolate(input, &|name| match name {
            "SET" => Some("value".into()),
            "EMPTY" => Some(String::new()),
            "OTHER" => Some("other".into()),
            _ => None,
        })
    }

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(run("no variables here").unwrap(), "no variables here");
        assert_eq!(run("").unwrap(), "");
        assert_eq!(run("ünïcödé {braces}").unwrap(), "ünïcödé {braces}");
    }

    #[test]
    fn braced_variable() {
        assert_eq!(run("${SET}").unwrap(), "value");
        assert_eq!(run("a-${SET}-b").unwrap(), "a-value-b");
        assert_eq!(run("${UNSET}").unwrap(), "");
        assert_eq!(run("${EMPTY}").unwrap(), "");
    }

    #[test]
    fn bare_variable() {
        assert_eq!(run("$SET").unwrap(), "value");
        assert_eq!(run("$SET/path").unwrap(), "value/path");
        assert_eq!(run("$SET_SUFFIX").unwrap(), "");
        assert_eq!(run("$UNSET").unwrap(), "");
        assert_eq!(run("x$OTHER.y").unwrap(), "xother.y");
    }

    #[test]
    fn double_dollar_is_a_literal_dollar() {
        assert_eq!(run("$$").unwrap(), "$");
        assert_eq!(run("$${SET}").unwrap(), "${SET}");
        assert_eq!(run("pa$$word").unwrap(), "pa$word");
        assert_eq!(run("$$$SET").unwrap(), "$value");
    }

    #[test]
    fn colon_dash_default_applies_when_unset_or_empty() {
        assert_eq!(run("${UNSET:-fallback}").unwrap(), "fallback");
        assert_eq!(run("${EMPTY:-fallback}").unwrap(), "fallback");
        assert_eq!(run("${SET:-fallback}").unwrap(), "value");
        assert_eq!(run("${UNSET:-}").unwrap(), "");
    }

    #[test]
    fn dash_default_applies_only_when_unset() {
        assert_eq!(run("${UNSET-fallback}").unwrap(), "fallback");
        assert_eq!(run("${EMPTY-fallback}").unwrap(), "");
        assert_eq!(run("${SET-fallback}").unwrap(), "value");
    }

    #[test]
    fn defaults_may_nest() {
        assert_eq!(run("${UNSET:-${OTHER}}").unwrap(), "other");
        assert_eq!(run("${UNSET:-${ALSO_UNSET:-deep}}").unwrap(), "deep");
        assert_eq!(run("${UNSET:-a ${OTHER} b}/c").unwrap(), "a other b/c");
        assert_eq!(run("${UNSET:-$OTHER}").unwrap(), "other");
        assert_eq!(
            run("${UNSET:-postgresql://${OTHER}:5432}").unwrap(),
            "postgresql://other:5432"
        );
        // A default that is not used is not evaluated, so its errors do not fire.
        assert_eq!(run("${SET:-${UNSET:?boom}}").unwrap(), "value");
    }

    #[test]
    fn colon_question_mark_requires_a_non_empty_value() {
        assert_eq!(run("${SET:?need it}").unwrap(), "value");
        assert_eq!(
            run("${UNSET:?set UNSET in .env}").unwrap_err(),
            "required variable UNSET is missing a value: set UNSET in .env"
        );
        assert_eq!(
            run("${EMPTY:?must not be empty}").unwrap_err(),
            "required variable EMPTY is missing a value: must not be empty"
        );
        assert_eq!(
            run("${UNSET:?}").unwrap_err(),
            "required variable UNSET is missing a value"
        );
    }

    #[test]
    fn question_mark_requires_the_variable_to_be_set() {
        assert_eq!(run("${EMPTY?must be set}").unwrap(), "");
        assert_eq!(run("${SET?must be set}").unwrap(), "value");
        assert_eq!(
            run("${UNSET?must be set}").unwrap_err(),
            "required variable UNSET is missing a value: must be set"
        );
        assert_eq!(
            run("${UNSET?need ${OTHER}}").unwrap_err(),
            "required variable UNSET is missing a value: need other"
        );
    }

    #[test]
    fn alternatives() {
        assert_eq!(run("${SET:+alt}").unwrap(), "alt");
        assert_eq!(run("${EMPTY:+alt}").unwrap(), "");
        assert_eq!(run("${UNSET:+alt}").unwrap(), "");
        assert_eq!(run("${SET+alt}").unwrap(), "alt");
        assert_eq!(run("${EMPTY+alt}").unwrap(), "alt");
        assert_eq!(run("${UNSET+alt}").unwrap(), "");
        assert_eq!(run("${SET:+-${OTHER}}").unwrap(), "-other");
    }

    #[test]
    fn malformed_expressions_are_errors() {
        let err = run("${SET").unwrap_err();
        assert!(err.contains("no closing `}`"), "{err}");
        let err = run("${}").unwrap_err();
        assert!(err.contains("does not start with a variable name"), "{err}");
        let err = run("${1ABC}").unwrap_err();
        assert!(err.contains("does not start with a variable name"), "{err}");
        let err = run("${SET!x}").unwrap_err();
        assert!(err.contains("unexpected \"!x\""), "{err}");
        let err = run("price: 5$").unwrap_err();
        assert!(err.contains("write `$$` for a literal `$`"), "{err}");
        let err = run("$ x").unwrap_err();
        assert!(
            err.contains("`$` must be followed by a variable name"),
            "{err}"
        );
    }
}
