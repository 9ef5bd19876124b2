// The local dashboard in headless Chromium against `clerk serve`: signing in with the
// secret key (and refused without it), finding a user created through the Backend API by
// part of their email, editing metadata the API then answers, revoking a session, reading
// a sign-up email's verification code in the outbox (which refreshes on its own), resending
// a failed webhook, API keys and machines (listed without their secrets, revealed exactly as
// the Backend API answers them, a key revoked, a machine created), and a form posted without
// its CSRF token refused. Screenshots of the main pages go to $BROWSER_ARTIFACTS (default
// target/browser-artifacts).

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

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
  secretKey,
  startBrowser,
} from './harness.mjs';

const artifacts = process.env.BROWSER_ARTIFACTS ?? path.join('target', 'browser-artifacts');
fs.mkdirSync(artifacts, { recursive: true });
const browser = await startBrowser();
const context = await browser.newContext();
const page = await context.newPage();
page.setDefaultTimeout(15000);
page.on('console', (msg) => {
  if (msg.type() === 'error') console.log(`  [page console] ${msg.text()}`);
});
const shot = (name) => page.screenshot({ path: path.join(artifacts, `dashboard-${name}.png`), fullPage: true });
const stamp = Date.now();

await check('GET / is the sign-in page: one input, a password labelled "Secret key"', async () => {
  const answer = await page.goto(`${apiUrl}/`);
  assertEqual(answer.status(), 200, 'status');
  assertEqual(await page.locator('input').count(), 1, 'inputs');
  const field = page.getByLabel('Secret key');
  assertEqual(await field.getAttribute('type'), 'password', 'the field type');
});

await check('a wrong key is refused and not rendered back', async () => {
  const wrong = `sk_test_wrong_${stamp}`;
  await page.getByLabel('Secret key').fill(wrong);
  await page.getByLabel('Secret key').press('Enter');
  await page.getByRole('alert').waitFor();
  assertEqual(new URL(page.url()).pathname, '/dashboard/sign_in', 'stays on the form');
  assertEqual(await page.getByLabel('Secret key', { exact: true }).inputValue(), '', 'the field is empty');
  assert(!(await page.content()).includes(wrong), 'the wrong key is in the page');
  // Without a session the pages redirect to the sign-in page.
  await page.goto(`${apiUrl}/dashboard/users`);
  assertEqual(new URL(page.url()).pathname, '/', 'redirected to /');
});

await check('sign in with the secret key (Enter submits) and land on Users', async () => {
  await page.getByLabel('Secret key').fill(secretKey);
  await page.getByLabel('Secret key').press('Enter');
  await page.waitForURL(`${apiUrl}/dashboard/users`);
  for (const name of ['Users', 'Sessions', 'Organizations', 'Outbox', 'Webhooks', 'Instance']) {
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name, exact: true }).waitFor();
  }
  assert(!(await page.content()).includes(secretKey), 'the secret key is in the page');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'clerk_dashboard_session');
  assert(session, 'no session cookie');
  assert(session.httpOnly, 'the cookie is not HttpOnly');
  assertEqual(session.sameSite, 'Strict', 'SameSite');
  assert(!session.value.includes(secretKey), 'the cookie holds the key');
});

const email = `ada.dashboard.${stamp}@example.com`;
const user = await bapi('POST', '/users', {
  email_address: [email],
  first_name: 'Ada',
  last_name: 'Lovelace',
  public_metadata: { plan: 'free' },
});

await check('find a user created through the API by part of their email', async () => {
  await page.goto(`${apiUrl}/dashboard/users`);
  await page.getByLabel('Search').fill(`dashboard.${stamp}`);
  await page.getByLabel('Search').press('Enter');
  await page.waitForURL(/query=/);
  const rows = page.locator('tbody tr');
  assertEqual(await rows.count(), 1, 'rows found');
  await rows.first().getByText(email).waitFor();
  await shot('users');
  await rows.first().getByRole('link').first().click();
  await page.waitForURL(`${apiUrl}/dashboard/users/${user.id}`);
  await page.getByRole('heading', { name: 'Ada Lovelace' }).waitFor();
});

