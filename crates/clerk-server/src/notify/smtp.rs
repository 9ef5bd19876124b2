//! Relays outbox emails to a local mail catcher over plain SMTP (no TLS, no authentication),
//! with `lettre`: this file only builds the message and the transport.

use std::io;
use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, SinglePart};
use lettre::transport::smtp::extension::ClientId;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::SmtpConfig;

/// How long one SMTP exchange may take before it is abandoned.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The name the relay gives itself in `EHLO`.
const HELLO_NAME: &str = "clerk-server";

/// An email to relay.
pub(crate) struct OutgoingEmail<'a> {
    pub message_id: &'a str,
    pub from_local_part: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub html: &'a str,
}

/// Sends `email` to the configured server.
pub(crate) async fn send(config: &SmtpConfig, email: &OutgoingEmail<'_>) -> io::Result<()> {
    send_within(TIMEOUT, config, email).await
}

/// [`send`] with its time limit given (tests use a short one).
async fn send_within(
    limit: Duration,
    config: &SmtpConfig,
    email: &OutgoingEmail<'_>,
) -> io::Result<()> {
    let message = message(email, &config.from_domain)?;
    // No pool (the feature is off): one connection per email, closed with QUIT.
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(config.host.as_str())
        .port(config.port)
        .hello_name(ClientId::Domain(HELLO_NAME.to_owned()))
        .build();
    // One limit for the whole exchange, connecting included (lettre's own is per command).
    tokio::time::timeout(limit, transport.send(message))
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "SMTP exchange timed out"))?
        .map(drop)
        .map_err(io::Error::other)
}

/// The message: from `<from_local_part>@<domain>`, the subject (RFC 2047-encoded by lettre
/// when it is not plain ASCII), a `Message-ID` in the sender's domain, and the HTML body in
/// base64 (no line-length or dot-stuffing concerns, whatever the HTML holds).
fn message(email: &OutgoingEmail<'_>, domain: &str) -> io::Result<Message> {
    let from = Address::new(email.from_local_part, domain).map_err(invalid)?;
    let to: Address = email.to.parse().map_err(invalid)?;
    let body = Body::new_with_encoding(email.html.to_owned(), ContentTransferEncoding::Base64)
        .map_err(|_| invalid("the HTML body cannot be encoded"))?;
    Message::builder()
        .from(Mailbox::new(None, from))
        .to(Mailbox::new(None, to))
        // A subject is one header line, whatever the API was given.
        .subject(email.subject.replace(['\r', '\n'], " "))
        .message_id(Some(format!("<{}@{domain}>", email.message_id)))
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(body),
        )
        .map_err(invalid)
}

