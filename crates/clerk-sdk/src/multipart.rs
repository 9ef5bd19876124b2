//! `multipart/form-data` bodies (RFC 7578), built by hand for the uploads the Backend
//! API takes (organization logos).
//!
//! Why not reqwest's `multipart` feature: it would add `mime_guess` to the build for one
//! endpoint, and its form is a one-shot stream, while the transport retries a `PUT` by
//! sending the same bytes again. A form here is encoded once into `Bytes`.

use bytes::Bytes;

use crate::error::{Error, Result};

/// A form of text fields and files, in order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Multipart {
    parts: Vec<Part>,
}

#[derive(Clone, Debug)]
struct Part {
    name: &'static str,
    /// `Some` for a file part.
    file: Option<FileMeta>,
    data: Bytes,
}

#[derive(Clone, Debug)]
struct FileMeta {
    file_name: String,
    content_type: String,
}

impl Multipart {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub(crate) fn text(mut self, name: &'static str, value: &str) -> Self {
        self.parts.push(Part {
            name,
            file: None,
            data: Bytes::copy_from_slice(value.as_bytes()),
        });
        self
    }

    /// Adds a file.
    pub(crate) fn file(
        mut self,
        name: &'static str,
        file_name: &str,
        content_type: &str,
        data: Bytes,
    ) -> Self {
        self.parts.push(Part {
            name,
            file: Some(FileMeta {
                file_name: file_name.to_owned(),
                content_type: content_type.to_owned(),
            }),
            data,
        });
        self
    }

    /// The `Content-Type` header value and the body, with a boundary that occurs in
    /// none of the parts.
    pub(crate) fn encode(&self) -> Result<(String, Bytes)> {
        for part in &self.parts {
            if let Some(file) = &part.file
                && !is_header_safe(&file.content_type)
            {
                return Err(Error::InvalidInput(format!(
                    "content type {:?} is not a valid header value",
                    file.content_type
                )));
            }
        }
        let mut boundary = random_boundary();
        while self.parts.iter().any(|part| {
            contains(&part.data, boundary.as_bytes())
                || part.file.as_ref().is_some_and(|file| {
                    file.file_name.contains(&boundary) || file.content_type.contains(&boundary)
                })
        }) {
            boundary = random_boundary();
        }
        let body = self.encode_with(&boundary);
        Ok((format!("multipart/form-data; boundary={boundary}"), body))
    }

    fn encode_with(&self, boundary: &str) -> Bytes {
        let size: usize = self.parts.iter().map(|part| part.data.len() + 256).sum();
        let mut body = Vec::with_capacity(size + boundary.len() + 8);
        for part in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let disposition = match &part.file {
                Some(file) => format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n",
                    part.name,
                    escape_quoted(&file.file_name),
                    file.content_type
                ),
                None => format!("Content-Disposition: form-data; name=\"{}\"\r\n", part.name),
            };
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Bytes::from(body)
    }
}

/// A file name inside `filename="..."`: quotes and line breaks percent-encoded, as
/// browsers do (the HTML form-data encoding), so a name cannot end the header.
fn escape_quoted(value: &str) -> String {
    value
        .replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Printable ASCII only: no line break can smuggle a header in.
fn is_header_safe(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| (0x20..0x7f).contains(&b))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// 128 random bits in hex. Uniqueness does not rest on them (the parts are checked),
/// so a clock-based fallback is fine if the system has no randomness to give.
fn random_boundary() -> String {
    let mut bytes = [0u8; 16];
    if aws_lc_rs::rand::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos());
        bytes = nanos.to_le_bytes();
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("clerk-sdk-rust-{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logo_form() -> Multipart {
        Multipart::new()
            .file(
                "file",
                "my \"logo\"\r\n.png",
                "image/png",
                Bytes::from_static(b"\x89PNG\r\n\x1a\n-data-"),
            )
            .text("uploader_user_id", "user_1")
    }

    #[test]
    fn encodes_parts_in_order_with_a_closing_boundary() {
        let body = logo_form().encode_with("XyZ");
        let expected: &[u8] = b"--XyZ\r\n\
            Content-Disposition: form-data; name=\"file\"; filename=\"my %22logo%22%0D%0A.png\"\r\n\
            Content-Type: image/png\r\n\
            \r\n\
            \x89PNG\r\n\x1a\n-data-\r\n\
            --XyZ\r\n\
            Content-Disposition: form-data; name=\"uploader_user_id\"\r\n\
            \r\n\
            user_1\r\n\
            --XyZ--\r\n";
        assert_eq!(body.as_ref(), expected);
    }

    #[test]
    fn the_boundary_is_random_and_in_the_content_type() {
        let (content_type, body) = logo_form().encode().unwrap();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        assert!(boundary.starts_with("clerk-sdk-rust-") && boundary.len() == 47);
        assert!(body.starts_with(format!("--{boundary}\r\n").as_bytes()));
        assert!(body.ends_with(format!("--{boundary}--\r\n").as_bytes()));
        assert_ne!(random_boundary(), random_boundary());
    }

    #[test]
    fn a_content_type_with_a_line_break_is_refused() {
        let form = Multipart::new().file(
            "file",
            "a.png",
            "image/png\r\nX-Evil: 1",
            Bytes::from_static(b"x"),
        );
        assert!(matches!(form.encode(), Err(Error::InvalidInput(_))));
    }

    #[test]
    fn containment() {
        assert!(contains(b"abc--b1def", b"--b1"));
        assert!(!contains(b"ab", b"abc"));
    }
}