await check('edit metadata and see it through the API', async () => {
  await page.getByLabel('Public metadata (JSON)').fill('{"plan": "pro", "seats": 3}');
  await page.getByRole('button', { name: 'Save metadata' }).click();
  await page.getByRole('status').filter({ hasText: 'Metadata saved.' }).waitFor();
  const seen = await bapi('GET', `/users/${user.id}`);
  assertEqual(JSON.stringify(seen.public_metadata), JSON.stringify({ plan: 'pro', seats: 3 }), 'public_metadata');
  await shot('user');
});

await check('mint a session token and see its decoded claims', async () => {
  const session = await bapi('POST', '/sessions', { user_id: user.id });
  await page.goto(`${apiUrl}/dashboard/users/${user.id}`);
  await page.getByRole('button', { name: 'Mint a session token' }).click();
  await page.getByRole('heading', { name: `Session token for ${session.id}` }).waitFor();
  const claims = JSON.parse(await page.locator('pre.json').innerText());
  assertEqual(claims.sid, session.id, 'sid');
  assertEqual(claims.sub, user.id, 'sub');
});

await check('revoke a session from the Sessions page', async () => {
  const session = await bapi('POST', '/sessions', { user_id: user.id });
  await page.goto(`${apiUrl}/dashboard/sessions`);
  await page.getByLabel('Status').selectOption('active');
  await page.getByLabel('User ID', { exact: true }).fill(user.id);
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/status=active/);
  await page.getByRole('button', { name: `Revoke session ${session.id}` }).click();
  await page.getByRole('status').filter({ hasText: `Session ${session.id} revoked.` }).waitFor();
  assertEqual((await bapi('GET', `/sessions/${session.id}`)).status, 'revoked', 'the session');
});

await check('read the verification code of a sign-up email in the outbox (it refreshes on its own)', async () => {
  await page.goto(`${apiUrl}/dashboard/outbox`);
  const signUpEmail = `signup.${stamp}@example.com`;
  const { publishable_key: publishableKey } = await bapi('GET', '/instance');
  const pages = await pageServer({ '/': clerkPage(publishableKey) });
  const visitor = await browser.newContext();
  try {
    const app = await openClerk(visitor, pages.origin);
    await app.evaluate(async (emailAddress) => {
      await window.Clerk.client.signUp.create({ emailAddress, password: 'a long enough password' });
      await window.Clerk.client.signUp.prepareEmailAddressVerification({ strategy: 'email_code' });
    }, signUpEmail);
  } finally {
    await visitor.close();
    pages.close();
  }
  // No reload: the rows poll every few seconds.
  const row = page.locator('#outbox-rows tr').filter({ hasText: signUpEmail });
  await row.waitFor({ timeout: 10000 });
  const shown = await row.locator('.code').innerText();
  const outbox = await bapi('GET', `/_local/outbox?to=${encodeURIComponent(signUpEmail)}`);
  const sent = `${outbox.data[0].subject} ${outbox.data[0].body}`.match(/(?<!\d)\d{6}(?!\d)/)[0];
  assertEqual(shown, sent, 'the code');
  await shot('outbox');
  await row.getByRole('link').click();
  const frame = page.locator('iframe.email');
  assertEqual(await frame.getAttribute('sandbox'), '', 'the frame is sandboxed');
  await page.frameLocator('iframe.email').getByText(sent).first().waitFor();
});

