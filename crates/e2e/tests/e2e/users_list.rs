//! `GET /users` with every filter, `GET /users/count`, paging and streams.

use std::collections::BTreeSet;
use std::time::Duration;

use clerk_sdk::{CreateSession, CreateUser, ListUsers, User};
use e2e::{Env, each_backend};
use futures_util::TryStreamExt;

use crate::support::{api_error, param_name};

const HOUR: Duration = Duration::from_secs(3600);
const WALLET: &str = "0x52908400098527886e0f7030069857d2e4169ee7";

/// Four users created an hour apart, two of them signed in three days apart.
struct Cast {
    ada: User,
    bob: User,
    cy: User,
    dee: User,
}

impl Cast {
    async fn create(env: &Env) -> Self {
        let users = env.clerk.users();
        let mut made = Vec::new();
        for params in [
            CreateUser::new()
                .email_address(["ada@example.com"])
                .phone_number(["+15555550101"])
                .web3_wallet([WALLET])
                .username("ada_l")
                .first_name("Ada")
                .last_name("Lovelace")
                .external_id("ext-1"),
            CreateUser::new()
                .email_address(["bob@example.org"])
                .phone_number(["+15555550102"])
                .username("bobby")
                .first_name("Bob")
                .last_name("Builder")
                .external_id("ext-2"),
            CreateUser::new()
                .email_address(["cy@example.com"])
                .username("cyrus")
                .first_name("Cy")
                .banned(true),
            CreateUser::new()
                .phone_number(["+447700900123"])
                .username("dee_dee"),
        ] {
            made.push(users.create(params).await.unwrap());
            env.server.advance_clock(HOUR);
        }
        let [ada, bob, cy, dee] = <[User; 4]>::try_from(made).unwrap();
        let sessions = env.clerk.sessions();
        sessions.create(CreateSession::new(&ada.id)).await.unwrap();
        env.server.advance_clock(3 * 24 * HOUR);
        sessions.create(CreateSession::new(&bob.id)).await.unwrap();
        // Read them back with their sign-in times.
        Self {
            ada: users.get(&ada.id).await.unwrap(),
            bob: users.get(&bob.id).await.unwrap(),
            cy,
            dee,
        }
    }

    fn ids(&self, who: &[&User]) -> BTreeSet<String> {
        who.iter().map(|u| u.id.clone()).collect()
    }
}

fn midpoint(a: Option<i64>, b: Option<i64>) -> i64 {
    (a.expect("a time") + b.expect("a time")) / 2
}

#[tokio::test]
async fn every_filter_lists_and_counts_the_same_users() {
    each_backend(async |env| {
        let c = Cast::create(env).await;
        let (ada, bob, cy, dee) = (&c.ada, &c.bob, &c.cy, &c.dee);
        assert!(ada.last_sign_in_at.is_some() && bob.last_active_at.is_some());
        assert_eq!(cy.last_sign_in_at, None);

        let cases: Vec<(&str, ListUsers, Vec<&User>)> = vec![
            ("none", ListUsers::new(), vec![ada, bob, cy, dee]),
            (
                "email_address",
                ListUsers::new().email_address(["ada@example.com", "bob@example.org"]),
                vec![ada, bob],
            ),
            (
                "email_address, any case",
                ListUsers::new().email_address(["ADA@Example.COM"]),
                vec![ada],
            ),
            (
                "phone_number",
                ListUsers::new().phone_number(["+15555550102"]),
                vec![bob],
            ),
            (
                "external_id",
                ListUsers::new().external_id(["ext-1", "ext-2"]),
                vec![ada, bob],
            ),
            ("username", ListUsers::new().username(["cyrus"]), vec![cy]),
            (
                "web3_wallet",
                ListUsers::new().web3_wallet([WALLET]),
                vec![ada],
            ),
            (
                "user_id",
                ListUsers::new().user_id([ada.id.as_str(), cy.id.as_str()]),
                vec![ada, cy],
            ),
            (
                "user_id exclude",
                ListUsers::new().user_id([format!("-{}", ada.id)]),
                vec![bob, cy, dee],
            ),
            (
                "organization_id",
                ListUsers::new().organization_id(["org_1"]),
                vec![],
            ),
            ("query", ListUsers::new().query("lovelace"), vec![ada]),
            (
                "query email",
                ListUsers::new().query("example.org"),
                vec![bob],
            ),
            (
                "email_address_query",
                ListUsers::new().email_address_query("example.com"),
                vec![ada, cy],
            ),
            (
                "phone_number_query",
                ListUsers::new().phone_number_query("5550102"),
                vec![bob],
            ),
            (
                "username_query",
                ListUsers::new().username_query("dee"),
                vec![dee],
            ),
            (
                "name_query",
                ListUsers::new().name_query("builder"),
                vec![bob],
            ),
            ("banned", ListUsers::new().banned(true), vec![cy]),
            (
                "not banned",
                ListUsers::new().banned(false),
                vec![ada, bob, dee],
            ),
            (
                "created_at_before",
                ListUsers::new()
                    .created_at_before(midpoint(Some(ada.created_at), Some(bob.created_at))),
                vec![ada],
            ),
            (
                "created_at_after",
                ListUsers::new()
                    .created_at_after(midpoint(Some(bob.created_at), Some(cy.created_at))),
                vec![cy, dee],
            ),
            (
                "last_sign_in_at_before",
                ListUsers::new()
                    .last_sign_in_at_before(midpoint(ada.last_sign_in_at, bob.last_sign_in_at)),
                vec![ada],
            ),
            (
                "last_sign_in_at_after",
                ListUsers::new()
                    .last_sign_in_at_after(midpoint(ada.last_sign_in_at, bob.last_sign_in_at)),
                vec![bob],
            ),
            (
                "last_active_at_before",
                ListUsers::new()
                    .last_active_at_before(midpoint(ada.last_active_at, bob.last_active_at)),
                vec![ada],
            ),
            (
                "last_active_at_after",
                ListUsers::new()
                    .last_active_at_after(midpoint(ada.last_active_at, bob.last_active_at)),
                vec![bob],
            ),
            (
                "last_active_at_since",
                ListUsers::new().last_active_at_since(bob.last_active_at.unwrap()),
                vec![bob],
            ),
            (
                "provider",
                ListUsers::new()
                    .provider("oauth_google")
                    .provider_user_id(["1234"]),
                vec![],
            ),
            (
                "two filters",
                ListUsers::new()
                    .email_address_query("example")
                    .banned(false),
                vec![ada, bob],
            ),
        ];
        let users = env.clerk.users();
        for (label, params, expected) in cases {
            let expected = c.ids(&expected);
            let listed: BTreeSet<String> = users
                .list(params.clone().limit(100))
                .await
                .unwrap_or_else(|e| panic!("{label}: {e:?}"))
                .into_iter()
                .map(|u| u.id)
                .collect();
            assert_eq!(listed, expected, "list by {label}");
            let count = users.count(params.clone()).await.unwrap();
            assert_eq!(count as usize, expected.len(), "count by {label}");
            let page = users.list_with_total(params).await.unwrap();
            assert_eq!(page.total_count, Some(count), "total by {label}");
        }

        let err = api_error(
            users.list(ListUsers::new().provider("oauth_google")).await,
            422,
            "form_conditional_param_missing",
        );
        assert_eq!(param_name(&err), Some("provider_user_id"));
    })
    .await;
}

