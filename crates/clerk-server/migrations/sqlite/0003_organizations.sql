-- Organizations and everything that hangs off them. Roles and permissions are the
-- instance's catalog (Clerk's `org:admin`, `org:member` and the `org:sys_*` system
-- permissions are created at start when missing, see store::organization_roles::bootstrap);
-- a role set groups the roles an organization may give. Memberships, invitations and
-- domains name their role by key, which a role's key change carries to them.

CREATE TABLE organization_permissions (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    -- The API's `type`: `system` (org:sys_*) or `user`.
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX organization_permissions_created_at ON organization_permissions (created_at, seq);

CREATE TABLE organization_roles (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX organization_roles_created_at ON organization_roles (created_at, seq);

CREATE TABLE organization_role_permissions (
    role_id TEXT NOT NULL REFERENCES organization_roles (id) ON DELETE CASCADE,
    permission_id TEXT NOT NULL REFERENCES organization_permissions (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (role_id, permission_id)
);
CREATE INDEX organization_role_permissions_permission ON organization_role_permissions (permission_id);

CREATE TABLE role_sets (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT,
    -- The API's `type`: `initial` (the one new organizations get) or `custom`.
    kind TEXT NOT NULL,
    default_role_id TEXT NOT NULL REFERENCES organization_roles (id),
    creator_role_id TEXT NOT NULL REFERENCES organization_roles (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX role_sets_created_at ON role_sets (created_at, seq);

CREATE TABLE role_set_roles (
    role_set_id TEXT NOT NULL REFERENCES role_sets (id) ON DELETE CASCADE,
    role_id TEXT NOT NULL REFERENCES organization_roles (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (role_set_id, role_id)
);
CREATE INDEX role_set_roles_role ON role_set_roles (role_id);

CREATE TABLE organizations (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    image_id TEXT,
    max_allowed_memberships BIGINT NOT NULL,
    admin_delete_enabled BIGINT NOT NULL,
    public_metadata TEXT NOT NULL,
    private_metadata TEXT NOT NULL,
    created_by TEXT,
    role_set_key TEXT,
    -- Kept by the store as memberships come and go, so that a count (and the quota check)
    -- does not read every membership of a large organization.
    members_count BIGINT NOT NULL DEFAULT 0,
    -- Lowercase name and slug, for the `query` filter.
    search TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX organizations_created_at ON organizations (created_at, seq);
CREATE INDEX organizations_name ON organizations (name, seq);
CREATE INDEX organizations_members_count ON organizations (members_count, seq);

-- Uploaded logos, served without authentication at /images/{id}.
CREATE TABLE organization_images (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    -- The image, base64 (both backends read text through sqlx's Any driver).
    data TEXT NOT NULL,
    uploader_user_id TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX organization_images_organization ON organization_images (organization_id);

CREATE TABLE organization_memberships (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    public_metadata TEXT NOT NULL,
    private_metadata TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (organization_id, user_id)
);
CREATE INDEX organization_memberships_organization ON organization_memberships (organization_id, created_at, seq);
CREATE INDEX organization_memberships_user ON organization_memberships (user_id, created_at, seq);
CREATE INDEX organization_memberships_created_at ON organization_memberships (created_at, seq);
CREATE INDEX organization_memberships_role ON organization_memberships (role);

CREATE TABLE organization_invitations (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email_address TEXT NOT NULL,
    role TEXT NOT NULL,
    -- pending, accepted, revoked; `expired` is decided when read, from expires_at.
    status TEXT NOT NULL,
    inviter_id TEXT,
    public_metadata TEXT NOT NULL,
    private_metadata TEXT NOT NULL,
    redirect_url TEXT,
    expires_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX organization_invitations_organization ON organization_invitations (organization_id, created_at, seq);
CREATE INDEX organization_invitations_status ON organization_invitations (organization_id, status, email_address);
CREATE INDEX organization_invitations_email ON organization_invitations (email_address, created_at, seq);
CREATE INDEX organization_invitations_created_at ON organization_invitations (created_at, seq);
CREATE INDEX organization_invitations_role ON organization_invitations (role, status);
CREATE INDEX organization_invitations_status_created_at ON organization_invitations (status, created_at, seq);

CREATE TABLE organization_domains (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name TEXT NOT NULL UNIQUE,
    enrollment_mode TEXT NOT NULL,
    -- The domain's verification (`verified` of the API); NULL status: never asked.
    verification_status TEXT,
    verification_strategy TEXT,
    verified_at BIGINT,
    -- Ownership, verified by hand through verify_ownership.
    ownership_status TEXT,
    ownership_strategy TEXT,
    ownership_verified_at BIGINT,
    affiliation_email_address TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX organization_domains_organization ON organization_domains (organization_id, created_at, seq);
CREATE INDEX organization_domains_created_at ON organization_domains (created_at, seq);
CREATE INDEX organization_domains_enrollment_mode ON organization_domains (enrollment_mode, created_at, seq);
CREATE INDEX organization_domains_verification ON organization_domains (verification_status, created_at, seq);