await check('resend a failed webhook and see the new attempt appear', async () => {
  let status = 500;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status);
      res.end(status === 200 ? 'ok' : 'down');
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${receiver.address().port}/hook`;
    await bapi('POST', '/_local/webhooks/endpoints', { url, filter_types: ['user.created'] });
    const created = await bapi('POST', '/users', { email_address: [`hooked.${stamp}@example.com`] });
    let message;
    for (let i = 0; i < 50 && !message; i += 1) {
      const messages = await bapi('GET', '/_local/webhooks/messages?event_type=user.created&limit=20');
      message = messages.data.find((m) => m.payload?.data?.id === created.id);
      if (!message) await new Promise((r) => setTimeout(r, 100));
    }
    assert(message, 'no user.created message');
    await page.goto(`${apiUrl}/dashboard/webhooks`);
    await page.getByRole('link', { name: 'user.created' }).first().waitFor();
    await shot('webhooks');
    await page.goto(`${apiUrl}/dashboard/webhooks/messages/${message.id}`);
    // The failed attempt shows up by polling.
    await page.locator('#attempt-rows .response-code', { hasText: '500' }).first().waitFor({ timeout: 10000 });
    status = 200;
    await page.getByRole('button', { name: 'Resend' }).first().click();
    await page.getByRole('status').filter({ hasText: 'Resent' }).waitFor();
    await page.locator('#attempt-rows .response-code', { hasText: '200' }).first().waitFor({ timeout: 10000 });
    const attempts = await bapi('GET', `/_local/webhooks/messages/${message.id}/attempts`);
    assert(attempts.data.some((a) => a.response_status_code === 200 && a.trigger_type === 'manual'), 'no manual 200 attempt');
    await shot('webhook-message');
  } finally {
    receiver.close();
  }
});

await check('the instance page: publishable key, JWKS, a live preview of a JWT template', async () => {
  const { publishable_key: publishableKey } = await bapi('GET', '/instance');
  await bapi('POST', '/jwt_templates', { name: `a_${stamp}`, claims: { plan: '{{user.public_metadata.plan}}' } });
  const second = await bapi('POST', '/jwt_templates', { name: `b_${stamp}`, claims: { mail: '{{user.primary_email_address}}' } });
  await page.goto(`${apiUrl}/dashboard/instance`);
  assertEqual(await page.locator('#publishable-key').innerText(), publishableKey, 'publishable key');
  await page.getByLabel('User ID', { exact: true }).fill(user.id);
  // Choosing a template previews it at once.
  await page.getByLabel('Template', { exact: true }).selectOption(second.id);
  await page.waitForURL(/template_id=/);
  const claims = JSON.parse(await page.locator('#preview-claims').innerText());
  assertEqual(claims.mail, email, 'the previewed claim');
  await shot('instance');
});

await check('API keys and machines: listed without their secrets, revealed exactly, revoked', async () => {
  const key = await bapi('POST', '/api_keys', { subject: user.id, name: `ci ${stamp}`, scopes: ['read'] });
  const machine = await bapi('POST', '/machines', { name: `worker ${stamp}` });
  const keySecret = (await bapi('GET', `/api_keys/${key.id}/secret`)).secret;
  const machineSecret = (await bapi('GET', `/machines/${machine.id}/secret_key`)).secret;
  assertEqual(keySecret, key.secret, 'the key secret');
  await page.goto(`${apiUrl}/dashboard/instance`);
  await page.getByRole('link', { name: 'API keys', exact: true }).click();
  await page.waitForURL(`${apiUrl}/dashboard/instance/api_keys`);
  const row = page.locator(`#row-${key.id}`);
  await row.getByText(`ci ${stamp}`).waitFor();
  await row.getByRole('link', { name: user.id }).waitFor();
  assertEqual(await row.locator('.tag.status-active').innerText(), 'active', 'the status');
  // Neither the page as served nor the DOM holds a secret before Reveal.
  const served = await page.evaluate(async () => (await fetch(location.href)).text());
  assert(served.includes(key.id) && !served.includes(keySecret), 'the served list holds the key secret');
  assert(!(await page.content()).includes(keySecret), 'the page holds the key secret');
  await shot('api-keys');
  // A reveal POST without the CSRF token is refused and answers no secret.
  const forged = await page.evaluate(async (url) => {
    const answer = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
    return { status: answer.status, text: await answer.text() };
  }, `/dashboard/instance/api_keys/${key.id}/secret`);
  assertEqual(forged.status, 403, 'a reveal without the CSRF token');
  assert(!forged.text.includes(keySecret), 'the refusal holds the secret');
  // Reveal (the script posts the form and puts the secret in its place).
  await page.getByRole('button', { name: `Reveal the secret of ci ${stamp}` }).click();
  assertEqual(await page.getByLabel(`Secret of ci ${stamp}`, { exact: true }).inputValue(), keySecret, 'the revealed key secret');
  assertEqual(new URL(page.url()).search, '', 'no secret in the URL');
  // Revoke from the dashboard; the Backend API sees it revoked.
  await page.getByRole('button', { name: `Revoke ci ${stamp}` }).click();
  await page.getByRole('status').filter({ hasText: `API key ci ${stamp} revoked.` }).waitFor();
  assertEqual(await page.locator(`#row-${key.id} .tag.status-revoked`).innerText(), 'revoked', 'the status');
  assertEqual((await bapi('GET', `/api_keys/${key.id}`)).revoked, true, 'revoked through the API');

  await page.goto(`${apiUrl}/dashboard/instance`);
  await page.getByRole('link', { name: 'Machines', exact: true }).click();
  await page.waitForURL(`${apiUrl}/dashboard/instance/machines`);
  await page.locator(`#row-${machine.id}`).getByText(`worker ${stamp}`).waitFor();
  assert(!(await page.content()).includes(machineSecret), 'the page holds the machine secret key');
  await page.getByRole('button', { name: `Reveal the secret key of worker ${stamp}` }).click();
  assertEqual(await page.getByLabel(`Secret key of worker ${stamp}`, { exact: true }).inputValue(), machineSecret, 'the revealed machine secret key');
  await shot('machines');
});

