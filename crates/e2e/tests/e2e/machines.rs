//! Machines and M2M tokens through the SDK, on real rows, with one documented error per
//! operation, and the hostile cases: revoked, expired, truncated, wrong prefix, another
//! instance's token, and a machine JWT presented as a session token.

use std::time::Duration;

use clerk_sdk::{
    Clerk, CreateM2mToken, CreateMachine, ListM2mTokens, ListMachines, Machine, UpdateMachine,
};
use e2e::{Env, each_backend};
use futures_util::TryStreamExt;
use serde_json::json;

use crate::support::{api_error, claims, param_name};

/// A client of `env` that authenticates with only this machine's secret key.
fn as_machine(env: &Env, machine: &Machine) -> Clerk {
    let key = machine
        .secret_key
        .clone()
        .expect("a created machine has its key");
    env.clerk_builder()
        .machine_secret_key(key)
        .build()
        .expect("a machine client")
}

#[tokio::test]
async fn machines_every_operation() {
    each_backend(async |env| {
        let machines = env.clerk.machines();
        let callee = machines
            .create(CreateMachine::new("inventory"))
            .await
            .unwrap();
        let caller = machines
            .create(
                CreateMachine::new("checkout")
                    .scoped_machines([callee.id.as_str()])
                    .default_token_ttl(600),
            )
            .await
            .unwrap();
        assert!(caller.id.starts_with("mch_"));
        assert_eq!(caller.default_token_ttl, Some(600));
        assert_eq!(caller.scoped_machines[0].id, callee.id);
        let key = caller.secret_key.clone().unwrap();
        assert!(key.starts_with("ak_"));
        let err = api_error(
            machines.create(CreateMachine::new("")).await,
            422,
            "form_param_value_invalid",
        );
        assert_eq!(param_name(&err), Some("name"));

        // List, stream, get.
        let page = machines
            .list(ListMachines::new().query("check"))
            .await
            .unwrap();
        assert_eq!(page.total_count, Some(1));
        assert_eq!(page.data[0].id, caller.id);
        let all: Vec<Machine> = machines
            .stream(ListMachines::new().order_by("name").limit(1))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            all.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
            ["checkout", "inventory"]
        );
        api_error(
            machines.list(ListMachines::new().order_by("color")).await,
            422,
            "form_param_value_invalid",
        );
        let got = machines.get(&caller.id).await.unwrap();
        assert_eq!(got.secret_key, None);
        assert_eq!(got.scoped_machines, caller.scoped_machines);
        let err = api_error(machines.get("mch_missing").await, 404, "resource_not_found");
        assert_eq!(
            err.errors()[0].long_message.as_deref(),
            Some("No machine was found with id mch_missing")
        );

        // Update.
        let renamed = machines
            .update(&caller.id, UpdateMachine::new().name("checkout-v2"))
            .await
            .unwrap();
        assert_eq!(renamed.name, "checkout-v2");
        api_error(
            machines
                .update(&caller.id, UpdateMachine::new().default_token_ttl(0))
                .await,
            422,
            "form_param_value_invalid",
        );

        // Secret key and rotation.
        assert_eq!(machines.secret_key(&caller.id).await.unwrap().secret, key);
        api_error(
            machines.secret_key("mch_missing").await,
            404,
            "resource_not_found",
        );
        let rotated = machines.rotate_secret_key(&caller.id, 0).await.unwrap();
        assert_ne!(rotated.secret, key);
        assert_eq!(
            machines.secret_key(&caller.id).await.unwrap().secret,
            rotated.secret
        );
        api_error(
            machines.rotate_secret_key(&caller.id, 28_801).await,
            422,
            "form_param_value_invalid",
        );

        // Scopes.
        let third = machines.create(CreateMachine::new("ledger")).await.unwrap();
        let scope = machines.add_scope(&caller.id, &third.id).await.unwrap();
        assert_eq!(
            (scope.from_machine_id.as_str(), scope.to_machine_id.as_str()),
            (caller.id.as_str(), third.id.as_str())
        );
        assert!(scope.created_at.is_some());
        assert_eq!(
            machines
                .get(&caller.id)
                .await
                .unwrap()
                .scoped_machines
                .len(),
            2
        );
        api_error(
            machines.add_scope(&caller.id, &third.id).await,
            409,
            "duplicate_record",
        );
        let removed = machines.remove_scope(&caller.id, &third.id).await.unwrap();
        assert!(removed.deleted);
        api_error(
            machines.remove_scope(&caller.id, &third.id).await,
            404,
            "resource_not_found",
        );

        // Delete.
        let deleted = machines.delete(&third.id).await.unwrap();
        assert!(deleted.deleted);
        assert_eq!(deleted.object, "machine");
        api_error(machines.delete(&third.id).await, 404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn m2m_tokens_every_operation_and_hostile_tokens() {
    each_backend(async |env| {
        let machines = env.clerk.machines();
        let callee = machines.create(CreateMachine::new("callee")).await.unwrap();
        let stranger = machines
            .create(CreateMachine::new("stranger"))
            .await
            .unwrap();
        let caller = machines
            .create(CreateMachine::new("caller").scoped_machines([callee.id.as_str()]))
            .await
            .unwrap();
        let caller_client = as_machine(env, &caller);
        let callee_client = as_machine(env, &callee);
        let stranger_client = as_machine(env, &stranger);

        // Create: a machine key is needed; the token is the caller's.
        api_error(
            env.clerk.m2m_tokens().create(CreateM2mToken::new()).await,
            401,
            "clerk_key_invalid",
        );
        let created = caller_client
            .m2m_tokens()
            .create(
                CreateM2mToken::new()
                    .seconds_until_expiration(120)
                    .claims(json!({"job": "sync"})),
            )
            .await
            .unwrap();
        let token = created.token.clone().unwrap();
        assert!(token.starts_with("mt_"));
        assert_eq!(created.subject, caller.id);
        assert_eq!(created.scopes, std::slice::from_ref(&callee.id));
        // The per-call key works as well as the client's.
        let per_call = env
            .clerk
            .m2m_tokens()
            .with_machine_secret_key(caller.secret_key.clone().unwrap())
            .unwrap()
            .create(CreateM2mToken::new())
            .await
            .unwrap();
        assert_eq!(per_call.subject, caller.id);

        // Verify: the callee accepts it, a stranger does not, the instance key does.
        let verified = callee_client.m2m_tokens().verify(&token).await.unwrap();
        assert_eq!(verified.id, created.id);
        assert!(verified.last_used_at_ms().is_some());
        env.clerk.m2m_tokens().verify(&token).await.unwrap();
        api_error(
            stranger_client.m2m_tokens().verify(&token).await,
            404,
            "resource_not_found",
        );

        // List.
        let own = caller_client
            .m2m_tokens()
            .list(ListM2mTokens::new())
            .await
            .unwrap();
        assert_eq!(own.total_count.as_i64(), Some(2));
        let by_subject = env
            .clerk
            .m2m_tokens()
            .list(ListM2mTokens::new().subject(&caller.id).limit(1))
            .await
            .unwrap();
        assert_eq!(by_subject.m2m_tokens.len(), 1);
        api_error(
            callee_client
                .m2m_tokens()
                .list(ListM2mTokens::new().subject(&caller.id))
                .await,
            403,
            "authorization_invalid",
        );

        // Revoke, then the revoked token is refused.
        api_error(
            callee_client.m2m_tokens().revoke(&created.id, None).await,
            404,
            "resource_not_found",
        );
        let revoked = caller_client
            .m2m_tokens()
            .revoke(&created.id, Some("rotated"))
            .await
            .unwrap();
        assert!(revoked.revoked);
        assert_eq!(revoked.revocation_reason.as_deref(), Some("rotated"));
        api_error(
            env.clerk.m2m_tokens().verify(&token).await,
            404,
            "token_revoked",
        );

        // Expired.
        let short = caller_client
            .m2m_tokens()
            .create(CreateM2mToken::new().seconds_until_expiration(1))
            .await
            .unwrap();
        env.server.advance_clock(Duration::from_secs(2));
        api_error(
            env.clerk
                .m2m_tokens()
                .verify(short.token.as_deref().unwrap())
                .await,
            404,
            "token_expired",
        );

        // Truncated and wrong-prefix tokens.
        let truncated = &per_call.token.as_deref().unwrap()[..20];
        api_error(
            env.clerk.m2m_tokens().verify(truncated).await,
            404,
            "resource_not_found",
        );
        let wrong_prefix = per_call
            .token
            .as_deref()
            .unwrap()
            .replacen("mt_", "oat_", 1);
        api_error(
            env.clerk.m2m_tokens().verify(&wrong_prefix).await,
            404,
            "resource_not_found",
        );

        // A machine key authenticates nothing but the M2M endpoints.
        let key_as_secret = env
            .clerk_builder()
            .secret_key(caller.secret_key.clone().unwrap())
            .build()
            .unwrap();
        api_error(
            key_as_secret.machines().get(&caller.id).await,
            401,
            "clerk_key_invalid",
        );
    })
    .await;
}

#[tokio::test]
async fn jwt_m2m_tokens_are_not_session_tokens_nor_valid_elsewhere() {
    each_backend(async |env| {
        let machines = env.clerk.machines();
        let callee = machines.create(CreateMachine::new("callee")).await.unwrap();
        let caller = machines
            .create(CreateMachine::new("caller").scoped_machines([callee.id.as_str()]))
            .await
            .unwrap();
        let jwt = as_machine(env, &caller)
            .m2m_tokens()
            .create(CreateM2mToken::new().jwt().claims(json!({"tier": "gold"})))
            .await
            .unwrap()
            .token
            .unwrap();
        let payload = claims(&jwt);
        assert_eq!(payload["sub"], json!(caller.id));
        assert_eq!(payload["scopes"], json!(callee.id));
        // Verified by the server; refused by the SDK's session verifier (the M2M `cat`).
        let verified = as_machine(env, &callee)
            .m2m_tokens()
            .verify(&jwt)
            .await
            .unwrap();
        assert_eq!(verified.subject, caller.id);
        assert!(env.clerk.verify_token(&jwt).await.is_err());

        // Another instance knows neither the JWT's key nor the opaque token.
        let opaque = as_machine(env, &caller)
            .m2m_tokens()
            .create(CreateM2mToken::new())
            .await
            .unwrap()
            .token
            .unwrap();
        let other = Env::start(env.backend()).await;
        api_error(
            other.clerk.m2m_tokens().verify(&jwt).await,
            404,
            "resource_not_found",
        );
        api_error(
            other.clerk.m2m_tokens().verify(&opaque).await,
            404,
            "resource_not_found",
        );
        let foreign_key = as_machine(&other, &caller);
        api_error(
            foreign_key.m2m_tokens().list(ListM2mTokens::new()).await,
            401,
            "clerk_key_invalid",
        );
        other.finish().await;
    })
    .await;
}
