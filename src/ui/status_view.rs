//! The terminal view of `devctl status`, on stdout: services, database, migrations, then every
//! problem with the command that fixes it.

use console::style;

use crate::status::StatusReport;

fn ok(yes: bool) -> console::StyledObject<&'static str> {
    if yes {
        style("✓").green()
    } else {
        style("✗").red().bold()
    }
}

pub fn render(report: &StatusReport) -> String {
    let mut out = Vec::new();
    if !report.services.is_empty() {
        out.push(style("services").bold().to_string());
        for service in &report.services {
            match &service.container {
                Some(c) => {
                    let running = c.state == "running" && c.health.as_deref() != Some("unhealthy");
                    let mut line = format!(
                        "  {} {:<14} {} {} ({}, {})",
                        ok(running),
                        service.name,
                        c.state,
                        c.name,
                        c.id,
                        c.image
                    );
                    if let Some(health) = &c.health {
                        line.push_str(&format!(", {health}"));
                    }
                    if !c.ports.is_empty() {
                        line.push_str(&format!(", {}", c.ports.join(" ")));
                    }
                    line.push_str(&format!(
                        ", made by {}",
                        match c.created_by {
                            crate::docker::Origin::Devctl => "devctl",
                            crate::docker::Origin::Compose => "docker compose",
                            crate::docker::Origin::Manual => "hand",
                        }
                    ));
                    out.push(line);
                }
                None => out.push(format!("  {} {:<14} no container", ok(false), service.name)),
            }
            if let Some(taken) = &service.port_taken_by {
                out.push(format!("      {taken}"));
            }
        }
    }
    let db = &report.database;
    out.push(format!("{} {}", style("database").bold(), db.url));
    out.push(format!("  {}", style(&db.source).dim()));
    match (&db.server, &db.error) {
        (Some(server), _) => out.push(format!("  {} reachable, {server}", ok(true))),
        (None, Some(error)) => out.push(format!("  {} not reachable: {error}", ok(false))),
        (None, None) => {}
    }
    for extension in &db.extensions {
        out.push(format!(
            "  {} extension {}",
            ok(extension.present),
            extension.name
        ));
    }
    if let Some(m) = &report.migrations {
        out.push(format!("{} {}/", style("migrations").bold(), m.dir));
        if m.compared {
            out.push(format!(
                "  {} applied, {} pending",
                m.applied,
                m.pending.len()
            ));
        } else {
            out.push(format!(
                "  {} on disk; not compared: the database is not reachable",
                m.on_disk
            ));
        }
        for name in &m.pending {
            out.push(format!("    pending {name}"));
        }
    }
    if let Some(a) = &report.alembic {
        out.push(format!("{} {}", style("alembic").bold(), a.ini));
        out.push(format!(
            "  heads on disk: {}",
            if a.heads.is_empty() {
                "none".into()
            } else {
                a.heads.join(", ")
            }
        ));
        out.push(format!(
            "  in the database: {}",
            if !a.compared {
                "unknown (the database is not reachable)".into()
            } else if a.applied.is_empty() {
                "none".into()
            } else {
                a.applied.join(", ")
            }
        ));
        if !a.pending.is_empty() {
            out.push(format!("  pending: {}", a.pending.join(", ")));
        }
        if !a.missing.is_empty() {
            out.push(format!("  missing on disk: {}", a.missing.join(", ")));
        }
    }
    if report.problems.is_empty() {
        out.push(format!("{} all good", style("status:").green().bold()));
    } else {
        out.push(format!(
            "{} {}",
            style("problems:").red().bold(),
            crate::ui::count(report.problems.len(), "problem", "problems")
        ));
        for problem in &report.problems {
            out.push(format!("  {} {}", style("✗").red(), problem.message));
            out.push(format!("      {} {}", style("fix:").cyan(), problem.fix));
        }
    }
    out.join("\n")
}
