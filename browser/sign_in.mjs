// Clerk's browser SDK (clerk-js 6.40.0, from npm) signs a user in against `clerk serve`'s
// Frontend API in headless Chromium: wrong and right passwords, the session in the Backend
// API, tokens that verify against the JWKS, a reload, sign-out, and a two-step sign-in.
// No request may leave loopback.

import {
  apiUrl,
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

const email = `browser+${Date.now()}@example.com`;
const password = 'correct horse battery staple';

const user = await bapi('POST', '/users', { email_address: [email], password });
const { publishable_key: publishableKey } = await bapi('GET', '/instance');
const pages = await pageServer({ '/': clerkPage(publishableKey) });
const browser = await startBrowser();
const context = await browser.newContext();
let page;
let sessionId;

await check('publishable key found and well formed', async () => {
  assert(/^pk_test_[A-Za-z0-9+/]+$/.test(publishableKey), publishableKey);
  const host = Buffer.from(publishableKey.slice('pk_test_'.length), 'base64').toString();
  assertEqual(host, `${new URL(apiUrl).host}$`, 'the key decodes to the server');
});

await check('Clerk.load() is ready and signed out, every FAPI answer 2xx', async () => {
  page = await openClerk(context, pages.origin);
  const state = await page.evaluate(() => ({ status: window.Clerk.status, user: window.Clerk.user }));
  assertEqual(state.status, 'ready', `status (FAPI answers: ${JSON.stringify(browser.fapi)})`);
  assertEqual(state.user, null, 'user');
  const bad = browser.fapi.filter((r) => r.status >= 300);
  assert(bad.length === 0, `non-2xx answers: ${JSON.stringify(bad)}`);
  return `${browser.fapi.length} FAPI requests`;
});

await check('a wrong password is refused with form_password_incorrect', async () => {
  const code = await page.evaluate(
    async ([identifier]) => {
      try {
        await window.Clerk.client.signIn.create({ identifier, password: 'not the password' });
        return 'no error';
      } catch (err) {
        return err.errors?.[0]?.code ?? String(err);
      }
    },
    [email],
  );
  assertEqual(code, 'form_password_incorrect', 'error code');
});

await check('signIn.create({identifier, password}) completes; setActive gives the user', async () => {
  const result = await page.evaluate(
    async ([identifier, password]) => {
      const signIn = await window.Clerk.client.signIn.create({ identifier, password });
      await window.Clerk.setActive({ session: signIn.createdSessionId });
      return {
        status: signIn.status,
        sessionId: signIn.createdSessionId,
        userId: window.Clerk.user?.id,
        email: window.Clerk.user?.primaryEmailAddress?.emailAddress,
      };
    },
    [email, password],
  );
  assertEqual(result.status, 'complete', 'sign-in status');
  assertEqual(result.userId, user.id, 'Clerk.user.id');
  assertEqual(result.email, email, 'primary email');
  sessionId = result.sessionId;
});

await check('getToken() and getToken({skipCache}) verify against the JWKS', async () => {
  const tokens = await page.evaluate(async () => [
    await window.Clerk.session.getToken(),
    await window.Clerk.session.getToken({ skipCache: true }),
  ]);
  for (const jwt of tokens) {
    const claims = await verifiedClaims(jwt);
    assertEqual(claims.sub, user.id, 'sub');
    assertEqual(claims.sid, sessionId, 'sid');
    assertEqual(claims.azp, pages.origin, 'azp');
  }
  const minted = browser.fapi.filter((r) => r.url.includes(`/sessions/${sessionId}/tokens`));
  assert(minted.length >= 1, 'skipCache hit the tokens endpoint');
});

await check('the Backend API sees the session active', async () => {
  const session = await bapi('GET', `/sessions/${sessionId}`);
  assertEqual(session.status, 'active', 'status');
  assertEqual(session.user_id, user.id, 'user');
});

await check('a reload keeps the user signed in', async () => {
  await page.close();
  page = await openClerk(context, pages.origin);
  const userId = await page.evaluate(() => window.Clerk.user?.id);
  assertEqual(userId, user.id, 'Clerk.user.id after reload');
});

await check('signOut() clears the user, and the Backend API sees the session end', async () => {
  await page.evaluate(() => window.Clerk.signOut(() => {}));
  const userAfter = await page.evaluate(() => window.Clerk.user);
  assertEqual(userAfter, null, 'Clerk.user');
  const session = await bapi('GET', `/sessions/${sessionId}`);
  assert(['ended', 'removed', 'revoked'].includes(session.status), `status ${session.status}`);
});

await check('after a reload the browser is still signed out', async () => {
  await page.close();
  page = await openClerk(context, pages.origin);
  const userId = await page.evaluate(() => window.Clerk.user?.id ?? null);
  assertEqual(userId, null, 'Clerk.user');
});

await check('a two-step sign-in: identifier, then password', async () => {
  const result = await page.evaluate(
    async ([identifier, password]) => {
      const first = await window.Clerk.client.signIn.create({ identifier });
      // The resource is updated in place by the attempt: read it first.
      const status = first.status;
      const factors = first.supportedFirstFactors.map((f) => f.strategy);
      const done = await first.attemptFirstFactor({ strategy: 'password', password });
      await window.Clerk.setActive({ session: done.createdSessionId });
      return { status, factors, final: done.status, sessionId: done.createdSessionId, userId: window.Clerk.user?.id };
    },
    [email, password],
  );
  assertEqual(result.status, 'needs_first_factor', 'first status');
  assert(result.factors.includes('password'), `factors ${result.factors}`);
  assertEqual(result.final, 'complete', 'final status');
  assertEqual(result.userId, user.id, 'user');
  assert(result.sessionId !== sessionId, 'a new session');
});

await check('a sign-in token signs in with the ticket strategy, once', async () => {
  await page.evaluate(() => window.Clerk.signOut(() => {}));
  const { token } = await bapi('POST', '/sign_in_tokens', { user_id: user.id });
  const result = await page.evaluate(async (ticket) => {
    const signIn = await window.Clerk.client.signIn.create({ strategy: 'ticket', ticket });
    await window.Clerk.setActive({ session: signIn.createdSessionId });
    const userId = window.Clerk.user?.id;
    await window.Clerk.signOut(() => {});
    let again;
    try {
      await window.Clerk.client.signIn.create({ strategy: 'ticket', ticket });
      again = 'accepted twice';
    } catch (err) {
      again = err.errors?.[0]?.code ?? String(err);
    }
    return { status: signIn.status, userId, again };
  }, token);
  assertEqual(result.status, 'complete', 'status');
  assertEqual(result.userId, user.id, 'Clerk.user.id');
  assert(result.again !== 'accepted twice', 'the token was accepted twice');
});

await check('no request left the machine', async () => {
  assert(browser.blocked.length === 0, `blocked: ${browser.blocked.join(', ')}`);
});

await browser.close();
pages.close();
finish('sign_in');
