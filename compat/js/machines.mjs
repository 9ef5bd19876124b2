// Clerk's official JavaScript backend client (@clerk/backend, pinned in package.json)
// against a running clerk-server: every machine method (machines.list/get/create/update/
// delete/getSecretKey/rotateSecretKey/createScope/deleteScope) and every M2M method
// (m2m.createToken/list/revokeToken/verify, which the client sends without the /v1
// prefix), with their documented errors; a JWT-format M2M token verified by the client
// itself (networkless, against the instance's JWKS); and authenticateRequest with
// acceptsToken: 'm2m_token' accepting our mt_ token and refusing a revoked one.
//
// Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... node machines.mjs
// Prints one line per call; exits 1 if any call did not give what Clerk gives.

import assert from 'node:assert/strict';
import { createClerkClient } from '@clerk/backend';
import { apiError, apiUrl, call, clerk, finish, tag } from './harness.mjs';

const state = {};
const name = (n) => `${tag}_${n}`;
/** A client that authenticates the M2M endpoints with a machine's secret key only. */
const machineClient = (machineSecretKey) =>
  createClerkClient({ machineSecretKey, apiUrl, apiVersion: 'v1', telemetry: { disabled: true } });

await call('machines.create (with scoped machines)', async () => {
  state.callee = await clerk.machines.create({ name: name('callee') });
  state.stranger = await clerk.machines.create({ name: name('stranger') });
  const m = await clerk.machines.create({
    name: name('caller'),
    scopedMachines: [state.callee.id],
    defaultTokenTtl: 600,
  });
  assert.match(m.id, /^mch_[0-9A-Za-z]{27}$/);
  assert.match(m.secretKey, /^ak_/);
  assert.equal(m.defaultTokenTtl, 600);
  assert.equal(m.scopedMachines.length, 1);
  assert.equal(m.scopedMachines[0].id, state.callee.id);
  state.caller = m;
  return m.id;
});

await call('machines.create (no name: 422)', () =>
  apiError(clerk.machines.create({ name: '' }), 422, 'form_param_value_invalid'),
);

await call('machines.list (query, orderBy, paging)', async () => {
  const page = await clerk.machines.list({ query: name('caller'), orderBy: '-name', limit: 5 });
  assert.equal(page.totalCount, 1);
  assert.equal(page.data[0].id, state.caller.id);
  return `${page.totalCount}`;
});

await call('machines.list (bad orderBy: 422)', () =>
  apiError(clerk.machines.list({ orderBy: 'color' }), 422, 'form_param_value_invalid'),
);

await call('machines.get', async () => {
  const m = await clerk.machines.get(state.caller.id);
  assert.equal(m.name, name('caller'));
  assert.equal(m.scopedMachines[0].id, state.callee.id);
  return m.id;
});

await call('machines.get (unknown: 404)', () =>
  apiError(clerk.machines.get('mch_missing'), 404, 'resource_not_found'),
);

await call('machines.update', async () => {
  const m = await clerk.machines.update({ machineId: state.caller.id, name: name('caller2') });
  assert.equal(m.name, name('caller2'));
  return m.name;
});

await call('machines.update (ttl 0: 422)', () =>
  apiError(
    clerk.machines.update({ machineId: state.caller.id, defaultTokenTtl: 0 }),
    422,
    'form_param_value_invalid',
  ),
);

await call('machines.getSecretKey', async () => {
  const key = await clerk.machines.getSecretKey(state.caller.id);
  assert.equal(key.secret, state.caller.secretKey);
  return 'ak_…';
});

await call('machines.getSecretKey (unknown: 404)', () =>
  apiError(clerk.machines.getSecretKey('mch_missing'), 404, 'resource_not_found'),
);

await call('machines.rotateSecretKey', async () => {
  const key = await clerk.machines.rotateSecretKey({ machineId: state.caller.id, previousTokenTtl: 0 });
  assert.notEqual(key.secret, state.caller.secretKey);
  state.callerKey = key.secret;
  return 'rotated';
});

await call('machines.rotateSecretKey (ttl too long: 422)', () =>
  apiError(
    clerk.machines.rotateSecretKey({ machineId: state.caller.id, previousTokenTtl: 28801 }),
    422,
    'form_param_value_invalid',
  ),
);

await call('machines.createScope', async () => {
  const scope = await clerk.machines.createScope(state.caller.id, state.stranger.id);
  assert.equal(scope.fromMachineId, state.caller.id);
  assert.equal(scope.toMachineId, state.stranger.id);
  assert.equal(typeof scope.createdAt, 'number');
  return 'scoped';
});

await call('machines.createScope (again: 409)', () =>
  apiError(clerk.machines.createScope(state.caller.id, state.stranger.id), 409, 'duplicate_record'),
);

await call('machines.deleteScope', async () => {
  const deleted = await clerk.machines.deleteScope(state.caller.id, state.stranger.id);
  assert.equal(deleted.deleted, true);
  return 'removed';
});

