//! `--color auto|always|never`, `NO_COLOR` and `FORCE_COLOR`, honoured in one place.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Sets colour for stderr and stdout once, before anything is printed. An explicit `--color`
/// wins; otherwise `NO_COLOR` turns colour off and `FORCE_COLOR` on; otherwise colour follows
/// whether the stream is a terminal.
pub fn init_colors(choice: ColorChoice) {
    let env_set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    let enabled = match choice {
        ColorChoice::Always => Some(true),
        ColorChoice::Never => Some(false),
        ColorChoice::Auto if env_set("NO_COLOR") => Some(false),
        ColorChoice::Auto if env_set("FORCE_COLOR") => Some(true),
        ColorChoice::Auto => None,
    };
    if let Some(enabled) = enabled {
        console::set_colors_enabled(enabled);
        console::set_colors_enabled_stderr(enabled);
    }
}
