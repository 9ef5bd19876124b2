// Clerk's official JavaScript backend client (@clerk/backend, pinned in package.json)
// against a running clerk-server: every organization method of the client
// (organizations, memberships, logos, billing, invitations, domains, roles,
// permissions, role sets), asserting what comes back and one documented error or more
// for each, then organization claims in session tokens (v1 and v2) read by the
// client's own `authenticateRequest`, `toAuth()` and `has()`.
//
// Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... node organizations.mjs
// Prints one line per call; exits 1 if any call did not give what Clerk gives.

import assert from 'node:assert/strict';
import { verifyToken } from '@clerk/backend';
import {
  apiError,
  bapi,
  call,
  claimsOf,
  clerk,
  email,
  finish,
  local,
  secretKey,
  tag,
} from './harness.mjs';

const state = {};
// A 1×1 PNG (a real image: the server reads the type from the bytes).
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ids = (list) => list.map((x) => x.id);
/** The id of the organization most calls are about. */
const org = () => state.org.id;

// Users: an owner (the creator, so the first admin), a member, a third for the quota.

await call('setup: users.createUser ×4', async () => {
  state.owner = await clerk.users.createUser({
    emailAddress: [email('owner')],
    firstName: 'Olive',
    lastName: 'Owner',
    username: `${tag}_olive`,
  });
  // Distinct creation times, for the createdAt filters of the memberships list.
  await sleep(3);
  state.member = await clerk.users.createUser({
    emailAddress: [email('member')],
    firstName: 'Mark',
    lastName: 'Member',
  });
  await sleep(3);
  state.third = await clerk.users.createUser({ emailAddress: [email('third')], firstName: 'Tess' });
  // Never a member: invited, for a user's invitations.
  state.guest = await clerk.users.createUser({ emailAddress: [email('guest')] });
  return ids([state.owner, state.member, state.third, state.guest]).join(' ');
});

// Organizations.

await call('organizations.createOrganization', async () => {
  const org = await clerk.organizations.createOrganization({
    name: 'Acme Inc',
    slug: `${tag}-acme`,
    createdBy: state.owner.id,
    maxAllowedMemberships: 5,
    publicMetadata: { plan: 'pro', nested: { a: 1 } },
    privateMetadata: { secret: 's' },
  });
  assert.match(org.id, /^org_[0-9A-Za-z]{27}$/);
  assert.equal(org.name, 'Acme Inc');
  assert.equal(org.slug, `${tag}-acme`);
  assert.equal(org.maxAllowedMemberships, 5);
  assert.equal(org.adminDeleteEnabled, true);
  assert.equal(org.hasImage, false);
  assert.match(org.imageUrl, /^https?:\/\//);
  assert.deepEqual(org.publicMetadata, { plan: 'pro', nested: { a: 1 } });
  assert.deepEqual(org.privateMetadata, { secret: 's' });
  assert.equal(org.createdBy, state.owner.id);
  assert.equal(typeof org.createdAt, 'number');
  assert.equal(org.createdAt, org.updatedAt);
  state.org = org;
  return org.id;
});

await call('organizations.createOrganization (no slug, no creator)', async () => {
  const org = await clerk.organizations.createOrganization({ name: `Beta ${tag}` });
  assert.equal(org.slug, `beta-${tag}`);
  assert.equal(org.createdBy, undefined);
  assert.equal(org.maxAllowedMemberships, 0, 'the instance default: no limit');
  state.beta = org;
  return `slug=${org.slug}`;
});

await call('organizations.createOrganization (slug taken)', () =>
  apiError(
    clerk.organizations.createOrganization({ name: 'Other', slug: `${tag}-acme` }),
    422,
    'form_identifier_exists',
  ),
);

await call('organizations.createOrganization (bad slug, unknown creator)', async () => {
  await apiError(
    clerk.organizations.createOrganization({ name: 'Other', slug: 'Not A Slug' }),
    422,
    'form_param_format_invalid',
  );
  return apiError(
    clerk.organizations.createOrganization({ name: 'Other', createdBy: 'user_nope' }),
    400,
    'organization_creator_not_found',
  );
});

await call('organizations.getOrganizationList', async () => {
  const { data, totalCount } = await clerk.organizations.getOrganizationList({ limit: 500 });
  assert.ok(totalCount >= 2);
  assert.ok(data.some((o) => o.id === state.org.id));
  // Newest first by default.
  const mine = data.filter((o) => [state.org.id, state.beta.id].includes(o.id));
  assert.deepEqual(ids(mine), [state.beta.id, state.org.id]);
  return `totalCount=${totalCount}`;
});

await call('organizations.getOrganizationList({organizationId,orderBy,includeMembersCount})', async () => {
  const byName = await clerk.organizations.getOrganizationList({
    organizationId: [state.org.id, state.beta.id],
    orderBy: '+name',
    includeMembersCount: true,
  });
  assert.equal(byName.totalCount, 2);
  assert.deepEqual(ids(byName.data), [state.org.id, state.beta.id], 'Acme before Beta');
  assert.deepEqual(byName.data.map((o) => o.membersCount), [1, 0]);
  const desc = await clerk.organizations.getOrganizationList({
    organizationId: [state.org.id, state.beta.id],
    orderBy: '-name',
    limit: 1,
    offset: 1,
  });
  assert.equal(desc.totalCount, 2);
  assert.deepEqual(ids(desc.data), [state.org.id]);
  assert.equal(desc.data[0].membersCount, undefined, 'only when asked');
  return 'ordered, paged, counted';
});

await call('organizations.getOrganizationList({query})', async () => {
  const bySlug = await clerk.organizations.getOrganizationList({ query: `${tag}-ac` });
  assert.deepEqual(ids(bySlug.data), [state.org.id]);
  const byId = await clerk.organizations.getOrganizationList({ query: state.beta.id });
  assert.deepEqual(ids(byId.data), [state.beta.id]);
  const none = await clerk.organizations.getOrganizationList({ query: `${tag}-nothing` });
  assert.equal(none.totalCount, 0);
  return 'slug part, exact id, nothing';
});

await call('organizations.getOrganization({organizationId|slug})', async () => {
  const byId = await clerk.organizations.getOrganization({ organizationId: state.org.id });
  assert.equal(byId.slug, `${tag}-acme`);
  assert.equal(byId.membersCount, undefined);
  const bySlug = await clerk.organizations.getOrganization({
    slug: `${tag}-acme`,
    includeMembersCount: true,
  });
  assert.equal(bySlug.id, state.org.id);
  assert.equal(bySlug.membersCount, 1);
  return apiError(clerk.organizations.getOrganization({ organizationId: 'org_nope' }), 404, 'resource_not_found');
});

await call('organizations.updateOrganization', async () => {
  const org = await clerk.organizations.updateOrganization(state.org.id, {
    name: 'Acme Corp',
    slug: `${tag}-acme-corp`,
    adminDeleteEnabled: false,
    maxAllowedMemberships: 3,
  });
  assert.equal(org.name, 'Acme Corp');
  assert.equal(org.slug, `${tag}-acme-corp`);
  assert.equal(org.adminDeleteEnabled, false);
  assert.equal(org.maxAllowedMemberships, 3);
  assert.ok(org.updatedAt >= state.org.updatedAt);
  assert.deepEqual(org.publicMetadata, { plan: 'pro', nested: { a: 1 } }, 'metadata kept');
  state.org = org;
  await apiError(
    clerk.organizations.updateOrganization(state.beta.id, { slug: `${tag}-acme-corp` }),
    422,
    'form_identifier_exists',
  );
  return apiError(clerk.organizations.updateOrganization('org_nope', { name: 'x' }), 404, 'resource_not_found');
});

await call('organizations.updateOrganization (metadata: PATCH then PUT …/metadata)', async () => {
  // The client's deprecated path: it sends the other fields, then replaces the metadata.
  const warn = console.warn;
  console.warn = () => {};
  try {
    const org = await clerk.organizations.updateOrganization(state.beta.id, {
      name: `Beta Two ${tag}`,
      publicMetadata: { replaced: true },
    });
    assert.equal(org.name, `Beta Two ${tag}`);
    assert.deepEqual(org.publicMetadata, { replaced: true });
    return 'renamed and replaced';
  } finally {
    console.warn = warn;
  }
});

await call('organizations.updateOrganizationMetadata (deep merge, null deletes)', async () => {
  const org = await clerk.organizations.updateOrganizationMetadata(state.org.id, {
    publicMetadata: { nested: { b: 2 }, plan: null },
    privateMetadata: { more: [1, 2] },
  });
  assert.deepEqual(org.publicMetadata, { nested: { a: 1, b: 2 } });
  assert.deepEqual(org.privateMetadata, { secret: 's', more: [1, 2] });
  return apiError(
    clerk.organizations.updateOrganizationMetadata('org_nope', { publicMetadata: {} }),
    404,
    'resource_not_found',
  );
});

await call('organizations.replaceOrganizationMetadata', async () => {
  const org = await clerk.organizations.replaceOrganizationMetadata(state.org.id, {
    publicMetadata: { only: 'this' },
  });
  assert.deepEqual(org.publicMetadata, { only: 'this' });
  assert.deepEqual(org.privateMetadata, { secret: 's', more: [1, 2] }, 'a field left out is kept');
  return 'replaced';
});

await call('organizations.updateOrganizationLogo (PNG)', async () => {
  const org = await clerk.organizations.updateOrganizationLogo(state.org.id, {
    file: new Blob([png], { type: 'image/png' }),
    uploaderUserId: state.owner.id,
  });
  assert.equal(org.hasImage, true);
  assert.notEqual(org.imageUrl, state.org.imageUrl);
  // The logo is served, without authentication, with the bytes uploaded.
  const res = await fetch(org.imageUrl);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), png);
  state.org = org;
  return org.imageUrl.replace(/^.*\/images\//, 'images/');
});

