//! Who holds a host port: another container (by name) or another process (by pid and command,
//! read from /proc where allowed). Lets devctl say "port 5432 is taken by container letta-db"
//! instead of Docker's "address already in use".

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortHolder {
    Container { name: String, id: String },
    Process { pid: u32, command: String },
    Unknown,
}

impl std::fmt::Display for PortHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortHolder::Container { name, .. } => write!(f, "container {name}"),
            PortHolder::Process { pid, command } => write!(f, "process {pid} ({command})"),
            PortHolder::Unknown => write!(f, "another process"),
        }
    }
}

/// `None` when `host_ip:port` can be bound now. Otherwise who holds it. `docker` is used to name a
/// container publishing it.
pub async fn port_holder(
    _docker: Option<&super::Docker>,
    _host_ip: Option<&str>,
    _port: u16,
) -> Option<PortHolder> {
    todo!()
}