#[tokio::test]
async fn non_ascii_and_reserved_characters_in_filters() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let zoe = users
            .create(
                CreateUser::new()
                    .email_address(["zoe+news@example.com"])
                    .first_name("Zoë")
                    .last_name("Ørsted-Ångström"),
            )
            .await
            .unwrap();
        assert_eq!(zoe.first_name.as_deref(), Some("Zoë"));
        let plus = users
            .create(
                CreateUser::new()
                    .email_address(["a+tag@example.com"])
                    .first_name("Zoe")
                    .last_name("Plain"),
            )
            .await
            .unwrap();
        let ids =
            |page: clerk_sdk::Page<User>| page.into_iter().map(|u| u.id).collect::<BTreeSet<_>>();

        assert_eq!(
            ids(users
                .list(ListUsers::new().email_address(["a+tag@example.com"]))
                .await
                .unwrap()),
            BTreeSet::from([plus.id.clone()])
        );
        assert_eq!(
            ids(users.list(ListUsers::new().query("a+tag")).await.unwrap()),
            BTreeSet::from([plus.id.clone()])
        );
        assert_eq!(
            ids(users
                .list(ListUsers::new().email_address_query("+tag@"))
                .await
                .unwrap()),
            BTreeSet::from([plus.id.clone()])
        );
        assert_eq!(
            users.count(ListUsers::new().query("a%tag")).await.unwrap(),
            0,
            "`%` is no LIKE wildcard"
        );
        assert_eq!(
            users.count(ListUsers::new().query("a_tag")).await.unwrap(),
            0,
            "`_` is no LIKE wildcard (it would match the `+` of a+tag)"
        );
        for needle in ["zoë", "ZOË", "ørsted", "ÅNGSTRÖM"] {
            let found = users
                .list(ListUsers::new().name_query(needle))
                .await
                .unwrap();
            assert_eq!(
                ids(found),
                BTreeSet::from([zoe.id.clone()]),
                "name_query {needle}"
            );
        }
        let found = users
            .list(ListUsers::new().name_query("Zoe"))
            .await
            .unwrap();
        assert_eq!(ids(found), BTreeSet::from([plus.id.clone()]), "e is not ë");
        // Past the end: an empty page, the same total.
        let page = users
            .list_with_total(ListUsers::new().offset(50))
            .await
            .unwrap();
        assert!(page.is_empty());
        assert_eq!(
            page.total_count,
            Some(users.count(ListUsers::new()).await.unwrap())
        );
    })
    .await;
}

