//! `devctl down [SERVICE...]`: stop services. Containers, volumes and data directories are kept.

use std::sync::Arc;

use crate::Error;
use crate::engine::Plan;
use crate::session::Session;
use crate::steps::{Prerequisites, StopService};

pub fn plan(session: &Arc<Session>, names: &[String]) -> Result<Plan, Error> {
    let mut services: Vec<String> = session
        .services(names)?
        .iter()
        .map(|s| s.name.clone())
        .collect();
    if names.is_empty()
        && let Some(db) = session.database_service()
        && !services.contains(&db.name)
    {
        services.push(db.name.clone());
    }
    if services.is_empty() {
        return Err(Error::Usage {
            message: "there are no services to stop".into(),
            hint: Some("name them: devctl down SERVICE".into()),
        });
    }
    let mut plan = Plan::new();
    plan.push(Prerequisites::new(session.clone(), &[], true));
    for name in services {
        plan.push(StopService {
            session: session.clone(),
            service: name,
        });
    }
    Ok(plan)
}
