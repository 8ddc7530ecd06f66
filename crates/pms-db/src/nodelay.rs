//! TCP_NODELAY on the process's database connections.
//!
//! sqlx 0.9.0 does not set `TCP_NODELAY` on the TCP sockets it opens (a regression upstream:
//! transact-rs/sqlx#4335, fixed by #4336, not in a release available here). Without it, Nagle's
//! algorithm holds a small message written after a larger one until the server has acknowledged
//! the larger one, and the server delays that acknowledgement (up to 40 ms on Linux) because it
//! has nothing to send yet. Every `COPY ... FROM STDIN` hits this: its data, then `CopyDone`.
//! Measured here: about 15 ms per COPY statement, a third of a 100,000-person seed's time over
//! TCP and two thirds of a plain COPY's (docs/BENCHMARKS.md).
//!
//! sqlx gives no access to its socket, so [`apply`] sets the option on every TCP socket the
//! process has open. That is right for all of them (the process speaks request/response
//! protocols: PostgreSQL, Redis, HTTP) and idempotent; it is called after each connection is
//! made ([`crate::connect`], the bulk-load sessions, the benchmarks' pools). Linux only; a no-op
//! elsewhere.

/// Sets `TCP_NODELAY` on every TCP socket of this process; returns how many accepted it.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // the workspace's one exception (see Cargo.toml): a setsockopt, nothing more
pub fn apply() -> usize {
    let Ok(dir) = std::fs::read_dir("/proc/self/fd") else {
        return 0;
    };
    let mut set = 0;
    for entry in dir.flatten() {
        let Some(fd) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<libc::c_int>().ok())
        else {
            continue;
        };
        let is_socket = std::fs::read_link(entry.path())
            .map(|t| t.to_string_lossy().starts_with("socket:"))
            .unwrap_or(false);
        if !is_socket {
            continue;
        }
        let one: libc::c_int = 1;
        // SAFETY: setsockopt only reads `one` for the call. On a socket that is not TCP it
        // fails (ENOPROTOOPT/EOPNOTSUPP) and changes nothing; if the descriptor was closed
        // meanwhile it fails with EBADF, or sets the option on whatever socket took its number,
        // which is as right for that socket.
        let rc = unsafe {
            libc::setsockopt(
                fd,
                libc::IPPROTO_TCP,
                libc::TCP_NODELAY,
                (&one as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        if rc == 0 {
            set += 1;
        }
    }
    set
}

/// Not Linux: nothing to do (see the module documentation).
#[cfg(not(target_os = "linux"))]
pub fn apply() -> usize {
    0
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The workspace denies unsafe code; this module is its one exception, and stays so.
    #[test]
    fn no_other_source_file_allows_unsafe_code() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() && p.file_name().is_some_and(|n| n != "target") {
                    walk(&p, found);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&p).unwrap_or_default();
                    if text.contains(concat!("allow(", "unsafe_code)")) {
                        found.push(p.display().to_string());
                    }
                }
            }
        }
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut found = Vec::new();
        walk(&crates, &mut found);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].ends_with("pms-db/src/nodelay.rs"), "{found:?}");
    }

    #[test]
    fn sets_the_option_on_an_open_tcp_socket() -> std::io::Result<()> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let client = std::net::TcpStream::connect(listener.local_addr()?)?;
        assert!(!client.nodelay()?);
        assert!(super::apply() >= 1);
        assert!(client.nodelay()?);
        Ok(())
    }
}