await call('organizations.updateOrganizationLogo (not an image, unknown org)', async () => {
  await apiError(
    clerk.organizations.updateOrganizationLogo(state.org.id, {
      file: new Blob(['just text'], { type: 'image/png' }),
    }),
    400,
    'request_body_invalid',
  );
  return apiError(
    clerk.organizations.updateOrganizationLogo('org_nope', { file: new Blob([png]) }),
    404,
    'resource_not_found',
  );
});

await call('organizations.deleteOrganizationLogo', async () => {
  const org = await clerk.organizations.deleteOrganizationLogo(state.org.id);
  assert.equal(org.id, state.org.id);
  assert.equal(org.hasImage, false);
  assert.equal((await fetch(state.org.imageUrl)).status, 404, 'the old logo is gone');
  return apiError(clerk.organizations.deleteOrganizationLogo('org_nope'), 404, 'resource_not_found');
});

await call('billing.getOrganizationBillingSubscription', async () => {
  await apiError(clerk.billing.getOrganizationBillingSubscription('org_nope'), 404, 'resource_not_found');
  return apiError(clerk.billing.getOrganizationBillingSubscription(state.org.id), 403, 'feature_not_enabled');
});

// Memberships.

await call('organizations.createOrganizationMembership', async () => {
  const m = await clerk.organizations.createOrganizationMembership({
    organizationId: state.org.id,
    userId: state.member.id,
    role: 'org:member',
  });
  assert.match(m.id, /^orgmem_/);
  assert.equal(m.role, 'org:member');
  assert.ok(m.permissions.includes('org:sys_memberships:read'));
  assert.ok(!m.permissions.includes('org:sys_memberships:manage'));
  assert.equal(m.organization.id, state.org.id);
  assert.equal(m.organization.slug, state.org.slug);
  assert.equal(m.publicUserData.userId, state.member.id);
  assert.equal(m.publicUserData.firstName, 'Mark');
  assert.equal(m.publicUserData.identifier, email('member'));
  assert.deepEqual(m.publicMetadata, {});
  state.membership = m;
  return m.id;
});

await call('organizations.createOrganizationMembership (member, role, user, quota)', async () => {
  await apiError(
    clerk.organizations.createOrganizationMembership({
      organizationId: state.org.id,
      userId: state.member.id,
      role: 'org:member',
    }),
    400,
    'already_a_member_in_organization',
  );
  await apiError(
    clerk.organizations.createOrganizationMembership({
      organizationId: state.org.id,
      userId: state.third.id,
      role: 'org:nope',
    }),
    404,
    'resource_not_found',
  );
  await apiError(
    clerk.organizations.createOrganizationMembership({
      organizationId: state.org.id,
      userId: 'user_nope',
      role: 'org:member',
    }),
    404,
    'resource_not_found',
  );
  // Two members in an organization now limited to two.
  await clerk.organizations.updateOrganization(state.org.id, { maxAllowedMemberships: 2 });
  await apiError(
    clerk.organizations.createOrganizationMembership({
      organizationId: state.org.id,
      userId: state.third.id,
      role: 'org:member',
    }),
    403,
    'organization_membership_quota_exceeded',
  );
  await clerk.organizations.updateOrganization(state.org.id, { maxAllowedMemberships: 0 });
  const third = await clerk.organizations.createOrganizationMembership({
    organizationId: state.org.id,
    userId: state.third.id,
    role: 'org:member',
  });
  assert.equal(third.publicUserData.userId, state.third.id);
  return 'already a member; no such role; no such user; over quota';
});

