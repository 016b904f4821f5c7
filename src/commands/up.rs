//! `devctl up [SERVICE...]`: start services and wait until they answer; no migrations. It replaces
//! `docker compose up -d` followed by "wait a moment".

use std::sync::Arc;

use crate::Error;
use crate::engine::Plan;
use crate::session::Session;
use crate::steps::{Prerequisites, WaitDatabase};

pub fn plan(session: &Arc<Session>, names: &[String]) -> Result<Plan, Error> {
    let services: Vec<String> = session
        .services(names)?
        .iter()
        .map(|s| s.name.clone())
        .collect();
    if services.is_empty() {
        return Err(Error::Usage {
            message: "there are no services to start".into(),
            hint: Some(
                "list them in `services` in devctl.toml, or name them: devctl up SERVICE".into(),
            ),
        });
    }
    let database_service = session
        .database_service()
        .map(|s| s.name.clone())
        .filter(|name| services.contains(name));
    let mut plan = Plan::new();
    plan.push(Prerequisites::new(session.clone(), &[], true));
    plan.extend(super::ready::start_and_wait(
        session,
        &services,
        database_service.as_deref(),
    ));
    if database_service.is_some() {
        plan.push(WaitDatabase {
            session: session.clone(),
        });
    }
    Ok(plan)
}
