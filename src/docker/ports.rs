//! Who holds a host port: another container (by name) or another process (by pid and command,
//! read from /proc where allowed). Lets devctl say "port 5432 is taken by container letta-db"
//! instead of Docker's "address already in use".

use std::collections::HashMap;

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

/// Who holds `host_ip:port`, when binding it fails with "address in use"; `docker` names a
/// container publishing it. `None` when it can be bound now, and also when this process cannot
/// tell (a privileged port, an address that is not local): the daemon's own error then speaks.
pub async fn port_holder(
    docker: Option<&super::Docker>,
    host_ip: Option<&str>,
    port: u16,
) -> Option<PortHolder> {
    let ip = host_ip.filter(|ip| !ip.is_empty()).unwrap_or("0.0.0.0");
    match std::net::TcpListener::bind((ip, port)) {
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {}
        _ => return None,
    }
    if let Some(docker) = docker {
        let filter = HashMap::from([("publish".to_string(), vec![port.to_string()])]);
        if let Ok(list) = docker.list_running(filter).await
            && let Some(c) = list.into_iter().find(|c| c.ports.contains(&port))
        {
            return Some(PortHolder::Container {
                name: c.name,
                id: c.id,
            });
        }
    }
    Some(process_listening_on(port).unwrap_or(PortHolder::Unknown))
}

/// Finds the process with a listening TCP socket on `port` through /proc.
fn process_listening_on(port: u16) -> Option<PortHolder> {
    let mut inodes = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() < 10 || fields[3] != "0A" {
                continue;
            }
            let local_port = fields[1]
                .rsplit(':')
                .next()
                .and_then(|p| u16::from_str_radix(p, 16).ok());
            if local_port == Some(port) {
                inodes.push(format!("socket:[{}]", fields[9]));
            }
        }
    }
    if inodes.is_empty() {
        return None;
    }
    for entry in std::fs::read_dir("/proc").ok()?.filter_map(Result::ok) {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(fds) = std::fs::read_dir(entry.path().join("fd")) else {
            continue;
        };
        for fd in fds.filter_map(Result::ok) {
            if let Ok(target) = std::fs::read_link(fd.path())
                && inodes.iter().any(|i| target.to_string_lossy() == *i)
            {
                let command = std::fs::read_to_string(entry.path().join("comm"))
                    .map(|c| c.trim().to_string())
                    .unwrap_or_default();
                return Some(PortHolder::Process { pid, command });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_port_held_by_this_process_names_it() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let holder = port_holder(None, Some("127.0.0.1"), port).await;
        assert!(
            matches!(holder, Some(PortHolder::Process { pid, .. }) if pid == std::process::id()),
            "{holder:?}"
        );
        drop(listener);
        assert_eq!(port_holder(None, Some("127.0.0.1"), port).await, None);
    }

    #[tokio::test]
    async fn only_address_in_use_means_held() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        assert!(port_holder(None, Some("127.0.0.1"), port).await.is_some());
        // 192.0.2.1 (TEST-NET-1) is not a local address: the bind fails, but nothing holds it.
        assert_eq!(port_holder(None, Some("192.0.2.1"), port).await, None);
    }
}