await call('organizations.getOrganizationMembershipList', async () => {
  const { data, totalCount } = await clerk.organizations.getOrganizationMembershipList({
    organizationId: state.org.id,
  });
  assert.equal(totalCount, 3);
  // Newest first.
  assert.deepEqual(
    data.map((m) => m.publicUserData.userId),
    [state.third.id, state.member.id, state.owner.id],
  );
  assert.equal(data[2].role, 'org:admin');
  assert.ok(data[2].permissions.includes('org:sys_memberships:manage'));
  return `totalCount=${totalCount}`;
});

await call('organizations.getOrganizationMembershipList (filters)', async () => {
  const list = (params) =>
    clerk.organizations
      .getOrganizationMembershipList({ organizationId: state.org.id, ...params })
      .then(({ data, totalCount }) => {
        assert.equal(totalCount, data.length);
        return data.map((m) => m.publicUserData.userId);
      });
  const { owner, member, third } = state;
  assert.deepEqual(await list({ role: ['org:admin'] }), [owner.id]);
  assert.deepEqual(await list({ role: ['org:admin', 'org:member'] }), [third.id, member.id, owner.id]);
  assert.deepEqual(await list({ userId: [member.id, owner.id] }), [member.id, owner.id]);
  assert.deepEqual(await list({ emailAddress: [email('third')] }), [third.id]);
  assert.deepEqual(await list({ username: [`${tag}_olive`] }), [owner.id]);
  assert.deepEqual(await list({ query: 'mark' }), [member.id]);
  assert.deepEqual(await list({ emailAddressQuery: `${tag}.own` }), [owner.id]);
  assert.deepEqual(await list({ usernameQuery: 'OLIVE' }), [owner.id]);
  assert.deepEqual(await list({ nameQuery: 'Mark Mem' }), [member.id]);
  assert.deepEqual(await list({ createdAtAfter: member.createdAt }), [third.id]);
  assert.deepEqual(await list({ createdAtBefore: member.createdAt + 1 }), [member.id, owner.id]);
  assert.deepEqual(await list({ orderBy: '+first_name' }), [member.id, owner.id, third.id]);
  // third > owner > member by address; the page's total is all three.
  const byEmail = await clerk.organizations.getOrganizationMembershipList({
    organizationId: state.org.id,
    orderBy: '-email_address',
    limit: 2,
    offset: 1,
  });
  assert.equal(byEmail.totalCount, 3);
  assert.deepEqual(byEmail.data.map((m) => m.publicUserData.userId), [owner.id, member.id]);
  const page = await clerk.organizations.getOrganizationMembershipList({
    organizationId: state.org.id,
    orderBy: '+created_at',
    limit: 1,
    offset: 1,
  });
  assert.equal(page.totalCount, 3);
  assert.deepEqual(page.data.map((m) => m.publicUserData.userId), [member.id]);
  return 'role, userId, emailAddress, username, *Query, createdAt*, orderBy, limit/offset';
});

await call('organizations.updateOrganizationMembership', async () => {
  const m = await clerk.organizations.updateOrganizationMembership({
    organizationId: state.org.id,
    userId: state.member.id,
    role: 'org:admin',
  });
  assert.equal(m.role, 'org:admin');
  assert.ok(m.permissions.includes('org:sys_memberships:manage'));
  assert.ok(m.updatedAt >= state.membership.updatedAt);
  const back = await clerk.organizations.updateOrganizationMembership({
    organizationId: state.org.id,
    userId: state.member.id,
    role: 'org:member',
  });
  assert.equal(back.role, 'org:member');
  await apiError(
    clerk.organizations.updateOrganizationMembership({
      organizationId: state.org.id,
      userId: state.member.id,
      role: 'org:nope',
    }),
    404,
    'resource_not_found',
  );
  return apiError(
    clerk.organizations.updateOrganizationMembership({
      organizationId: state.org.id,
      userId: 'user_nope',
      role: 'org:member',
    }),
    404,
    'resource_not_found',
  );
});

await call('organizations.updateOrganizationMembership (last admin)', () =>
  apiError(
    clerk.organizations.updateOrganizationMembership({
      organizationId: state.org.id,
      userId: state.owner.id,
      role: 'org:member',
    }),
    422,
    'organization_minimum_permissions_needed',
  ),
);

await call('organizations.updateOrganizationMembershipMetadata', async () => {
  const first = await clerk.organizations.updateOrganizationMembershipMetadata({
    organizationId: state.org.id,
    userId: state.member.id,
    publicMetadata: { team: 'red', deep: { x: 1 } },
    privateMetadata: { note: 'n' },
  });
  assert.deepEqual(first.publicMetadata, { team: 'red', deep: { x: 1 } });
  assert.deepEqual(first.privateMetadata, { note: 'n' });
  const merged = await clerk.organizations.updateOrganizationMembershipMetadata({
    organizationId: state.org.id,
    userId: state.member.id,
    publicMetadata: { deep: { y: 2 }, team: null },
  });
  assert.deepEqual(merged.publicMetadata, { deep: { x: 1, y: 2 } });
  assert.deepEqual(merged.privateMetadata, { note: 'n' });
  return apiError(
    clerk.organizations.updateOrganizationMembershipMetadata({
      organizationId: state.org.id,
      userId: state.beta.id,
      publicMetadata: {},
    }),
    404,
    'resource_not_found',
  );
});

await call('organizations.getInstanceOrganizationMembershipList', async () => {
  const { data, totalCount } = await clerk.organizations.getInstanceOrganizationMembershipList({
    limit: 500,
    orderBy: '-created_at',
  });
  assert.ok(totalCount >= 3);
  const mine = data.filter((m) => m.organization.id === state.org.id);
  assert.deepEqual(
    mine.map((m) => m.publicUserData.userId),
    [state.third.id, state.member.id, state.owner.id],
  );
  return `totalCount=${totalCount}`;
});

await call('users.getOrganizationMembershipList', async () => {
  await clerk.organizations.createOrganizationMembership({
    organizationId: state.beta.id,
    userId: state.member.id,
    role: 'org:admin',
  });
  const { data, totalCount } = await clerk.users.getOrganizationMembershipList({
    userId: state.member.id,
    limit: 10,
  });
  assert.equal(totalCount, 2);
  assert.deepEqual(
    data.map((m) => [m.organization.id, m.role]),
    [
      [state.beta.id, 'org:admin'],
      [state.org.id, 'org:member'],
    ],
  );
  const page = await clerk.users.getOrganizationMembershipList({ userId: state.member.id, limit: 1, offset: 1 });
  assert.deepEqual(page.data.map((m) => m.organization.id), [state.org.id]);
  return `totalCount=${totalCount}`;
});

