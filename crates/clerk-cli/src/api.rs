//! The connection to a Backend API: the SDK client built from the global options, and calls
//! that keep the answer exactly as the API sent it (for `--json`) while tables read it
//! through the SDK's typed models.

use clap::Args;
use clerk_sdk::{Clerk, ClerkBuilder, Method, SecretKey};
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::{CliError, CliResult};

/// The options every command that talks to an API takes.
#[derive(Debug, Clone, Args)]
pub struct ApiArgs {
    /// The Backend API to talk to, with or without `/v1` (default: `https://api.clerk.com`;
    /// a local clerk-server is `http://127.0.0.1:8080`).
    #[arg(long, global = true, value_name = "URL", env = "CLERK_API_URL")]
    pub api_url: Option<String>,

    /// The secret key (sk_…). Prefer the CLERK_SECRET_KEY environment variable: command-line
    /// arguments are visible to other users of this machine (in `ps`).
    #[arg(
        long,
        global = true,
        value_name = "KEY",
        env = "CLERK_SECRET_KEY",
        hide_env_values = true
    )]
    pub secret_key: Option<SecretKey>,

    /// The Clerk-API-Version header to send (default: the newest version the SDK knows).
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub api_version: Option<String>,
}

impl ApiArgs {
    /// An SDK client from these options, then the environment (`CLERK_API_URL` or
    /// `CLERK_API_BASE`, `CLERK_SECRET_KEY` or `CLERK_API_KEY`, `CLERK_JWT_KEY`).
    pub fn builder(&self) -> ClerkBuilder {
        let mut builder = ClerkBuilder::from_env().user_agent(concat!(
            "clerk-cli/",
            env!("CARGO_PKG_VERSION"),
            " clerk-sdk-rust"
        ));
        if let Some(url) = self.api_url.as_deref().filter(|u| !u.trim().is_empty()) {
            builder = builder.base_url(url.trim());
        }
        // An empty key (`CLERK_SECRET_KEY=`) leaves the environment's fallbacks in charge.
        if let Some(key) = self.secret_key.clone().filter(|k| !k.expose().is_empty()) {
            builder = builder.secret_key(key);
        }
        if let Some(version) = &self.api_version {
            builder = builder.api_version(version.trim());
        }
        builder
    }

    /// The API for commands; see [`ApiArgs::builder`].
    pub fn connect(&self) -> CliResult<Api> {
        Api::new(self.builder())
    }
}

/// A Backend API, reached through the SDK.
#[derive(Clone, Debug)]
pub struct Api {
    clerk: Clerk,
}

impl Api {
    /// Builds the client; a configuration error (bad URL, bad key) is reported here.
    pub fn new(builder: ClerkBuilder) -> CliResult<Self> {
        Ok(Self {
            clerk: builder.build()?,
        })
    }

    /// The SDK client, for typed calls.
    pub fn clerk(&self) -> &Clerk {
        &self.clerk
    }

