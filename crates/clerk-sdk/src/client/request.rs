//! What to send to the Backend API ([`ApiRequest`]: method, path, query, JSON body)
//! and the URL it goes to.

use bytes::Bytes;
use http::{HeaderValue, Method};
use serde::Serialize;
use url::Url;

use crate::error::{Error, Result};
use crate::multipart::Multipart;
use crate::query::Query;

/// What to send: method, path, query, body.
#[derive(Clone, Debug)]
pub(crate) struct ApiRequest {
    pub(super) method: Method,
    path: RequestPath,
    query: Query,
    pub(super) body: Option<RequestBody>,
    /// `Authorization` for this request instead of the client's (a machine secret key).
    pub(super) authorization: Option<HeaderValue>,
}

/// A body, whole (so that a retry sends the same bytes again), with its `Content-Type`.
#[derive(Clone, Debug)]
pub(super) struct RequestBody {
    pub(super) content_type: HeaderValue,
    pub(super) bytes: Bytes,
}

#[derive(Clone, Debug)]
enum RequestPath {
    /// Segments under the base URL, each percent-encoded (IDs go here).
    Segments(Vec<String>),
    /// A caller-written path (the escape hatch).
    Raw(String),
}

impl ApiRequest {
    /// A request to `base_url/segment/segment/...`. Every segment must be
    /// non-empty and not `.` or `..` (an empty ID would otherwise turn
    /// `GET /users/{id}` into `GET /users`).
    pub(crate) fn new(method: Method, segments: &[&str]) -> Result<Self> {
        if let Some(bad) = segments
            .iter()
            .find(|s| s.is_empty() || **s == "." || **s == "..")
        {
            return Err(Error::InvalidInput(format!(
                "an ID must not be empty, `.` or `..` (got {bad:?})"
            )));
        }
        Ok(Self {
            method,
            path: RequestPath::Segments(segments.iter().map(|s| (*s).to_owned()).collect()),
            query: Query::new(),
            body: None,
            authorization: None,
        })
    }

    pub(crate) fn get(segments: &[&str]) -> Result<Self> {
        Self::new(Method::GET, segments)
    }

    pub(crate) fn post(segments: &[&str]) -> Result<Self> {
        Self::new(Method::POST, segments)
    }

    pub(crate) fn patch(segments: &[&str]) -> Result<Self> {
        Self::new(Method::PATCH, segments)
    }

    pub(crate) fn put(segments: &[&str]) -> Result<Self> {
        Self::new(Method::PUT, segments)
    }

    pub(crate) fn delete(segments: &[&str]) -> Result<Self> {
        Self::new(Method::DELETE, segments)
    }

    /// A request to a caller-written path (see [`Clerk::request`](crate::Clerk::request)),
    /// checked when its URL is built.
    pub(super) fn raw(method: Method, path: &str) -> Self {
        Self {
            method,
            path: RequestPath::Raw(path.to_owned()),
            query: Query::new(),
            body: None,
            authorization: None,
        }
    }

    /// Sends `authorization` (`Bearer <key>`) instead of the client's secret key.
    pub(crate) fn authorization(mut self, authorization: Option<HeaderValue>) -> Self {
        if authorization.is_some() {
            self.authorization = authorization;
        }
        self
    }

    pub(crate) fn query(mut self, query: Query) -> Self {
        self.query = query;
        self
    }

    /// Sets a JSON body.
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::InvalidInput(format!("cannot encode the request body: {e}")))?;
        self.body = Some(RequestBody {
            content_type: HeaderValue::from_static("application/json"),
            bytes: Bytes::from(bytes),
        });
        Ok(self)
    }

    /// Sets a `multipart/form-data` body.
    pub(crate) fn multipart(mut self, form: &Multipart) -> Result<Self> {
        let (content_type, bytes) = form.encode()?;
        let content_type = HeaderValue::from_str(&content_type)
            .map_err(|e| Error::InvalidInput(format!("bad multipart content type: {e}")))?;
        self.body = Some(RequestBody {
            content_type,
            bytes,
        });
        Ok(self)
    }

    /// The absolute URL of this request under `base_url`, with its query.
    pub(super) fn url(&self, base_url: &Url) -> Result<Url> {
        let mut url = match &self.path {
            RequestPath::Segments(segments) => {
                let mut url = base_url.clone();
                url.path_segments_mut()
                    .map_err(|()| Error::Config("the base URL cannot have a path".into()))?
                    .pop_if_empty()
                    .extend(segments);
                url
            }
            RequestPath::Raw(path) => raw_url(base_url, path)?,
        };
        url.set_query(self.query.encode().as_deref());
        Ok(url)
    }
}

/// Joins a caller-written path to the base URL, refusing anything that
/// would send the secret key to another host.
fn raw_url(base: &Url, path: &str) -> Result<Url> {
    if path.contains("://") || path.starts_with("//") || path.contains(['?', '#']) {
        return Err(Error::InvalidInput(format!(
            "request path {path:?} must be a path relative to the API base URL, without query or fragment \
             (pass query parameters separately)"
        )));
    }
    let joined = format!(
        "{}/{}",
        base.as_str().trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    let url = Url::parse(&joined)
        .map_err(|e| Error::InvalidInput(format!("request path {path:?}: {e}")))?;
    if url.origin() != base.origin() {
        return Err(Error::InvalidInput(format!(
            "request path {path:?} leaves the API host"
        )));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_urls() {
        let base = Url::parse("http://127.0.0.1:1/prefix/v1").unwrap();
        let mut query = Query::new();
        query.push_all("email_address", ["a@x.com", "b@x.com"]);
        let request = ApiRequest::get(&["users", "user_1/../x?y"])
            .unwrap()
            .query(query);
        assert_eq!(
            request.url(&base).unwrap().as_str(),
            "http://127.0.0.1:1/prefix/v1/users/user_1%2F..%2Fx%3Fy?email_address=a%40x.com&email_address=b%40x.com"
        );
        for bad in ["", ".", ".."] {
            assert!(matches!(
                ApiRequest::get(&["users", bad]),
                Err(Error::InvalidInput(_))
            ));
        }
        let raw = ApiRequest::raw(Method::GET, "/organizations/org_1/memberships");
        assert_eq!(
            raw.url(&base).unwrap().as_str(),
            "http://127.0.0.1:1/prefix/v1/organizations/org_1/memberships"
        );
        for escape in [
            "http://evil.example/x",
            "//evil.example/x",
            "/users?x=1",
            "/users#x",
        ] {
            let raw = ApiRequest::raw(Method::GET, escape);
            assert!(
                matches!(raw.url(&base), Err(Error::InvalidInput(_))),
                "{escape}"
            );
        }
    }
}