// Invitations.

await call('organizations.createOrganizationInvitation', async () => {
  const inv = await clerk.organizations.createOrganizationInvitation({
    organizationId: org(),
    emailAddress: email('invitee'),
    role: 'org:member',
    inviterUserId: state.owner.id,
    expiresInDays: 7,
    redirectUrl: 'http://localhost:3000/welcome',
    publicMetadata: { from: 'js' },
    privateMetadata: { note: 'n' },
  });
  assert.match(inv.id, /^orginv_/);
  assert.equal(inv.emailAddress, email('invitee'));
  assert.equal(inv.role, 'org:member');
  assert.equal(inv.roleName, 'Member');
  assert.equal(inv.status, 'pending');
  assert.equal(inv.organizationId, org());
  assert.equal(inv.expiresAt - inv.createdAt, 7 * 24 * 3600 * 1000);
  assert.deepEqual(inv.publicMetadata, { from: 'js' });
  assert.deepEqual(inv.privateMetadata, { note: 'n' });
  // The link that accepts it: the Frontend API's, with the invitation's ticket.
  // (The server's own address, not the proxy's the suite talks through.)
  assert.equal(new URL(inv.url).searchParams.get('ticket').split('.').length, 3, inv.url);
  assert.match(inv.url, /\/__clerk\/v1\/tickets\/accept\?ticket=[\w-]+\.[\w-]+\.[\w-]+$/);
  state.invitation = inv;
  // The invitation email went out.
  const outbox = await local('GET', `outbox?type=email&to=${encodeURIComponent(email('invitee'))}`);
  assert.equal(outbox.total_count, 1);
  return inv.id;
});

await call('organizations.createOrganizationInvitation (errors)', async () => {
  const invite = (params) =>
    clerk.organizations.createOrganizationInvitation({ organizationId: org(), role: 'org:member', ...params });
  await apiError(invite({ emailAddress: email('invitee') }), 400, 'organization_invitation_not_unique');
  await apiError(invite({ emailAddress: email('member') }), 400, 'already_a_member_in_organization');
  await apiError(
    invite({ emailAddress: email('other'), inviterUserId: state.member.id }),
    403,
    'not_an_admin_in_organization',
  );
  await apiError(invite({ emailAddress: email('other'), role: 'org:nope' }), 404, 'resource_not_found');
  // Three members and one pending invitation fill an organization limited to four.
  await clerk.organizations.updateOrganization(org(), { maxAllowedMemberships: 4 });
  await apiError(invite({ emailAddress: email('other') }), 403, 'organization_membership_quota_exceeded');
  await clerk.organizations.updateOrganization(org(), { maxAllowedMemberships: 0 });
  return apiError(
    clerk.organizations.createOrganizationInvitation({
      organizationId: 'org_nope',
      emailAddress: email('other'),
      role: 'org:member',
    }),
    404,
    'resource_not_found',
  );
});

await call('organizations.createOrganizationInvitationBulk', async () => {
  const { data, totalCount } = await clerk.organizations.createOrganizationInvitationBulk(org(), [
    { emailAddress: email('bulk1'), role: 'org:admin', inviterUserId: state.owner.id },
    { emailAddress: email('guest'), role: 'org:member', publicMetadata: { bulk: true } },
  ]);
  assert.equal(totalCount, 2);
  assert.deepEqual(
    data.map((i) => [i.emailAddress, i.role, i.status]),
    [
      [email('bulk1'), 'org:admin', 'pending'],
      [email('guest'), 'org:member', 'pending'],
    ],
  );
  state.guestInvitation = data[1];
  return apiError(
    clerk.organizations.createOrganizationInvitationBulk(org(), [
      { emailAddress: email('bulk2'), role: 'org:member' },
      { emailAddress: email('bulk1'), role: 'org:member' },
    ]),
    400,
    'organization_invitation_not_unique',
  );
});

await call('organizations.getOrganizationInvitation', async () => {
  const inv = await clerk.organizations.getOrganizationInvitation({
    organizationId: org(),
    invitationId: state.invitation.id,
  });
  assert.equal(inv.id, state.invitation.id);
  assert.equal(inv.emailAddress, email('invitee'));
  assert.equal(inv.status, 'pending');
  return apiError(
    clerk.organizations.getOrganizationInvitation({ organizationId: org(), invitationId: 'orginv_nope' }),
    404,
    'resource_not_found',
  );
});

await call('organizations.revokeOrganizationInvitation', async () => {
  await apiError(
    clerk.organizations.revokeOrganizationInvitation({
      organizationId: org(),
      invitationId: state.invitation.id,
      requestingUserId: state.member.id,
    }),
    403,
    'not_an_admin_in_organization',
  );
  const inv = await clerk.organizations.revokeOrganizationInvitation({
    organizationId: org(),
    invitationId: state.invitation.id,
    requestingUserId: state.owner.id,
  });
  assert.equal(inv.status, 'revoked');
  return apiError(
    clerk.organizations.revokeOrganizationInvitation({ organizationId: org(), invitationId: state.invitation.id }),
    400,
    'organization_invitation_not_pending',
  );
});

await call('organizations.getOrganizationInvitationList({status,limit,offset})', async () => {
  const all = await clerk.organizations.getOrganizationInvitationList({ organizationId: org() });
  assert.equal(all.totalCount, 3);
  const pending = await clerk.organizations.getOrganizationInvitationList({
    organizationId: org(),
    status: ['pending'],
  });
  assert.deepEqual(new Set(pending.data.map((i) => i.emailAddress)), new Set([email('bulk1'), email('guest')]));
  const revoked = await clerk.organizations.getOrganizationInvitationList({
    organizationId: org(),
    status: ['revoked'],
  });
  assert.deepEqual(ids(revoked.data), [state.invitation.id]);
  const page = await clerk.organizations.getOrganizationInvitationList({ organizationId: org(), limit: 1, offset: 1 });
  assert.equal(page.totalCount, 3);
  assert.equal(page.data.length, 1);
  return apiError(
    clerk.organizations.getOrganizationInvitationList({ organizationId: 'org_nope' }),
    404,
    'resource_not_found',
  );
});

await call('users.getOrganizationInvitationList({userId,status})', async () => {
  const { data, totalCount } = await clerk.users.getOrganizationInvitationList({
    userId: state.guest.id,
    status: 'pending',
  });
  assert.equal(totalCount, 1);
  assert.equal(data[0].id, state.guestInvitation.id);
  assert.equal(data[0].publicOrganizationData?.id ?? org(), org());
  const none = await clerk.users.getOrganizationInvitationList({ userId: state.guest.id, status: 'revoked' });
  assert.equal(none.totalCount, 0);
  return `totalCount=${totalCount}`;
});

