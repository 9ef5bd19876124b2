// Organization invitations in the browser: the Backend API invites an address into an
// organization; clerk-js signs the invitee up with the invitation's ticket (the ticket in
// the invitation's `url`), and the Backend API then sees a member with the invited role and
// the invitation accepted. A second sign-up with the same ticket is refused. No request may
// leave loopback.

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
  verifiedClaims,
} from './harness.mjs';

const stamp = Date.now();
const owner = await bapi('POST', '/users', { email_address: [`inviter${stamp}@example.com`] });
const org = await bapi('POST', '/organizations', { name: `Invited ${stamp}`, created_by: owner.id });
const email = `invitee${stamp}@example.com`;
const invitation = await bapi('POST', `/organizations/${org.id}/invitations`, {
  email_address: email,
  role: 'org:admin',
  notify: false,
});
const ticket = new URL(invitation.url).searchParams.get('ticket');
const { publishable_key: publishableKey } = await bapi('GET', '/instance');
const pages = await pageServer({ '/': clerkPage(publishableKey) });
const browser = await startBrowser();

await check("the invitation's url carries a ticket for the Frontend API", async () => {
  assert(ticket, `no ticket in ${invitation.url}`);
  assert(invitation.url.includes('/__clerk/v1/tickets/accept?'), invitation.url);
});

await check('signUp.create with the ticket and a password: a member of the organization', async () => {
  const context = await browser.newContext();
  const page = await openClerk(context, pages.origin);
  const result = await page.evaluate(
    async ([ticket, password]) => {
      const signUp = await window.Clerk.client.signUp.create({ strategy: 'ticket', ticket, password });
      await window.Clerk.setActive({ session: signUp.createdSessionId });
      await window.Clerk.setActive({ organization: window.Clerk.user.organizationMemberships[0]?.organization.id });
      return {
        status: signUp.status,
        userId: signUp.createdUserId,
        email: window.Clerk.user?.primaryEmailAddress?.emailAddress,
        emailStatus: window.Clerk.user?.primaryEmailAddress?.verification?.status,
        token: await window.Clerk.session.getToken({ skipCache: true }),
      };
    },
    [ticket, 'a long enough password'],
  );
  assertEqual(result.status, 'complete', 'sign-up status');
  assertEqual(result.email, email, 'the invited address');
  assertEqual(result.emailStatus, 'verified', 'the address verified by the ticket');
  const claims = await verifiedClaims(result.token);
  assertEqual(claims.sub, result.userId, 'token sub');
  assertEqual(claims.o?.id, org.id, 'token o.id');
  assertEqual(claims.o?.rol, 'admin', 'token o.rol');
  const memberships = await bapi('GET', `/organizations/${org.id}/memberships`);
  const member = memberships.data.find((m) => m.public_user_data.user_id === result.userId);
  assertEqual(member?.role, 'org:admin', 'the Backend API membership');
  const seen = await bapi('GET', `/organizations/${org.id}/invitations/${invitation.id}`);
  assertEqual(seen.status, 'accepted', 'the invitation');
  const user = await bapi('GET', `/users/${result.userId}`);
  assertEqual(user.password_enabled, true, 'password_enabled');
  await context.close();
});

await check('the ticket is used once', async () => {
  const context = await browser.newContext();
  const page = await openClerk(context, pages.origin);
  const code = await page.evaluate(async (ticket) => {
    try {
      await window.Clerk.client.signUp.create({ strategy: 'ticket', ticket, password: 'another long password' });
      return 'no error';
    } catch (err) {
      return err.errors?.[0]?.code ?? String(err);
    }
  }, ticket);
  assertEqual(code, 'ticket_invalid', 'error code');
  await context.close();
});

await check('no request left the machine', async () => {
  assert(browser.blocked.length === 0, `blocked: ${browser.blocked.join(', ')}`);
});

await browser.close();
pages.close();
finish('invitations');