await check('create a machine from the dashboard: its secret key shown once is the one the API answers', async () => {
  await page.goto(`${apiUrl}/dashboard/instance/machines`);
  await page.getByLabel('Name').fill(`made ${stamp}`);
  await page.getByLabel('Default token TTL (seconds)').fill('900');
  await page.getByRole('button', { name: 'Create machine' }).click();
  await page.getByRole('heading', { name: `Machine made ${stamp} created` }).waitFor();
  const shown = await page.getByLabel('Secret key', { exact: true }).inputValue();
  const listed = await bapi('GET', `/machines?query=${encodeURIComponent(`made ${stamp}`)}`);
  assertEqual(listed.data.length, 1, 'machines made');
  assertEqual(listed.data[0].default_token_ttl, 900, 'default_token_ttl');
  assertEqual(shown, (await bapi('GET', `/machines/${listed.data[0].id}/secret_key`)).secret, 'the secret key');
});

await check('a form posted without its CSRF token is refused (403) and changes nothing', async () => {
  await page.goto(`${apiUrl}/dashboard/users/${user.id}`);
  await page.evaluate(() => {
    const form = document.querySelector('form[action$="/ban"]');
    form.querySelector('input[name="csrf_token"]').remove();
  });
  const [answer] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: 'Ban' }).click(),
  ]);
  assertEqual(answer.status(), 403, 'status');
  await page.getByRole('alert').filter({ hasText: 'CSRF' }).waitFor();
  assertEqual((await bapi('GET', `/users/${user.id}`)).banned, false, 'banned');
});

await check('the pages fit a 360px wide screen', async () => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ['/dashboard/users', `/dashboard/users/${user.id}`, '/dashboard/outbox', '/dashboard/instance', '/dashboard/instance/api_keys', '/dashboard/instance/machines']) {
    await page.goto(`${apiUrl}${path}`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 360, `${path} is ${width}px wide`);
  }
});

await check('log out', async () => {
  await page.goto(`${apiUrl}/dashboard/users`);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(`${apiUrl}/`);
  await page.goto(`${apiUrl}/dashboard/users`);
  assertEqual(new URL(page.url()).pathname, '/', 'signed out');
});

await check('no request left the machine', async () => {
  assert(browser.blocked.length === 0, `blocked: ${browser.blocked.join(', ')}`);
});

await browser.close();
finish('dashboard');
