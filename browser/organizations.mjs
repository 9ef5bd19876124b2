// A signed-in user creates an organization with clerk-js, makes it active, and sees it in
// its session token; the Backend API sees the same membership. Then the user's profile is
// changed from the browser (names, a second email address verified with its code).

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

const email = `org.owner${Date.now()}@example.com`;
const password = 'correct horse battery staple';
const user = await bapi('POST', '/users', { email_address: [email], password });
const { publishable_key: publishableKey } = await bapi('GET', '/instance');
const pages = await pageServer({ '/': clerkPage(publishableKey) });
const browser = await startBrowser();
const context = await browser.newContext();
const page = await openClerk(context, pages.origin);

await page.evaluate(
  async ([identifier, password]) => {
    const signIn = await window.Clerk.client.signIn.create({ identifier, password });
    await window.Clerk.setActive({ session: signIn.createdSessionId });
  },
  [email, password],
);

await check('createOrganization and setActive put the organization in the token', async () => {
  const result = await page.evaluate(async () => {
    const org = await window.Clerk.createOrganization({ name: 'Browser Made' });
    await window.Clerk.setActive({ organization: org.id });
    const token = await window.Clerk.session.getToken({ skipCache: true });
    return { orgId: org.id, active: window.Clerk.organization?.id, token };
  });
  assertEqual(result.active, result.orgId, 'Clerk.organization.id');
  const claims = await verifiedClaims(result.token);
  assertEqual(claims.o?.id, result.orgId, 'token o.id');
  assertEqual(claims.o?.rol, 'admin', 'token o.rol');
  const memberships = await bapi('GET', `/users/${user.id}/organization_memberships`);
  assertEqual(memberships.data[0].organization.id, result.orgId, 'the Backend API membership');
});

await check('back to the personal account', async () => {
  const result = await page.evaluate(async () => {
    await window.Clerk.setActive({ organization: null });
    const token = await window.Clerk.session.getToken({ skipCache: true });
    return { active: window.Clerk.organization?.id ?? null, token };
  });
  assertEqual(result.active, null, 'Clerk.organization');
  const claims = await verifiedClaims(result.token);
  assertEqual(claims.o, undefined, 'no o claim');
});

await check('user.update and a second email address verified with its code', async () => {
  const second = `second${Date.now()}@example.com`;
  const addressId = await page.evaluate(async (second) => {
    await window.Clerk.user.update({ firstName: 'Grace', lastName: 'Hopper' });
    const address = await window.Clerk.user.createEmailAddress({ email: second });
    await address.prepareVerification({ strategy: 'email_code' });
    return address.id;
  }, second);
  const outbox = await bapi('GET', '/_local/outbox');
  const message = outbox.data.find((m) => m.to_email_address === second);
  assert(message, `no email to ${second}`);
  const code = `${message.subject} ${message.body}`.match(/(?<!\d)\d{6}(?!\d)/)[0];
  const status = await page.evaluate(
    async ([addressId, code]) => {
      const address = window.Clerk.user.emailAddresses.find((a) => a.id === addressId);
      const verified = await address.attemptVerification({ code });
      return verified.verification.status;
    },
    [addressId, code],
  );
  assertEqual(status, 'verified', 'verification status');
  const seen = await bapi('GET', `/users/${user.id}`);
  assertEqual(seen.first_name, 'Grace', 'first name through the Backend API');
  const address = seen.email_addresses.find((a) => a.id === addressId);
  assertEqual(address?.verification?.status, 'verified', 'the address through the Backend API');
});

await check('no request left the machine', async () => {
  assert(browser.blocked.length === 0, `blocked: ${browser.blocked.join(', ')}`);
});

await browser.close();
pages.close();
finish('organizations');
