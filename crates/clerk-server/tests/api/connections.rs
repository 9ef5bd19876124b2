//! Connections that send nothing, a few bytes or an HTTP/2 preface and no request are closed
//! on time, and more idle connections than the bound do not lock other clients out.
//! This is the HTTP layer, the same on both backends: these tests run on SQLite.

use std::time::{Duration, Instant};

use clerk_server::{Config, TestServer};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::http_client;

/// The client half of HTTP/2 with prior knowledge: the preface and an empty SETTINGS frame.
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00";

fn addr(server: &TestServer) -> String {
    server.base_url().trim_start_matches("http://").to_owned()
}

/// Connects and sends `first_bytes` (maybe none), then nothing more.
async fn idle_connection(server: &TestServer, first_bytes: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(addr(server)).await.unwrap();
    stream.write_all(first_bytes).await.unwrap();
    stream
}

/// Reads until the server closes the connection; how long that took, or `None` if it
/// stayed open for `limit`.
async fn time_to_close(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut sink = Vec::new();
    match tokio::time::timeout(limit, stream.read_to_end(&mut sink)).await {
        Ok(_) => Some(started.elapsed()),
        Err(_) => None,
    }
}

async fn users_count(server: &TestServer) -> u16 {
    http_client()
        .get(format!("{}/v1/users/count", server.base_url()))
        .bearer_auth(server.secret_key())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn idle_connections_are_closed_whatever_they_speak() {
    let timeout = Duration::from_secs(1);
    let server = TestServer::start_with(Config::default().with_header_read_timeout(timeout)).await;
    // One that finished a request and then kept the connection open, idle.
    let mut keep_alive = idle_connection(
        &server,
        b"GET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n\r\n",
    )
    .await;
    let mut head = [0u8; 12];
    keep_alive.read_exact(&mut head).await.unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    let cases: [(&str, &[u8]); 4] = [
        ("nothing", b""),
        ("one byte", b"G"),
        ("a partial request line", b"GET /v1/us"),
        ("an HTTP/2 preface", H2_PREFACE),
    ];
    let mut streams = Vec::new();
    for (name, bytes) in cases {
        streams.push((name, idle_connection(&server, bytes).await));
    }
    streams.push(("an idle keep-alive", keep_alive));
    for (name, stream) in &mut streams {
        let closed = time_to_close(stream, Duration::from_secs(10)).await;
        let closed = closed.unwrap_or_else(|| panic!("a connection sending {name} stays open"));
        assert!(
            closed <= Duration::from_secs(5),
            "{name}: closed after {closed:?}"
        );
    }
    assert_eq!(users_count(&server).await, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn connections_are_not_closed_before_the_timeout() {
    let timeout = Duration::from_secs(2);
    let server = TestServer::start_with(Config::default().with_header_read_timeout(timeout)).await;
    let mut stream = idle_connection(&server, b"").await;
    let closed = time_to_close(&mut stream, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(
        closed >= timeout - Duration::from_millis(200),
        "closed after {closed:?}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn more_idle_connections_than_the_bound_do_not_lock_clients_out() {
    let bound = 8;
    let server = TestServer::start_with(Config::default().with_max_open_connections(bound)).await;
    let mut idle = Vec::new();
    for i in 0..(3 * bound) {
        let bytes: &[u8] = match i % 3 {
            0 => b"",
            1 => b"G",
            _ => H2_PREFACE,
        };
        idle.push(idle_connection(&server, bytes).await);
    }
    // A normal client is still answered, again and again.
    for _ in 0..3 {
        assert_eq!(users_count(&server).await, 200);
    }
    // The oldest idle connections were closed to make room: at most `bound` stay open.
    let checks = idle
        .iter_mut()
        .map(|stream| time_to_close(stream, Duration::from_millis(500)));
    let still_open = futures_util::future::join_all(checks)
        .await
        .iter()
        .filter(|closed| closed.is_none())
        .count();
    assert!(
        still_open <= bound,
        "{still_open} idle connections still open"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn http2_with_prior_knowledge_is_served() {
    let server = TestServer::start().await;
    let client = reqwest::Client::builder()
        .no_proxy()
        .http2_prior_knowledge()
        .build()
        .unwrap();
    let resp = client
        .get(format!("{}/v1/users/count", server.base_url()))
        .bearer_auth(server.secret_key())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.version(), reqwest::Version::HTTP_2);
    assert_eq!(resp.status(), 200);
    server.shutdown().await;
}

/// Sends `body` on a new HTTP/2 stream, as curl does: the whole body first, then the
/// answer is read. Fails if the server resets the stream before taking the body.
async fn h2_post_whole_body(
    server: &TestServer,
    body: &[u8],
    content_length: bool,
) -> (u16, Value) {
    let tcp = TcpStream::connect(addr(server)).await.unwrap();
    let (mut client, connection) = h2::client::handshake(tcp).await.unwrap();
    tokio::spawn(connection);
    let mut request = http::Request::post(format!("{}/v1/users", server.base_url()))
        .header("authorization", format!("Bearer {}", server.secret_key()))
        .header("content-type", "application/json");
    if content_length {
        request = request.header("content-length", body.len());
    }
    let (answer, mut stream) = client
        .send_request(request.body(()).unwrap(), false)
        .unwrap();
    let mut rest = body;
    while !rest.is_empty() {
        stream.reserve_capacity(rest.len());
        let room = std::future::poll_fn(|cx| stream.poll_capacity(cx))
            .await
            .expect("the stream stays open")
            .expect("the server takes the whole body, without resetting the stream");
        let (now, later) = rest.split_at(room.min(rest.len()));
        stream
            .send_data(bytes::Bytes::copy_from_slice(now), later.is_empty())
            .expect("the server takes the whole body");
        rest = later;
    }
    let answer = answer.await.expect("an answer");
    let status = answer.status().as_u16();
    let mut received = answer.into_body();
    let mut text = Vec::new();
    while let Some(chunk) = received.data().await {
        let chunk = chunk.unwrap();
        let _ = received.flow_control().release_capacity(chunk.len());
        text.extend_from_slice(&chunk);
    }
    (status, serde_json::from_slice(&text).unwrap_or(Value::Null))
}

/// Over HTTP/2, a body over the limit is answered 413 as over HTTP/1, not with a stream
/// reset that loses the answer; with and without a `Content-Length`.
#[tokio::test]
async fn http2_bodies_over_the_limit_are_413() {
    let server = TestServer::start().await;
    let big = serde_json::json!({"first_name": "x".repeat(2 * 1024 * 1024)}).to_string();
    for content_length in [true, false] {
        let (status, json) = h2_post_whole_body(&server, big.as_bytes(), content_length).await;
        assert_eq!(status, 413, "{json}");
        assert_eq!(json["errors"][0]["code"], "request_body_too_large");
    }
    // A body within the limit goes through the same way.
    let small = serde_json::json!({"email_address": ["h2@example.com"]}).to_string();
    let (status, json) = h2_post_whole_body(&server, small.as_bytes(), true).await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(users_count(&server).await, 200);
    server.shutdown().await;
}