await call('machines.deleteScope (absent: 404)', () =>
  apiError(clerk.machines.deleteScope(state.caller.id, state.stranger.id), 404, 'resource_not_found'),
);

await call('m2m.createToken (machine key, opaque)', async () => {
  const t = await machineClient(state.callerKey).m2m.createToken({
    secondsUntilExpiration: 600,
    claims: { job: 'sync' },
  });
  assert.match(t.token, /^mt_/);
  assert.match(t.id, /^mt_[0-9a-f]{32}$/);
  assert.equal(t.subject, state.caller.id);
  assert.deepEqual(t.scopes, [state.callee.id]);
  assert.deepEqual(t.claims, { job: 'sync' });
  state.token = t;
  return t.id;
});

await call('m2m.createToken (per-call machineSecretKey, jwt)', async () => {
  const t = await clerk.m2m.createToken({ machineSecretKey: state.callerKey, tokenFormat: 'jwt' });
  assert.equal(t.token.split('.').length, 3);
  const header = JSON.parse(Buffer.from(t.token.split('.')[0], 'base64url').toString('utf8'));
  assert.equal(header.cat, 'cl_B7d4PD333AAA');
  state.jwt = t.token;
  return 'jwt';
});

await call('m2m.createToken (instance key only: 401)', () =>
  apiError(clerk.m2m.createToken({}), 401, 'clerk_key_invalid'),
);

await call('m2m.verify (the callee machine, opaque)', async () => {
  const t = await machineClient(state.callee.secretKey).m2m.verify({ token: state.token.token });
  assert.equal(t.id, state.token.id);
  assert.equal(t.subject, state.caller.id);
  return t.id;
});

await call('m2m.verify (jwt, checked by the client against the JWKS)', async () => {
  const t = await clerk.m2m.verify({ token: state.jwt });
  assert.equal(t.subject, state.caller.id);
  assert.deepEqual(t.scopes, [state.callee.id]);
  return t.id;
});

await call('m2m.verify (a machine out of scope: 404)', () =>
  apiError(
    machineClient(state.stranger.secretKey).m2m.verify({ token: state.token.token }),
    404,
    'resource_not_found',
  ),
);

await call('m2m.list (subject, float-free paging)', async () => {
  const page = await clerk.m2m.list({ subject: state.caller.id, limit: 5 });
  assert.equal(page.totalCount, 1);
  assert.equal(page.data[0].id, state.token.id);
  assert.equal(page.data[0].token, undefined);
  return `${page.totalCount}`;
});

await call('m2m.list (a machine listing another: 403)', () =>
  apiError(
    machineClient(state.callee.secretKey).m2m.list({ subject: state.caller.id }),
    403,
    'authorization_invalid',
  ),
);

await call("authenticateRequest (acceptsToken: 'm2m_token')", async () => {
  const request = new Request('https://app.example.com/api', {
    headers: { Authorization: `Bearer ${state.token.token}` },
  });
  const auth = await clerk.authenticateRequest(request, { acceptsToken: 'm2m_token' });
  assert.equal(auth.isAuthenticated, true, JSON.stringify(auth.reason ?? auth.message));
  const obj = auth.toAuth();
  assert.equal(obj.tokenType, 'm2m_token');
  assert.equal(obj.machineId, state.caller.id);
  assert.deepEqual(obj.scopes, [state.callee.id]);
  return obj.machineId;
});

await call('m2m.revokeToken', async () => {
  const t = await machineClient(state.callerKey).m2m.revokeToken({
    m2mTokenId: state.token.id,
    revocationReason: 'rotated',
  });
  assert.equal(t.revoked, true);
  assert.equal(t.revocationReason, 'rotated');
  return t.id;
});

await call('m2m.revokeToken (unknown: 404)', () =>
  apiError(
    clerk.m2m.revokeToken({ m2mTokenId: 'mt_00000000000000000000000000000000' }),
    404,
    'resource_not_found',
  ),
);

await call('m2m.verify (revoked: 404)', () =>
  apiError(clerk.m2m.verify({ token: state.token.token }), 404, 'token_revoked'),
);

await call("authenticateRequest (acceptsToken: 'm2m_token', revoked token refused)", async () => {
  const request = new Request('https://app.example.com/api', {
    headers: { Authorization: `Bearer ${state.token.token}` },
  });
  const auth = await clerk.authenticateRequest(request, { acceptsToken: 'm2m_token' });
  assert.equal(auth.isAuthenticated, false);
  return auth.reason;
});

await call('machines.delete', async () => {
  const deleted = await clerk.machines.delete(state.stranger.id);
  assert.equal(deleted.deleted, true);
  assert.equal(deleted.id, state.stranger.id);
  return deleted.id;
});

await call('machines.delete (again: 404)', () =>
  apiError(clerk.machines.delete(state.stranger.id), 404, 'resource_not_found'),
);

finish();
