//! Takes the project's lock for the rest of the run (see `crate::lock`).

use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;

use crate::Error;
use crate::engine::{Outcome, Step, StepContext};
use crate::lock::ProjectLock;
use crate::session::Session;

pub struct Lock {
    pub session: Arc<Session>,
    pub held: Mutex<Option<ProjectLock>>,
}

impl Lock {
    pub fn new(session: Arc<Session>) -> Lock {
        Lock {
            session,
            held: Mutex::new(None),
        }
    }
}

impl Step for Lock {
    fn name(&self) -> String {
        "lock".into()
    }

    fn describe(&self) -> String {
        "make sure no other devctl run works on this project".into()
    }

    fn run<'a>(&'a self, _cx: &'a StepContext<'a>) -> BoxFuture<'a, Result<Outcome, Error>> {
        Box::pin(async move {
            let lock = ProjectLock::acquire(&self.session.project.root)?;
            *self
                .held
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(lock);
            Ok(Outcome::unchanged("held"))
        })
    }
}
