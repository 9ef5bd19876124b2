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
async function local(method, path, body) {
  const res = await fetch(`${apiUrl}/v1/_local/${path}`, {
    method,
    headers: { Authorization: `Bearer ${secretKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
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

// ---- Every other method of the client on the resources clerk-server serves ----

/** The ids of `users` as a set. */
const ids = (users) => new Set(users.map((u) => u.id));

// Phone numbers of this run (E.164): the run's start in ms (mod 10^5) and n < 100.
const phoneBase = Date.now() % 1e5;
const phone = (n) => `+1202${String(phoneBase * 100 + n).padStart(7, '0')}`;
// A bcrypt digest (cost 4) of 'Imp0rted-Pw!', as exported from another system.
const BCRYPT_DIGEST = '$2b$04$Rn0fPaUfs4Xx9SueWAR/ruRPEFzMeWIcMf9J247ife03Nju.jqIti';

await call('users.createUser({phoneNumber,username,externalId,metadata})', async () => {
  state.carolPhone = phone(1);
  const user = await clerk.users.createUser({
    emailAddress: [email('c')],
    phoneNumber: [state.carolPhone],
    username: `${tag}_carol`,
    externalId: `${tag}-ext-c`,
    firstName: 'Carol',
    lastName: 'Zed',
    password: 'Sup3r-Secret-Pw!',
    publicMetadata: { plan: 'pro', prefs: { theme: 'dark', lang: 'en' } },
    privateMetadata: { stripe: 'cus_1' },
    unsafeMetadata: { seen: true },
  });
  assert.equal(user.username, `${tag}_carol`);
  assert.equal(user.externalId, `${tag}-ext-c`);
  assert.equal(user.phoneNumbers.length, 1);
  assert.equal(user.phoneNumbers[0].phoneNumber, state.carolPhone);
  assert.equal(user.phoneNumbers[0].verification.status, 'verified');
  assert.equal(user.primaryPhoneNumberId, user.phoneNumbers[0].id);
  assert.equal(user.primaryPhoneNumber.phoneNumber, state.carolPhone);
  assert.deepEqual(user.publicMetadata, { plan: 'pro', prefs: { theme: 'dark', lang: 'en' } });
  assert.deepEqual(user.privateMetadata, { stripe: 'cus_1' });
  assert.deepEqual(user.unsafeMetadata, { seen: true });
  assert.equal(user.banned, false);
  assert.equal(user.locked, false);
  state.carol = user;
  return user.id;
});

await call('users.createUser({passwordDigest,passwordHasher:bcrypt})', async () => {
  const user = await clerk.users.createUser({
    emailAddress: [email('d')],
    passwordDigest: BCRYPT_DIGEST,
    passwordHasher: 'bcrypt',
  });
  assert.equal(user.passwordEnabled, true);
  state.dave = user;
  return user.id;
});

await call('users.createUser({skipPasswordChecks})', async () => {
  const user = await clerk.users.createUser({
    emailAddress: [email('e')],
    password: 'short',
    skipPasswordChecks: true,
  });
  assert.equal(user.passwordEnabled, true);
  state.erin = user;
  return user.id;
});

await call('users.createUser({identificationStatus:reserved,banned,locked,createdAt,legalAcceptedAt,locale})', async () => {
  const user = await clerk.users.createUser({
    emailAddress: [email('h')],
    emailAddressIdentificationStatus: ['reserved'],
    phoneNumber: [phone(5)],
    phoneNumberIdentificationStatus: ['reserved'],
    banned: true,
    locked: true,
    createdAt: new Date('2020-01-02T03:04:05Z'),
    legalAcceptedAt: new Date('2021-01-01T00:00:00Z'),
    skipLegalChecks: true,
    locale: 'fr-FR',
    skipPasswordRequirement: true,
  });
  assert.equal(user.raw.email_addresses[0].reserved, true);
  assert.equal(user.emailAddresses[0].verification, null, 'reserved: not verified');
  assert.equal(user.raw.phone_numbers[0].reserved, true);
  assert.equal(user.banned, true);
  assert.equal(user.locked, true);
  assert.equal(user.createdAt, Date.parse('2020-01-02T03:04:05Z'));
  assert.equal(user.legalAcceptedAt, Date.parse('2021-01-01T00:00:00Z'));
  assert.equal(user.locale, 'fr-FR');
  assert.equal(user.passwordEnabled, false);
  state.hank = user;
  return user.id;
});

await call('users.createUser({timezone})', () =>
  // The client types a `timezone` that bapi-2026-05-12 does not list.
  apiError(
    clerk.users.createUser({ emailAddress: [email('tz')], timezone: 'Europe/Paris' }),
    422,
    'form_param_unknown',
  ),
);

await call('users.getUserList({banned})', async () => {
  // Not in the client's types, but it sends every parameter it is given.
  const banned = await clerk.users.getUserList({ banned: true, emailAddress: [email('a'), email('h')] });
  assert.deepEqual(ids(banned.data), new Set([state.hank.id]));
  assert.equal(banned.totalCount, 1, 'the count takes banned too');
  // The client drops falsy query values, so banned: false filters nothing.
  const free = await clerk.users.getUserList({ banned: false, emailAddress: [email('a'), email('h')] });
  assert.deepEqual(ids(free.data), new Set([state.ann.id, state.hank.id]));
  return `banned=${banned.totalCount}`;
});

await call('users.createUser (short password)', () =>
  apiError(
    clerk.users.createUser({ emailAddress: [email('f')], password: 'short' }),
    422,
    'form_password_length_too_short',
  ),
);

await call('users.createUser (duplicate username)', () =>
  apiError(
    clerk.users.createUser({ username: `${tag}_carol` }),
    422,
    'form_identifier_exists',
  ),
);

await call('users.createUser (duplicate phone number)', () =>
  apiError(
    clerk.users.createUser({ phoneNumber: [state.carolPhone] }),
    422,
    'form_identifier_exists',
  ),
);

await call('users.verifyPassword (imported bcrypt, right)', async () => {
  const answer = await clerk.users.verifyPassword({ userId: state.dave.id, password: 'Imp0rted-Pw!' });
  assert.equal(answer.verified, true);
  return 'verified';
});

await call('users.verifyPassword (wrong)', () =>
  apiError(
    clerk.users.verifyPassword({ userId: state.dave.id, password: 'not-it' }),
    422,
    'incorrect_password',
  ),
);

await call('users.verifyPassword (skipPasswordChecks user)', async () => {
  const answer = await clerk.users.verifyPassword({ userId: state.erin.id, password: 'short' });
  assert.equal(answer.verified, true);
  return 'verified';
});

await call('users.getUserList({query})', async () => {
  const { data, totalCount } = await clerk.users.getUserList({ query: `${tag}_carol` });
  assert.deepEqual(ids(data), new Set([state.carol.id]));
  assert.equal(totalCount, 1);
  const byName = await clerk.users.getUserList({ query: 'Carol', emailAddress: [email('c')] });
  assert.deepEqual(ids(byName.data), new Set([state.carol.id]));
  return `totalCount=${totalCount}`;
});

await call('users.getUserList({phoneNumber,username,externalId,userId})', async () => {
  for (const params of [
    { phoneNumber: [state.carolPhone] },
    { username: [`${tag}_carol`] },
    { externalId: [`${tag}-ext-c`] },
    { userId: [state.carol.id] },
  ]) {
    const { data, totalCount } = await clerk.users.getUserList(params);
    assert.deepEqual(ids(data), new Set([state.carol.id]), JSON.stringify(params));
    assert.equal(totalCount, 1, JSON.stringify(params));
  }
  return '4 filters';
});

await call('users.getUserList({userId:[+3]}) several', async () => {
  const wanted = [state.ann.id, state.bob.id, state.carol.id];
  const { data, totalCount } = await clerk.users.getUserList({ userId: wanted, limit: 2 });
  assert.equal(data.length, 2);
  assert.equal(totalCount, 3);
  return `page of 2, totalCount=${totalCount}`;
});

await call('users.getUserList({organizationId})', async () => {
  const { data, totalCount } = await clerk.users.getUserList({ organizationId: ['org_nope'] });
  assert.equal(data.length, 0);
  assert.equal(totalCount, 0);
  return 'no organizations here';
});

const ours = [email('a'), email('b'), email('c'), email('d'), email('e')];
for (const orderBy of [
  'created_at', '+created_at', '-created_at', '-updated_at', 'email_address', '-email_address',
  'first_name', '-last_name', 'username', 'phone_number', 'web3wallet', '-last_active_at',
  '+last_sign_in_at',
]) {
  await call(`users.getUserList({orderBy:'${orderBy}'})`, async () => {
    const { data } = await clerk.users.getUserList({ emailAddress: ours, orderBy, limit: 100 });
    assert.equal(data.length, 5);
    const field = orderBy.replace(/^[+-]/, '');
    const desc = orderBy.startsWith('-');
    const key = {
      created_at: (u) => u.createdAt,
      updated_at: (u) => u.updatedAt,
      email_address: (u) => u.primaryEmailAddress?.emailAddress ?? null,
      first_name: (u) => u.firstName,
      last_name: (u) => u.lastName,
      username: (u) => u.username,
      phone_number: (u) => u.primaryPhoneNumber?.phoneNumber ?? null,
      web3wallet: () => null,
      last_active_at: (u) => u.lastActiveAt,
      last_sign_in_at: (u) => u.lastSignInAt,
    }[field];
    // Nulls last in both directions; the rest in order.
    const values = data.map(key);
    const present = values.filter((v) => v !== null && v !== undefined);
    assert.deepEqual(values.slice(0, present.length), present, `nulls last: ${values}`);
    const sorted = [...present].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (desc) sorted.reverse();
    assert.deepEqual(present, sorted, `order of ${values}`);
    return `${present.length} non-null in order`;
  });
}

await call('users.getUserList({orderBy:bogus})', () =>
  apiError(clerk.users.getUserList({ orderBy: 'password' }), 422, 'form_param_value_invalid'),
);

await call('users.getUserList({createdAtAfter,createdAtBefore})', async () => {
  const after = await clerk.users.getUserList({
    emailAddress: ours,
    createdAtAfter: state.carol.createdAt - 1,
    limit: 100,
  });
  assert.ok(after.data.every((u) => u.createdAt > state.carol.createdAt - 1));
  assert.ok(ids(after.data).has(state.carol.id));
  assert.ok(!ids(after.data).has(state.ann.id) || state.ann.createdAt >= state.carol.createdAt);
  const before = await clerk.users.getUserList({
    emailAddress: ours,
    createdAtBefore: state.carol.createdAt,
    limit: 100,
  });
  assert.ok(before.data.every((u) => u.createdAt < state.carol.createdAt));
  assert.ok(ids(before.data).has(state.ann.id));
  assert.equal(after.totalCount + before.totalCount, 5, 'the count takes the same filters');
  return `after=${after.totalCount} before=${before.totalCount}`;
});

await call('users.getUserList({lastActiveAtAfter,lastActiveAtBefore,last_active_at_since})', async () => {
  // Ann signed in (a session was created for her); the others never did.
  const since = await clerk.users.getUserList({
    emailAddress: ours,
    last_active_at_since: Date.now() - 24 * 3600 * 1000,
  });
  assert.deepEqual(ids(since.data), new Set([state.ann.id]));
  const after = await clerk.users.getUserList({
    emailAddress: ours,
    lastActiveAtAfter: Date.now() - 2 * 24 * 3600 * 1000,
  });
  assert.deepEqual(ids(after.data), new Set([state.ann.id]));
  const before = await clerk.users.getUserList({
    emailAddress: ours,
    lastActiveAtBefore: Date.now() - 2 * 24 * 3600 * 1000,
  });
  assert.equal(before.data.length, 0);
  assert.equal(before.totalCount, 0);
  return `since=${since.data.length} after=${after.data.length}`;
});

await call('users.getUserList({lastSignInAtAfter,lastSignInAtBefore})', async () => {
  const after = await clerk.users.getUserList({
    emailAddress: ours,
    lastSignInAtAfter: Date.now() - 3600 * 1000,
  });
  assert.deepEqual(ids(after.data), new Set([state.ann.id]));
  const before = await clerk.users.getUserList({
    emailAddress: ours,
    lastSignInAtBefore: Date.now() - 3600 * 1000,
  });
  assert.equal(before.data.length, 0);
  return `after=${after.data.length}`;
});

await call('users.getUserList({limit:501})', () =>
  apiError(clerk.users.getUserList({ limit: 501 }), 422, 'form_param_value_invalid'),
);

await call('users.getCount({query,phoneNumber,username,externalId,userId})', async () => {
  assert.equal(await clerk.users.getCount({ query: `${tag}_carol` }), 1);
  assert.equal(await clerk.users.getCount({ phoneNumber: [state.carolPhone] }), 1);
  assert.equal(await clerk.users.getCount({ username: [`${tag}_carol`] }), 1);
  assert.equal(await clerk.users.getCount({ externalId: [`${tag}-ext-c`, 'nobody'] }), 1);
  assert.equal(await clerk.users.getCount({ userId: [state.carol.id, state.dave.id] }), 2);
  assert.equal(await clerk.users.getCount({ emailAddress: ['nobody@example.com'] }), 0);
  return '6 counts';
});

await call('users.updateUser({username,externalId,lastName,locale,createdAt,flags})', async () => {
  const user = await clerk.users.updateUser(state.carol.id, {
    username: `${tag}_caro`,
    externalId: `${tag}-ext-c2`,
    lastName: 'Zee',
    locale: 'de',
    createdAt: new Date(state.carol.createdAt),
    deleteSelfEnabled: false,
    createOrganizationEnabled: false,
    createOrganizationsLimit: 3,
  });
  assert.equal(user.locale, 'de');
  assert.equal(user.createdAt, state.carol.createdAt);
  assert.equal(user.createOrganizationsLimit, 3);
  assert.equal(user.username, `${tag}_caro`);
  assert.equal(user.externalId, `${tag}-ext-c2`);
  assert.equal(user.lastName, 'Zee');
  assert.equal(user.deleteSelfEnabled, false);
  assert.equal(user.createOrganizationEnabled, false);
  return user.username;
});

await call('users.updateUser({password}) then verifyPassword', async () => {
  await clerk.users.updateUser(state.carol.id, { password: 'An0ther-Secret!', signOutOfOtherSessions: true });
  const right = await clerk.users.verifyPassword({ userId: state.carol.id, password: 'An0ther-Secret!' });
  assert.equal(right.verified, true);
  return apiError(
    clerk.users.verifyPassword({ userId: state.carol.id, password: 'Sup3r-Secret-Pw!' }),
    422,
    'incorrect_password',
  );
});

await call('users.updateUser({passwordDigest,passwordHasher:bcrypt})', async () => {
  await clerk.users.updateUser(state.erin.id, { passwordDigest: BCRYPT_DIGEST, passwordHasher: 'bcrypt' });
  const answer = await clerk.users.verifyPassword({ userId: state.erin.id, password: 'Imp0rted-Pw!' });
  assert.equal(answer.verified, true);
  return 'verified';
});

await call('users.updateUser({publicMetadata}) (deprecated path: PUT metadata)', async () => {
  // The client warns on the console about this path: catch it, keep one line per call.
  const warn = console.warn;
  const warnings = [];
  console.warn = (...args) => warnings.push(args.join(' '));
  let user;
  try {
    user = await clerk.users.updateUser(state.erin.id, { firstName: 'Erin', publicMetadata: { a: 1 } });
  } finally {
    console.warn = warn;
  }
  assert.ok(warnings.some((w) => /deprecated/i.test(w)), 'the client warned');
  assert.equal(user.firstName, 'Erin');
  assert.deepEqual(user.publicMetadata, { a: 1 });
  return 'PATCH then PUT';
});

await call('users.updateUser (taken username)', () =>
  apiError(clerk.users.updateUser(state.erin.id, { username: `${tag}_caro` }), 422, 'form_identifier_exists'),
);

await call('users.updateUser (unknown id)', () =>
  apiError(clerk.users.updateUser('user_nope', { firstName: 'X' }), 404, 'resource_not_found'),
);

await call('users.updateUserMetadata (deep merge, null deletes)', async () => {
  const user = await clerk.users.updateUserMetadata(state.carol.id, {
    publicMetadata: { prefs: { theme: 'light', lang: null }, extra: [1, 2] },
    privateMetadata: { stripe: null },
  });
  assert.deepEqual(user.publicMetadata, { plan: 'pro', prefs: { theme: 'light' }, extra: [1, 2] });
  assert.deepEqual(user.privateMetadata, {});
  assert.deepEqual(user.unsafeMetadata, { seen: true }, 'untouched');
  return JSON.stringify(user.publicMetadata);
});

await call('users.replaceUserMetadata', async () => {
  const user = await clerk.users.replaceUserMetadata(state.carol.id, {
    publicMetadata: { prefs: { lang: 'fr' } },
    unsafeMetadata: {},
  });
  assert.deepEqual(user.publicMetadata, { prefs: { lang: 'fr' } });
  assert.deepEqual(user.unsafeMetadata, {});
  assert.deepEqual(user.privateMetadata, {}, 'untouched');
  return JSON.stringify(user.publicMetadata);
});

await call('users.updateUserMetadata (unknown id)', () =>
  apiError(clerk.users.updateUserMetadata('user_nope', { publicMetadata: {} }), 404, 'resource_not_found'),
);

await call('users.banUser / unbanUser', async () => {
  const session = await clerk.sessions.createSession({ userId: state.carol.id });
  const banned = await clerk.users.banUser(state.carol.id);
  assert.equal(banned.banned, true);
  const revoked = await clerk.sessions.getSession(session.id);
  assert.equal(revoked.status, 'revoked', 'banning revokes the sessions');
  await apiError(clerk.sessions.createSession({ userId: state.carol.id }), 400, 'user_banned');
  const unbanned = await clerk.users.unbanUser(state.carol.id);
  assert.equal(unbanned.banned, false);
  return 'banned (session revoked), unbanned';
});

await call('users.lockUser / unlockUser', async () => {
  const locked = await clerk.users.lockUser(state.carol.id);
  assert.equal(locked.locked, true);
  // The client's User model leaves these two out; they are in its raw JSON.
  // Carol's one wrong password above used an attempt; locking by hand uses none, so 9
  // remain until the unlock resets the count.
  assert.equal(locked.raw.verification_attempts_remaining, 9);
  assert.ok(locked.raw.lockout_expires_in_seconds > 0);
  await apiError(clerk.sessions.createSession({ userId: state.carol.id }), 400, 'user_locked');
  const unlocked = await clerk.users.unlockUser(state.carol.id);
  assert.equal(unlocked.locked, false);
  assert.equal(unlocked.raw.lockout_expires_in_seconds, null);
  assert.equal(unlocked.raw.verification_attempts_remaining, 10);
  return 'locked, unlocked';
});

await call('users.banUser (unknown id)', () =>
  apiError(clerk.users.banUser('user_nope'), 404, 'resource_not_found'),
);

await call('users.verifyPassword (no password set)', async () => {
  const user = await clerk.users.createUser({ emailAddress: [email('g')] });
  state.gina = user;
  return apiError(
    clerk.users.verifyPassword({ userId: user.id, password: 'anything' }),
    400,
    'no_password_set',
  );
});

// Email addresses.

await call('emailAddresses.createEmailAddress', async () => {
  const address = await clerk.emailAddresses.createEmailAddress({
    userId: state.carol.id,
    emailAddress: email('c2'),
  });
  assert.match(address.id, /^idn_/);
  assert.equal(address.emailAddress, email('c2'));
  // Unverified and never sent a code: no verification yet.
  assert.equal(address.verification, null);
  assert.deepEqual(address.linkedTo, []);
  state.carolEmail2 = address;
  return address.id;
});

await call('emailAddresses.createEmailAddress({verified,primary})', async () => {
  const address = await clerk.emailAddresses.createEmailAddress({
    userId: state.carol.id,
    emailAddress: email('c3'),
    verified: true,
    primary: true,
  });
  assert.equal(address.verification.status, 'verified');
  const user = await clerk.users.getUser(state.carol.id);
  assert.equal(user.primaryEmailAddressId, address.id);
  assert.equal(user.emailAddresses.length, 3);
  state.carolEmail3 = address;
  return address.id;
});

await call('emailAddresses.createEmailAddress (duplicate)', () =>
  apiError(
    clerk.emailAddresses.createEmailAddress({ userId: state.bob.id, emailAddress: email('c2') }),
    422,
    'form_identifier_exists',
  ),
);

await call('emailAddresses.createEmailAddress (unknown user)', () =>
  apiError(
    clerk.emailAddresses.createEmailAddress({ userId: 'user_nope', emailAddress: email('z') }),
    404,
    'resource_not_found',
  ),
);

await call('emailAddresses.createEmailAddress({primary} unverified)', () =>
  apiError(
    clerk.emailAddresses.createEmailAddress({
      userId: state.carol.id,
      emailAddress: email('c4'),
      primary: true,
    }),
    422,
    'form_verification_needed',
  ),
);

await call('emailAddresses.getEmailAddress', async () => {
  const address = await clerk.emailAddresses.getEmailAddress(state.carolEmail2.id);
  assert.equal(address.id, state.carolEmail2.id);
  assert.equal(address.emailAddress, email('c2'));
  return address.id;
});

await call('emailAddresses.updateEmailAddress({verified,primary})', async () => {
  const verified = await clerk.emailAddresses.updateEmailAddress(state.carolEmail2.id, { verified: true });
  assert.equal(verified.verification.status, 'verified');
  await clerk.emailAddresses.updateEmailAddress(state.carolEmail2.id, { primary: true });
  const user = await clerk.users.getUser(state.carol.id);
  assert.equal(user.primaryEmailAddressId, state.carolEmail2.id);
  return 'verified, primary';
});

await call('users.updateUser({primaryEmailAddressID})', async () => {
  const user = await clerk.users.updateUser(state.carol.id, {
    primaryEmailAddressID: state.carolEmail3.id,
    notifyPrimaryEmailAddressChanged: false,
  });
  assert.equal(user.primaryEmailAddressId, state.carolEmail3.id);
  assert.equal(user.primaryEmailAddress.emailAddress, email('c3'));
  return user.primaryEmailAddressId;
});

await call('users.updateUser({primaryEmailAddressID} of another user)', () =>
  apiError(
    clerk.users.updateUser(state.carol.id, { primaryEmailAddressID: state.bob.primaryEmailAddressId }),
    422,
    'form_identifier_not_found',
  ),
);

await call('emailAddresses.deleteEmailAddress', async () => {
  const deleted = await clerk.emailAddresses.deleteEmailAddress(state.carolEmail2.id);
  assert.equal(deleted.object, 'email_address');
  assert.equal(deleted.id, state.carolEmail2.id);
  assert.equal(deleted.deleted, true);
  return 'deleted';
});

await call('emailAddresses.getEmailAddress (deleted)', () =>
  apiError(clerk.emailAddresses.getEmailAddress(state.carolEmail2.id), 404, 'resource_not_found'),
);

await call('emailAddresses.updateEmailAddress (unknown id)', () =>
  apiError(clerk.emailAddresses.updateEmailAddress('idn_nope', { verified: true }), 404, 'resource_not_found'),
);

await call('emailAddresses.deleteEmailAddress (unknown id)', () =>
  apiError(clerk.emailAddresses.deleteEmailAddress('idn_nope'), 404, 'resource_not_found'),
);

// Phone numbers.

await call('phoneNumbers.createPhoneNumber', async () => {
  state.bobPhone = phone(2);
  const number = await clerk.phoneNumbers.createPhoneNumber({
    userId: state.bob.id,
    phoneNumber: state.bobPhone,
  });
  assert.match(number.id, /^idn_/);
  assert.equal(number.phoneNumber, state.bobPhone);
  assert.equal(number.verification, null, 'unverified: no verification yet');
  assert.equal(number.reservedForSecondFactor, false);
  assert.deepEqual(number.linkedTo, []);
  const user = await clerk.users.getUser(state.bob.id);
  assert.equal(user.primaryPhoneNumberId, number.id, 'the first of its kind is primary');
  state.bobPhoneNumber = number;
  return number.id;
});

await call('phoneNumbers.createPhoneNumber({verified,primary,reservedForSecondFactor})', async () => {
  state.bobPhone2 = phone(3);
  const number = await clerk.phoneNumbers.createPhoneNumber({
    userId: state.bob.id,
    phoneNumber: state.bobPhone2,
    verified: true,
    primary: true,
    reservedForSecondFactor: true,
  });
  assert.equal(number.verification.status, 'verified');
  assert.equal(number.reservedForSecondFactor, true);
  const user = await clerk.users.getUser(state.bob.id);
  assert.equal(user.primaryPhoneNumberId, number.id);
  state.bobPhoneNumber2 = number;
  return number.id;
});

await call('phoneNumbers.createPhoneNumber (duplicate)', () =>
  apiError(
    clerk.phoneNumbers.createPhoneNumber({ userId: state.ann.id, phoneNumber: state.carolPhone }),
    422,
    'form_identifier_exists',
  ),
);

await call('phoneNumbers.createPhoneNumber (not E.164)', () =>
  apiError(
    clerk.phoneNumbers.createPhoneNumber({ userId: state.ann.id, phoneNumber: 'call me' }),
    422,
    'form_param_format_invalid',
  ),
);

await call('phoneNumbers.getPhoneNumber', async () => {
  const number = await clerk.phoneNumbers.getPhoneNumber(state.bobPhoneNumber.id);
  assert.equal(number.phoneNumber, state.bobPhone);
  return number.id;
});

await call('phoneNumbers.updatePhoneNumber({verified,primary})', async () => {
  const number = await clerk.phoneNumbers.updatePhoneNumber(state.bobPhoneNumber.id, {
    verified: true,
    primary: true,
  });
  assert.equal(number.verification.status, 'verified');
  const user = await clerk.users.getUser(state.bob.id);
  assert.equal(user.primaryPhoneNumberId, state.bobPhoneNumber.id);
  return 'verified, primary';
});

await call('phoneNumbers.updatePhoneNumber({reservedForSecondFactor})', async () => {
  const number = await clerk.phoneNumbers.updatePhoneNumber(state.bobPhoneNumber2.id, {
    reservedForSecondFactor: false,
  });
  assert.equal(number.reservedForSecondFactor, false);
  return 'not reserved';
});

await call('users.updateUser({primaryPhoneNumberID})', async () => {
  const user = await clerk.users.updateUser(state.bob.id, { primaryPhoneNumberID: state.bobPhoneNumber2.id });
  assert.equal(user.primaryPhoneNumberId, state.bobPhoneNumber2.id);
  return user.primaryPhoneNumberId;
});

await call('phoneNumbers.deletePhoneNumber', async () => {
  const deleted = await clerk.phoneNumbers.deletePhoneNumber(state.bobPhoneNumber2.id);
  assert.equal(deleted.object, 'phone_number');
  assert.equal(deleted.deleted, true);
  const user = await clerk.users.getUser(state.bob.id);
  assert.equal(user.primaryPhoneNumberId, state.bobPhoneNumber.id, 'the other verified one is promoted');
  return 'deleted; the other promoted';
});

await call('phoneNumbers.getPhoneNumber (deleted)', () =>
  apiError(clerk.phoneNumbers.getPhoneNumber(state.bobPhoneNumber2.id), 404, 'resource_not_found'),
);

await call('phoneNumbers.updatePhoneNumber (unknown id)', () =>
  apiError(clerk.phoneNumbers.updatePhoneNumber('idn_nope', { verified: true }), 404, 'resource_not_found'),
);

await call('phoneNumbers.deletePhoneNumber (unknown id)', () =>
  apiError(clerk.phoneNumbers.deletePhoneNumber('idn_nope'), 404, 'resource_not_found'),
);

// Sessions and clients.

await call('sessions.getToken (revoked session)', () =>
  apiError(clerk.sessions.getToken(state.session.id), 401, 'authentication_invalid'),
);

await call('sessions.getSessionList({userId,status:revoked})', async () => {
  const revoked = await clerk.sessions.getSessionList({ userId: state.ann.id, status: 'revoked' });
  assert.deepEqual(revoked.data.map((s) => s.id), [state.session.id]);
  const active = await clerk.sessions.getSessionList({ userId: state.ann.id, status: 'active' });
  assert.equal(active.totalCount, 0);
  return `revoked=${revoked.totalCount} active=${active.totalCount}`;
});

await call('sessions.getSessionList({userId,limit,offset})', async () => {
  const a = await clerk.sessions.createSession({ userId: state.dave.id });
  const b = await clerk.sessions.createSession({ userId: state.dave.id });
  const all = await clerk.sessions.getSessionList({ userId: state.dave.id });
  assert.equal(all.totalCount, 2);
  assert.deepEqual(new Set(all.data.map((s) => s.id)), new Set([a.id, b.id]));
  const page = await clerk.sessions.getSessionList({ userId: state.dave.id, limit: 1, offset: 1 });
  assert.equal(page.data.length, 1);
  assert.equal(page.totalCount, 2);
  state.daveSession = a;
  return `page of 1, totalCount=${page.totalCount}`;
});

await call('sessions.getSessionList({status:pending})', async () => {
  // The client's SessionStatus has 'pending' (the spec's filter does not): accepted, and no
  // session of this server is ever pending.
  const page = await clerk.sessions.getSessionList({ userId: state.ann.id, status: 'pending' });
  assert.equal(page.data.length, 0);
  return 'no pending session';
});

await call('sessions.getSessionList() (no user or client)', () =>
  apiError(clerk.sessions.getSessionList({}), 400, 'missing_query_parameter'),
);

await call('sessions.getSession (unknown id)', () =>
  apiError(clerk.sessions.getSession('sess_nope'), 404, 'resource_not_found'),
);

await call('sessions.createSession (unknown user)', () =>
  apiError(clerk.sessions.createSession({ userId: 'user_nope' }), 404, 'resource_not_found'),
);

await call('sessions.revokeSession (unknown id)', () =>
  apiError(clerk.sessions.revokeSession('sess_nope'), 404, 'resource_not_found'),
);

await call('sessions.getToken (unknown id)', () =>
  apiError(clerk.sessions.getToken('sess_nope'), 404, 'resource_not_found'),
);

await call('sessions.getToken(expiresInSeconds out of range)', () =>
  apiError(clerk.sessions.getToken(state.daveSession.id, undefined, 5), 422, 'form_param_value_invalid'),
);

await call('clients.getClient (unknown id)', () =>
  apiError(clerk.clients.getClient('client_nope'), 404, 'resource_not_found'),
);

await call('clients.getClientList({limit,offset})', async () => {
  const page = await clerk.clients.getClientList({ limit: 1, offset: 1 });
  assert.equal(page.data.length, 1);
  assert.ok(page.totalCount >= 3);
  return `totalCount=${page.totalCount}`;
});

// Allowlist, instance.

await call('allowlistIdentifiers.createAllowlistIdentifier({notify:true})', async () => {
  const item = await clerk.allowlistIdentifiers.createAllowlistIdentifier({
    identifier: email('invitee'),
    notify: true,
  });
  assert.equal(item.identifier, email('invitee'));
  assert.match(item.invitationId, /^inv_/);
  const outbox = await local('GET', `outbox?type=email&to=${encodeURIComponent(email('invitee'))}`);
  assert.equal(outbox.total_count, 1, 'an invitation email in the outbox');
  state.invitee = item;
  return `${item.id} invitation=${item.invitationId}`;
});

await call('allowlistIdentifiers.createAllowlistIdentifier (domain, phone)', async () => {
  const domain = await clerk.allowlistIdentifiers.createAllowlistIdentifier({
    identifier: `${tag}.example.org`,
    notify: false,
  });
  assert.equal(domain.identifierType, 'email_address');
  const number = await clerk.allowlistIdentifiers.createAllowlistIdentifier({
    identifier: phone(4),
    notify: false,
  });
  assert.equal(number.identifierType, 'phone_number');
  await clerk.allowlistIdentifiers.deleteAllowlistIdentifier(domain.id);
  await clerk.allowlistIdentifiers.deleteAllowlistIdentifier(number.id);
  return `${domain.identifierType}, ${number.identifierType}`;
});

await call('allowlistIdentifiers.createAllowlistIdentifier (duplicate)', () =>
  apiError(
    clerk.allowlistIdentifiers.createAllowlistIdentifier({ identifier: email('invitee'), notify: false }),
    400,
    'duplicate_record',
  ),
);

await call('allowlistIdentifiers.getAllowlistIdentifierList({limit,offset})', async () => {
  const all = await clerk.allowlistIdentifiers.getAllowlistIdentifierList({ limit: 500 });
  assert.ok(all.data.some((i) => i.id === state.invitee.id));
  const page = await clerk.allowlistIdentifiers.getAllowlistIdentifierList({ limit: 1 });
  assert.equal(page.data.length, 1);
  assert.equal(page.totalCount, all.totalCount);
  return `totalCount=${all.totalCount}`;
});

await call('allowlistIdentifiers.deleteAllowlistIdentifier (notified)', async () => {
  const deleted = await clerk.allowlistIdentifiers.deleteAllowlistIdentifier(state.invitee.id);
  assert.equal(deleted.deleted, true);
  return apiError(
    clerk.allowlistIdentifiers.deleteAllowlistIdentifier(state.invitee.id),
    404,
    'resource_not_found',
  );
});

await call('instance.get', async () => {
  const instance = await clerk.instance.get();
  assert.match(instance.id, /^ins_/);
  assert.ok(['development', 'production', 'staging'].includes(instance.environmentType));
  assert.ok(Array.isArray(instance.allowedOrigins) || instance.allowedOrigins === null);
  return `${instance.id} ${instance.environmentType}`;
});

await call('instance.update({testMode,hibp,supportEmail,allowedOrigins})', async () => {
  const answer = await clerk.instance.update({
    testMode: false,
    hibp: false,
    supportEmail: 'help@example.com',
    allowedOrigins: ['http://localhost:3000'],
  });
  assert.equal(answer, undefined, '204 No Content');
  const instance = await clerk.instance.get();
  assert.deepEqual(instance.allowedOrigins, ['http://localhost:3000']);
  // null leaves a setting as it is.
  const nulls = await clerk.instance.update({
    testMode: null,
    supportEmail: null,
    clerkJsVersion: null,
    developmentOrigin: null,
    urlBasedSessionSyncing: null,
    preferredSignInStrategyWhenPasswordRequired: 'otp',
  });
  assert.equal(nulls, undefined);
  return '204';
});

await call('instance.update({enhancedEmailDeliverability})', () =>
  // The client types a field bapi-2026-05-12 does not list for PATCH /v1/instance.
  apiError(clerk.instance.update({ enhancedEmailDeliverability: true }), 422, 'form_param_unknown'),
);

await call('instance.updateRestrictions({every field of the spec})', async () => {
  const on = await clerk.instance.updateRestrictions({
    allowlist: false,
    blocklist: true,
    blockEmailSubaddresses: true,
    blockDisposableEmailDomains: true,
  });
  assert.equal(on.blocklist, true);
  assert.equal(on.blockEmailSubaddresses, true);
  assert.equal(on.blockDisposableEmailDomains, true);
  const off = await clerk.instance.updateRestrictions({
    blocklist: false,
    blockEmailSubaddresses: false,
    blockDisposableEmailDomains: false,
  });
  assert.equal(off.blocklist, false);
  assert.equal(off.blockEmailSubaddresses, false);
  assert.equal(off.allowlist, false);
  return 'on, then off';
});

await call('instance.updateRestrictions({ignoreDotsForGmailAddresses})', () =>
  // The client still types this field of the 2024-10 spec; bapi-2026-05-12 has
  // allowlist_blocklist_disabled_on_sign_in in its place.
  apiError(
    clerk.instance.updateRestrictions({ ignoreDotsForGmailAddresses: true }),
    422,
    'form_param_unknown',
  ),
);

// Token verifiers.

await call('verifyToken (other session, authorizedParties, expired)', async () => {
  const { jwt } = await clerk.sessions.getToken(state.daveSession.id, undefined, 30);
  const pem = (await local('GET', 'keys')).data.find((k) => k.status === 'active').public_key_pem;
  assert.equal((await verifyToken(jwt, { jwtKey: pem })).sub, state.dave.id);
  // Backend API tokens carry no azp, and this client refuses a token without one
  // when authorizedParties is given: mint one with azp through the local extension.
  await assert.rejects(
    verifyToken(jwt, { jwtKey: pem, authorizedParties: ['http://localhost:3000'] }),
    /azp/,
  );
  const browser = await local('POST', `sessions/${state.daveSession.id}/tokens`, {
    claims: { azp: 'http://localhost:3000' },
  });
  const claims = await verifyToken(browser.jwt, {
    jwtKey: pem,
    authorizedParties: ['http://localhost:3000'],
  });
  assert.equal(claims.azp, 'http://localhost:3000');
  const expired = await local('POST', `sessions/${state.daveSession.id}/tokens`, {
    claims: { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 3700 },
  });
  await assert.rejects(verifyToken(expired.jwt, { jwtKey: pem }), /expired/i);
  const foreign = await local('POST', `sessions/${state.daveSession.id}/tokens`, {
    claims: { azp: 'https://evil.example' },
  });
  await assert.rejects(
    verifyToken(foreign.jwt, { jwtKey: pem, authorizedParties: ['http://localhost:3000'] }),
    /authorized/i,
  );
  return 'verified; expired and foreign azp rejected';
});

await call('authenticateRequest({jwtKey,publishableKey})', async () => {
  const { jwt } = await clerk.sessions.getToken(state.daveSession.id);
  const pem = (await local('GET', 'keys')).data.find((k) => k.status === 'active').public_key_pem;
  // A publishable key names the Frontend API host; it is only parsed here.
  const publishableKey = `pk_test_${Buffer.from('clerk.example.com$').toString('base64')}`;
  const request = new Request('http://localhost:3000/api', {
    headers: { Authorization: `Bearer ${jwt}` },
  });
  const state_ = await clerk.authenticateRequest(request, { jwtKey: pem, publishableKey, secretKey });
  assert.equal(state_.status, 'signed-in', state_.reason);
  const auth = state_.toAuth();
  assert.equal(auth.userId, state.dave.id);
  assert.equal(auth.sessionId, state.daveSession.id);
  const anonymous = await clerk.authenticateRequest(new Request('http://localhost:3000/api'), {
    jwtKey: pem,
    publishableKey,
    secretKey,
  });
  assert.notEqual(anonymous.status, 'signed-in');
  return `signed-in as ${auth.userId}; no token: ${anonymous.status}`;
});

// Credentials, identifiers replaced, organization lists.

await call('users.removePassword', async () => {
  const session = await clerk.sessions.createSession({ userId: state.erin.id });
  const user = await clerk.users.removePassword(state.erin.id, { signOutOfOtherSessions: true });
  assert.equal(user.passwordEnabled, false);
  assert.equal((await clerk.sessions.getSession(session.id)).status, 'revoked');
  await apiError(
    clerk.users.verifyPassword({ userId: state.erin.id, password: 'Imp0rted-Pw!' }),
    400,
    'no_password_set',
  );
  return apiError(clerk.users.removePassword('user_nope'), 404, 'resource_not_found');
});

await call('users.deleteUserTOTP / deleteUserBackupCodes / disableUserMFA', async () => {
  const user = await clerk.users.createUser({
    emailAddress: [email('mfa')],
    totpSecret: 'JBSWY3DPEHPK3PXP',
    backupCodes: ['one-code', 'two-code'],
  });
  state.mfa = user;
  assert.equal(user.totpEnabled, true);
  assert.equal(user.backupCodeEnabled, true);
  assert.equal(user.twoFactorEnabled, true);
  const totp = await clerk.users.deleteUserTOTP(user.id);
  assert.equal(totp.user_id ?? totp.userId, user.id);
  let now = await clerk.users.getUser(user.id);
  assert.equal(now.totpEnabled, false);
  assert.equal(now.backupCodeEnabled, true);
  await clerk.users.deleteUserBackupCodes(user.id);
  await clerk.users.updateUser(user.id, { totpSecret: 'JBSWY3DPEHPK3PXP' });
  const all = await clerk.users.disableUserMFA(user.id);
  assert.equal(all.user_id ?? all.userId, user.id);
  now = await clerk.users.getUser(user.id);
  assert.equal(now.totpEnabled, false);
  assert.equal(now.backupCodeEnabled, false);
  assert.equal(now.twoFactorEnabled, false);
  return apiError(clerk.users.disableUserMFA('user_nope'), 404, 'resource_not_found');
});

await call('users.replaceUserEmailAddress', async () => {
  const address = await clerk.users.replaceUserEmailAddress(state.mfa.id, { emailAddress: email('mfa2') });
  assert.equal(address.emailAddress, email('mfa2'));
  assert.equal(address.verification.status, 'verified');
  const user = await clerk.users.getUser(state.mfa.id);
  assert.deepEqual(user.emailAddresses.map((e) => e.emailAddress), [email('mfa2')]);
  assert.equal(user.primaryEmailAddressId, address.id);
  return apiError(
    clerk.users.replaceUserEmailAddress(state.mfa.id, { emailAddress: email('a') }),
    422,
    'form_identifier_exists',
  );
});

await call('users.replaceUserPhoneNumber', async () => {
  const wanted = phone(6);
  const number = await clerk.users.replaceUserPhoneNumber(state.mfa.id, { phoneNumber: wanted });
  assert.equal(number.phoneNumber, wanted);
  assert.equal(number.verification.status, 'verified');
  const user = await clerk.users.getUser(state.mfa.id);
  assert.equal(user.primaryPhoneNumberId, number.id);
  return apiError(
    clerk.users.replaceUserPhoneNumber('user_nope', { phoneNumber: phone(7) }),
    404,
    'resource_not_found',
  );
});

await call('users.getOrganizationMembershipList / getOrganizationInvitationList', async () => {
  const memberships = await clerk.users.getOrganizationMembershipList({ userId: state.mfa.id, limit: 5 });
  assert.deepEqual(memberships.data, []);
  assert.equal(memberships.totalCount, 0);
  const invitations = await clerk.users.getOrganizationInvitationList({
    userId: state.mfa.id,
    status: 'pending',
  });
  assert.deepEqual(invitations.data, []);
  assert.equal(invitations.totalCount, 0);
  return 'no organizations here';
});

await call('users.getUserOauthAccessToken', async () => {
  // No external accounts here: no tokens.
  const tokens = await clerk.users.getUserOauthAccessToken(state.mfa.id, 'google');
  assert.deepEqual(tokens.data, []);
  assert.equal(tokens.totalCount, 0);
  return apiError(clerk.users.getUserOauthAccessToken('user_nope', 'google'), 404, 'resource_not_found');
});

// Methods of the client whose endpoints clerk-server does not serve: a Clerk 404. (TOTP,
// profile images, compromised passwords, session refresh, passkeys and external accounts are
// served now: user_extras.mjs.)

for (const [name, fn] of [
  ['emails.createBatch (new /v1/email/batch)', () =>
    clerk.emails.createBatch([
      { to: { address: email('a') }, from: { address: 'support@example.com' }, subject: 'hi', text: 'hi' },
    ])],
  ['emails.get (new /v1/email/{id})', () => clerk.emails.get('ema_nope')],
  ['clients.getHandshakePayload', () => clerk.clients.getHandshakePayload({ nonce: 'n' })],
  // The client POSTs /beta_features/change_domain, a path no spec has (the served ones are
  // POST /instance/change_domain and PUT /beta_features/domain).
  ['betaFeatures.changeDomain', () => clerk.betaFeatures.changeDomain({ homeUrl: 'https://example.com' })],
]) {
  await call(name, () => apiError(fn(), 404, 'resource_not_found'));
}

await call('users.deleteUser', async () => {
  const deleted = await clerk.users.deleteUser(state.ann.id);
  assert.equal(deleted.object, 'user');
  assert.equal(deleted.id, state.ann.id);
  assert.equal(deleted.deleted, true);
  for (const other of [state.bob, state.carol, state.dave, state.erin, state.gina, state.hank, state.mfa]) {
    if (other) await clerk.users.deleteUser(other.id);
  }
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
