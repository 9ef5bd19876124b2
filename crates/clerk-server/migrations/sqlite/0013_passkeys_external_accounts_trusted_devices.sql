-- A user's passkeys, external (OAuth) accounts and trusted devices (issue 15).
--
-- Nothing in the Backend API creates them: the browser flows that would (WebAuthn
-- registration, an OAuth sign-in, a native app enrolling a device key) are not served, so
-- they are seeded through POST /v1/_local/users/{id}/passkeys, …/external_accounts and
-- …/trusted_devices. The Backend API lists and deletes them, and the user object shows its
-- passkeys and external accounts.

-- Passkeys keep Clerk's identification ids (`idn_`, the `passkey_identification_id` of
-- DELETE /v1/users/{user_id}/passkeys/{id}). `credential_id` is the WebAuthn credential's
-- id (base64url), unique like a real authenticator's.
CREATE TABLE passkeys (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    last_used_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX passkeys_user_id ON passkeys (user_id, seq);

-- External accounts (`eac_`): one account of a provider (`oauth_google`, …) belongs to one
-- user, as in Clerk. `email_address_verified` is NULL (unknown), 0 or 1.
CREATE TABLE external_accounts (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    identification_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    provider_user_id TEXT NOT NULL,
    approved_scopes TEXT NOT NULL,
    email_address TEXT NOT NULL,
    email_address_verified BIGINT,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    image_url TEXT,
    username TEXT,
    phone_number TEXT,
    public_metadata TEXT NOT NULL,
    label TEXT,
    verified BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (provider, provider_user_id)
);
CREATE INDEX external_accounts_user_id ON external_accounts (user_id, seq);

-- Trusted devices (`td_`): a native app's device key (ES256) that Clerk trusts for the
-- user. Revoking keeps the row (`status` revoked, `revoked_at`); lists show active ones.
CREATE TABLE trusted_devices (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    app_identifier TEXT NOT NULL,
    name TEXT,
    algorithm TEXT NOT NULL,
    status TEXT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX trusted_devices_user_id ON trusted_devices (user_id, status, seq);
