// Clerk's official JavaScript backend client (@clerk/backend, pinned in
// package.json) against a running clerk-server: every call of
// shared/reference/official-clients.md §4 (js), asserting what comes back,
// plus token verification with the client's own verifier.
//
// Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... node scenario.mjs
// Prints one line per call; exits 1 if any call did not give what Clerk gives.

import assert from 'node:assert/strict';
import { createClerkClient, verifyToken } from '@clerk/backend';
import { isClerkAPIResponseError } from '@clerk/backend/errors';

const apiUrl = required('COMPAT_API_URL');
const secretKey = required('COMPAT_SECRET_KEY');
// Each run of the scenario uses its own identities, so runs can share a server.
const tag = `js${Date.now().toString(36)}`;
const email = (name) => `${tag}.${name}@example.com`;

const clerk = createClerkClient({
  secretKey,
  apiUrl,
  apiVersion: 'v1',
  telemetry: { disabled: true },
});

let calls = 0;
const failures = [];

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} must be set`);
    process.exit(2);
  }
  return value;
}

/** Runs one call: prints `js <call> ok <detail>` or `js <call> FAILED <why>`. */
async function call(name, fn) {
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
async function apiError(promise, status, code) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected a ${status} ${code} error, got success`);
  assert.ok(isClerkAPIResponseError(err), `not a ClerkAPIResponseError: ${err}`);
  assert.equal(err.status, status);
  assert.equal(err.errors[0]?.code, code);
  assert.ok(err.errors[0].message, 'error message');
  assert.ok(err.errors[0].longMessage, 'error long message');
  assert.ok(err.clerkTraceId, 'clerkTraceId');
  return `${status} ${code} trace=${err.clerkTraceId.slice(0, 8)}…`;
}

