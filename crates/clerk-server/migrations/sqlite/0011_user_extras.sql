-- Users' profile images, compromised passwords, TOTP secrets and backup codes, and
-- sessions' refresh tokens.
--
-- Uploaded images are no longer only organization logos: one table holds every uploaded
-- image, named by its owner (an organization or a user). The owner deletes its images
-- itself (no foreign key can point at two tables).

CREATE TABLE images (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    content_type TEXT NOT NULL,
    -- The image, base64 (both backends read text through sqlx's Any driver).
    data TEXT NOT NULL,
    uploader_user_id TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX images_owner ON images (owner_id);

INSERT INTO images (id, owner_id, content_type, data, uploader_user_id, created_at)
SELECT id, organization_id, content_type, data, uploader_user_id, created_at
FROM organization_images;

DROP TABLE organization_images;

-- The uploaded profile image (`images`), if any.
ALTER TABLE users ADD COLUMN image_id TEXT;
-- When the password was set as compromised (POST /v1/users/{id}/password/set_compromised);
-- NULL when it is not. Setting or removing the password clears it.
ALTER TABLE users ADD COLUMN password_compromised_at BIGINT;

-- The SHA-256 (hex) of the session's refresh token (the local stand-in for the `__refresh`
-- cookie of the Frontend API's handshake, minted by POST /v1/_local/sessions/{id}/refresh_token);
-- POST /v1/sessions/{id}/refresh checks it. NULL until one is minted.
ALTER TABLE sessions ADD COLUMN refresh_token_digest TEXT;

-- TOTP: the user's secret, sealed with the vault (POST /v1/users/{id}/verify_totp checks
-- codes against it), and the SHA-256 (hex, space-separated) of each unused backup code.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN backup_code_digests TEXT;
