//! `devctl reset-db [--autogenerate MESSAGE]`: back to a clean baseline when the local schema has
//! drifted. Checked before anything runs (what is wiped must be safe to wipe), then: lock,
//! confirm, stop the database, wipe, and the same start / wait / extensions / migrate steps as
//! `ready`, and optionally the project's autogeneration against that baseline.

use std::sync::Arc;

use crate::Error;
use crate::config::DatabaseUrl;
use crate::engine::Plan;
use crate::session::Session;
use crate::steps::{
    Autogenerate, Confirm, Lock, Prerequisites, StopDatabase, WipeData, WipeTarget,
};

pub fn plan(session: &Arc<Session>, autogenerate: Option<&str>) -> Result<Plan, Error> {
    let project = &session.project;
    if let Some(message) = autogenerate {
        check_autogenerate(session, message)?;
    }
    let target = WipeTarget::resolve(session)?;
    let database_service = session.database_service().map(|s| s.name.clone());
    let mut services: Vec<String> = session
        .services(&[])?
        .iter()
        .map(|s| s.name.clone())
        .collect();
    if let Some(name) = &database_service
        && !services.contains(name)
    {
        services.push(name.clone());
    }
    let mut commands: Vec<&str> = project
        .settings
        .migrations
        .command
        .iter()
        .map(String::as_str)
        .collect();
    if autogenerate.is_some() {
        commands.extend(project.settings.migrations.autogenerate.as_deref());
    }

    let mut plan = Plan::new();
    plan.push(Prerequisites::new(
        session.clone(),
        &commands,
        !services.is_empty(),
    ));
    plan.push(Lock::new(session.clone()));
    plan.push(Confirm {
        session: session.clone(),
        target: target.clone(),
    });
    if database_service.is_some() {
        plan.push(StopDatabase {
            session: session.clone(),
            target: target.clone(),
        });
    }
    plan.push(WipeData {
        session: session.clone(),
        target,
    });
    plan.extend(super::ready::bring_up(
        session,
        &services,
        database_service.as_deref(),
    ));
    if let Some(message) = autogenerate {
        plan.push(Autogenerate {
            session: session.clone(),
            message: message.to_string(),
        });
    }
    Ok(plan)
}

fn check_autogenerate(session: &Session, message: &str) -> Result<(), Error> {
    let project = &session.project;
    if project.settings.migrations.autogenerate.is_none() {
        return Err(Error::Usage {
            message: "--autogenerate needs a command to run".into(),
            hint: Some("set [migrations] autogenerate in devctl.toml, e.g. \"uv run alembic revision --autogenerate -m {message}\"".into()),
        });
    }
    if message.trim().is_empty() {
        return Err(Error::Usage {
            message: "the --autogenerate message is empty".into(),
            hint: Some("describe the change, e.g. --autogenerate \"add users.email\"".into()),
        });
    }
    if let DatabaseUrl::Sqlite { .. } = project.database.url {
        return Err(Error::Refused {
            message: format!(
                "refusing to autogenerate against SQLite: {} is not set, and a migration generated against SQLite is wrong for Postgres (other types, no extensions, other defaults)",
                project.settings.database.url_env
            ),
            hint: Some(format!(
                "set {} (in .env) to the project's Postgres URL and run again",
                project.settings.database.url_env
            )),
        });
    }
    Ok(())
}