await call('invitation accepted (local extension): a member, listed as accepted', async () => {
  // What the guest's click on the email's link does.
  const accepted = await local('POST', `organization_invitations/${state.guestInvitation.id}/accept`);
  assert.equal(accepted.status, 'accepted');
  const { data } = await clerk.organizations.getOrganizationMembershipList({
    organizationId: org(),
    userId: [state.guest.id],
  });
  assert.equal(data[0].role, 'org:member');
  assert.deepEqual(data[0].publicMetadata, { bulk: true }, "the invitation's metadata");
  const mine = await clerk.users.getOrganizationInvitationList({ userId: state.guest.id, status: 'accepted' });
  assert.deepEqual(ids(mine.data), [state.guestInvitation.id]);
  return apiError(
    clerk.organizations.revokeOrganizationInvitation({ organizationId: org(), invitationId: state.guestInvitation.id }),
    400,
    'organization_invitation_already_accepted',
  );
});

// Domains. The client returns them as raw snake_case JSON: its deserializer has no
// `organization_domain` class.

const domain = `${tag}.example.com`;

await call('organizations.createOrganizationDomain', async () => {
  const d = await clerk.organizations.createOrganizationDomain({
    organizationId: org(),
    name: domain.toUpperCase(),
    enrollmentMode: 'automatic_invitation',
  });
  assert.equal(d.object, 'organization_domain');
  assert.match(d.id, /^orgdmn_/);
  assert.equal(d.name, domain);
  assert.equal(d.organization_id, org());
  assert.equal(d.enrollment_mode, 'automatic_invitation');
  // The client sends verified: true unless told otherwise.
  assert.equal(d.verification.status, 'verified');
  assert.equal(d.total_pending_invitations, 0);
  assert.equal(d.total_pending_suggestions, 0);
  state.domain = d;
  const other = await clerk.organizations.createOrganizationDomain({
    organizationId: org(),
    name: `other.${domain}`,
    enrollmentMode: 'manual_invitation',
    verified: false,
  });
  assert.equal(other.verification, null);
  state.otherDomain = other;
  return d.id;
});

await call('organizations.createOrganizationDomain (errors)', async () => {
  const create = (name, organizationId = org()) =>
    clerk.organizations.createOrganizationDomain({ organizationId, name, enrollmentMode: 'manual_invitation' });
  await apiError(create('gmail.com'), 422, 'organization_domain_common');
  await apiError(create('not a domain'), 422, 'form_param_format_invalid');
  return apiError(create(`x.${domain}`, 'org_nope'), 404, 'resource_not_found');
});

await call('organizations.getOrganizationDomainList', async () => {
  const { data, totalCount } = await clerk.organizations.getOrganizationDomainList({ organizationId: org() });
  assert.equal(totalCount, 2);
  assert.deepEqual(new Set(data.map((d) => d.id)), new Set([state.domain.id, state.otherDomain.id]));
  const page = await clerk.organizations.getOrganizationDomainList({ organizationId: org(), limit: 1, offset: 1 });
  assert.equal(page.totalCount, 2);
  assert.equal(page.data.length, 1);
  return `totalCount=${totalCount}`;
});

await call('organizations.updateOrganizationDomain', async () => {
  const d = await clerk.organizations.updateOrganizationDomain({
    organizationId: org(),
    domainId: state.otherDomain.id,
    enrollmentMode: 'automatic_suggestion',
    verified: true,
  });
  assert.equal(d.enrollment_mode, 'automatic_suggestion');
  assert.equal(d.verification.status, 'verified');
  return apiError(
    clerk.organizations.updateOrganizationDomain({
      organizationId: org(),
      domainId: 'orgdmn_nope',
      verified: true,
    }),
    404,
    'resource_not_found',
  );
});

await call('organizations.deleteOrganizationDomain', async () => {
  const deleted = await clerk.organizations.deleteOrganizationDomain({
    organizationId: org(),
    domainId: state.otherDomain.id,
  });
  assert.equal(deleted.object, 'organization_domain');
  assert.equal(deleted.id, state.otherDomain.id);
  assert.equal(deleted.deleted, true);
  const { totalCount } = await clerk.organizations.getOrganizationDomainList({ organizationId: org() });
  assert.equal(totalCount, 1);
  return apiError(
    clerk.organizations.deleteOrganizationDomain({ organizationId: org(), domainId: state.otherDomain.id }),
    404,
    'resource_not_found',
  );
});

// Organization claims in session tokens, read by the client's verifiers.

const pem = (await local('GET', 'keys')).data.find((k) => k.status === 'active').public_key_pem;
// A publishable key names the Frontend API host; with jwtKey it is only parsed.
const publishableKey = `pk_test_${Buffer.from('clerk.example.com$').toString('base64')}`;

/** `authenticateRequest` of a request bearing `jwt`, as a signed-in auth object. */
async function authOf(jwt) {
  const request = new Request('http://localhost:3000/api', { headers: { Authorization: `Bearer ${jwt}` } });
  const result = await clerk.authenticateRequest(request, { jwtKey: pem, publishableKey, secretKey });
  assert.equal(result.status, 'signed-in', result.reason);
  return result.toAuth();
}

/** A v1 token (API version 2021-02-05, which the client cannot ask for) for a session. */
async function v1Token(sessionId) {
  const { status, body } = await bapi('POST', `sessions/${sessionId}/tokens`, { version: '2021-02-05' });
  assert.equal(status, 200);
  return body.jwt;
}

await call('sessions.createSession({activeOrganizationId})', async () => {
  // Typed with userId only; the client snake-cases any key it is given.
  state.ownerSession = await clerk.sessions.createSession({
    userId: state.owner.id,
    activeOrganizationId: state.org.id,
  });
  state.memberSession = await clerk.sessions.createSession({
    userId: state.member.id,
    activeOrganizationId: state.org.id,
  });
  assert.equal(state.ownerSession.userId, state.owner.id);
  return apiError(
    clerk.sessions.createSession({ userId: state.owner.id, activeOrganizationId: state.beta.id }),
    404,
    'organization_not_found_or_unauthorized',
  );
});

