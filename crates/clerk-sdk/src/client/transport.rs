//! Sending requests: the headers every call carries, the per-attempt timeout, retries
//! as the [`RetryPolicy`](crate::RetryPolicy) allows, and decoding the answer.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use http::{HeaderMap, Method, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use super::Clerk;
use super::request::ApiRequest;
use crate::error::{ApiError, DecodeError, Error, Result};
use crate::retry::{Failure, parse_retry_after};

/// The header naming the API version a request is written for.
pub(super) const API_VERSION_HEADER: &str = "clerk-api-version";

impl Clerk {
    /// Calls any Backend API endpoint: the escape hatch for the many endpoints
    /// this SDK has no typed method for. `path` is relative to the base URL
    /// (`"/organizations"` means `https://api.clerk.com/v1/organizations`) and
    /// taken as written, so percent-encode IDs you did not produce yourself.
    /// `query` pairs may repeat a key (array parameters). The answer is decoded
    /// into `T`: [`serde_json::Value`] for the raw JSON, `()` for an empty
    /// answer, or any `Deserialize` type. Retries, timeouts, headers and
    /// errors work as for the typed methods.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::Method;
    /// use serde_json::{Value, json};
    ///
    /// let orgs: Value = clerk
    ///     .request(Method::GET, "/organizations", &[("limit", "5"), ("query", "acme")], None)
    ///     .await?;
    /// let org: Value = clerk
    ///     .request(Method::POST, "/organizations", &[], Some(json!({"name": "Acme"})))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn request<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<serde_json::Value>,
    ) -> Result<T> {
        let mut request = ApiRequest::raw(method, path).query(query.iter().copied().collect());
        if let Some(body) = body {
            request = request.json(&body)?;
        }
        self.send(request).await
    }

    /// Sends a request (with retries) and decodes a success answer into `T`;
    /// an error status becomes [`Error::Api`].
    pub(crate) async fn send<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T> {
        let (status, body) = self.execute(&request).await?;
        decode(status, &body)
    }

    /// Sends a request (with retries) and answers the body of a success as text (the one
    /// operation that answers HTML, the interstitial).
    pub(crate) async fn send_text(&self, request: ApiRequest) -> Result<String> {
        let (_, body) = self.execute(&request).await?;
        Ok(String::from_utf8_lossy(&body).into_owned())
    }

    /// Sends a request, retrying as the [`RetryPolicy`](crate::RetryPolicy) allows, and returns the
    /// status and body of the success answer.
    async fn execute(&self, request: &ApiRequest) -> Result<(StatusCode, Bytes)> {
        let authorization = request
            .authorization
            .as_ref()
            .or(self.inner.authorization.as_ref())
            .ok_or(Error::MissingSecretKey)?;
        let url = request.url(&self.inner.base_url)?;
        let mut attempt = 1;
        loop {
            let started = Instant::now();
            let outcome = self.attempt(request, &url, authorization).await;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            // Logged: method, path (IDs only), status, timing. Never headers,
            // query strings (they hold emails and phone numbers) or bodies.
            let outcome = match outcome {
                Ok(answer) if answer.status.is_success() => {
                    tracing::debug!(method = %request.method, path = url.path(), status = answer.status.as_u16(), attempt, elapsed_ms, "Clerk API answered");
                    return Ok((answer.status, answer.body));
                }
                other => other,
            };
            let failure = failure_of(&request.method, &outcome);
            tracing::debug!(
                method = %request.method,
                path = url.path(),
                status = outcome.as_ref().ok().map(|answer| answer.status.as_u16()),
                attempt,
                elapsed_ms,
                reason = failure.reason,
                "Clerk API request failed"
            );
            let Some(delay) = self.inner.retry.delay_after(attempt, &failure) else {
                return Err(error_of(outcome));
            };
            tracing::warn!(
                method = %request.method,
                path = url.path(),
                attempt,
                reason = failure.reason,
                delay_ms = delay.as_millis() as u64,
                "retrying Clerk API request"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One attempt: send the request and read the whole answer.
    async fn attempt(
        &self,
        request: &ApiRequest,
        url: &Url,
        authorization: &HeaderValue,
    ) -> Outcome {
        let inner = &self.inner;
        let mut builder = inner
            .http
            .request(request.method.clone(), url.clone())
            .header(AUTHORIZATION, authorization.clone())
            .header(API_VERSION_HEADER, inner.api_version.clone())
            .header(USER_AGENT, inner.user_agent.clone())
            .header(ACCEPT, "application/json")
            .timeout(inner.request_timeout);
        if let Some(body) = &request.body {
            builder = builder
                .header(CONTENT_TYPE, body.content_type.clone())
                .body(body.bytes.clone());
        }
        let mut response = builder.send().await?;
        let status = response.status();
        // Taken rather than copied: reading the body does not need them.
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        Ok(Answer {
            status,
            retry_after: parse_retry_after(&headers),
            headers,
            body,
        })
    }
}

/// One answer, read whole.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    retry_after: Option<Duration>,
    body: Bytes,
}

/// How one attempt ended: an answer (of any status), or no answer at all.
type Outcome = std::result::Result<Answer, reqwest::Error>;

/// What the retry policy is told about an attempt that did not succeed.
fn failure_of(method: &Method, outcome: &Outcome) -> Failure {
    match outcome {
        Ok(answer) => Failure::from_status(method, answer.status, answer.retry_after),
        Err(error) => Failure::from_transport(method, error),
    }
}

/// The error a request ends with when its last attempt did not succeed.
fn error_of(outcome: Outcome) -> Error {
    match outcome {
        Ok(answer) => Error::Api(Box::new(ApiError::from_response(
            answer.status,
            &answer.headers,
            &answer.body,
            answer.retry_after,
        ))),
        Err(error) => Error::Network(error),
    }
}

/// Decodes a success body, naming the JSON path of any mismatch. An empty
/// body (a 204) reads as `null`, so `()` and `Option<_>` accept it.
fn decode<T: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<T> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    };
    // Tracking the JSON path costs about as much as decoding (it copies every object
    // key), so it is done only for a body that failed, to name where.
    serde_json::from_slice(body).map_err(|error| {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let located = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(e) => DecodeError::from_path_error(status, e),
            // The value read but something follows it.
            Ok(_) => DecodeError::new(status, "$".into(), error),
        };
        Error::Decode(Box::new(located))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        let ok: serde_json::Value = decode(StatusCode::OK, br#"{"a":1}"#).unwrap();
        assert_eq!(ok["a"], 1);
        let () = decode(StatusCode::NO_CONTENT, b"").unwrap();
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Outer {
            items: Vec<Inner>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            created_at: i64,
        }
        let err = decode::<Outer>(
            StatusCode::OK,
            br#"{"items":[{"created_at":1},{"created_at":"x"}]}"#,
        )
        .unwrap_err();
        let Error::Decode(decode_error) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(decode_error.path(), "$.items[1].created_at");
        assert!(err.to_string().contains("$.items[1].created_at"), "{err}");
        let err = decode::<serde_json::Value>(StatusCode::OK, b"{} trailing").unwrap_err();
        assert!(matches!(err, Error::Decode(_)));
        let err = decode::<Outer>(StatusCode::OK, b"<html>").unwrap_err();
        assert!(
            matches!(&err, Error::Decode(e) if e.path() == "$"),
            "{err:?}"
        );
    }

    #[test]
    fn a_value_followed_by_more_fails_at_the_root() {
        let err = decode::<serde_json::Value>(StatusCode::OK, b"{} trailing").unwrap_err();
        let Error::Decode(decode_error) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(decode_error.path(), "$");
        assert!(err.to_string().contains("trailing characters"), "{err}");
    }
}