fn invalid(error: impl ToString) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, error.to_string())
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

    use super::*;

    fn email<'a>(subject: &'a str, html: &'a str) -> OutgoingEmail<'a> {
        OutgoingEmail {
            message_id: "ema_1",
            from_local_part: "info",
            to: "ann@example.com",
            subject,
            html,
        }
    }

    fn formatted(email: &OutgoingEmail<'_>) -> String {
        String::from_utf8(message(email, "example.org").unwrap().formatted()).unwrap()
    }

    #[test]
    fn message_has_headers_and_base64_body() {
        let text = formatted(&email("Hi", "<p>hello</p>"));
        assert!(text.contains("From: info@example.org\r\n"), "{text}");
        assert!(text.contains("To: ann@example.com\r\n"), "{text}");
        assert!(text.contains("Subject: Hi\r\n"), "{text}");
        assert!(
            text.contains("Message-ID: <ema_1@example.org>\r\n"),
            "{text}"
        );
        assert!(
            text.contains("Content-Type: text/html; charset=utf-8\r\n"),
            "{text}"
        );
        assert!(
            text.contains("Content-Transfer-Encoding: base64\r\n"),
            "{text}"
        );
        assert!(text.ends_with("\r\n\r\nPHA+aGVsbG88L3A+\r\n"), "{text}");
    }

    #[test]
    fn subjects_are_encoded_when_needed_and_stay_one_line() {
        let text = formatted(&email("Bienvenue ☺", ""));
        assert!(text.is_ascii(), "{text}");
        // Only the word that is not ASCII is encoded (RFC 2047 allows either).
        assert!(
            text.contains("Subject: Bienvenue =?utf-8?b?4pi6?=\r\n"),
            "{text}"
        );
        let text = formatted(&email("a\r\nBcc: x", ""));
        assert!(!text.contains("\r\nBcc:"), "{text}");
    }

    #[test]
    fn invalid_addresses_are_refused_before_connecting() {
        let mut bad = email("Hi", "");
        bad.to = "not an address";
        assert_eq!(
            message(&bad, "example.org").unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
    }

    /// A one-connection SMTP server: greets, answers each command with `reply(line)` (the
    /// message itself gets 250 after its final dot), and records the transcript.
    async fn fake_server(reply: fn(&str) -> &'static str) -> (SmtpConfig, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let config = SmtpConfig::new("127.0.0.1", listener.local_addr().unwrap().port());
        let transcript = Arc::new(Mutex::new(Vec::new()));
        let lines = transcript.clone();
        tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let (read, mut write) = stream.into_split();
            let mut read = BufReader::new(read).lines();
            write.write_all(b"220 fake ESMTP\r\n").await.unwrap();
            let mut in_data = false;
            while let Ok(Some(line)) = read.next_line().await {
                lines.lock().unwrap().push(line.clone());
                let answer = match (in_data, line.as_str()) {
                    (true, ".") => "250 queued",
                    (true, _) => continue,
                    (false, command) => reply(command),
                };
                in_data = answer.starts_with("354");
                if write
                    .write_all(format!("{answer}\r\n").as_bytes())
                    .await
                    .is_err()
                {
                    break;
                }
            }
        });
        (config, transcript)
    }

    /// What a mail catcher answers.
    fn accepting(command: &str) -> &'static str {
        match command {
            c if c.starts_with("EHLO") => "250-fake\r\n250 8BITMIME",
            "DATA" => "354 go ahead",
            "QUIT" => "221 bye",
            _ => "250 OK",
        }
    }

    #[tokio::test]
    async fn sends_over_smtp_and_quits() {
        let (config, transcript) = fake_server(accepting).await;
        let config = config.with_from_domain("mail.example");
        send(&config, &email("Welcome", "<b>hello</b>"))
            .await
            .unwrap();
        let lines = transcript.lock().unwrap().clone();
        let position = |wanted: &str| lines.iter().position(|l| l.starts_with(wanted));
        let order = [
            "EHLO clerk-server",
            "MAIL FROM:<info@mail.example>",
            "RCPT TO:<ann@example.com>",
            "DATA",
            "Subject: Welcome",
            "Message-ID: <ema_1@mail.example>",
            "PGI+aGVsbG88L2I+",
            ".",
            "QUIT",
        ]
        .map(|wanted| position(wanted).unwrap_or_else(|| panic!("no {wanted}: {lines:?}")));
        assert!(order.is_sorted(), "{lines:?}");
    }

    #[tokio::test]
    async fn a_refused_recipient_is_an_error() {
        fn refusing(command: &str) -> &'static str {
            match command {
                c if c.starts_with("RCPT") => "550 no such user",
                other => accepting(other),
            }
        }
        let (config, _) = fake_server(refusing).await;
        let error = send(&config, &email("Hi", "")).await.unwrap_err();
        assert!(error.to_string().contains("no such user"), "{error}");
    }

    #[tokio::test]
    async fn a_silent_server_times_out() {
        // Never accepted, so never greeted: the kernel still completes the connection.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let config = SmtpConfig::new("127.0.0.1", listener.local_addr().unwrap().port());
        let limit = Duration::from_millis(200);
        let error = send_within(limit, &config, &email("Hi", ""))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
    }
}