    /// Sends a request and keeps the answer as sent. `path` is relative to the `/v1` base;
    /// build it with [`path`] so IDs given by the user are encoded. `query` pairs repeat
    /// their key for array parameters; the SDK's list builders make them
    /// (`to_query_pairs`).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<Value>,
    ) -> CliResult<Raw> {
        let pairs: Vec<(&str, &str)> = query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        // `Option` because a 204 has no body; the SDK reads an empty answer as `null`.
        let raw: Option<Box<RawValue>> = self.clerk.request(method, path, &pairs, body).await?;
        Ok(Raw(raw.unwrap_or_else(|| {
            RawValue::from_string("null".into()).expect("null is JSON")
        })))
    }

    /// `GET path?query`.
    pub async fn get(&self, path: &str, query: &[(String, String)]) -> CliResult<Raw> {
        self.send(Method::GET, path, query, None).await
    }

    /// `POST path` with an optional JSON body.
    pub async fn post(&self, path: &str, body: Option<Value>) -> CliResult<Raw> {
        self.send(Method::POST, path, &[], body).await
    }

    /// `PATCH path` with a JSON body.
    pub async fn patch(&self, path: &str, body: Value) -> CliResult<Raw> {
        self.send(Method::PATCH, path, &[], Some(body)).await
    }

    /// `PUT path` with a JSON body.
    pub async fn put(&self, path: &str, body: Value) -> CliResult<Raw> {
        self.send(Method::PUT, path, &[], Some(body)).await
    }

    /// `DELETE path`.
    pub async fn delete(&self, path: &str) -> CliResult<Raw> {
        self.send(Method::DELETE, path, &[], None).await
    }

    /// A call to one of clerk-server's local extension routes (`/_local/...`): a 404 or 405
    /// (an API without them, such as clerk.com) becomes [`CliError::NotLocalServer`].
    pub async fn send_local(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
    ) -> CliResult<Raw> {
        self.send_local_json(method, path, query, None).await
    }

    /// [`Api::send_local`] with a JSON body.
    pub async fn send_local_json(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<Value>,
    ) -> CliResult<Raw> {
        match self.send(method, path, query, body).await {
            Err(CliError::Sdk(error))
                if matches!(error.status().map(|s| s.as_u16()), Some(404 | 405))
                    && !names_a_missing_object(&error) =>
            {
                Err(CliError::NotLocalServer {
                    path: format!("/v1{path}"),
                })
            }
            other => other,
        }
    }
}

/// Whether a 404 is a route's answer about an object it does not have ("No message was
/// found with id …"), rather than the bare "Resource not found" of a path that is no route.
fn names_a_missing_object(error: &clerk_sdk::Error) -> bool {
    error.api_error().is_some_and(|api| {
        api.errors()
            .first()
            .and_then(|first| first.long_message.as_deref())
            .is_some_and(|long| long.contains(" was found with id "))
    })
}

/// An answer exactly as the API sent it.
#[derive(Debug)]
pub struct Raw(Box<RawValue>);

impl Raw {
    /// The JSON text as received.
    pub fn text(&self) -> &str {
        self.0.get()
    }

    /// The answer read as one of the SDK's models (or any `Deserialize` type). A mismatch is
    /// an [`CliError::Unexpected`] answer.
    pub fn parse<T: DeserializeOwned>(&self) -> CliResult<T> {
        serde_json::from_str(self.text()).map_err(|e| {
            CliError::Unexpected(format!(
                "the answer does not read as a {}: {e}",
                std::any::type_name::<T>()
                    .rsplit("::")
                    .next()
                    .unwrap_or("value")
            ))
        })
    }
}

/// A path under `/v1` from segments, each percent-encoded (IDs typed by a user may hold
/// anything). An empty segment, `.` or `..` is a usage error: `users get ""` must not become
/// `GET /users`.
pub fn path(segments: &[&str]) -> CliResult<String> {
    let mut path = String::new();
    for segment in segments {
        if segment.is_empty() || *segment == "." || *segment == ".." {
            return Err(CliError::usage(format!(
                "an ID must not be empty, `.` or `..` (got {segment:?})"
            )));
        }
        path.push('/');
        for byte in segment.bytes() {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
                path.push(byte as char);
            } else {
                path.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_encode_user_input() {
        assert_eq!(path(&["users", "user_2x"]).unwrap(), "/users/user_2x");
        assert_eq!(
            path(&["users", "a/../b?c#d e"]).unwrap(),
            "/users/a%2F..%2Fb%3Fc%23d%20e"
        );
        for bad in ["", ".", ".."] {
            assert!(matches!(path(&["users", bad]), Err(CliError::Usage(_))));
        }
    }

    #[test]
    fn raw_answers_parse_into_models() {
        let raw = Raw(
            RawValue::from_string(r#"{"object":"total_count","total_count":3}"#.into()).unwrap(),
        );
        let count: clerk_sdk::TotalCount = raw.parse().unwrap();
        assert_eq!(count.total_count, 3);
        let err = raw.parse::<clerk_sdk::User>().unwrap_err();
        assert!(err.to_string().contains("does not read"), "{err}");
    }
}
