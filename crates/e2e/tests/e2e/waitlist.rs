//! Waitlist entries through the SDK: every operation on real rows, and its documented
//! error.

use clerk_sdk::{CreateWaitlistEntry, ListWaitlistEntries, WaitlistEntry, WaitlistEntryStatus};
use e2e::each_backend;
use futures_util::TryStreamExt;

use crate::support::{api_error, outbox, user};

#[tokio::test]
async fn entries_add_list_invite_reject_delete() {
    each_backend(async |env| {
        let waitlist = env.clerk.waitlist_entries();
        let empty = waitlist.list(ListWaitlistEntries::new()).await.unwrap();
        assert_eq!(empty.total_count, Some(0));

        let ada = waitlist
            .create(CreateWaitlistEntry::new("Ada@Example.com"))
            .await
            .unwrap();
        assert_eq!(ada.object, "waitlist_entry");
        assert!(ada.id.starts_with("wle_"));
        assert_eq!(ada.email_address, "ada@example.com");
        assert_eq!(ada.status, WaitlistEntryStatus::Pending);
        assert_eq!(ada.is_locked, Some(false));
        let again = waitlist
            .create(CreateWaitlistEntry::new("ada@example.com").notify(false))
            .await
            .unwrap();
        assert_eq!(again, ada, "an address already waiting answers its entry");
        let bulk = waitlist
            .create_bulk([
                CreateWaitlistEntry::new("bob@example.com").notify(false),
                CreateWaitlistEntry::new("cy@example.org").notify(false),
                CreateWaitlistEntry::new("ada@example.com"),
            ])
            .await
            .unwrap();
        assert_eq!(bulk.len(), 3);
        assert_eq!(bulk[2], ada);
        let (bob, cy) = (&bulk[0], &bulk[1]);

        // Only Ada asked for the confirmation email.
        let emails = outbox(env, "email").await;
        assert_eq!(emails.len(), 1, "{emails:?}");
        assert_eq!(emails[0]["slug"], "waitlist_confirmation");

        let page = waitlist
            .list(
                ListWaitlistEntries::new()
                    .order_by("+email_address")
                    .limit(2),
            )
            .await
            .unwrap();
        assert_eq!(page.total_count, Some(3));
        let ids: Vec<_> = page.data.iter().map(|e| e.id.clone()).collect();
        assert_eq!(ids, [ada.id.clone(), bob.id.clone()]);
        let found = waitlist
            .list(ListWaitlistEntries::new().query("example.org"))
            .await
            .unwrap();
        assert_eq!(found.data, std::slice::from_ref(cy));
        let all: Vec<WaitlistEntry> = waitlist
            .stream(ListWaitlistEntries::new().limit(2))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all.len(), 3);

        let invited = waitlist.invite(&bob.id, false).await.unwrap();
        assert_eq!(invited.status, WaitlistEntryStatus::Invited);
        // The entry names the instance invitation made for it, listed with the others.
        let invitation = invited.invitation.clone().expect("an invitation");
        assert_eq!(invitation.email_address, "bob@example.com");
        assert_eq!(invitation.status, clerk_sdk::InvitationStatus::Pending);
        let pending = env
            .clerk
            .invitations()
            .list(clerk_sdk::ListInvitations::new())
            .await
            .unwrap();
        assert!(pending.data.iter().any(|i| i.id == invitation.id));
        let emails = outbox(env, "email").await;
        assert_eq!(emails.len(), 2, "{emails:?}");
        assert!(
            emails.iter().any(|e| e["slug"] == "waitlist_invitation"
                && e["to_email_address"] == "bob@example.com")
        );
        api_error(
            waitlist.invite(&bob.id, false).await,
            409,
            "duplicate_record",
        );
        let invited = waitlist
            .list(ListWaitlistEntries::new().status(WaitlistEntryStatus::Invited))
            .await
            .unwrap();
        assert_eq!(invited.total_count, Some(1));

        user(env, "cy@example.org").await;
        api_error(
            waitlist.invite(&cy.id, false).await,
            422,
            "form_identifier_exists",
        );
        let rejected = waitlist.reject(&cy.id).await.unwrap();
        assert_eq!(rejected.status, WaitlistEntryStatus::Rejected);

        api_error(
            waitlist.delete(&cy.id).await,
            409,
            "waitlist_entry_not_pending",
        );
        let deleted = waitlist.delete(&ada.id).await.unwrap();
        assert_eq!(deleted.object, "waitlist_entry");
        assert!(deleted.deleted);
        for result in [
            waitlist.invite(&ada.id, false).await,
            waitlist.reject(&ada.id).await,
        ] {
            let err = api_error(result, 404, "resource_not_found");
            let long = err.errors()[0].long_message.as_deref().unwrap_or_default();
            assert!(long.contains(&ada.id), "{err:?}");
        }
        api_error(waitlist.delete(&ada.id).await, 404, "resource_not_found");
        api_error(
            waitlist
                .create(CreateWaitlistEntry::new("not an address"))
                .await,
            422,
            "form_param_format_invalid",
        );
        api_error(
            waitlist
                .create_bulk([
                    CreateWaitlistEntry::new("dup@example.com"),
                    CreateWaitlistEntry::new("DUP@example.com"),
                ])
                .await,
            422,
            "duplicate_record",
        );
        let left = waitlist.list(ListWaitlistEntries::new()).await.unwrap();
        assert_eq!(left.total_count, Some(2));
    })
    .await;
}
