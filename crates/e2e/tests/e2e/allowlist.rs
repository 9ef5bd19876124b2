//! Allowlist identifiers, and the three endpoints that switch the allowlist.

use std::collections::BTreeSet;

use clerk_sdk::{
    AllowlistIdentifier, CreateAllowlistIdentifier, IdentifierType, InstanceRestrictions,
    InstanceSettings, ListAllowlistIdentifiers, Method, UpdateInstanceRestrictions,
    UpdateInstanceSettings,
};
use e2e::{Env, each_backend};
use futures_util::TryStreamExt;
use serde_json::json;

use crate::support::{api_error, local, outbox, param_name};

#[tokio::test]
async fn identifiers_create_list_stream_delete() {
    each_backend(async |env| {
        let allowlist = env.clerk.allowlist_identifiers();
        let empty = allowlist
            .list(ListAllowlistIdentifiers::new())
            .await
            .unwrap();
        assert!(empty.is_empty());
        assert_eq!(empty.total_count, Some(0));

        let email = allowlist
            .create(CreateAllowlistIdentifier::new("Vip@Example.com"))
            .await
            .unwrap();
        assert_eq!(email.object.as_deref(), Some("allowlist_identifier"));
        assert!(email.id.as_deref().unwrap().starts_with("alid_"));
        assert_eq!(email.identifier.as_deref(), Some("vip@example.com"));
        assert_eq!(email.identifier_type, Some(IdentifierType::EmailAddress));
        assert_eq!(email.invitation_id, None, "notify was false");
        let domain = allowlist
            .create(CreateAllowlistIdentifier::new("partner.example"))
            .await
            .unwrap();
        assert_eq!(domain.identifier_type, Some(IdentifierType::EmailAddress));
        let phone = allowlist
            .create(CreateAllowlistIdentifier::new("+15555550142"))
            .await
            .unwrap();
        assert_eq!(phone.identifier_type, Some(IdentifierType::PhoneNumber));
        let wallet = allowlist
            .create(CreateAllowlistIdentifier::new(
                "0x52908400098527886E0F7030069857D2E4169EE7",
            ))
            .await
            .unwrap();
        assert_eq!(wallet.identifier_type, Some(IdentifierType::Web3Wallet));

        let page = allowlist
            .list(ListAllowlistIdentifiers::new().limit(2))
            .await
            .unwrap();
        assert_eq!(page.len(), 2);
        assert_eq!(page.total_count, Some(4));
        let before = env.proxy.checked();
        let all: Vec<AllowlistIdentifier> = allowlist
            .stream(ListAllowlistIdentifiers::new().limit(3))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(env.proxy.checked() - before, 2, "3 + 1");
        let ids: BTreeSet<_> = all.iter().filter_map(|a| a.id.clone()).collect();
        let made: BTreeSet<_> = [&email, &domain, &phone, &wallet]
            .iter()
            .filter_map(|a| a.id.clone())
            .collect();
        assert_eq!(ids, made);

        let err = api_error(
            allowlist
                .create(CreateAllowlistIdentifier::new("vip@example.com"))
                .await,
            400,
            "duplicate_record",
        );
        let long_message = err.errors()[0].long_message.as_deref().unwrap_or_default();
        assert!(long_message.contains("vip@example.com"), "{err:?}");
        api_error(
            allowlist.create(CreateAllowlistIdentifier::new("")).await,
            422,
            "form_param_format_invalid",
        );

        let email_id = email.id.clone().unwrap();
        let deleted = allowlist.delete(&email_id).await.unwrap();
        assert_eq!(deleted.object, "allowlist_identifier");
        assert_eq!(deleted.id.as_deref(), Some(email_id.as_str()));
        assert!(deleted.deleted);
        api_error(allowlist.delete(&email_id).await, 404, "resource_not_found");
        let left = allowlist
            .list(ListAllowlistIdentifiers::new())
            .await
            .unwrap();
        assert_eq!(left.total_count, Some(3));
    })
    .await;
}

#[tokio::test]
async fn notify_sends_an_invitation() {
    each_backend(async |env| {
        let allowlist = env.clerk.allowlist_identifiers();
        let invited = allowlist
            .create(CreateAllowlistIdentifier::new("guest@example.com").notify(true))
            .await
            .unwrap();
        let invitation = invited.invitation_id.expect("an invitation");
        assert!(invitation.starts_with("inv_"), "{invitation}");
        let texted = allowlist
            .create(CreateAllowlistIdentifier::new("+15555550143").notify(true))
            .await
            .unwrap();
        assert!(texted.invitation_id.is_some());
        // A domain cannot be invited.
        let domain = allowlist
            .create(CreateAllowlistIdentifier::new("guests.example").notify(true))
            .await
            .unwrap();
        assert_eq!(domain.invitation_id, None);

        let emails = outbox(env, "email").await;
        assert_eq!(emails.len(), 1, "{emails:?}");
        assert_eq!(emails[0]["to_email_address"], "guest@example.com");
        let texts = outbox(env, "sms_message").await;
        assert_eq!(texts.len(), 1, "{texts:?}");
        assert_eq!(texts[0]["to_phone_number"], "+15555550143");
    })
    .await;
}

