//! `devctl ready`: from a fresh checkout to a migrated database. Prerequisites, `.env`, services
//! started together, then waited for, extensions, migrations, and the line that exports the URL.

use std::sync::Arc;

use serde_json::json;

use crate::Error;
use crate::config::DatabaseUrl;
use crate::engine::{Plan, Report};
use crate::session::Session;
use crate::steps::{
    DotEnv, Extensions, Migrations, Prerequisites, StartService, WaitDatabase, WaitService,
};

pub fn plan(session: &Arc<Session>) -> Result<Plan, Error> {
    let mut plan = Plan::new();
    let project = &session.project;
    let mut services: Vec<String> = session
        .services(&[])?
        .iter()
        .map(|s| s.name.clone())
        .collect();
    let database_service = session.database_service().map(|s| s.name.clone());
    if let Some(name) = &database_service
        && !services.contains(name)
    {
        services.push(name.clone());
    }
    let commands: Vec<&str> = project
        .settings
        .migrations
        .command
        .iter()
        .map(String::as_str)
        .collect();
    plan.push(Prerequisites::new(
        session.clone(),
        &commands,
        !services.is_empty(),
    ));
    plan.push(DotEnv {
        session: session.clone(),
    });
    plan.extend(bring_up(session, &services, database_service.as_deref()));
    Ok(plan)
}

/// From stopped (or wiped) to migrated: start and wait for the services, wait for the database,
/// ensure extensions, migrate. `ready` runs it after its checks; `reset-db` after the wipe.
pub fn bring_up(
    session: &Arc<Session>,
    services: &[String],
    database_service: Option<&str>,
) -> Plan {
    let mut plan = start_and_wait(session, services, database_service);
    plan.push(WaitDatabase {
        session: session.clone(),
    });
    if !session.project.settings.database.extensions.is_empty() {
        plan.push(Extensions {
            session: session.clone(),
        });
    }
    plan.push(Migrations {
        session: session.clone(),
    });
    plan
}

/// Starts every service first (so they boot in parallel), then waits for each but the database,
/// which `WaitDatabase` waits for with a real query.
pub fn start_and_wait(
    session: &Arc<Session>,
    services: &[String],
    database_service: Option<&str>,
) -> Plan {
    let mut plan = Plan::new();
    for name in services {
        plan.push(StartService {
            session: session.clone(),
            service: name.clone(),
        });
    }
    for name in services {
        if Some(name.as_str()) != database_service {
            plan.push(WaitService {
                session: session.clone(),
                service: name.clone(),
            });
        }
    }
    plan
}

/// Adds the database and, for Postgres, the line that exports its URL to the user's shell.
pub fn summarize(session: &Session, report: &mut Report) {
    let database = &session.project.database;
    report
        .extra
        .insert("database".into(), json!(database.url.redacted()));
    if let DatabaseUrl::Postgres { original, .. } = &database.url {
        let name = &session.project.settings.database.url_env;
        let export = format!("export {name}={}", shell_words::quote(original));
        report.extra.insert("export".into(), json!(export));
    }
}
