-- The lockout counter: failed password checks since the last success or unlock.
ALTER TABLE users ADD COLUMN failed_verification_attempts BIGINT NOT NULL DEFAULT 0;