/// Reads the allowlist flag back through the three endpoints that can set it,
/// each of which answers the current state.
async fn flag(env: &Env) -> (bool, bool) {
    let settings = env
        .clerk
        .instance()
        .update_settings(UpdateInstanceSettings::new())
        .await
        .unwrap();
    let restrictions = env
        .clerk
        .instance()
        .update_restrictions(UpdateInstanceRestrictions::new())
        .await
        .unwrap();
    (
        settings.restricted_to_allowlist.unwrap(),
        restrictions.allowlist,
    )
}

#[tokio::test]
async fn the_three_toggles_are_one_flag() {
    each_backend(async |env| {
        assert_eq!(flag(env).await, (false, false));

        // 1. The seed's `allowlist.update` (PATCH /beta_features/instance_settings).
        let settings: InstanceSettings = env.clerk.allowlist().update(true).await.unwrap();
        assert_eq!(settings.object.as_deref(), Some("instance_settings"));
        assert_eq!(settings.restricted_to_allowlist, Some(true));
        assert_eq!(flag(env).await, (true, true));

        // 2. PATCH /instance/restrictions {allowlist}.
        let restrictions: InstanceRestrictions = env
            .clerk
            .instance()
            .update_restrictions(UpdateInstanceRestrictions::new().allowlist(false))
            .await
            .unwrap();
        assert_eq!(restrictions.object, "instance_restrictions");
        assert!(!restrictions.allowlist);
        assert_eq!(flag(env).await, (false, false));

        // 3. The Ruby SDK's old PATCH /beta_features/allowlist (absent from the specs;
        //    checked as the instance_settings object it answers).
        let legacy: InstanceSettings = env
            .clerk
            .request(
                Method::PATCH,
                "/beta_features/allowlist",
                &[],
                Some(json!({"restricted_to_allowlist": true})),
            )
            .await
            .unwrap();
        assert_eq!(legacy.restricted_to_allowlist, Some(true));
        assert_eq!(flag(env).await, (true, true));

        // The flag restricts sign-ups only: the Backend API still creates users.
        crate::support::user(env, "outsider@example.com").await;

        // The other fields of each endpoint.
        let settings = env
            .clerk
            .instance()
            .update_settings(
                UpdateInstanceSettings::new()
                    .from_email_address("hello")
                    .progressive_sign_up(true),
            )
            .await
            .unwrap();
        assert_eq!(settings.from_email_address.as_deref(), Some("hello"));
        assert_eq!(settings.progressive_sign_up, Some(true));
        let err = api_error(
            env.clerk
                .instance()
                .update_settings(UpdateInstanceSettings::new().from_email_address("not valid"))
                .await,
            422,
            "form_param_format_invalid",
        );
        assert_eq!(param_name(&err), Some("from_email_address"));
        let restrictions = env
            .clerk
            .instance()
            .update_restrictions(
                UpdateInstanceRestrictions::new()
                    .blocklist(true)
                    .block_email_subaddresses(true),
            )
            .await
            .unwrap();
        assert!(restrictions.blocklist && restrictions.block_email_subaddresses);
        assert!(restrictions.allowlist, "left unchanged");
    })
    .await;
}

#[tokio::test]
async fn instance_get_and_patch() {
    each_backend(async |env| {
        let instance = local(env, Method::GET, "/instance", None).await;
        assert_eq!(instance["object"], "instance");
        assert!(
            instance["id"].as_str().unwrap().starts_with("ins_"),
            "{instance}"
        );
        // PATCH /instance answers 204 with no body.
        let nothing: () = env
            .clerk
            .request(
                Method::PATCH,
                "/instance",
                &[],
                Some(json!({"test_mode": true, "allowed_origins": ["https://app.example"]})),
            )
            .await
            .unwrap();
        assert_eq!(nothing, ());
        let instance = local(env, Method::GET, "/instance", None).await;
        assert_eq!(instance["allowed_origins"], json!(["https://app.example"]));
        api_error(
            env.clerk
                .request::<()>(Method::PATCH, "/instance", &[], Some(json!({"bogus": 1})))
                .await,
            422,
            "form_param_unknown",
        );
    })
    .await;
}
