// A key for one of Clerk's development domains (`*.lcl.dev`) makes clerk-js use a
// development browser: `POST /v1/dev_browser` first, then `__clerk_db_jwt` on every request
// instead of the `__client` cookie. With `proxyUrl` the requests still come to clerk serve,
// which accepts any publishable key.

import { assert, assertEqual, bapi, check, clerkPage, finish, openClerk, pageServer, startBrowser } from './harness.mjs';

const email = `devbrowser${Date.now()}@example.com`;
const password = 'correct horse battery staple';
const user = await bapi('POST', '/users', { email_address: [email], password });
const devKey = `pk_test_${Buffer.from('clerk.local.lcl.dev$').toString('base64').replace(/=+$/, '')}`;
const pages = await pageServer({ '/': clerkPage(devKey) });
const browser = await startBrowser();
const context = await browser.newContext();
let page;

await check('clerk-js starts a development browser and carries its token', async () => {
  page = await openClerk(context, pages.origin);
  assertEqual(await page.evaluate(() => window.Clerk.status), 'ready', 'status');
  const created = browser.fapi.filter((r) => r.url.includes('/v1/dev_browser'));
  assertEqual(created.length, 1, 'dev browsers created');
  const later = browser.fapi.filter((r) => r.url.includes('/v1/client?'));
  assert(later.every((r) => r.url.includes('__clerk_db_jwt=')), 'every client request names the dev browser');
});

await check('sign in, reload, still signed in', async () => {
  await page.evaluate(
    async ([identifier, password]) => {
      const signIn = await window.Clerk.client.signIn.create({ identifier, password });
      await window.Clerk.setActive({ session: signIn.createdSessionId });
    },
    [email, password],
  );
  await page.close();
  page = await openClerk(context, pages.origin);
  assertEqual(await page.evaluate(() => window.Clerk.user?.id), user.id, 'Clerk.user.id after reload');
});

await check('no request left the machine', async () => {
  assert(browser.blocked.length === 0, `blocked: ${browser.blocked.join(', ')}`);
});

await browser.close();
pages.close();
finish('dev_browser');