/** The claims of a JWT (no verification). */
function claimsOf(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/** A local extension of clerk-server (not part of Clerk's API). */
async function local(method, path) {
  const res = await fetch(`${apiUrl}/v1/_local/${path}`, {
    method,
    headers: { Authorization: `Bearer ${secretKey}` },
  });
  assert.equal(res.status, 200, `${method} /v1/_local/${path}`);
  return res.json();
}

const state = {};

await call('users.createUser', async () => {
  const user = await clerk.users.createUser({
    emailAddress: [email('a')],
    password: 'Sup3r-Secret-Pw!',
    firstName: 'Ann',
  });
  assert.match(user.id, /^user_[0-9A-Za-z]{27}$/);
  assert.equal(user.emailAddresses[0].emailAddress, email('a'));
  assert.equal(user.emailAddresses[0].verification.status, 'verified');
  assert.equal(user.primaryEmailAddressId, user.emailAddresses[0].id);
  assert.equal(user.primaryEmailAddress.emailAddress, email('a'));
  assert.equal(user.firstName, 'Ann');
  assert.equal(user.passwordEnabled, true);
  assert.equal(typeof user.createdAt, 'number');
  state.ann = user;
  return user.id;
});

await call('users.createUser#2', async () => {
  const user = await clerk.users.createUser({
    emailAddress: [email('b')],
    password: 'Sup3r-Secret-Pw!',
    firstName: 'Bob',
    lastName: 'B',
  });
  assert.equal(user.fullName, 'Bob B');
  state.bob = user;
  return user.id;
});

await call('users.createUser (duplicate email)', () =>
  apiError(clerk.users.createUser({ emailAddress: [email('a')] }), 422, 'form_identifier_exists'),
);

await call('users.getUserList()', async () => {
  const { data, totalCount } = await clerk.users.getUserList();
  assert.ok(Array.isArray(data));
  assert.equal(totalCount, await clerk.users.getCount());
  assert.ok(data.some((u) => u.id === state.ann.id));
  return `${data.length} of ${totalCount}`;
});

await call('users.getUserList({emailAddress:[2]})', async () => {
  const { data, totalCount } = await clerk.users.getUserList({
    emailAddress: [email('a'), email('b')],
  });
  assert.equal(totalCount, 2);
  assert.deepEqual(new Set(data.map((u) => u.id)), new Set([state.ann.id, state.bob.id]));
  return `totalCount=${totalCount}`;
});

await call('users.getUserList({limit,offset,orderBy})', async () => {
  const all = await clerk.users.getUserList({ limit: 500, orderBy: '-created_at' });
  const page = await clerk.users.getUserList({ limit: 5, offset: 1, orderBy: '-created_at' });
  assert.deepEqual(
    page.data.map((u) => u.id),
    all.data.slice(1, 6).map((u) => u.id),
  );
  return `${page.data.length} users`;
});

await call('users.getUser', async () => {
  const user = await clerk.users.getUser(state.ann.id);
  assert.equal(user.id, state.ann.id);
  assert.equal(user.emailAddresses[0].emailAddress, email('a'));
  assert.deepEqual(user.publicMetadata, {});
  return user.id;
});

await call('users.updateUser', async () => {
  const user = await clerk.users.updateUser(state.ann.id, { firstName: 'Anna' });
  assert.equal(user.firstName, 'Anna');
  assert.ok(user.updatedAt >= state.ann.updatedAt);
  return `firstName=${user.firstName}`;
});

await call('users.getCount()', async () => {
  const count = await clerk.users.getCount();
  assert.equal(typeof count, 'number');
  assert.ok(count >= 2);
  return `${count}`;
});

await call('users.getCount({emailAddress})', async () => {
  const count = await clerk.users.getCount({ emailAddress: [email('a')] });
  assert.equal(count, 1);
  return `${count}`;
});

await call('allowlistIdentifiers.createAllowlistIdentifier', async () => {
  const item = await clerk.allowlistIdentifiers.createAllowlistIdentifier({
    identifier: email('x'),
    notify: false,
  });
  assert.match(item.id, /^alid_/);
  assert.equal(item.identifier, email('x'));
  assert.equal(item.identifierType, 'email_address');
  state.allowlisted = item;
  return item.id;
});

await call('allowlistIdentifiers.getAllowlistIdentifierList', async () => {
  const { data, totalCount } = await clerk.allowlistIdentifiers.getAllowlistIdentifierList();
  assert.ok(Array.isArray(data), 'paginated=true gives {data, totalCount}');
  assert.equal(typeof totalCount, 'number');
  assert.ok(data.some((i) => i.id === state.allowlisted.id));
  return `totalCount=${totalCount}`;
});

await call('allowlistIdentifiers.deleteAllowlistIdentifier', async () => {
  const deleted = await clerk.allowlistIdentifiers.deleteAllowlistIdentifier(state.allowlisted.id);
  assert.equal(deleted.object, 'allowlist_identifier');
  assert.equal(deleted.id, state.allowlisted.id);
  assert.equal(deleted.deleted, true);
  return 'deleted';
});

await call('instance.updateRestrictions({allowlist:true})', async () => {
  const on = await clerk.instance.updateRestrictions({ allowlist: true });
  assert.equal(on.allowlist, true);
  const off = await clerk.instance.updateRestrictions({ allowlist: false });
  assert.equal(off.allowlist, false);
  assert.equal(typeof off.blocklist, 'boolean');
  return 'on, then off';
});

await call('instance.update({testMode:true})', async () => {
  const answer = await clerk.instance.update({ testMode: true });
  assert.equal(answer, undefined, '204 No Content');
  return '204';
});

await call('sessions.createSession', async () => {
  const session = await clerk.sessions.createSession({ userId: state.ann.id });
  assert.match(session.id, /^sess_/);
  assert.equal(session.userId, state.ann.id);
  assert.equal(session.status, 'active');
  assert.match(session.clientId, /^client_/);
  state.session = session;
  return session.id;
});

await call('sessions.getSessionList({userId})', async () => {
  const { data, totalCount } = await clerk.sessions.getSessionList({ userId: state.ann.id });
  assert.equal(totalCount, 1);
  assert.equal(data[0].id, state.session.id);
  return `totalCount=${totalCount}`;
});

await call('sessions.getSessionList({clientId,status})', async () => {
  const { data, totalCount } = await clerk.sessions.getSessionList({
    clientId: state.session.clientId,
    status: 'active',
  });
  assert.equal(totalCount, 1);
  assert.equal(data[0].id, state.session.id);
  return `totalCount=${totalCount}`;
});

await call('sessions.getSession', async () => {
  const session = await clerk.sessions.getSession(state.session.id);
  assert.equal(session.id, state.session.id);
  assert.equal(session.expireAt - session.createdAt, 7 * 24 * 3600 * 1000);
  return session.status;
});

await call('sessions.getToken', async () => {
  const token = await clerk.sessions.getToken(state.session.id);
  const claims = claimsOf(token.jwt);
  assert.equal(claims.sid, state.session.id);
  assert.equal(claims.sub, state.ann.id);
  assert.equal(claims.v, 2, 'API version 2026-05-12: v2 claims');
  state.jwt = token.jwt;
  return `exp-iat=${claims.exp - claims.iat}s`;
});

await call('sessions.getToken(template=undefined, expiresInSeconds=120)', async () => {
  const token = await clerk.sessions.getToken(state.session.id, undefined, 120);
  const claims = claimsOf(token.jwt);
  assert.equal(claims.exp - claims.iat, 120);
  return 'exp-iat=120s';
});

await call('sessions.getToken(template)', () =>
  apiError(clerk.sessions.getToken(state.session.id, 'no-such-template'), 404, 'resource_not_found'),
);

await call('sessions.verifySession', () =>
  // Gone since API version 2025-04-10; the JS client sends 2026-05-12.
  apiError(clerk.sessions.verifySession(state.session.id, state.jwt), 410, 'operation_deprecated'),
);

await call('jwks.getJwks', async () => {
  const jwks = await clerk.jwks.getJwks();
  const [key] = jwks.keys;
  assert.equal(key.kty, 'RSA');
  assert.equal(key.alg, 'RS256');
  assert.equal(key.use, 'sig');
  assert.equal(key.e, 'AQAB');
  assert.equal(key.kid, JSON.parse(Buffer.from(state.jwt.split('.')[0], 'base64url')).kid);
  return key.kid;
});

await call('verifyToken({secretKey,apiUrl})', async () => {
  const claims = await verifyToken(state.jwt, { secretKey, apiUrl });
  assert.equal(claims.sid, state.session.id);
  assert.equal(claims.sub, state.ann.id);
  return `sub=${claims.sub}`;
});

await call('verifyToken({jwtKey: PEM})', async () => {
  const keys = await local('GET', 'keys');
  const pem = keys.data.find((k) => k.status === 'active').public_key_pem;
  assert.match(pem, /^-----BEGIN PUBLIC KEY-----/);
  const claims = await verifyToken(state.jwt, { jwtKey: pem });
  assert.equal(claims.sid, state.session.id);
  // A token with another signature is refused.
  const [header, payload, signature] = state.jwt.split('.');
  const forged = `${header}.${payload}.${signature.slice(0, -4)}AAAA`;
  await assert.rejects(verifyToken(forged, { jwtKey: pem }), /signature/i);
  return 'verified; forged token rejected';
});

await call('clients.getClientList', async () => {
  const { data, totalCount } = await clerk.clients.getClientList();
  assert.ok(Array.isArray(data), 'paginated=true gives {data, totalCount}');
  assert.ok(totalCount >= 1);
  const all = await clerk.clients.getClientList({ limit: 500 });
  assert.ok(all.data.some((c) => c.id === state.session.clientId));
  return `totalCount=${totalCount}`;
});

await call('clients.getClient', async () => {
  const client = await clerk.clients.getClient(state.session.clientId);
  assert.equal(client.id, state.session.clientId);
  assert.deepEqual(client.sessionIds, [state.session.id]);
  assert.equal(client.sessions[0].id, state.session.id);
  return client.id;
});

await call('clients.verifyClient', () =>
  apiError(clerk.clients.verifyClient('not-a-client-token'), 400, 'cookie_invalid'),
);

await call('clients.verifyClient (local client token)', async () => {
  const { jwt } = await local('POST', `clients/${state.session.clientId}/token`);
  const client = await clerk.clients.verifyClient(jwt);
  assert.equal(client.id, state.session.clientId);
  return client.id;
});

await call('sessions.revokeSession', async () => {
  const session = await clerk.sessions.revokeSession(state.session.id);
  assert.equal(session.status, 'revoked');
  return session.status;
});

await call('emails.create (new /v1/email)', () =>
  // Clerk's new experimental email API is not served by clerk-server (it serves
  // the legacy POST /v1/emails of the Ruby SDK): a Clerk 404.
  apiError(
    clerk.emails.create({
      to: { address: email('a') },
      from: { address: 'support@example.com' },
      subject: 'hi',
      html: '<p>hi</p>',
    }),
    404,
    'resource_not_found',
  ),
);

await call('users.deleteUser', async () => {
  const deleted = await clerk.users.deleteUser(state.ann.id);
  assert.equal(deleted.object, 'user');
  assert.equal(deleted.id, state.ann.id);
  assert.equal(deleted.deleted, true);
  await clerk.users.deleteUser(state.bob.id);
  return 'deleted';
});

await call('users.getUser(deleted)', () =>
  apiError(clerk.users.getUser(state.ann.id), 404, 'resource_not_found'),
);

await call('bad key users.getUser', () => {
  const intruder = createClerkClient({
    secretKey: 'sk_test_not_the_key',
    apiUrl,
    apiVersion: 'v1',
    telemetry: { disabled: true },
  });
  return apiError(intruder.users.getUser('user_x'), 401, 'clerk_key_invalid');
});

if (failures.length > 0) {
  console.log(`js  ${failures.length} of ${calls} calls FAILED: ${failures.join(', ')}`);
  process.exit(1);
}
console.log(`js  all ${calls} calls ok`);