await call('org claims v2: getToken, authenticateRequest, has()', async () => {
  const { jwt } = await clerk.sessions.getToken(state.ownerSession.id);
  const claims = claimsOf(jwt);
  assert.equal(claims.v, 2);
  assert.equal(claims.o.id, state.org.id);
  assert.equal(claims.o.slg, state.org.slug);
  assert.equal(claims.o.rol, 'admin');
  assert.equal((await verifyToken(jwt, { jwtKey: pem })).o.id, state.org.id);
  const auth = await authOf(jwt);
  assert.equal(auth.userId, state.owner.id);
  assert.equal(auth.orgId, state.org.id);
  assert.equal(auth.orgRole, 'org:admin');
  assert.equal(auth.orgSlug, state.org.slug);
  assert.equal(auth.has({ role: 'org:admin' }), true);
  assert.equal(auth.has({ role: 'admin' }), true);
  assert.equal(auth.has({ role: 'org:member' }), false);
  // System permissions stay out of tokens (as in Clerk): has() is false for them.
  assert.equal(auth.has({ permission: 'org:sys_memberships:manage' }), false);
  const member = await authOf((await clerk.sessions.getToken(state.memberSession.id)).jwt);
  assert.equal(member.orgRole, 'org:member');
  assert.equal(member.has({ role: 'org:admin' }), false);
  assert.equal(member.has({ role: 'org:member' }), true);
  return `orgRole=${auth.orgRole} orgSlug=${auth.orgSlug}`;
});

await call('org claims v1: tokens of API version 2021-02-05, has()', async () => {
  const jwt = await v1Token(state.ownerSession.id);
  const claims = claimsOf(jwt);
  assert.equal(claims.v, undefined);
  assert.equal(claims.org_id, state.org.id);
  assert.equal(claims.org_slug, state.org.slug);
  assert.equal(claims.org_role, 'org:admin');
  const auth = await authOf(jwt);
  assert.equal(auth.orgId, state.org.id);
  assert.equal(auth.orgRole, 'org:admin');
  assert.equal(auth.orgSlug, state.org.slug);
  assert.equal(auth.has({ role: 'org:admin' }), true);
  assert.equal(auth.has({ permission: 'org:sys_memberships:manage' }), false);
  const member = await authOf(await v1Token(state.memberSession.id));
  assert.equal(member.orgRole, 'org:member');
  assert.equal(member.has({ role: 'org:admin' }), false);
  return `org_role=${claims.org_role}`;
});

await call('org claims follow the membership (role change, removal)', async () => {
  await clerk.organizations.updateOrganizationMembership({
    organizationId: state.org.id,
    userId: state.member.id,
    role: 'org:admin',
  });
  const promoted = await authOf((await clerk.sessions.getToken(state.memberSession.id)).jwt);
  assert.equal(promoted.has({ role: 'org:admin' }), true);
  await clerk.organizations.updateOrganizationMembership({
    organizationId: state.org.id,
    userId: state.member.id,
    role: 'org:member',
  });
  return 'the next token carries the new role';
});

// Roles and permissions (the instance's catalog).

const accountant = `org:accountant_${tag}`;

await call('organizationPermissions.getOrganizationPermissionList (system)', async () => {
  const { data, totalCount } = await clerk.organizationPermissions.getOrganizationPermissionList({
    query: 'sys_memberships',
    orderBy: '+key',
  });
  assert.deepEqual(
    data.map((p) => p.key),
    ['org:sys_memberships:manage', 'org:sys_memberships:read'],
  );
  assert.equal(totalCount, 2);
  state.sysManage = data[0];
  state.sysRead = data[1];
  return `totalCount=${totalCount}`;
});

await call('organizationPermissions.createOrganizationPermission', async () => {
  const p = await clerk.organizationPermissions.createOrganizationPermission({
    name: 'Read invoices',
    key: 'org:invoices:read',
    description: 'Reads the invoices',
  });
  assert.match(p.id, /^perm_/);
  assert.equal(p.key, 'org:invoices:read');
  assert.equal(p.name, 'Read invoices');
  assert.equal(p.description, 'Reads the invoices');
  assert.equal(typeof p.createdAt, 'number');
  state.invoices = p;
  const create = (key) => clerk.organizationPermissions.createOrganizationPermission({ name: 'x', key });
  await apiError(create('org:invoices:read'), 422, 'form_identifier_exists');
  await apiError(create('invoices:read'), 422, 'form_param_format_invalid');
  await apiError(create('org:sys_invoices:read'), 422, 'form_param_value_invalid');
  return p.id;
});

await call('organizationPermissions.getOrganizationPermission', async () => {
  const p = await clerk.organizationPermissions.getOrganizationPermission(state.invoices.id);
  assert.equal(p.key, 'org:invoices:read');
  const list = await clerk.organizationPermissions.getOrganizationPermissionList({ query: 'invoices' });
  assert.deepEqual(ids(list.data), [state.invoices.id]);
  return apiError(clerk.organizationPermissions.getOrganizationPermission('perm_nope'), 404, 'resource_not_found');
});

await call('organizationPermissions.updateOrganizationPermission', async () => {
  const p = await clerk.organizationPermissions.updateOrganizationPermission({
    permissionId: state.invoices.id,
    name: 'Invoices: read',
    description: 'Can read invoices',
  });
  assert.equal(p.name, 'Invoices: read');
  assert.equal(p.description, 'Can read invoices');
  assert.equal(p.key, 'org:invoices:read');
  return apiError(
    clerk.organizationPermissions.updateOrganizationPermission({ permissionId: state.sysManage.id, name: 'x' }),
    403,
    'organization_system_permission_not_modifiable',
  );
});

await call('organizationRoles.getOrganizationRoleList', async () => {
  const { data } = await clerk.organizationRoles.getOrganizationRoleList({ limit: 500, orderBy: '+key' });
  const admin = data.find((r) => r.key === 'org:admin');
  const member = data.find((r) => r.key === 'org:member');
  assert.equal(admin.isCreatorEligible, true);
  assert.equal(member.isCreatorEligible, false);
  assert.ok(admin.permissions.some((p) => p.key === 'org:sys_memberships:manage'));
  return `${data.length} roles`;
});

await call('organizationRoles.createOrganizationRole', async () => {
  const role = await clerk.organizationRoles.createOrganizationRole({
    name: 'Accountant',
    key: accountant,
    description: 'Keeps the books',
    permissions: [state.sysRead.id],
    includeInInitialRoleSet: true,
  });
  assert.match(role.id, /^role_/);
  assert.equal(role.key, accountant);
  assert.equal(role.name, 'Accountant');
  assert.equal(role.description, 'Keeps the books');
  assert.equal(role.isCreatorEligible, false);
  assert.deepEqual(role.permissions.map((p) => p.key), ['org:sys_memberships:read']);
  state.accountant = role;
  await apiError(
    clerk.organizationRoles.createOrganizationRole({ name: 'x', key: 'accountant' }),
    422,
    'form_param_format_invalid',
  );
  return apiError(
    clerk.organizationRoles.createOrganizationRole({ name: 'x', key: `org:x_${tag}`, permissions: ['perm_nope'] }),
    404,
    'resource_not_found',
  );
});

