// Server-side rendering: the app's server (this page server) runs @clerk/backend's
// `authenticateRequest` on the browser's own cookies. After clerk-js signs in, both a
// fetch from the page and a document request are signed in as the user; a fresh browser's
// first document request goes through the handshake at `/__clerk/v1/client/handshake` and
// comes back signed out, without a loop.

import {
  apiUrl,
  assert,
  assertEqual,
  bapi,
  check,
  clerkPage,
  finish,
  harnessRequire,
  openClerk,
  pageServer,
  secretKey,
  startBrowser,
} from './harness.mjs';

const { createClerkClient } = harnessRequire('@clerk/backend');

const email = `ssr${Date.now()}@example.com`;
const password = 'correct horse battery staple';
const user = await bapi('POST', '/users', { email_address: [email], password });
const { publishable_key: publishableKey } = await bapi('GET', '/instance');
// Telemetry off: it would post to clerk-telemetry.com.
const clerk = createClerkClient({ secretKey, publishableKey, apiUrl, telemetry: { disabled: true } });

/** The app's server side: who is signed in, by @clerk/backend, as JSON or as a page. */
async function whoAmI(request) {
  const state = await clerk.authenticateRequest(request, { proxyUrl: `${apiUrl}/__clerk` });
  if (state.status === 'handshake') {
    return new Response(null, { status: 307, headers: state.headers });
  }
  const body = { status: state.status, reason: state.reason ?? null, userId: state.toAuth()?.userId ?? null, cookies: (request.headers.get('cookie') ?? '').split(';').map((c) => c.split('=')[0].trim()) };
  return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
}

const pages = await pageServer({ '/': clerkPage(publishableKey), '/whoami': whoAmI });
const browser = await startBrowser();

await check('after a clerk-js sign-in, a fetch from the page is signed in server-side', async () => {
  const context = await browser.newContext();
  const page = await openClerk(context, pages.origin);
  const result = await page.evaluate(
    async ([identifier, password]) => {
      const signIn = await window.Clerk.client.signIn.create({ identifier, password });
      await window.Clerk.setActive({ session: signIn.createdSessionId });
      const answer = await fetch('/whoami');
      return answer.json();
    },
    [email, password],
  );
  assertEqual(result.status, 'signed-in', `status (${result.reason}; cookies ${result.cookies})`);
  assertEqual(result.userId, user.id, 'userId');

  // A document request with the same cookies.
  const doc = await page.goto(`${pages.origin}/whoami`);
  const body = await doc.json();
  assertEqual(body.status, 'signed-in', `document status (${body.reason})`);
  assertEqual(body.userId, user.id, 'document userId');
  await context.close();
});

await check('a fresh browser goes through the handshake and comes back signed out', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const before = browser.fapi.length;
  const doc = await page.goto(`${pages.origin}/whoami`);
  const body = await doc.json();
  assertEqual(body.status, 'signed-out', 'status');
  const handshakes = browser.fapi.slice(before).filter((r) => r.url.includes('/v1/client/handshake'));
  assertEqual(handshakes.length, 1, 'handshakes');
  await context.close();
});

await check('no request left the machine', async () => {
  assert(browser.blocked.length === 0, `blocked: ${browser.blocked.join(', ')}`);
});

await browser.close();
pages.close();
finish('ssr');
