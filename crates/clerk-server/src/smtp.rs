//! A minimal SMTP client that relays outbox emails to a local mail catcher: plain SMTP
//! (`EHLO`, `MAIL FROM`, `RCPT TO`, `DATA`, `QUIT`), no TLS, no authentication.

use std::io;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::config::SmtpConfig;

/// How long one SMTP exchange may take before it is abandoned.
const TIMEOUT: Duration = Duration::from_secs(10);

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
    tokio::time::timeout(TIMEOUT, send_inner(config, email))
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "SMTP exchange timed out"))?
}

async fn send_inner(config: &SmtpConfig, email: &OutgoingEmail<'_>) -> io::Result<()> {
    let stream = TcpStream::connect((config.host.as_str(), config.port)).await?;
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    let from = format!("{}@{}", email.from_local_part, config.from_domain);
    expect(&mut read, 220).await?;
    command(&mut write, &mut read, "EHLO clerk-server", 250).await?;
    command(&mut write, &mut read, &format!("MAIL FROM:<{from}>"), 250).await?;
    command(
        &mut write,
        &mut read,
        &format!("RCPT TO:<{}>", email.to),
        250,
    )
    .await?;
    command(&mut write, &mut read, "DATA", 354).await?;
    write
        .write_all(message(email, &from, &config.from_domain).as_bytes())
        .await?;
    command(&mut write, &mut read, ".", 250).await?;
    command(&mut write, &mut read, "QUIT", 221).await?;
    Ok(())
}

/// The RFC 5322 message: headers, then the HTML body in base64 (no line-length or
/// dot-stuffing concerns), CRLF line endings.
fn message(email: &OutgoingEmail<'_>, from: &str, domain: &str) -> String {
    let body = STANDARD.encode(email.html.as_bytes());
    let mut lines = vec![
        format!("From: <{from}>"),
        format!("To: <{}>", email.to),
        format!("Subject: {}", encode_header(email.subject)),
        format!("Message-ID: <{}@{domain}>", email.message_id),
        "MIME-Version: 1.0".to_owned(),
        "Content-Type: text/html; charset=utf-8".to_owned(),
        "Content-Transfer-Encoding: base64".to_owned(),
        String::new(),
    ];
    lines.extend(
        body.as_bytes()
            .chunks(76)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned()),
    );
    let mut text = lines.join("\r\n");
    text.push_str("\r\n");
    text
}

/// A header value, RFC 2047-encoded when it is not plain ASCII.
fn encode_header(value: &str) -> String {
    let value = value.replace(['\r', '\n'], " ");
    if value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        value
    } else {
        format!("=?UTF-8?B?{}?=", STANDARD.encode(value.as_bytes()))
    }
}

async fn command(
    write: &mut tokio::net::tcp::OwnedWriteHalf,
    read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    line: &str,
    expected: u16,
) -> io::Result<()> {
    write.write_all(format!("{line}\r\n").as_bytes()).await?;
    expect(read, expected).await
}

/// Reads a (possibly multi-line) reply and checks its code.
async fn expect(
    read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    expected: u16,
) -> io::Result<()> {
    loop {
        let mut line = String::new();
        if read.read_line(&mut line).await? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "SMTP server closed the connection",
            ));
        }
        let code: u16 = line
            .get(..3)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "malformed SMTP reply"))?;
        if line.as_bytes().get(3) == Some(&b'-') {
            continue;
        }
        if code == expected {
            return Ok(());
        }
        return Err(io::Error::other(format!(
            "SMTP server answered {code} where {expected} was expected"
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_encoded_when_needed() {
        assert_eq!(encode_header("Welcome"), "Welcome");
        assert_eq!(
            encode_header("Bienvenue ☺"),
            "=?UTF-8?B?QmllbnZlbnVlIOKYug==?="
        );
        assert_eq!(encode_header("a\r\nBcc: x"), "a  Bcc: x");
    }

    #[test]
    fn message_has_headers_and_base64_body() {
        let email = OutgoingEmail {
            message_id: "ema_1",
            from_local_part: "info",
            to: "ann@example.com",
            subject: "Hi",
            html: "<p>hello</p>",
        };
        let text = message(&email, "info@example.org", "example.org");
        assert!(
            text.starts_with(
                "From: <info@example.org>\r\nTo: <ann@example.com>\r\nSubject: Hi\r\n"
            )
        );
        assert!(text.contains("Message-ID: <ema_1@example.org>\r\n"));
        assert!(text.ends_with("\r\n\r\nPHA+aGVsbG88L3A+\r\n"));
    }
}
