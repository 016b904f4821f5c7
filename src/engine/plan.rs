//! An ordered list of steps. Commands build plans from smaller plans (`reset-db` is wipe + the
//! steps of `ready`), so workflows are composed, not copied.

use super::Step;

#[derive(Default)]
pub struct Plan {
    pub(super) steps: Vec<Box<dyn Step>>,
}

impl Plan {
    pub fn new() -> Plan {
        Plan::default()
    }

    pub fn push(&mut self, step: impl Step + 'static) -> &mut Plan {
        self.steps.push(Box::new(step));
        self
    }

    pub fn extend(&mut self, other: Plan) -> &mut Plan {
        self.steps.extend(other.steps);
        self
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    pub fn names(&self) -> Vec<String> {
        self.steps.iter().map(|s| s.name()).collect()
    }
}
