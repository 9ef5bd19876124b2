// Clerk's browser SDK signs a user up with an email code against `clerk serve`, in headless
// Chromium: a `+clerk_test` address (no email, code 424242, a wrong code refused first),
// then a real address whose code is read from the server's outbox. The users, their
// sessions and tokens are the ones the Backend API sees. No request may leave loopback.

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

const password = 'a long enough password';
const { publishable_key: publishableKey } = await bapi('GET', '/instance');
const pages = await pageServer({ '/': clerkPage(publishableKey) });
const browser = await startBrowser();

/** Signs up `email` in a fresh browser; `codeFor()` gives the code once it was sent. */
async function signUp(email, codeFor, wrongCodeFirst) {
  const context = await browser.newContext();
  const page = await openClerk(context, pages.origin);
  const created = await page.evaluate(
    async ([emailAddress, password]) => {
      const signUp = await window.Clerk.client.signUp.create({ emailAddress, password });
      return { status: signUp.status, unverified: signUp.unverifiedFields };
    },
    [email, password],
  );
  assertEqual(created.status, 'missing_requirements', 'status after create');
  assert(created.unverified.includes('email_address'), `unverified: ${created.unverified}`);
  const prepared = await page.evaluate(async () => {
    const signUp = await window.Clerk.client.signUp.prepareEmailAddressVerification({ strategy: 'email_code' });
    return signUp.verifications.emailAddress.status;
  });
  assertEqual(prepared, 'unverified', 'verification after prepare');
  if (wrongCodeFirst) {
    const code = await page.evaluate(async () => {
      try {
        await window.Clerk.client.signUp.attemptEmailAddressVerification({ code: '000000' });
        return 'accepted';
      } catch (err) {
        return err.errors?.[0]?.code ?? String(err);
      }
    });
    assertEqual(code, 'form_code_incorrect', 'a wrong code');
  }
  const code = await codeFor();
  const done = await page.evaluate(async (code) => {
    const signUp = await window.Clerk.client.signUp.attemptEmailAddressVerification({ code });
    await window.Clerk.setActive({ session: signUp.createdSessionId });
    return {
      status: signUp.status,
      userId: signUp.createdUserId,
      sessionId: signUp.createdSessionId,
      clerkUser: window.Clerk.user?.id,
      email: window.Clerk.user?.primaryEmailAddress?.emailAddress,
      token: await window.Clerk.session.getToken(),
    };
  }, code);
  assertEqual(done.status, 'complete', 'status after the code');
  assertEqual(done.clerkUser, done.userId, 'Clerk.user.id');
  assertEqual(done.email, email, 'primary email');
  const claims = await verifiedClaims(done.token);
  assertEqual(claims.sub, done.userId, 'token sub');
  assertEqual(claims.sid, done.sessionId, 'token sid');
  const users = await bapi('GET', `/users?email_address=${encodeURIComponent(email)}`);
  assertEqual(users.length, 1, 'users with the address');
  assertEqual(users[0].id, done.userId, 'the Backend API user');
  assertEqual(users[0].email_addresses[0].verification.status, 'verified', 'the address is verified');
  assertEqual(users[0].password_enabled, true, 'password_enabled');
  const session = await bapi('GET', `/sessions/${done.sessionId}`);
  assertEqual(session.status, 'active', 'the session');
  await context.close();
  return done.userId;
}

await check('sign up a +clerk_test address: 000000 refused, 424242 completes', async () => {
  const email = `tester+clerk_test${Date.now()}@example.com`;
  const before = (await bapi('GET', '/_local/outbox')).total_count;
  await signUp(email, async () => '424242', true);
  const after = (await bapi('GET', '/_local/outbox')).total_count;
  assertEqual(after, before, 'emails sent to a test address');
});

await check('sign up a real address with the code from the outbox', async () => {
  const email = `person${Date.now()}@example.com`;
  await signUp(email, async () => {
    const outbox = await bapi('GET', '/_local/outbox');
    const message = outbox.data.find((m) => m.to_email_address === email);
    assert(message, `no email to ${email}`);
    const code = `${message.subject} ${message.body}`.match(/(?<!\d)\d{6}(?!\d)/);
    assert(code, `no code in ${message.subject}`);
    return code[0];
  }, false);
});

await check('no request left the machine', async () => {
  assert(browser.blocked.length === 0, `blocked: ${browser.blocked.join(', ')}`);
});

await browser.close();
pages.close();
finish('sign_up');
