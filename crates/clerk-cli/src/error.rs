//! What can go wrong in a command, how it is told on stderr, and which exit code it gives.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | the API answered with an error, a token was rejected, an import left failed rows, or a local file could not be read or written |
//! | 2 | usage: invalid arguments or input (clap's own errors use 2 as well) |
//! | 3 | configuration: no secret key, an invalid API URL or JWT key |
//! | 4 | the API could not be reached, timed out, or answered something that is not the Clerk API |
//! | 130 | interrupted (Ctrl-C); an import can be resumed by running it again |

use std::fmt;
use std::io::{self, Write};
use std::process::ExitCode;

use clerk_sdk::verify::{Reason, VerifyError};

/// Exit code: the API refused, a token was rejected, or some work failed.
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: invalid arguments or input.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: missing or invalid configuration.
pub const EXIT_CONFIG: u8 = 3;
/// Exit code: the API could not be reached or did not answer like the Clerk API.
pub const EXIT_UNAVAILABLE: u8 = 4;
/// Exit code: interrupted by Ctrl-C (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Everything a command can fail with.
#[derive(Debug)]
pub enum CliError {
    /// An error from the SDK: the API's answer, the network, the configuration.
    Sdk(clerk_sdk::Error),
    /// A rejected session token.
    Verify(VerifyError),
    /// Bad arguments or input.
    Usage(String),
    /// Bad or missing configuration.
    Config(String),
    /// A local file could not be read or written.
    Io {
        /// What was being done, naming the file.
        context: String,
        /// Why it failed.
        source: io::Error,
    },
    /// The API answered something this command cannot read.
    Unexpected(String),
    /// A command of our server's local extensions sent to an API without them.
    NotLocalServer {
        /// The route, `/v1/_local/...`.
        path: String,
    },
    /// An import finished with rows that failed (already reported on stderr).
    RowsFailed {
        /// How many rows failed.
        failed: u64,
        /// The file that lists them.
        report: String,
    },
    /// Any other failure, already explained.
    Failed(String),
    /// Interrupted by Ctrl-C.
    Interrupted(String),
    /// stdout was closed (`clerk users list | head`): stop quietly.
    BrokenPipe,
}

/// The result of a command.
pub type CliResult<T = ()> = Result<T, CliError>;

impl CliError {
    /// A usage error.
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::Usage(message.into())
    }

    /// A file error, saying which file and what was being done.
    pub fn io(context: impl Into<String>, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::BrokenPipe {
            return CliError::BrokenPipe;
        }
        CliError::Io {
            context: context.into(),
            source,
        }
    }

    /// The process exit code for this error (see the module docs).
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Sdk(error) => match error {
                clerk_sdk::Error::MissingSecretKey | clerk_sdk::Error::Config(_) => EXIT_CONFIG,
                clerk_sdk::Error::InvalidInput(_) => EXIT_USAGE,
                clerk_sdk::Error::Network(_) | clerk_sdk::Error::Decode(_) => EXIT_UNAVAILABLE,
                _ => EXIT_FAILURE,
            },
            CliError::Verify(error) if error.reason() == Reason::KeysUnavailable => {
                EXIT_UNAVAILABLE
            }
            CliError::Usage(_) => EXIT_USAGE,
            CliError::Config(_) => EXIT_CONFIG,
            CliError::Unexpected(_) => EXIT_UNAVAILABLE,
            CliError::Interrupted(_) => EXIT_INTERRUPTED,
            CliError::BrokenPipe => 0,
            CliError::Verify(_)
            | CliError::Io { .. }
            | CliError::NotLocalServer { .. }
            | CliError::Failed(_)
            | CliError::RowsFailed { .. } => EXIT_FAILURE,
        }
    }

    /// Writes the error to stderr and returns the exit code.
    pub fn report(&self) -> ExitCode {
        if !matches!(self, CliError::BrokenPipe) {
            let mut stderr = io::stderr().lock();
            let _ = write!(stderr, "{self}");
            let _ = stderr.flush();
        }
        ExitCode::from(self.exit_code())
    }
}

