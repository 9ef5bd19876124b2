//! The instance's settings documents: protect, communication, OAuth application settings
//! and organization settings.

use clerk_sdk::Method;
use clerk_sdk::{
    CreateOrganizationRole, DomainEnrollmentMode, ListOrganizationRoles, Patch,
    UpdateInstanceCommunication, UpdateInstanceProtect, UpdateOAuthApplicationSettings,
    UpdateOrganizationSettings,
};
use e2e::each_backend;
use serde_json::{Value, json};

use crate::support::{api_error, param_name};

#[tokio::test]
async fn protect_and_communication_are_stored() {
    each_backend(async |env| {
        let instance = env.clerk.instance();
        let protect = instance.get_protect().await.unwrap();
        assert_eq!(protect.object, "instance_protect");
        assert!(!protect.rules_enabled && !protect.specter_enabled && !protect.checks_bypassed);
        let protect = instance
            .update_protect(UpdateInstanceProtect::new().rules_enabled(true))
            .await
            .unwrap();
        assert!(protect.rules_enabled && !protect.specter_enabled);
        let protect = instance
            .update_protect(UpdateInstanceProtect::new().specter_enabled(true))
            .await
            .unwrap();
        assert!(protect.rules_enabled && protect.specter_enabled);
        assert_eq!(instance.get_protect().await.unwrap(), protect);

        let communication = instance.get_communication().await.unwrap();
        assert_eq!(communication.object, "instance_communication");
        assert!(communication.blocked_country_codes.is_empty());
        // Unassigned codes (XX) are dropped silently; the list comes back sorted.
        let codes = ["RU", "KP", "XX"].map(str::to_owned).to_vec();
        let communication = instance
            .update_communication(UpdateInstanceCommunication::new().blocked_country_codes(codes))
            .await
            .unwrap();
        assert_eq!(communication.blocked_country_codes, ["KP", "RU"]);
        assert_eq!(instance.get_communication().await.unwrap(), communication);

        let err = api_error(
            instance
                .update_communication(
                    UpdateInstanceCommunication::new().blocked_country_codes(vec!["kp".to_owned()]),
                )
                .await,
            422,
            "form_param_format_invalid",
        );
        assert_eq!(param_name(&err), Some("blocked_country_codes"));
        let twice = vec!["KP".to_owned(), "KP".to_owned()];
        api_error(
            instance
                .update_communication(
                    UpdateInstanceCommunication::new().blocked_country_codes(twice),
                )
                .await,
            422,
            "form_param_value_invalid",
        );
        let err = api_error(
            env.clerk
                .request::<Value>(
                    Method::PATCH,
                    "/instance/protect",
                    &[],
                    Some(json!({"rules_enabled": "yes"})),
                )
                .await,
            422,
            "form_param_type_invalid",
        );
        assert_eq!(param_name(&err), Some("rules_enabled"));
        assert_eq!(instance.get_communication().await.unwrap(), communication);
    })
    .await;
}

#[tokio::test]
async fn oauth_application_settings_are_stored_and_scopes_reset() {
    each_backend(async |env| {
        let instance = env.clerk.instance();
        let settings = instance.get_oauth_application_settings().await.unwrap();
        assert_eq!(settings.object, "oauth_application_settings");
        assert_eq!(
            settings.default_scopes.as_deref(),
            Some(&["profile".to_owned(), "email".to_owned()][..])
        );
        assert!(!settings.dynamic_oauth_client_registration);
        let scopes = ["openid", "email", "openid"].map(str::to_owned).to_vec();
        let settings = instance
            .update_oauth_application_settings(
                UpdateOAuthApplicationSettings::new()
                    .dynamic_oauth_client_registration(true)
                    .oauth_jwt_access_tokens(true)
                    .client_id_metadata_documents_advertised(true)
                    .default_scopes(scopes),
            )
            .await
            .unwrap();
        assert!(settings.dynamic_oauth_client_registration);
        assert!(settings.oauth_jwt_access_tokens);
        assert!(settings.client_id_metadata_documents_advertised);
        assert!(!settings.client_id_metadata_documents_only_allow_pre_registered_clients);
        assert_eq!(
            settings.default_scopes.as_deref(),
            Some(&["openid".to_owned(), "email".to_owned()][..])
        );
        assert_eq!(
            instance.get_oauth_application_settings().await.unwrap(),
            settings
        );
        let settings = instance
            .update_oauth_application_settings(
                UpdateOAuthApplicationSettings::new().default_scopes(Patch::Null),
            )
            .await
            .unwrap();
        assert_eq!(
            settings.default_scopes.as_deref(),
            Some(&["profile".to_owned(), "email".to_owned()][..])
        );
        assert!(settings.dynamic_oauth_client_registration, "unchanged");
        let err = api_error(
            env.clerk
                .request::<Value>(
                    Method::PATCH,
                    "/instance/oauth_application_settings",
                    &[],
                    Some(json!({"default_scopes": "email"})),
                )
                .await,
            422,
            "form_param_type_invalid",
        );
        assert_eq!(param_name(&err), Some("default_scopes"));
    })
    .await;
}

