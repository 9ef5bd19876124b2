use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clerk_sdk::{CreateUser, ListUsers, RetryPolicy};
use serde_json::json;
use tracing_subscriber::fmt::MakeWriter;

use crate::support::{MockServer, SECRET_KEY, fixtures};

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn logs_never_hold_the_secret_key_queries_or_bodies() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    server
        .respond_json(503, json!({}))
        .respond_json(200, json!([fixtures::user("user_1")]))
        .respond_json(422, fixtures::error("form_password_pwned", "pwned"));
    let clerk = server.clerk_with(RetryPolicy::default().base_delay(Duration::from_millis(1)));
    clerk
        .users()
        .list(ListUsers::new().email_address(["private.person@example.com"]))
        .await
        .unwrap();
    clerk
        .users()
        .create(CreateUser::new().password("Sup3r-Secret-Pw!"))
        .await
        .unwrap_err();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("retrying Clerk API request"), "{logs}");
    assert!(logs.contains("/v1/users"), "{logs}");
    for secret in [SECRET_KEY, "private.person", "Sup3r-Secret-Pw!"] {
        assert!(
            !logs.contains(secret),
            "{secret} leaked into the logs:\n{logs}"
        );
    }
}
