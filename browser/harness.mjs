// The one browser harness (Frontend API scenarios, the example app, the dashboard): headless
// Chromium (Debian's `chromium`) driven by the pinned playwright-core, clerk-js from the npm
// package served by a local page server, and every request outside loopback blocked and
// reported. A scenario imports it, opens pages, and reports steps with `check`.
//
// Environment: CLERK_API_URL (the server's base URL, e.g. http://127.0.0.1:8080),
// CLERK_SECRET_KEY, BROWSER_MODULES (the folder whose node_modules hold the pinned packages;
// default: this folder), CHROMIUM (default: /usr/bin/chromium).

import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = process.env.BROWSER_MODULES ?? here;
const require = createRequire(path.join(modules, 'package.json'));
const { chromium } = require('playwright-core');
const clerkDist = path.join(modules, 'node_modules', '@clerk', 'clerk-js', 'dist');

export const apiUrl = required('CLERK_API_URL').replace(/\/$/, '');
/** The pinned packages, for scenarios that use more of them (`@clerk/backend`). */
export const harnessRequire = require;
/** The folder whose `node_modules` holds the pinned packages. */
export const harnessModules = modules;
export const secretKey = required('CLERK_SECRET_KEY');

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

// ---- reporting ----

const failures = [];

/** Runs one step: PASS when `fn` resolves, FAIL (recorded, not thrown) when it throws. */
export async function check(name, fn) {
  try {
    const detail = await fn();
    console.log(`PASS ${name}${detail ? ` (${detail})` : ''}`);
    return true;
  } catch (err) {
    failures.push(name);
    console.log(`FAIL ${name}: ${err?.stack ?? err}`);
    return false;
  }
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

export function assertEqual(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** Ends the scenario: exit status 1 if a step failed. */
export function finish(scenario) {
  if (failures.length) {
    console.log(`${scenario}: ${failures.length} step(s) failed: ${failures.join('; ')}`);
    process.exit(1);
  }
  console.log(`${scenario}: every step passed`);
}

// ---- the Backend API ----

/** A Backend API call with the secret key; the parsed answer, or throws with its body. */
export async function bapi(method, pathname, body) {
  const answer = await fetch(`${apiUrl}/v1${pathname}`, {
    method,
    headers: {
      Authorization: `Bearer ${secretKey}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${method} ${pathname}: ${answer.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Checks an RS256 JWT against the server's JWKS; its claims. */
export async function verifiedClaims(jwt) {
  const [header64, payload64, signature64] = jwt.split('.');
  const header = JSON.parse(Buffer.from(header64, 'base64url'));
  const jwks = await bapi('GET', '/jwks');
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  assert(jwk, `no key ${header.kid} in the JWKS`);
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  const ok = crypto.verify(
    'RSA-SHA256',
    Buffer.from(`${header64}.${payload64}`),
    key,
    Buffer.from(signature64, 'base64url'),
  );
  assert(ok, 'the signature does not verify');
  return JSON.parse(Buffer.from(payload64, 'base64url'));
}

// ---- the page server ----

/**
 * Serves `pages` and clerk-js's `dist/` folder under `/clerk/` on a free loopback port; its
 * origin and a `close()`. A page is HTML, or a function of the Fetch API `Request` (with the
 * page's URL and cookies) giving a Fetch API `Response`: the app's server side.
 */
export async function pageServer(pages) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, `http://${req.headers.host}`);
    const page = pages[url.pathname];
    if (typeof page === 'function') {
      try {
        const answer = await page(new Request(url, { method: req.method, headers: req.headers }));
        res.writeHead(answer.status, Object.fromEntries(answer.headers));
        res.end(Buffer.from(await answer.arrayBuffer()));
      } catch (err) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String(err?.stack ?? err));
      }
      return;
    }
    if (page) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page);
      return;
    }
    if (url.pathname.startsWith('/clerk/')) {
      const file = path.join(clerkDist, path.normalize(url.pathname.slice('/clerk/'.length)));
      if (file.startsWith(clerkDist) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
        fs.createReadStream(file).pipe(res);
        return;
      }
    }
    res.writeHead(404);
    res.end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { origin: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** A page that loads clerk-js from the page server with the key and `proxyUrl`. */
export function clerkPage(publishableKey) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>clerk-js against clerk serve</title></head>
<body>
<script src="/clerk/clerk.browser.js" crossorigin="anonymous"
  data-clerk-publishable-key="${publishableKey}"
  data-clerk-proxy-url="${apiUrl}/__clerk"></script>
</body></html>`;
}

// ---- the browser ----

/** Whether a URL stays on this machine. */
function isLoopback(url) {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

/**
 * Starts headless Chromium; `newContext()` gives a fresh browser profile (cookies and all)
 * whose requests outside loopback are blocked and listed in `blocked`, and whose Frontend
 * API answers are recorded in `fapi` ({method, url, status}).
 */
export async function startBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-blink-features=AutomationControlled', '--disable-dev-shm-usage'],
  });
  const blocked = [];
  const fapi = [];
  return {
    blocked,
    fapi,
    async newContext() {
      const context = await browser.newContext();
      // clerk-js swallows network errors when navigator.webdriver is true, which would let
      // a missing Frontend API look like a passing sign-in.
      await context.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false });
      });
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (isLoopback(url)) return route.continue();
        blocked.push(url);
        return route.abort('blockedbyclient');
      });
      context.on('response', (response) => {
        if (response.url().startsWith(`${apiUrl}/__clerk/`)) {
          fapi.push({ method: response.request().method(), url: response.url(), status: response.status() });
        }
      });
      return context;
    },
    close: () => browser.close(),
  };
}

/** Opens `url` in `context` and waits for clerk-js to be loaded (`Clerk.load()`). */
export async function openClerk(context, url) {
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.log(`  [page console] ${msg.text()}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => window.Clerk !== undefined, null, { timeout: 15000 });
  await page.evaluate(() => window.Clerk.load({ telemetry: false }));
  return page;
}
