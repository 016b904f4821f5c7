//! Database errors, with the database's own message and a hint.

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{message}")]
    Failed { message: String, hint: Option<String>, details: Vec<String> },
}

impl DbError {
    pub fn hint(&self) -> Option<String> {
        match self {
            DbError::Failed { hint, .. } => hint.clone(),
        }
    }

    pub fn details(&self) -> &[String] {
        match self {
            DbError::Failed { details, .. } => details,
        }
    }
}
