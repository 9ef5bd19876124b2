//! Reading what users type: JSON arguments, and secrets from stdin rather than the command
//! line (where `ps` would show them).

use std::io::{BufRead, Read};

use serde_json::Value;

use crate::error::{CliError, CliResult};

/// A JSON object given as an argument: inline (`'{"plan":"pro"}'`), from a file (`@meta.json`)
/// or from stdin (`-`).
pub fn json_object(option: &str, text: &str) -> CliResult<Value> {
    let text = self::text(option, text)?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| CliError::usage(format!("{option} is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(CliError::usage(format!(
            "{option} must be a JSON object like '{{\"plan\":\"pro\"}}'"
        )));
    }
    Ok(value)
}

/// A text argument: inline, from a file (`@body.html`) or from stdin (`-`).
pub fn text(option: &str, text: &str) -> CliResult<String> {
    match text {
        "-" => read_stdin(&format!("{option} from stdin")),
        _ => match text.strip_prefix('@') {
            Some(path) => std::fs::read_to_string(path)
                .map_err(|e| CliError::io(format!("cannot read {option} from {path}"), e)),
            None => Ok(text.to_owned()),
        },
    }
}

/// The first line of stdin, without its line ending: a password piped in
/// (`printf %s "$PW" | clerk users create … --password-stdin`).
pub fn secret_line(what: &str) -> CliResult<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::io(format!("cannot read the {what} from stdin"), e))?;
    let line = line.trim_end_matches(['\n', '\r']).to_owned();
    if line.is_empty() {
        return Err(CliError::usage(format!("no {what} on stdin")));
    }
    Ok(line)
}

/// A token argument; `-` reads it from stdin (tokens are secrets too).
pub fn token(text: &str) -> CliResult<String> {
    let token = match text {
        "-" => read_stdin("the token")?,
        _ => text.to_owned(),
    };
    let token = token.trim().to_owned();
    if token.is_empty() {
        return Err(CliError::usage("the token is empty"));
    }
    Ok(token)
}

fn read_stdin(what: &str) -> CliResult<String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| CliError::io(format!("cannot read {what}"), e))?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_objects_only() {
        assert_eq!(json_object("--public", r#"{"a":1}"#).unwrap()["a"], 1);
        for bad in ["[1]", "null", "{", "\"x\""] {
            assert!(
                matches!(json_object("--public", bad), Err(CliError::Usage(_))),
                "{bad}"
            );
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("meta.json");
        std::fs::write(&file, r#"{"plan":"pro"}"#).unwrap();
        let arg = format!("@{}", file.display());
        assert_eq!(json_object("--public", &arg).unwrap()["plan"], "pro");
        let missing = format!("@{}", dir.path().join("nope").display());
        assert!(matches!(
            json_object("--public", &missing),
            Err(CliError::Io { .. })
        ));
    }
}
