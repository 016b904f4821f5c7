//! Everything devctl shows a person or a script. Commands and the engine report through the
//! [`Reporter`](crate::engine::Reporter) trait; this module decides, once, where output goes
//! (stderr for people, stdout JSON Lines for `--json`), whether it is coloured, and whether
//! spinners are drawn.

mod color;
mod human;
mod json;
mod prompt;
mod reporters;
mod status_view;

pub use color::{ColorChoice, init_colors};
pub use human::{Human, render_error};
pub use json::{Json, error_value};
pub use prompt::{confirm, restore_terminal};
pub use reporters::Reporters;
pub use status_view::render as render_status;

/// "1 migration", "3 migrations".
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// "12ms", "1.3s", "2m05s".
pub fn duration(ms: u64) -> String {
    match ms {
        0..=999 => format!("{ms}ms"),
        1000..=59_999 => format!("{:.1}s", ms as f64 / 1000.0),
        _ => format!("{}m{:02}s", ms / 60_000, (ms % 60_000) / 1000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grammatical() {
        assert_eq!(count(1, "migration", "migrations"), "1 migration");
        assert_eq!(count(0, "migration", "migrations"), "0 migrations");
    }

    #[test]
    fn durations_are_short() {
        assert_eq!(duration(12), "12ms");
        assert_eq!(duration(1340), "1.3s");
        assert_eq!(duration(125_000), "2m05s");
    }
}
