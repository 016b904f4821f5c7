//! Compose-style `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`, `${VAR?err}`, `$VAR`
//! and `$$` interpolation.

/// Interpolates one string; `lookup` returns a variable's value. Errors carry the message of
/// `${VAR:?err}` or say which expression is malformed.
pub fn interpolate(
    _input: &str,
    _lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    todo!()
}
