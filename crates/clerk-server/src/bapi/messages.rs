//! Emails and SMS messages: `POST /v1/emails` and `POST /v1/sms_messages` (legacy Clerk
//! endpoints, in no published spec). What they send lands in the outbox
//! (`GET /v1/_local/outbox`); emails are also relayed over SMTP when configured (`notify`).

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::Value;

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::domain::identifiers::is_valid_local_part;
use crate::domain::messages::{self, EmailRequest};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/emails", post(create_email))
        .route("/sms_messages", post(create_sms))
}

/// `POST /v1/emails {email_address_id, from_email_name, subject, body, template_slug}`.
async fn create_email(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(&[
        "email_address_id",
        "from_email_name",
        "subject",
        "body",
        "template_slug",
    ])?;
    let email_address_id = body.required_string("email_address_id")?;
    let from_email_name = body.required_string("from_email_name")?;
    if !is_valid_local_part(&from_email_name) {
        return Err(ApiError::param_format_invalid(
            "from_email_name",
            "from_email_name must be a valid email address local part.",
        ));
    }
    let request = EmailRequest {
        email_address_id,
        from_email_name,
        subject: body.string("subject")?.unwrap_or_default(),
        body: body.string("body")?.unwrap_or_default(),
        slug: body.string("template_slug")?,
    };
    let message = messages::send_email(state.services(), &request).await?;
    Ok(Json(Value::Object(message.object())))
}

/// `POST /v1/sms_messages {phone_number_id, message}`; the phone number must be verified.
async fn create_sms(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(&["phone_number_id", "message"])?;
    let phone_number_id = body.required_string("phone_number_id")?;
    let text = body.required_string("message")?;
    let message = messages::send_sms(state.services(), &phone_number_id, &text).await?;
    Ok(Json(Value::Object(message.object())))
}
