"""Clerk's official Python backend client (clerk-backend-api, pinned in
requirements.txt) against a running clerk-server: instance settings (protect,
communication, OAuth application settings, organization settings, the production
domain changes), beta features, domains and proxy checks. Every setting changed is put
back at the end: the other scenarios share the server.

Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... python instance.py
Prints one line per call; exits 1 if any call did not give what Clerk gives.
"""

import warnings

from harness import TAG, api_error, call, clerk, email, finish, text

state = {}
settings = clerk.instance_settings


@call("instance_settings.get_instance_protect")
def _():
    p = settings.get_instance_protect()
    assert p.object == "instance_protect" or text(p.object) == "instance_protect"
    state["protect"] = p
    return f"rules {p.rules_enabled}"


@call("instance_settings.update_instance_protect")
def _():
    p = settings.update_instance_protect(request={"rules_enabled": True, "specter_enabled": True})
    assert p.rules_enabled and p.specter_enabled
    before = state["protect"]
    p = settings.update_instance_protect(
        request={"rules_enabled": before.rules_enabled, "specter_enabled": before.specter_enabled}
    )
    assert p.rules_enabled == before.rules_enabled


@call("instance_settings.get_communication")
def _():
    c = settings.get_communication()
    state["blocked"] = list(c.blocked_country_codes)
    return f"{len(c.blocked_country_codes)} blocked"


@call("instance_settings.update_communication")
def _():
    c = settings.update_communication(request={"blocked_country_codes": ["RU", "KP", "XX"]})
    assert c.blocked_country_codes == ["KP", "RU"], c.blocked_country_codes
    c = settings.update_communication(request={"blocked_country_codes": state["blocked"]})
    assert c.blocked_country_codes == state["blocked"]


@call("instance_settings.update_communication: lowercase → 422")
def _():
    return api_error(
        lambda: settings.update_communication(request={"blocked_country_codes": ["kp"]}),
        422,
        "form_param_format_invalid",
    )


@call("instance_settings.get_o_auth_application_settings")
def _():
    o = settings.get_o_auth_application_settings()
    assert o.default_scopes, o
    state["oauth"] = o
    return " ".join(o.default_scopes)


@call("instance_settings.update_o_auth_application_settings")
def _():
    o = settings.update_o_auth_application_settings(
        request={"dynamic_oauth_client_registration": True, "default_scopes": ["openid", "email"]}
    )
    assert o.dynamic_oauth_client_registration
    assert o.default_scopes == ["openid", "email"]
    before = state["oauth"]
    o = settings.update_o_auth_application_settings(
        request={
            "dynamic_oauth_client_registration": before.dynamic_oauth_client_registration,
            "default_scopes": None,
        }
    )
    assert o.default_scopes == before.default_scopes


@call("instance_settings.get_organization_settings")
def _():
    s = settings.get_organization_settings()
    assert s.creator_role.startswith("org:")
    assert s.max_allowed_domains >= 0
    state["org"] = s
    return f"creator {s.creator_role}"


@call("instance_settings.update_organization_settings")
def _():
    s = settings.update_organization_settings(
        request={"max_allowed_memberships": 9, "slug_disabled": True}
    )
    assert s.max_allowed_memberships == 9 and s.slug_disabled
    before = state["org"]
    s = settings.update_organization_settings(
        request={
            "max_allowed_memberships": before.max_allowed_memberships,
            "slug_disabled": bool(before.slug_disabled),
        }
    )
    assert s.max_allowed_memberships == before.max_allowed_memberships


@call("instance_settings.update_organization_settings: unknown role → 404")
def _():
    return api_error(
        lambda: settings.update_organization_settings(request={"creator_role_id": "role_missing"}),
        404,
        "resource_not_found",
    )


@call("instance_settings.change_domain: development instance → 400")
def _():
    return api_error(
        lambda: settings.change_domain(
            request={"home_url": "https://www.example.com", "is_secondary": False}
        ),
        400,
        "development_instance_unsupported",
    )


@call("beta_features.update_production_instance_domain: development instance → 400")
def _():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return api_error(
            lambda: clerk.beta_features.update_production_instance_domain(
                request={"home_url": "https://www.example.com"}
            ),
            400,
            "development_instance_unsupported",
        )


@call("domains.list")
def _():
    listed = clerk.domains.list()
    primary = next(d for d in listed.data if not d.is_satellite)
    assert primary.id.startswith("dmn_")
    state["primary"] = primary
    return f"{listed.total_count} domains, primary {primary.name}"


@call("domains.add")
def _():
    d = clerk.domains.add(request={"name": f"{TAG}.example.com", "is_satellite": True})
    assert d.is_satellite and d.name == f"{TAG}.example.com"
    state["satellite"] = d
    return d.id


@call("domains.add: taken → 400")
def _():
    return api_error(
        lambda: clerk.domains.add(request={"name": f"{TAG}.example.com", "is_satellite": True}),
        400,
        "duplicate_record",
    )


@call("domains.update")
def _():
    d = clerk.domains.update(domain_id=state["satellite"].id, name=f"{TAG}-2.example.com")
    assert d.name == f"{TAG}-2.example.com"


@call("domains.update: unknown → 404")
def _():
    return api_error(
        lambda: clerk.domains.update(domain_id="dmn_missing", name="x.example"),
        404,
        "resource_not_found",
    )


@call("proxy_checks.verify: development instance → 400")
def _():
    return api_error(
        lambda: clerk.proxy_checks.verify(
            request={"domain_id": state["primary"].id, "proxy_url": "https://example.com/__clerk"}
        ),
        400,
        "development_instance_unsupported",
    )


@call("domains.delete")
def _():
    deleted = clerk.domains.delete(domain_id=state["satellite"].id)
    assert deleted.deleted


@call("domains.delete: primary → 403")
def _():
    return api_error(
        lambda: clerk.domains.delete(domain_id=state["primary"].id),
        403,
        "operation_not_allowed",
    )


@call("users.get_billing_subscription / get_billing_credit_balance / adjust_billing_credit_balance")
def _():
    user = clerk.users.create(email_address=[email("billing")])
    api_error(lambda: clerk.users.get_billing_subscription(user_id="user_nope"), 404, "resource_not_found")
    api_error(lambda: clerk.users.get_billing_subscription(user_id=user.id), 403, "feature_not_enabled")
    api_error(lambda: clerk.users.get_billing_credit_balance(user_id=user.id), 403, "feature_not_enabled")
    api_error(
        lambda: clerk.users.adjust_billing_credit_balance(
            user_id=user.id, amount=100, action="increase", idempotency_key=f"{TAG}-credit"
        ),
        403,
        "feature_not_enabled",
    )
    clerk.users.delete(user_id=user.id)
    return "403 feature_not_enabled"


finish()
