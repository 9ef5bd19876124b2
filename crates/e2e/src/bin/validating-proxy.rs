//! `validating-proxy <upstream>`: the suite's [`ValidatingProxy`] as a process, so that
//! clients written in other languages (Clerk's JS and Python clients in `compat/`) have every
//! answer they get checked against Clerk's specs too.
//!
//! Prints the proxy's base URL on the first line of stdout, then forwards until SIGTERM or
//! Ctrl-C. On exit it writes every violation to stderr and exits 1 if there was any, 0 if
//! not (2 for a usage error).

use std::io::Write;
use std::process::ExitCode;

use e2e::ValidatingProxy;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(upstream), None) = (args.next(), args.next()) else {
        eprintln!("usage: validating-proxy <upstream base URL, e.g. http://127.0.0.1:8080>");
        return ExitCode::from(2);
    };
    let proxy = ValidatingProxy::start(&upstream).await;
    println!("{}", proxy.base_url());
    // The caller reads the URL before it sends anything.
    let _ = std::io::stdout().flush();

    stopped().await;
    let checked = proxy.checked();
    let violations = proxy.take_violations();
    proxy.shutdown().await;

    for violation in &violations {
        eprintln!("spec violation: {violation}");
    }
    eprintln!(
        "validating-proxy: {checked} answer(s) checked, {} violation(s)",
        violations.len()
    );
    if violations.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).expect("a SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
