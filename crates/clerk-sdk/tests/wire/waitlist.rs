use clerk_sdk::{CreateWaitlistEntry, ListWaitlistEntries, WaitlistEntryStatus};
use serde_json::json;

use crate::support::{MockServer, fixtures};

#[tokio::test]
async fn waitlist_entries_every_method() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    let waitlist = clerk.waitlist_entries();

    server.respond_json(
        200,
        json!({"data": [fixtures::waitlist_entry("wle_1", "ada@example.com", "invited")], "total_count": 7}),
    );
    let page = waitlist
        .list(
            ListWaitlistEntries::new()
                .query("ada")
                .status(WaitlistEntryStatus::Invited)
                .order_by("-invited_at")
                .limit(5)
                .offset(10),
        )
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(7));
    assert_eq!(page.data[0].status, WaitlistEntryStatus::Invited);
    server.requests()[0].assert_request(
        "GET",
        "/v1/waitlist_entries",
        Some("query=ada&status=invited&order_by=-invited_at&limit=5&offset=10"),
        None,
    );

    server.respond_json(
        200,
        fixtures::waitlist_entry("wle_2", "bob@example.com", "pending"),
    );
    let created = waitlist
        .create(CreateWaitlistEntry::new("bob@example.com").notify(false))
        .await
        .unwrap();
    assert_eq!(created.id, "wle_2");
    server.requests()[1].assert_request(
        "POST",
        "/v1/waitlist_entries",
        None,
        Some(json!({"email_address": "bob@example.com", "notify": false})),
    );

    server.respond_json(
        200,
        json!([
            fixtures::waitlist_entry("wle_3", "cy@example.com", "pending"),
            fixtures::waitlist_entry("wle_4", "di@example.com", "pending")
        ]),
    );
    let bulk = waitlist
        .create_bulk([
            CreateWaitlistEntry::new("cy@example.com"),
            CreateWaitlistEntry::new("di@example.com").notify(true),
        ])
        .await
        .unwrap();
    assert_eq!(bulk.len(), 2);
    server.requests()[2].assert_request(
        "POST",
        "/v1/waitlist_entries/bulk",
        None,
        Some(json!([
            {"email_address": "cy@example.com"},
            {"email_address": "di@example.com", "notify": true}
        ])),
    );

    server.respond_json(
        200,
        fixtures::waitlist_entry("wle_3", "cy@example.com", "invited"),
    );
    let invited = waitlist.invite("wle_3", true).await.unwrap();
    assert_eq!(invited.status, WaitlistEntryStatus::Invited);
    server.requests()[3].assert_request(
        "POST",
        "/v1/waitlist_entries/wle_3/invite",
        None,
        Some(json!({"ignore_existing": true})),
    );

    server.respond_json(
        200,
        fixtures::waitlist_entry("wle_4", "di@example.com", "rejected"),
    );
    let rejected = waitlist.reject("wle_4").await.unwrap();
    assert_eq!(rejected.status, WaitlistEntryStatus::Rejected);
    server.requests()[4].assert_request("POST", "/v1/waitlist_entries/wle_4/reject", None, None);

    server.respond_json(200, fixtures::deleted("waitlist_entry", "wle_2"));
    let deleted = waitlist.delete("wle_2").await.unwrap();
    assert_eq!(deleted.id.as_deref(), Some("wle_2"));
    server.requests()[5].assert_request("DELETE", "/v1/waitlist_entries/wle_2", None, None);
}