#[tokio::test]
async fn organization_settings_change_limits_and_roles() {
    each_backend(async |env| {
        let instance = env.clerk.instance();
        let settings = instance.get_organization_settings().await.unwrap();
        assert_eq!(settings.object, "organization_settings");
        assert!(settings.enabled);
        assert_eq!(settings.creator_role, "org:admin");
        assert_eq!(settings.domains_default_role, "org:member");
        assert_eq!(settings.max_allowed_domains, 10);
        assert_eq!(
            settings.initial_role_set_key.as_deref(),
            Some("role_set:default")
        );

        let roles = env
            .clerk
            .organization_roles()
            .list(ListOrganizationRoles::new())
            .await
            .unwrap();
        let id_of = |key: &str| roles.iter().find(|r| r.key == key).unwrap().id.clone();
        // A new creator-eligible role in the initial set becomes the creator role.
        let owner = env
            .clerk
            .organization_roles()
            .create(
                CreateOrganizationRole::new("Owner", "org:owner")
                    .include_in_initial_role_set(true)
                    .permissions(
                        roles
                            .iter()
                            .find(|r| r.key == "org:admin")
                            .unwrap()
                            .permissions
                            .iter()
                            .map(|p| p.id.clone()),
                    ),
            )
            .await
            .unwrap();
        let settings = instance
            .update_organization_settings(
                UpdateOrganizationSettings::new()
                    .max_allowed_memberships(5)
                    .admin_delete_enabled(false)
                    .slug_disabled(true)
                    .domains_enrollment_modes(vec![DomainEnrollmentMode::AutomaticSuggestion])
                    .creator_role_id(owner.id.clone())
                    .domains_default_role_id(id_of("org:admin")),
            )
            .await
            .unwrap();
        assert_eq!(settings.max_allowed_memberships, 5);
        assert!(!settings.admin_delete_enabled);
        assert_eq!(settings.slug_disabled, Some(true));
        assert_eq!(
            settings.domains_enrollment_modes,
            [DomainEnrollmentMode::AutomaticSuggestion]
        );
        assert_eq!(settings.creator_role, "org:owner");
        assert_eq!(settings.domains_default_role, "org:admin");
        assert_eq!(
            instance.get_organization_settings().await.unwrap(),
            settings
        );

        // A role that is not creator-eligible, an unknown role, a bad mode.
        api_error(
            instance
                .update_organization_settings(
                    UpdateOrganizationSettings::new().creator_role_id(id_of("org:member")),
                )
                .await,
            422,
            "organization_missing_creator_role_permissions",
        );
        let err = api_error(
            instance
                .update_organization_settings(
                    UpdateOrganizationSettings::new().domains_default_role_id("role_missing"),
                )
                .await,
            404,
            "resource_not_found",
        );
        assert!(err.to_string().contains("role_missing"), "{err:?}");
        let err = api_error(
            instance
                .update_organization_settings(
                    UpdateOrganizationSettings::new().max_allowed_memberships(-1),
                )
                .await,
            422,
            "form_param_value_invalid",
        );
        assert_eq!(param_name(&err), Some("max_allowed_memberships"));
        assert_eq!(
            instance.get_organization_settings().await.unwrap(),
            settings
        );
    })
    .await;
}
