// The example app (examples/browser-app): its page signs in with clerk-js against
// `clerk serve`, and its protected API route refuses the page before and accepts it after.
// The app is the binary browser/run.sh built (EXAMPLE_APP_BIN), given clerk-js from this
// harness's npm packages.

import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

import { apiUrl, assert, assertEqual, bapi, check, finish, harnessModules, secretKey, startBrowser } from './harness.mjs';

const bin = process.env.EXAMPLE_APP_BIN;
assert(bin, 'EXAMPLE_APP_BIN is not set');
const email = `example${Date.now()}@example.com`;
const password = 'correct horse battery staple';
const user = await bapi('POST', '/users', { email_address: [email], password });

const app = spawn(bin, [], {
  env: {
    ...process.env,
    CLERK_API_URL: apiUrl,
    CLERK_SECRET_KEY: secretKey,
    CLERK_JS_DIR: path.join(harnessModules, 'node_modules', '@clerk', 'clerk-js', 'dist'),
    ADDR: '127.0.0.1:0',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const origin = await new Promise((resolve, reject) => {
  const lines = readline.createInterface({ input: app.stdout });
  lines.on('line', (line) => {
    const found = line.match(/^listening on (http:\/\/\S+)/);
    if (found) resolve(found[1]);
  });
  app.on('exit', (code) => reject(new Error(`the example app exited (${code})`)));
});

const browser = await startBrowser();
const context = await browser.newContext();
const page = await context.newPage();

await check('the page loads clerk-js from the app and is signed out', async () => {
  await page.goto(origin);
  await page.waitForFunction(() => document.getElementById('who').textContent !== 'Loading…');
  assertEqual(await page.textContent('#who'), 'Signed out', 'who');
});

await check('the protected route refuses the signed-out page', async () => {
  await page.click('#call');
  await page.waitForFunction(() => document.getElementById('result').textContent !== '');
  const result = await page.textContent('#result');
  assert(result.startsWith('401'), result);
});

await check('signing in with the form, then the protected route answers the user', async () => {
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.getElementById('who').textContent.startsWith('Signed in'));
  await page.evaluate(() => { document.getElementById('result').textContent = ''; });
  await page.click('#call');
  await page.waitForFunction(() => document.getElementById('result').textContent !== '');
  const result = await page.textContent('#result');
  assert(result.startsWith('200'), result);
  assertEqual(JSON.parse(result.slice(4)).user_id, user.id, 'user_id');
});

await check('no request left the machine', async () => {
  assert(browser.blocked.length === 0, `blocked: ${browser.blocked.join(', ')}`);
});

await browser.close();
app.kill();
finish('example_app');
