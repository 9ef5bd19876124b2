//! `prepare_verification` / `attempt_verification` of email addresses and phone numbers
//! through the SDK: a real code from the outbox, a wrong one counted, test identifiers.

use clerk_sdk::{
    CreateEmailAddress, CreatePhoneNumber, CreateUser, VerificationStatus, VerificationStrategy,
};
use e2e::each_backend;

use crate::support::{api_error, outbox};

#[tokio::test]
async fn codes_verify_email_addresses_and_phone_numbers() {
    each_backend(async |env| {
        let user = env
            .clerk
            .users()
            .create(CreateUser::new().external_id("verify"))
            .await
            .unwrap();
        let emails = env.clerk.email_addresses();
        let email = emails
            .create(CreateEmailAddress::new(&user.id, "ada@example.com").verified(false))
            .await
            .unwrap();
        let email_id = email.id.clone().unwrap();
        let sent = emails.prepare_verification(&email_id).await.unwrap();
        assert_eq!(sent.status, Some(VerificationStatus::Unverified));
        assert_eq!(sent.strategy, Some(VerificationStrategy::EmailCode));
        let ver_id = sent.id.clone().unwrap();
        let messages = outbox(env, "email").await;
        assert_eq!(messages[0]["slug"], "verification_code");
        let code = messages[0]["subject"].as_str().unwrap()[..6].to_owned();
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let checked = emails
            .attempt_verification(&email_id, &ver_id, wrong)
            .await
            .unwrap();
        assert_eq!(checked.status, Some(VerificationStatus::Unverified));
        assert_eq!(checked.attempts, Some(1));
        let checked = emails
            .attempt_verification(&email_id, &ver_id, &code)
            .await
            .unwrap();
        assert_eq!(checked.status, Some(VerificationStatus::Verified));
        let shown = emails.get(&email_id).await.unwrap();
        assert_eq!(
            shown.verification.map(|v| v.status),
            Some(VerificationStatus::Verified)
        );
        api_error(
            emails.attempt_verification(&email_id, &ver_id, &code).await,
            400,
            "verification_already_verified",
        );
        api_error(
            emails.prepare_verification("idn_missing").await,
            404,
            "resource_not_found",
        );

        // A test phone number: no SMS, 424242.
        let phones = env.clerk.phone_numbers();
        let phone = phones
            .create(CreatePhoneNumber::new(&user.id, "+12015550123").verified(false))
            .await
            .unwrap();
        let phone_id = phone.id.clone().unwrap();
        let sent = phones.prepare_verification(&phone_id).await.unwrap();
        assert_eq!(sent.channel.as_deref(), Some("sms"));
        let checked = phones
            .attempt_verification(&phone_id, sent.id.as_deref().unwrap(), "424242")
            .await
            .unwrap();
        assert_eq!(checked.status, Some(VerificationStatus::Verified));
        assert!(outbox(env, "sms_message").await.is_empty());
        api_error(
            phones
                .attempt_verification(&phone_id, "ver_missing", "424242")
                .await,
            404,
            "resource_not_found",
        );
    })
    .await;
}