impl fmt::Display for CliError {
    /// The text printed on stderr: `error: ...` and indented details, each line ending in a
    /// newline. API errors show every Clerk error code and message, the HTTP status and the
    /// trace id to quote to Clerk support.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Sdk(clerk_sdk::Error::Api(api)) => write_api_error(f, api),
            CliError::Sdk(clerk_sdk::Error::MissingSecretKey) => writeln!(
                f,
                "error: no secret key: set CLERK_SECRET_KEY (or pass --secret-key)"
            ),
            CliError::Sdk(clerk_sdk::Error::Verify(error)) | CliError::Verify(error) => {
                write_verify_error(f, error)
            }
            CliError::Sdk(clerk_sdk::Error::Decode(error)) => writeln!(
                f,
                "error: {error}\n  the answer is not what the Clerk API sends; check --api-url / CLERK_API_URL"
            ),
            CliError::Sdk(clerk_sdk::Error::Network(error)) => {
                writeln!(f, "error: cannot reach the API: {error}")?;
                let mut source = std::error::Error::source(error);
                while let Some(cause) = source {
                    writeln!(f, "  caused by: {cause}")?;
                    source = cause.source();
                }
                Ok(())
            }
            CliError::Sdk(other) => writeln!(f, "error: {other}"),
            CliError::Usage(message) | CliError::Config(message) | CliError::Failed(message) => {
                writeln!(f, "error: {message}")
            }
            CliError::Unexpected(message) => writeln!(
                f,
                "error: {message}\n  check --api-url / CLERK_API_URL and --api-version"
            ),
            CliError::Io { context, source } => writeln!(f, "error: {context}: {source}"),
            CliError::NotLocalServer { path } => writeln!(
                f,
                "error: {path} is a local extension of clerk-server (`clerk serve`), and this API does not have it\n  \
                 point --api-url / CLERK_API_URL at a clerk-server; clerk.com has no such route"
            ),
            CliError::RowsFailed { failed, report } => writeln!(
                f,
                "error: {failed} row(s) failed; they are listed with their errors in {report}"
            ),
            CliError::Interrupted(message) => writeln!(f, "interrupted: {message}"),
            CliError::BrokenPipe => Ok(()),
        }
    }
}

/// An SDK error on one line, for per-row reports: `422 form_identifier_exists: That email
/// address is taken. (email_address) [trace id …]`.
pub fn one_line(error: &clerk_sdk::Error) -> String {
    let Some(api) = error.api_error() else {
        return error.to_string();
    };
    let mut text = api.status().as_u16().to_string();
    for error in api.errors() {
        text.push_str(&format!(
            " {}: {}",
            error.code,
            error.long_message.as_deref().unwrap_or(&error.message)
        ));
        let param = error
            .meta
            .as_ref()
            .and_then(|m| m.get("param_name"))
            .and_then(|p| p.as_str());
        if let Some(param) = param {
            text.push_str(&format!(" ({param})"));
        }
    }
    if let Some(raw) = api.raw_body() {
        text.push_str(&format!(" {raw}"));
    }
    if let Some(trace) = api.trace_id() {
        text.push_str(&format!(" [trace id {trace}]"));
    }
    text
}

fn write_api_error(f: &mut fmt::Formatter<'_>, api: &clerk_sdk::ApiError) -> fmt::Result {
    let status = api.status();
    match api.errors().first() {
        Some(first) => writeln!(f, "error: {}: {}", first.code, first.message)?,
        None => writeln!(f, "error: the API answered {status}")?,
    }
    for (index, error) in api.errors().iter().enumerate() {
        if index > 0 {
            writeln!(f, "  {}: {}", error.code, error.message)?;
        }
        if let Some(long) = error
            .long_message
            .as_deref()
            .filter(|l| *l != error.message)
        {
            writeln!(f, "  {long}")?;
        }
        let param = error
            .meta
            .as_ref()
            .and_then(|meta| meta.get("param_name"))
            .and_then(|name| name.as_str());
        if let Some(param) = param {
            writeln!(f, "  parameter: {param}")?;
        }
    }
    if let Some(raw) = api.raw_body() {
        writeln!(f, "  body: {raw}")?;
    }
    writeln!(f, "  status: {status}")?;
    if let Some(retry_after) = api.retry_after() {
        writeln!(f, "  retry after: {} s", retry_after.as_secs())?;
    }
    writeln!(f, "  trace id: {}", api.trace_id().unwrap_or("(none)"))
}

fn write_verify_error(f: &mut fmt::Formatter<'_>, error: &VerifyError) -> fmt::Result {
    let reason = error.reason();
    writeln!(f, "error: token rejected: {}", reason.code())?;
    if let Some(detail) = error.detail() {
        writeln!(f, "  {detail}")?;
    }
    writeln!(f, "  {}", reason.message())
}

impl From<clerk_sdk::Error> for CliError {
    fn from(error: clerk_sdk::Error) -> Self {
        match error {
            clerk_sdk::Error::Verify(verify) => CliError::Verify(verify),
            other => CliError::Sdk(other),
        }
    }
}

impl From<VerifyError> for CliError {
    fn from(error: VerifyError) -> Self {
        CliError::Verify(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes() {
        assert_eq!(CliError::usage("x").exit_code(), EXIT_USAGE);
        assert_eq!(CliError::Config("x".into()).exit_code(), EXIT_CONFIG);
        assert_eq!(
            CliError::from(clerk_sdk::Error::MissingSecretKey).exit_code(),
            EXIT_CONFIG
        );
        assert_eq!(
            CliError::from(VerifyError::new(Reason::Expired)).exit_code(),
            EXIT_FAILURE
        );
        assert_eq!(CliError::Interrupted("x".into()).exit_code(), 130);
        let pipe = io::Error::from(io::ErrorKind::BrokenPipe);
        assert!(matches!(CliError::io("stdout", pipe), CliError::BrokenPipe));
    }

    #[test]
    fn verify_errors_name_the_reason() {
        let text = CliError::from(VerifyError::new(Reason::SignatureInvalid)).to_string();
        assert!(
            text.starts_with("error: token rejected: signature_invalid\n"),
            "{text}"
        );
    }
}
