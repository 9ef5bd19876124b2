// What compat/js/organizations.mjs needs to talk to a running clerk-server and report:
// the client, one line per call, Clerk error assertions and the local extensions.
// (scenario.mjs keeps its own copy of these, written before this module.)

import assert from 'node:assert/strict';
import { createClerkClient } from '@clerk/backend';
import { isClerkAPIResponseError } from '@clerk/backend/errors';

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} must be set`);
    process.exit(2);
  }
  return value;
}

export const apiUrl = required('COMPAT_API_URL');
export const secretKey = required('COMPAT_SECRET_KEY');
/** Each run uses its own identities and slugs, so runs can share a server. */
export const tag = `js${Date.now().toString(36)}`;
export const email = (name) => `${tag}.${name}@example.com`;

export const clerk = createClerkClient({
  secretKey,
  apiUrl,
  apiVersion: 'v1',
  telemetry: { disabled: true },
});

let calls = 0;
const failures = [];

/** Runs one call: prints `js <call> ok <detail>` or `js <call> FAILED <why>`. */
export async function call(name, fn) {
  calls += 1;
  try {
    const detail = await fn();
    console.log(`js  ${name.padEnd(62)} ok  ${detail ?? ''}`);
    return true;
  } catch (err) {
    failures.push(name);
    console.log(`js  ${name.padEnd(62)} FAILED  ${err?.stack ?? err}`);
    return false;
  }
}

/** Asserts `promise` rejects with a ClerkAPIResponseError of this status and code. */
export async function apiError(promise, status, code) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected a ${status} ${code} error, got success`);
  assert.ok(isClerkAPIResponseError(err), `not a ClerkAPIResponseError: ${err?.stack ?? err}`);
  assert.equal(err.status, status, `status (${JSON.stringify(err.errors)})`);
  assert.equal(err.errors[0]?.code, code);
  assert.ok(err.errors[0].message, 'error message');
  assert.ok(err.errors[0].longMessage, 'error long message');
  assert.ok(err.clerkTraceId, 'clerkTraceId');
  return `${status} ${code}`;
}

/** The claims of a JWT (no verification). */
export function claimsOf(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/** A plain Backend API request (for what the client cannot send, e.g. another API version). */
export async function bapi(method, path, { body, version } = {}) {
  const headers = { Authorization: `Bearer ${secretKey}`, 'Content-Type': 'application/json' };
  if (version) headers['Clerk-API-Version'] = version;
  const res = await fetch(`${apiUrl}/v1/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** A local extension of clerk-server (not part of Clerk's API). */
export async function local(method, path, body) {
  const { status, body: json } = await bapi(method, `_local/${path}`, { body });
  assert.equal(status, 200, `${method} /v1/_local/${path}`);
  return json;
}

/** Prints the tally and exits 1 if any call failed. */
export function finish() {
  if (failures.length > 0) {
    console.log(`js  ${failures.length} of ${calls} calls FAILED: ${failures.join(', ')}`);
    process.exit(1);
  }
  console.log(`js  all ${calls} calls ok`);
}
