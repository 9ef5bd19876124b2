//! Email addresses and phone numbers: create, get, update, delete, and how they
//! change their user's primary identifiers.

use clerk_sdk::{
    CreateEmailAddress, CreatePhoneNumber, CreateUser, Method, UpdateEmailAddress,
    UpdatePhoneNumber, VerificationStatus,
};
use e2e::each_backend;
use serde_json::Value;

use crate::support::{api_error, local, param_name, user};

#[tokio::test]
async fn email_addresses_crud() {
    each_backend(async |env| {
        let emails = env.clerk.email_addresses();
        let owner = user(env, "first@example.com").await;
        let first_id = owner.primary_email_address_id.clone().unwrap();

        let second = emails
            .create(CreateEmailAddress::new(&owner.id, "Second@Example.com"))
            .await
            .unwrap();
        let second_id = second.id.clone().expect("an id");
        assert!(second_id.starts_with("idn_"));
        assert_eq!(second.object, "email_address");
        assert_eq!(second.email_address, "second@example.com");
        // Not verified, and no verification under way (as Clerk answers).
        assert_eq!(second.verification, None);
        assert_eq!(emails.get(&second_id).await.unwrap(), second);

        // An unverified address cannot become primary.
        api_error(
            emails
                .update(&second_id, UpdateEmailAddress::new().primary(true))
                .await,
            // Not 422: PATCH /v1/email_addresses/{id} declares 400 and not 422.
            400,
            "form_verification_needed",
        );
        let verified = emails
            .update(
                &second_id,
                UpdateEmailAddress::new().verified(true).primary(true),
            )
            .await
            .unwrap();
        assert_eq!(
            verified.verification.as_ref().map(|v| &v.status),
            Some(&VerificationStatus::Verified)
        );
        let owner_now = env.clerk.users().get(&owner.id).await.unwrap();
        assert_eq!(
            owner_now.primary_email_address_id.as_deref(),
            Some(second_id.as_str())
        );
        assert_eq!(owner_now.email_addresses.len(), 2);

        // Deleting the primary promotes the other verified address.
        let deleted = emails.delete(&second_id).await.unwrap();
        assert_eq!(deleted.object, "email_address");
        assert_eq!(deleted.id.as_deref(), Some(second_id.as_str()));
        assert!(deleted.deleted);
        let owner_now = env.clerk.users().get(&owner.id).await.unwrap();
        assert_eq!(
            owner_now.primary_email_address_id.as_deref(),
            Some(first_id.as_str())
        );
        api_error(emails.get(&second_id).await, 404, "resource_not_found");
        api_error(emails.delete(&second_id).await, 404, "resource_not_found");
        api_error(
            emails
                .update(&second_id, UpdateEmailAddress::new().verified(true))
                .await,
            404,
            "resource_not_found",
        );

        let err = api_error(
            emails
                .create(CreateEmailAddress::new(&owner.id, "FIRST@example.com"))
                .await,
            422,
            "form_identifier_exists",
        );
        assert_eq!(param_name(&err), Some("email_address"));
        let err = api_error(
            emails
                .create(CreateEmailAddress::new(&owner.id, "no-at-sign"))
                .await,
            422,
            "form_param_format_invalid",
        );
        assert_eq!(param_name(&err), Some("email_address"));
        api_error(
            emails
                .create(CreateEmailAddress::new("user_missing", "x@example.com"))
                .await,
            404,
            "resource_not_found",
        );
    })
    .await;
}

#[tokio::test]
async fn a_new_primary_email_notifies_the_old_one() {
    each_backend(async |env| {
        let owner = user(env, "old@example.com").await;
        env.clerk
            .email_addresses()
            .create(
                CreateEmailAddress::new(&owner.id, "new@example.com")
                    .verified(true)
                    .primary(true)
                    .notify_primary_email_address_changed(true),
            )
            .await
            .unwrap();
        let outbox = local(env, Method::GET, "/_local/outbox", None).await;
        let sent = &outbox["data"];
        assert_eq!(outbox["total_count"], 1, "{outbox}");
        assert_eq!(sent[0]["to_email_address"], "old@example.com", "{outbox}");
    })
    .await;
}

#[tokio::test]
async fn phone_numbers_crud() {
    each_backend(async |env| {
        let phones = env.clerk.phone_numbers();
        let owner = user(env, "phone.owner@example.com").await;
        assert_eq!(owner.primary_phone_number_id, None);

        let first = phones
            .create(CreatePhoneNumber::new(&owner.id, "+1 555-555-0199"))
            .await
            .unwrap();
        let first_id = first.id.clone().unwrap();
        assert!(first_id.starts_with("idn_"));
        assert_eq!(first.object, "phone_number");
        assert_eq!(first.phone_number, "+15555550199");
        let owner_now = env.clerk.users().get(&owner.id).await.unwrap();
        assert_eq!(
            owner_now.primary_phone_number_id.as_deref(),
            Some(first_id.as_str()),
            "the first phone number becomes primary"
        );

        let second = phones
            .create(
                CreatePhoneNumber::new(&owner.id, "+447700900456")
                    .verified(true)
                    .reserved_for_second_factor(true),
            )
            .await
            .unwrap();
        let second_id = second.id.clone().unwrap();
        assert_eq!(second.reserved_for_second_factor, Some(true));
        assert_eq!(phones.get(&second_id).await.unwrap(), second);

        let updated = phones
            .update(
                &second_id,
                UpdatePhoneNumber::new()
                    .primary(true)
                    .reserved_for_second_factor(false),
            )
            .await
            .unwrap();
        assert_eq!(updated.reserved_for_second_factor, Some(false));
        let owner_now = env.clerk.users().get(&owner.id).await.unwrap();
        assert_eq!(
            owner_now.primary_phone_number_id.as_deref(),
            Some(second_id.as_str())
        );

        let deleted = phones.delete(&first_id).await.unwrap();
        assert_eq!(deleted.object, "phone_number");
        assert!(deleted.deleted);
        api_error(phones.get(&first_id).await, 404, "resource_not_found");
        api_error(phones.delete(&first_id).await, 404, "resource_not_found");

        let err = api_error(
            phones
                .create(CreatePhoneNumber::new(&owner.id, "+44 7700 900456"))
                .await,
            422,
            "form_identifier_exists",
        );
        assert_eq!(param_name(&err), Some("phone_number"));
        let err = api_error(
            phones
                .create(CreatePhoneNumber::new(&owner.id, "call me maybe"))
                .await,
            422,
            "form_param_format_invalid",
        );
        assert_eq!(param_name(&err), Some("phone_number"));

        // Phone numbers of another user are taken too.
        let other = env
            .clerk
            .users()
            .create(CreateUser::new().phone_number(["+15555550177"]))
            .await
            .unwrap();
        assert_eq!(other.phone_numbers.len(), 1);
        api_error(
            phones
                .create(CreatePhoneNumber::new(&owner.id, "+15555550177"))
                .await,
            422,
            "form_identifier_exists",
        );
        let raw: Value = env
            .clerk
            .request(
                Method::GET,
                &format!("/phone_numbers/{second_id}"),
                &[],
                None,
            )
            .await
            .unwrap();
        assert_eq!(raw["id"], second_id.as_str());
    })
    .await;
}