await call('organizationRoles.getOrganizationRole / list({query})', async () => {
  const role = await clerk.organizationRoles.getOrganizationRole(state.accountant.id);
  assert.equal(role.key, accountant);
  const { data } = await clerk.organizationRoles.getOrganizationRoleList({ query: `accountant_${tag}` });
  assert.deepEqual(ids(data), [state.accountant.id]);
  return apiError(clerk.organizationRoles.getOrganizationRole('role_nope'), 404, 'resource_not_found');
});

await call('organizationRoles.updateOrganizationRole', async () => {
  const role = await clerk.organizationRoles.updateOrganizationRole({
    organizationRoleId: state.accountant.id,
    name: 'Accountants',
    description: 'Keep the books',
  });
  assert.equal(role.name, 'Accountants');
  assert.equal(role.description, 'Keep the books');
  assert.equal(role.key, accountant);
  return apiError(
    clerk.organizationRoles.updateOrganizationRole({ organizationRoleId: 'role_nope', name: 'x' }),
    404,
    'resource_not_found',
  );
});

await call('organizationRoles.assignPermissionToOrganizationRole', async () => {
  const role = await clerk.organizationRoles.assignPermissionToOrganizationRole({
    organizationRoleId: state.accountant.id,
    permissionId: state.invoices.id,
  });
  assert.deepEqual(role.permissions.map((p) => p.key).sort(), ['org:invoices:read', 'org:sys_memberships:read']);
  return apiError(
    clerk.organizationRoles.assignPermissionToOrganizationRole({
      organizationRoleId: state.accountant.id,
      permissionId: state.invoices.id,
    }),
    409,
    'organization_role_permission_association_exists',
  );
});

await call('custom permission in tokens: has({permission}) (v2 and v1)', async () => {
  // The member becomes an accountant (a role of the initial role set, which the
  // organization uses): the role's own permission shows in tokens, system ones do not.
  const m = await clerk.organizations.updateOrganizationMembership({
    organizationId: state.org.id,
    userId: state.member.id,
    role: accountant,
  });
  assert.ok(m.permissions.includes('org:invoices:read'));
  const { jwt } = await clerk.sessions.getToken(state.memberSession.id);
  const claims = claimsOf(jwt);
  assert.equal(claims.o.rol, `accountant_${tag}`);
  assert.equal(claims.fea, 'o:invoices');
  assert.equal(claims.o.per, 'read');
  assert.equal(claims.o.fpm, '1');
  const v2 = await authOf(jwt);
  assert.equal(v2.orgRole, accountant);
  assert.equal(v2.has({ role: accountant }), true);
  assert.equal(v2.has({ permission: 'org:invoices:read' }), true);
  assert.equal(v2.has({ permission: 'invoices:read' }), true);
  assert.equal(v2.has({ permission: 'org:sys_memberships:manage' }), false);
  assert.equal(v2.has({ permission: 'org:sys_memberships:read' }), false);
  const v1Jwt = await v1Token(state.memberSession.id);
  assert.deepEqual(claimsOf(v1Jwt).org_permissions, ['org:invoices:read']);
  const v1 = await authOf(v1Jwt);
  assert.equal(v1.has({ permission: 'org:invoices:read' }), true);
  assert.equal(v1.has({ permission: 'org:sys_memberships:manage' }), false);
  return 'org:invoices:read granted in v2 (fea/per/fpm) and v1 (org_permissions)';
});

await call('organizationRoles.deleteOrganizationRole (in use)', () =>
  apiError(
    clerk.organizationRoles.deleteOrganizationRole(state.accountant.id),
    422,
    'organization_role_assigned_members',
  ),
);

await call('organizationRoles.removePermissionFromOrganizationRole', async () => {
  const role = await clerk.organizationRoles.removePermissionFromOrganizationRole({
    organizationRoleId: state.accountant.id,
    permissionId: state.invoices.id,
  });
  assert.deepEqual(role.permissions.map((p) => p.key), ['org:sys_memberships:read']);
  const auth = await authOf((await clerk.sessions.getToken(state.memberSession.id)).jwt);
  assert.equal(auth.has({ permission: 'org:invoices:read' }), false, 'the next token lost it');
  return apiError(
    clerk.organizationRoles.removePermissionFromOrganizationRole({
      organizationRoleId: state.accountant.id,
      permissionId: state.invoices.id,
    }),
    404,
    'organization_role_permission_association_not_found',
  );
});

// Role sets.

const team = `role_set:team_${tag}`;

await call('roleSets.getRoleSetList / getRoleSet (the initial set)', async () => {
  const { data, totalCount } = await clerk.roleSets.getRoleSetList({ limit: 500 });
  assert.ok(totalCount >= 1);
  assert.ok(data.some((s) => s.key === 'role_set:default'));
  const initial = await clerk.roleSets.getRoleSet('role_set:default');
  assert.equal(initial.key, 'role_set:default');
  assert.equal(initial.type, 'initial');
  const keys = initial.roles.map((r) => r.key);
  assert.ok(keys.includes('org:admin') && keys.includes('org:member'));
  assert.equal((await clerk.roleSets.getRoleSet(initial.id)).key, 'role_set:default', 'by id too');
  return apiError(clerk.roleSets.getRoleSet('role_set:nope'), 404, 'resource_not_found');
});

await call('roleSets.createRoleSet', async () => {
  const set = await clerk.roleSets.createRoleSet({
    name: `Team ${tag}`,
    key: team,
    description: 'A smaller set',
    roles: ['org:admin', 'org:member'],
    defaultRoleKey: 'org:member',
    creatorRoleKey: 'org:admin',
  });
  assert.equal(set.key, team);
  assert.equal(set.name, `Team ${tag}`);
  assert.equal(set.description, 'A smaller set');
  assert.equal(set.type, 'custom');
  assert.deepEqual(set.roles.map((r) => r.key).sort(), ['org:admin', 'org:member']);
  state.team = set;
  await apiError(
    clerk.roleSets.createRoleSet({
      name: 'x',
      roles: ['org:nope'],
      defaultRoleKey: 'org:nope',
      creatorRoleKey: 'org:nope',
    }),
    404,
    'resource_not_found',
  );
  return apiError(
    clerk.roleSets.createRoleSet({
      name: 'x',
      roles: ['org:admin', 'org:member'],
      defaultRoleKey: 'org:member',
      creatorRoleKey: 'org:member',
    }),
    422,
    'organization_missing_creator_role_permissions',
  );
});

await call('roleSets.updateRoleSet', async () => {
  const set = await clerk.roleSets.updateRoleSet({
    roleSetKeyOrId: team,
    name: `Team Two ${tag}`,
    description: 'Renamed',
  });
  assert.equal(set.name, `Team Two ${tag}`);
  assert.equal(set.description, 'Renamed');
  assert.equal(set.key, team);
  return apiError(
    clerk.roleSets.updateRoleSet({ roleSetKeyOrId: 'role_set:nope', name: 'x' }),
    404,
    'resource_not_found',
  );
});

