//! The block-list (and what it refuses) and redirect URLs.

use clerk_sdk::{
    CreateEmailAddress, CreateUser, IdentifierType, ListRedirectUrls, UpdateInstanceRestrictions,
};
use e2e::each_backend;
use futures_util::TryStreamExt;

use crate::support::api_error;

#[tokio::test]
async fn blocklist_create_list_delete() {
    each_backend(async |env| {
        let blocklist = env.clerk.blocklist_identifiers();
        let empty = blocklist.list().await.unwrap();
        assert!(empty.is_empty());
        assert_eq!(empty.total_count, Some(0));

        let email = blocklist.create("Spammer@Example.com").await.unwrap();
        assert_eq!(email.object.as_deref(), Some("blocklist_identifier"));
        assert!(email.id.as_deref().unwrap().starts_with("blid_"));
        assert_eq!(email.identifier.as_deref(), Some("spammer@example.com"));
        assert_eq!(email.identifier_type, Some(IdentifierType::EmailAddress));
        let domain = blocklist.create("*@spam.example").await.unwrap();
        assert_eq!(domain.identifier.as_deref(), Some("spam.example"));
        let phone = blocklist.create("+15555550144").await.unwrap();
        assert_eq!(phone.identifier_type, Some(IdentifierType::PhoneNumber));

        let all = blocklist.list().await.unwrap();
        assert_eq!(all.total_count, Some(3));
        assert_eq!(all.data[0].id, phone.id, "newest first");

        api_error(
            blocklist.create("spammer@example.com").await,
            400,
            "duplicate_record",
        );
        api_error(
            blocklist.create("not an identifier").await,
            422,
            "form_param_format_invalid",
        );
        let id = email.id.clone().unwrap();
        let deleted = blocklist.delete(&id).await.unwrap();
        assert_eq!(deleted.object, "blocklist_identifier");
        assert!(deleted.deleted);
        api_error(blocklist.delete(&id).await, 404, "resource_not_found");
        assert_eq!(blocklist.list().await.unwrap().total_count, Some(2));
    })
    .await;
}

#[tokio::test]
async fn a_blocked_identifier_is_refused() {
    each_backend(async |env| {
        env.clerk
            .blocklist_identifiers()
            .create("spam.example")
            .await
            .unwrap();
        env.clerk
            .instance()
            .update_restrictions(UpdateInstanceRestrictions::new().blocklist(true))
            .await
            .unwrap();
        let users = env.clerk.users();
        let err = api_error(
            users
                .create(CreateUser::new().email_address(["bot@mail.spam.example"]))
                .await,
            403,
            "not_allowed_access",
        );
        assert_eq!(
            err.errors()[0].long_message.as_deref(),
            Some("bot@mail.spam.example is not allowed to access this application.")
        );
        let user = users
            .create(CreateUser::new().email_address(["ann@example.com"]))
            .await
            .unwrap();
        api_error(
            env.clerk
                .email_addresses()
                .create(CreateEmailAddress::new(&user.id, "ann@spam.example"))
                .await,
            403,
            "not_allowed_access",
        );
        // Turned off, the block-list refuses nothing.
        env.clerk
            .instance()
            .update_restrictions(UpdateInstanceRestrictions::new().blocklist(false))
            .await
            .unwrap();
        env.clerk
            .email_addresses()
            .create(CreateEmailAddress::new(&user.id, "ann@spam.example"))
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn redirect_urls_create_list_get_delete() {
    each_backend(async |env| {
        let urls = env.clerk.redirect_urls();
        assert_eq!(
            urls.list(ListRedirectUrls::new())
                .await
                .unwrap()
                .total_count,
            Some(0)
        );
        let web = urls
            .create("https://my-app.com/oauth-callback")
            .await
            .unwrap();
        assert_eq!(web.object, "redirect_url");
        assert!(web.id.starts_with("ru_"));
        assert_eq!(web.url, "https://my-app.com/oauth-callback");
        let native = urls.create("my-app://oauth-callback").await.unwrap();
        let third = urls.create("http://localhost:3000/cb").await.unwrap();

        let page = urls.list(ListRedirectUrls::new().limit(2)).await.unwrap();
        assert_eq!(page.len(), 2);
        assert_eq!(page.total_count, Some(3));
        let all: Vec<_> = urls
            .stream(ListRedirectUrls::new().limit(2))
            .try_collect()
            .await
            .unwrap();
        let ids: Vec<_> = all.iter().map(|u| u.id.clone()).collect();
        assert_eq!(ids, [third.id.clone(), native.id.clone(), web.id.clone()]);

        assert_eq!(urls.get(&native.id).await.unwrap(), native);
        api_error(
            urls.create("my-app://oauth-callback").await,
            400,
            "duplicate_record",
        );
        api_error(
            urls.create("javascript://alert(1)").await,
            422,
            "form_param_format_invalid",
        );
        let deleted = urls.delete(&native.id).await.unwrap();
        assert_eq!(deleted.object, "redirect_url");
        assert!(deleted.deleted);
        api_error(urls.get(&native.id).await, 404, "resource_not_found");
        api_error(urls.delete(&native.id).await, 404, "resource_not_found");
    })
    .await;
}
