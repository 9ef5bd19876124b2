//! The instance's other settings documents: `GET`/`PATCH /v1/instance/protect`,
//! `/v1/instance/communication`, `/v1/instance/oauth_application_settings` and
//! `/v1/instance/organization_settings`. All live in the instance's settings document;
//! none has a webhook event in Clerk's webhooks spec.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::domain::instance::{
    OrganizationSettingsChange, organization_settings, update_organization_settings,
    update_settings,
};
use crate::wire::{
    InstanceCommunicationJson, InstanceProtectJson, OAuthApplicationSettingsJson,
    OrganizationSettingsJson,
};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/instance/protect", get(get_protect).patch(update_protect))
        .route(
            "/instance/communication",
            get(get_communication).patch(update_communication),
        )
        .route(
            "/instance/oauth_application_settings",
            get(get_oauth_settings).patch(update_oauth_settings),
        )
        .route(
            "/instance/organization_settings",
            get(get_organization_settings).patch(patch_organization_settings),
        )
}

/// ISO 3166-1 alpha-2: every officially assigned code, sorted.
const COUNTRY_CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// The most codes one request may list, as the spec's `maxItems`.
const MAX_COUNTRY_CODES: usize = 250;

async fn get_protect(State(state): State<AppState>) -> Result<Json<InstanceProtectJson>, ApiError> {
    Ok(Json(InstanceProtectJson::new(
        &state.store.instance().await?,
    )))
}

/// `PATCH /v1/instance/protect`: the two switches are stored and answered; nothing local
/// screens sign-ups with them.
async fn update_protect(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<InstanceProtectJson>, ApiError> {
    body.allow_only(&["rules_enabled", "specter_enabled"])?;
    let rules = body.bool("rules_enabled")?;
    let specter = body.bool("specter_enabled")?;
    let instance = update_settings(state.services(), |s| {
        if let Some(v) = rules {
            s.protect.rules_enabled = v;
        }
        if let Some(v) = specter {
            s.protect.specter_enabled = v;
        }
    })
    .await?;
    Ok(Json(InstanceProtectJson::new(&instance)))
}

async fn get_communication(
    State(state): State<AppState>,
) -> Result<Json<InstanceCommunicationJson>, ApiError> {
    Ok(Json(InstanceCommunicationJson::new(
        &state.store.instance().await?,
    )))
}

/// `PATCH /v1/instance/communication {blocked_country_codes}`: replaces the whole list.
/// A code that is not two uppercase letters, or a repeated one, is refused (422); a
/// well-formed code that ISO 3166-1 does not assign is dropped silently, as Clerk does.
async fn update_communication(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<InstanceCommunicationJson>, ApiError> {
    body.allow_only(&["blocked_country_codes"])?;
    let codes = body.string_array("blocked_country_codes")?;
    let codes = codes.map(check_country_codes).transpose()?;
    let instance = update_settings(state.services(), |s| {
        if let Some(codes) = codes {
            s.blocked_country_codes = codes;
        }
    })
    .await?;
    Ok(Json(InstanceCommunicationJson::new(&instance)))
}

/// The assigned codes of `codes`, sorted; 422 for a malformed or repeated code, or too
/// many.
fn check_country_codes(codes: Vec<String>) -> Result<Vec<String>, ApiError> {
    const PARAM: &str = "blocked_country_codes";
    if codes.len() > MAX_COUNTRY_CODES {
        return Err(ApiError::param_value_invalid(
            PARAM,
            format!("{PARAM} must hold at most {MAX_COUNTRY_CODES} codes."),
        ));
    }
    let mut kept: Vec<String> = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(ApiError::param_format_invalid(
                PARAM,
                format!("{code} is not an ISO 3166-1 alpha-2 code: use two uppercase letters."),
            ));
        }
        if codes[..i].contains(code) {
            return Err(ApiError::param_value_invalid(
                PARAM,
                format!("{code} is listed more than once in {PARAM}."),
            ));
        }
        if COUNTRY_CODES.split(' ').any(|c| c == code) {
            kept.push(code.clone());
        }
    }
    kept.sort();
    Ok(kept)
}

async fn get_oauth_settings(
    State(state): State<AppState>,
) -> Result<Json<OAuthApplicationSettingsJson>, ApiError> {
    Ok(Json(OAuthApplicationSettingsJson::new(
        &state.store.instance().await?,
    )))
}

/// `PATCH /v1/instance/oauth_application_settings`: `default_scopes: null` goes back to
/// Clerk's defaults; a list is stored without repeats, in its order.
async fn update_oauth_settings(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<OAuthApplicationSettingsJson>, ApiError> {
    const FLAGS: [&str; 5] = [
        "dynamic_oauth_client_registration",
        "oauth_jwt_access_tokens",
        "client_id_metadata_documents_advertised",
        "client_id_metadata_documents_only_allow_pre_registered_clients",
        "client_id_metadata_documents_block_implicitly_allowed_clients",
    ];
    let mut allowed = FLAGS.to_vec();
    allowed.push("default_scopes");
    body.allow_only(&allowed)?;
    let mut flags = [None; 5];
    for (value, name) in flags.iter_mut().zip(FLAGS) {
        *value = body.bool(name)?;
    }
    let reset_scopes = body.has("default_scopes");
    let scopes = body.string_array("default_scopes")?.map(|scopes| {
        let mut unique: Vec<String> = Vec::new();
        for scope in scopes {
            if !scope.is_empty() && !unique.contains(&scope) {
                unique.push(scope);
            }
        }
        unique
    });
    let instance = update_settings(state.services(), |s| {
        let o = &mut s.oauth_applications;
        let fields = [
            &mut o.dynamic_oauth_client_registration,
            &mut o.oauth_jwt_access_tokens,
            &mut o.client_id_metadata_documents_advertised,
            &mut o.client_id_metadata_documents_only_allow_pre_registered_clients,
            &mut o.client_id_metadata_documents_block_implicitly_allowed_clients,
        ];
        for (field, value) in fields.into_iter().zip(flags) {
            if let Some(v) = value {
                *field = v;
            }
        }
        if reset_scopes {
            o.default_scopes = scopes;
        }
    })
    .await?;
    Ok(Json(OAuthApplicationSettingsJson::new(&instance)))
}

async fn get_organization_settings(
    State(state): State<AppState>,
) -> Result<Json<OrganizationSettingsJson>, ApiError> {
    let view = organization_settings(state.services()).await?;
    Ok(Json(OrganizationSettingsJson::new(&view)))
}

/// `PATCH /v1/instance/organization_settings`.
async fn patch_organization_settings(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<OrganizationSettingsJson>, ApiError> {
    body.allow_only(&[
        "enabled",
        "max_allowed_memberships",
        "admin_delete_enabled",
        "domains_enabled",
        "slug_disabled",
        "domains_enrollment_modes",
        "creator_role_id",
        "domains_default_role_id",
    ])?;
    let change = OrganizationSettingsChange {
        enabled: body.bool("enabled")?,
        max_allowed_memberships: body.i64("max_allowed_memberships")?,
        admin_delete_enabled: body.bool("admin_delete_enabled")?,
        domains_enabled: body.bool("domains_enabled")?,
        slug_disabled: body.bool("slug_disabled")?,
        domains_enrollment_modes: body.string_array("domains_enrollment_modes")?,
        creator_role_id: body.string("creator_role_id")?,
        domains_default_role_id: body.string("domains_default_role_id")?,
    };
    let view = update_organization_settings(state.services(), change).await?;
    Ok(Json(OrganizationSettingsJson::new(&view)))
}