await call('roleSets.addRolesToRoleSet', async () => {
  const role = await clerk.organizationRoles.createOrganizationRole({ name: 'Viewer', key: `org:viewer_${tag}` });
  state.viewer = role;
  const set = await clerk.roleSets.addRolesToRoleSet({
    roleSetKeyOrId: team,
    roleKeys: [role.key],
    defaultRoleKey: role.key,
  });
  assert.deepEqual(set.roles.map((r) => r.key).sort(), ['org:admin', 'org:member', role.key].sort());
  assert.equal(set.defaultRole.key, role.key);
  return apiError(
    clerk.roleSets.addRolesToRoleSet({ roleSetKeyOrId: team, roleKeys: ['org:nope'] }),
    404,
    'resource_not_found',
  );
});

await call('roleSets.replaceRoleInRoleSet', async () => {
  // An organization of the set whose member has the role being replaced.
  state.teamOrg = await clerk.organizations.createOrganization({
    name: `Team org ${tag}`,
    createdBy: state.owner.id,
    roleSetKey: team, // untyped in JS; sent as role_set_key
  });
  await clerk.organizations.createOrganizationMembership({
    organizationId: state.teamOrg.id,
    userId: state.third.id,
    role: state.viewer.key,
  });
  const set = await clerk.roleSets.replaceRoleInRoleSet({
    roleSetKeyOrId: team,
    roleKey: state.viewer.key,
    toRoleKey: 'org:member',
  });
  assert.deepEqual(set.roles.map((r) => r.key).sort(), ['org:admin', 'org:member']);
  assert.equal(set.defaultRole.key, 'org:member', 'the replacement takes its place');
  const { data } = await clerk.organizations.getOrganizationMembershipList({
    organizationId: state.teamOrg.id,
    userId: [state.third.id],
  });
  assert.equal(data[0].role, 'org:member', 'the member was reassigned');
  return apiError(
    clerk.roleSets.replaceRoleInRoleSet({ roleSetKeyOrId: team, roleKey: 'org:member', toRoleKey: 'org:member' }),
    422,
    'form_param_value_invalid',
  );
});

await call('roleSets.replaceRoleSet', async () => {
  const deleted = await clerk.roleSets.replaceRoleSet({
    roleSetKeyOrId: team,
    destRoleSetKey: 'role_set:default',
  });
  assert.equal(deleted.deleted, true);
  assert.equal(deleted.id, state.team.id);
  const org = await clerk.organizations.getOrganization({ organizationId: state.teamOrg.id });
  assert.equal(org.raw.role_set_key, 'role_set:default', 'the organization moved');
  await apiError(clerk.roleSets.getRoleSet(team), 404, 'resource_not_found');
  await clerk.organizations.deleteOrganization(state.teamOrg.id);
  await clerk.organizationRoles.deleteOrganizationRole(state.viewer.id);
  return apiError(
    clerk.roleSets.replaceRoleSet({ roleSetKeyOrId: 'role_set:nope', destRoleSetKey: 'role_set:default' }),
    404,
    'resource_not_found',
  );
});

// Removing members.

await call('organizations.deleteOrganizationMembership', async () => {
  const m = await clerk.organizations.deleteOrganizationMembership({
    organizationId: state.org.id,
    userId: state.third.id,
  });
  assert.equal(m.publicUserData.userId, state.third.id);
  assert.equal(m.organization.id, state.org.id);
  const { totalCount } = await clerk.organizations.getOrganizationMembershipList({ organizationId: state.org.id });
  assert.equal(totalCount, 3, 'the owner, the member and the guest');
  await apiError(
    clerk.organizations.deleteOrganizationMembership({ organizationId: state.org.id, userId: state.third.id }),
    404,
    'resource_not_found',
  );
  return apiError(
    clerk.organizations.deleteOrganizationMembership({ organizationId: state.org.id, userId: state.owner.id }),
    422,
    'organization_minimum_permissions_needed',
  );
});

await call('member removed: tokens lose the organization', async () => {
  await clerk.organizations.deleteOrganizationMembership({ organizationId: state.org.id, userId: state.member.id });
  const { jwt } = await clerk.sessions.getToken(state.memberSession.id);
  assert.equal(claimsOf(jwt).o, undefined);
  const auth = await authOf(jwt);
  assert.equal(auth.orgId, undefined);
  assert.equal(auth.has({ role: 'org:member' }), false);
  return 'no o claim';
});

// Deleting organizations and the users.

await call('organizations.deleteOrganization', async () => {
  const deleted = await clerk.organizations.deleteOrganization(state.org.id);
  assert.equal(deleted.object, 'organization');
  assert.equal(deleted.id, state.org.id);
  assert.equal(deleted.deleted, true);
  await apiError(clerk.organizations.getOrganization({ organizationId: state.org.id }), 404, 'resource_not_found');
  await clerk.organizations.deleteOrganization(state.beta.id);
  const { jwt } = await clerk.sessions.getToken(state.ownerSession.id);
  assert.equal(claimsOf(jwt).o, undefined, 'the active organization is cleared');
  return apiError(clerk.organizations.deleteOrganization(state.org.id), 404, 'resource_not_found');
});

await call('organizationRoles.deleteOrganizationRole', async () => {
  const deleted = await clerk.organizationRoles.deleteOrganizationRole(state.accountant.id);
  assert.equal(deleted.object, 'role');
  assert.equal(deleted.id, state.accountant.id);
  assert.equal(deleted.deleted, true);
  return apiError(clerk.organizationRoles.deleteOrganizationRole(state.accountant.id), 404, 'resource_not_found');
});

await call('organizationPermissions.deleteOrganizationPermission', async () => {
  const deleted = await clerk.organizationPermissions.deleteOrganizationPermission(state.invoices.id);
  assert.equal(deleted.object, 'permission');
  assert.equal(deleted.id, state.invoices.id);
  assert.equal(deleted.deleted, true);
  await apiError(
    clerk.organizationPermissions.deleteOrganizationPermission(state.sysManage.id),
    403,
    'organization_system_permission_not_modifiable',
  );
  return apiError(
    clerk.organizationPermissions.deleteOrganizationPermission(state.invoices.id),
    404,
    'resource_not_found',
  );
});

await call('teardown: users.deleteUser ×4', async () => {
  for (const user of [state.owner, state.member, state.third, state.guest]) {
    if (user) await clerk.users.deleteUser(user.id);
  }
  return 'deleted';
});

finish();