#[tokio::test]
async fn order_limit_offset_and_cursor() {
    each_backend(async |env| {
        let c = Cast::create(env).await;
        let users = env.clerk.users();
        let ids = |page: clerk_sdk::Page<User>| page.into_iter().map(|u| u.id).collect::<Vec<_>>();
        let newest_first = vec![
            c.dee.id.clone(),
            c.cy.id.clone(),
            c.bob.id.clone(),
            c.ada.id.clone(),
        ];

        assert_eq!(
            ids(users.list(ListUsers::new()).await.unwrap()),
            newest_first,
            "default order"
        );
        assert_eq!(
            ids(users
                .list(ListUsers::new().order_by("-created_at"))
                .await
                .unwrap()),
            newest_first
        );
        let oldest_first: Vec<String> = newest_first.iter().rev().cloned().collect();
        assert_eq!(
            ids(users
                .list(ListUsers::new().order_by("+created_at"))
                .await
                .unwrap()),
            oldest_first
        );
        assert_eq!(
            ids(users
                .list(ListUsers::new().order_by("username"))
                .await
                .unwrap()),
            [&c.ada, &c.bob, &c.cy, &c.dee].map(|u| u.id.clone())
        );
        // Nulls (users who never signed in) come last in both directions.
        let by_sign_in = ids(users
            .list(ListUsers::new().order_by("-last_sign_in_at"))
            .await
            .unwrap());
        assert_eq!(by_sign_in[..2], [c.bob.id.clone(), c.ada.id.clone()]);
        let by_sign_in = ids(users
            .list(ListUsers::new().order_by("+last_sign_in_at"))
            .await
            .unwrap());
        assert_eq!(by_sign_in[..2], [c.ada.id.clone(), c.bob.id.clone()]);
        assert_eq!(
            ids(users
                .list(ListUsers::new().limit(2).offset(1))
                .await
                .unwrap()),
            [c.cy.id.clone(), c.bob.id.clone()]
        );
        assert_eq!(
            ids(users
                .list(ListUsers::new().starting_after(&c.cy.id))
                .await
                .unwrap()),
            [c.bob.id.clone(), c.ada.id.clone()]
        );

        for (params, param) in [
            (ListUsers::new().limit(0), "limit"),
            (ListUsers::new().limit(501), "limit"),
            (
                ListUsers::new().starting_after("user_missing"),
                "starting_after",
            ),
        ] {
            let err = api_error(users.list(params).await, 422, "form_param_value_invalid");
            assert_eq!(param_name(&err), Some(param));
        }
        let many: Vec<String> = (0..101).map(|i| format!("u{i}@example.com")).collect();
        api_error(
            users.list(ListUsers::new().email_address(many)).await,
            422,
            "form_param_array_size_exceeded",
        );
    })
    .await;
}

#[tokio::test]
async fn streams_walk_every_page() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let mut created = BTreeSet::new();
        for i in 0..23 {
            let user = users
                .create(CreateUser::new().username(format!("user_{i:02}")))
                .await
                .unwrap();
            created.insert(user.id);
        }

        let before = env.proxy.checked();
        let streamed: Vec<User> = users
            .stream(ListUsers::new().limit(10))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(env.proxy.checked() - before, 3, "pages of 10, 10 and 3");
        let ids: BTreeSet<String> = streamed.iter().map(|u| u.id.clone()).collect();
        assert_eq!(ids.len(), 23, "no user twice");
        assert_eq!(ids, created);

        // Lazily: only the first page is fetched for the first items.
        let before = env.proxy.checked();
        let mut stream = users.stream(ListUsers::new().limit(5).order_by("username"));
        let first = stream.try_next().await.unwrap().unwrap();
        assert_eq!(first.username.as_deref(), Some("user_00"));
        assert_eq!(env.proxy.checked() - before, 1);
        drop(stream);

        // By cursor: everyone created before the newest user.
        let newest = users
            .list(ListUsers::new().limit(1))
            .await
            .unwrap()
            .data
            .remove(0);
        let before = env.proxy.checked();
        let after_newest: Vec<User> = users
            .stream(ListUsers::new().starting_after(&newest.id).limit(10))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(after_newest.len(), 22);
        assert!(after_newest.iter().all(|u| u.id != newest.id));
        assert_eq!(env.proxy.checked() - before, 3);

        // A cursor stream survives users created while it walks: no user twice,
        // none of the original ones missed.
        let mut stream = users.stream(ListUsers::new().starting_after(&newest.id).limit(5));
        let mut seen = vec![stream.try_next().await.unwrap().unwrap().id];
        for i in 0..3 {
            users
                .create(CreateUser::new().username(format!("late_{i}")))
                .await
                .unwrap();
        }
        while let Some(user) = stream.try_next().await.unwrap() {
            seen.push(user.id);
        }
        let unique: BTreeSet<String> = seen.iter().cloned().collect();
        assert_eq!(unique.len(), seen.len(), "no user twice");
        let mut expected = created.clone();
        expected.remove(&newest.id);
        assert_eq!(unique, expected);

        let filtered: Vec<User> = users
            .stream(ListUsers::new().username_query("user_1").limit(4))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(filtered.len(), 10, "user_10 to user_19");
    })
    .await;
}
