// Organization management in clerk-js, two browsers at once: an administrator invites a
// member (`organization.inviteMember`), the invited user (signed in in another browser
// profile) finds the invitation with `user.getOrganizationInvitations()` and accepts it, the
// administrator lists the members and changes the new member's role, the member lists its
// sessions (`user.getSessions()`) and revokes one. The Backend API sees every change, and no
// Frontend API request of the flow fails. (The prebuilt components are not mounted: clerk-js
// 6.40.0's browser build renders them only with `@clerk/ui`'s `ClerkUI` given to
// `Clerk.load`, which the harness does not pin.)

import {
  assert,
  assertEqual,
  bapi,
  check,
  clerkPage,
  finish,
  openClerk,
  pageServer,
  startBrowser,
} from './harness.mjs';

const stamp = Date.now();
const adminEmail = `org.admin${stamp}@example.com`;
const memberEmail = `org.member${stamp}@example.com`;
const password = 'correct horse battery staple';
const admin = await bapi('POST', '/users', { email_address: [adminEmail], password });
const member = await bapi('POST', '/users', { email_address: [memberEmail], password });
const { publishable_key: publishableKey } = await bapi('GET', '/instance');
const pages = await pageServer({ '/': clerkPage(publishableKey) });
const browser = await startBrowser();

async function signedIn(email) {
  const context = await browser.newContext();
  const page = await openClerk(context, pages.origin);
  await page.evaluate(
    async ([identifier, password]) => {
      const signIn = await window.Clerk.client.signIn.create({ identifier, password });
      await window.Clerk.setActive({ session: signIn.createdSessionId });
    },
    [email, password],
  );
  return page;
}

const adminPage = await signedIn(adminEmail);
const memberPage = await signedIn(memberEmail);
let orgId;
let invitationId;

await check('the administrator invites a member (organization.inviteMember)', async () => {
  const result = await adminPage.evaluate(async (memberEmail) => {
    const org = await window.Clerk.createOrganization({ name: 'Component Org' });
    await window.Clerk.setActive({ organization: org.id });
    const invitation = await window.Clerk.organization.inviteMember({
      emailAddress: memberEmail,
      role: 'org:member',
    });
    return { orgId: org.id, id: invitation.id, status: invitation.status };
  }, memberEmail);
  orgId = result.orgId;
  invitationId = result.id;
  assertEqual(result.status, 'pending', 'invitation status');
  const seen = await bapi('GET', `/organizations/${orgId}/invitations/${invitationId}`);
  assertEqual(seen.email_address, memberEmail, 'the Backend API invitation');
  assertEqual(seen.inviter_id, admin.id, 'its inviter');
});

await check('the member finds the invitation and accepts it', async () => {
  const result = await memberPage.evaluate(async () => {
    const list = await window.Clerk.user.getOrganizationInvitations({ status: 'pending' });
    const invitation = list.data[0];
    const accepted = await invitation.accept();
    await window.Clerk.user.reload();
    return {
      total: list.total_count,
      id: invitation.id,
      orgName: invitation.publicOrganizationData.name,
      status: accepted.status,
      memberships: window.Clerk.user.organizationMemberships.map((m) => m.organization.id),
    };
  });
  assertEqual(result.total, 1, 'invitations listed');
  assertEqual(result.id, invitationId, 'the invitation');
  assertEqual(result.orgName, 'Component Org', 'its organization');
  assertEqual(result.status, 'accepted', 'accepted');
  assert(result.memberships.includes(orgId), `memberships: ${result.memberships}`);
  const seen = await bapi('GET', `/organizations/${orgId}/memberships`);
  const mine = seen.data.find((m) => m.public_user_data.user_id === member.id);
  assertEqual(mine?.role, 'org:member', 'the Backend API membership');
});

await check('the administrator lists the members and changes the role', async () => {
  const result = await adminPage.evaluate(async (memberId) => {
    const list = await window.Clerk.organization.getMemberships();
    const theirs = list.data.find((m) => m.publicUserData.userId === memberId);
    const updated = await theirs.update({ role: 'org:admin' });
    return { total: list.total_count, role: updated.role };
  }, member.id);
  assertEqual(result.total, 2, 'members listed');
  assertEqual(result.role, 'org:admin', 'the new role');
  const seen = await bapi('GET', `/organizations/${orgId}/memberships`);
  const theirs = seen.data.find((m) => m.public_user_data.user_id === member.id);
  assertEqual(theirs?.role, 'org:admin', 'the role through the Backend API');
});

await check('the member lists its sessions and revokes another one', async () => {
  const other = await bapi('POST', '/sessions', { user_id: member.id });
  const result = await memberPage.evaluate(async (otherId) => {
    const sessions = await window.Clerk.user.getSessions();
    const target = sessions.find((s) => s.id === otherId);
    const revoked = await target.revoke();
    const after = await window.Clerk.user.getSessions();
    return {
      ids: sessions.map((s) => s.id),
      current: window.Clerk.session.id,
      status: revoked.status,
      after: after.map((s) => s.id),
    };
  }, other.id);
  assert(result.ids.includes(other.id) && result.ids.includes(result.current), `sessions: ${result.ids}`);
  assertEqual(result.status, 'revoked', 'revoked');
  assert(!result.after.includes(other.id), `still listed: ${result.after}`);
  const seen = await bapi('GET', `/sessions/${other.id}`);
  assertEqual(seen.status, 'revoked', 'the session through the Backend API');
});

await check('no Frontend API request of the flow failed', async () => {
  const failed = browser.fapi.filter((r) => r.status >= 400);
  assert(failed.length === 0, `failed: ${failed.map((r) => `${r.method} ${r.url} ${r.status}`).join(', ')}`);
  const paths = browser.fapi.map((r) => new URL(r.url).pathname);
  for (const wanted of ['/me/organization_invitations', '/memberships', '/me/sessions/active']) {
    assert(paths.some((p) => p.includes(wanted)), `no request to ${wanted}`);
  }
});

await check('no request left the machine', async () => {
  assert(browser.blocked.length === 0, `blocked: ${browser.blocked.join(', ')}`);
});

await browser.close();
pages.close();
finish('org_components');
