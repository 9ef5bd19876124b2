//! The server under test, in a child process: the benchmark's own executable started with
//! `serve`, so that `/proc/<pid>/status` shows the server's memory and nothing else.

use std::process::Stdio;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};

use crate::Error;

/// What the child prints, followed by its base URL, once it accepts connections.
pub const READY_PREFIX: &str = "listening on ";

/// How long a server may take to start (migrations included).
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// A server running in a child process. It stops when its standard input closes, so it
/// cannot outlive the benchmark.
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    base_url: String,
}

/// The resident memory of a process, from `/proc/<pid>/status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Memory {
    /// `VmRSS`: resident now, in KiB.
    pub rss_kib: u64,
    /// `VmHWM`: the most it has been resident, in KiB.
    pub peak_kib: u64,
}

impl ServerProcess {
    /// Starts `<this executable> serve --database-url <url> --secret-key <key>` and waits
    /// until it prints its address.
    pub async fn spawn(database_url: &str, secret_key: &str) -> Result<Self, Error> {
        let mut child = Command::new(std::env::current_exe()?)
            .args([
                "serve",
                "--database-url",
                database_url,
                "--secret-key",
                secret_key,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .ok_or("the server's stdout is not piped")?;
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(START_TIMEOUT, lines.next_line())
            .await
            .map_err(|_| "the server did not start within two minutes")??
            .ok_or("the server exited before it was ready")?;
        let base_url = line
            .strip_prefix(READY_PREFIX)
            .ok_or_else(|| format!("unexpected first line from the server: {line:?}"))?
            .trim()
            .to_owned();
        Ok(Self {
            child,
            stdin,
            base_url,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The server's resident memory now.
    pub fn memory(&self) -> Result<Memory, Error> {
        let pid = self.child.id().ok_or("the server has exited")?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
        parse_status(&status).ok_or_else(|| "no VmRSS/VmHWM in /proc/<pid>/status".into())
    }

    /// Closes the server's standard input and waits for it to finish (killing it after
    /// 30 seconds).
    pub async fn stop(mut self) -> Result<(), Error> {
        drop(self.stdin.take());
        match tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await {
            Ok(status) => {
                let status = status?;
                if status.success() {
                    Ok(())
                } else {
                    Err(format!("the server exited with {status}").into())
                }
            }
            Err(_) => {
                self.child.kill().await?;
                Err("the server did not stop within 30 seconds".into())
            }
        }
    }
}

/// Reads `VmRSS` and `VmHWM` out of the text of `/proc/<pid>/status`.
///
/// ```
/// let status = "Name:\tclerk\nVmHWM:\t   51234 kB\nVmRSS:\t   40960 kB\n";
/// let memory = clerk_scale_bench::server::parse_status(status).unwrap();
/// assert_eq!((memory.rss_kib, memory.peak_kib), (40960, 51234));
/// ```
pub fn parse_status(status: &str) -> Option<Memory> {
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
    };
    Some(Memory {
        rss_kib: field("VmRSS:")?,
        peak_kib: field("VmHWM:")?,
    })
}
