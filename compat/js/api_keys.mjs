// Clerk's official JavaScript backend client (@clerk/backend, pinned in package.json)
// against a running clerk-server: every apiKeys method (list/create/get/update/getSecret/
// revoke/delete/verify, which the client sends without /v1), every oauthApplications
// method (list/get/create/update/rotateSecret/revokeToken/delete), idPOAuthAccessToken
// .verify (without /v1) on a token from the local issuing endpoint, each with a documented
// error; and authenticateRequest({acceptsToken: 'api_key'}) accepting our API key.
//
// Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... node api_keys.mjs
// Prints one line per call; exits 1 if any call did not give what Clerk gives.

import assert from 'node:assert/strict';
import { apiError, call, clerk, email, finish, local, tag } from './harness.mjs';

const state = {};
const MISSING_KEY = 'ak_00000000000000000000000000000000';
const MISSING_APP = 'oa_2xhFjEI5X2qWRvtV13BzSj8H6Dk';

await call('setup: users.createUser + organizations.createOrganization', async () => {
  state.user = await clerk.users.createUser({ emailAddress: [email('keys')] });
  state.org = await clerk.organizations.createOrganization({ name: `${tag} keys`, createdBy: state.user.id });
  return `${state.user.id} ${state.org.id}`;
});

await call('apiKeys.create (user and organization)', async () => {
  const key = await clerk.apiKeys.create({
    name: 'js key',
    subject: state.user.id,
    description: 'from js',
    claims: { tierName: 'gold' },
    scopes: ['read', 'write'],
    createdBy: state.user.id,
    secondsUntilExpiration: 3600,
  });
  assert.match(key.id, /^ak_[0-9a-f]{32}$/);
  assert.match(key.secret, /^ak_/);
  assert.equal(key.subject, state.user.id);
  assert.deepEqual(key.claims, { tierName: 'gold' });
  assert.deepEqual(key.scopes, ['read', 'write']);
  assert.equal(key.revoked, false);
  assert.ok(key.expiration > key.createdAt);
  state.key = key;
  state.orgKey = await clerk.apiKeys.create({ name: 'org key', subject: state.org.id });
  assert.equal(state.orgKey.subject, state.org.id);
  const err = await apiError(clerk.apiKeys.create({ name: 'ab', subject: state.user.id }), 400, 'form_param_value_invalid');
  return `${key.id}; ${err}`;
});

await call('apiKeys.list', async () => {
  const page = await clerk.apiKeys.list({ subject: state.user.id, limit: 10, offset: 0 });
  assert.equal(page.totalCount, 1);
  assert.equal(page.data[0].id, state.key.id);
  assert.equal(page.data[0].secret, undefined);
  const err = await apiError(clerk.apiKeys.list({ subject: state.user.id, limit: 1000 }), 400, 'form_param_value_invalid');
  return `${page.totalCount}; ${err}`;
});

await call('apiKeys.get', async () => {
  const key = await clerk.apiKeys.get(state.key.id);
  assert.equal(key.name, 'js key');
  return `${key.id}; ${await apiError(clerk.apiKeys.get(MISSING_KEY), 404, 'resource_not_found')}`;
});

await call('apiKeys.update', async () => {
  const key = await clerk.apiKeys.update({
    apiKeyId: state.key.id,
    subject: state.user.id,
    description: null,
    scopes: ['read'],
    secondsUntilExpiration: null,
  });
  assert.equal(key.description, null);
  assert.deepEqual(key.scopes, ['read']);
  assert.equal(key.expiration, null);
  const err = await apiError(clerk.apiKeys.update({ apiKeyId: MISSING_KEY, subject: state.user.id }), 404, 'resource_not_found');
  return `${key.id}; ${err}`;
});

await call('apiKeys.getSecret', async () => {
  const secret = await clerk.apiKeys.getSecret(state.key.id);
  assert.equal(secret.secret, state.key.secret);
  return apiError(clerk.apiKeys.getSecret(MISSING_KEY), 404, 'resource_not_found');
});

await call('apiKeys.verify', async () => {
  const key = await clerk.apiKeys.verify(state.key.secret);
  assert.equal(key.id, state.key.id);
  assert.equal(key.subject, state.user.id);
  assert.ok(key.lastUsedAt > 0);
  const errs = [];
  for (const hostile of [state.key.secret.slice(0, -1), `mt_${state.key.secret.slice(3)}`, `ak_${'A'.repeat(48)}`]) {
    errs.push(await apiError(clerk.apiKeys.verify(hostile), 404, 'api_key_not_found'));
  }
  return `${key.id}; ${errs.join(', ')}`;
});

await call('authenticateRequest({acceptsToken: "api_key"})', async () => {
  const request = new Request('https://app.example/api/data', {
    headers: { Authorization: `Bearer ${state.key.secret}` },
  });
  const requestState = await clerk.authenticateRequest(request, { acceptsToken: 'api_key' });
  assert.equal(requestState.isAuthenticated, true, requestState.reason ?? '');
  const auth = requestState.toAuth();
  assert.equal(auth.tokenType, 'api_key');
  assert.equal(auth.userId, state.user.id);
  assert.equal(auth.id, state.key.id);
  assert.deepEqual(auth.scopes, ['read']);
  const bad = await clerk.authenticateRequest(
    new Request('https://app.example/api/data', { headers: { Authorization: `Bearer ak_${'A'.repeat(48)}` } }),
    { acceptsToken: 'api_key' },
  );
  assert.equal(bad.isAuthenticated, false);
  return `${auth.userId} ${auth.scopes.join(',')}; unknown key: ${bad.reason}`;
});

await call('apiKeys.revoke', async () => {
  const key = await clerk.apiKeys.revoke({ apiKeyId: state.key.id, revocationReason: 'leaked' });
  assert.equal(key.revoked, true);
  assert.equal(key.revocationReason, 'leaked');
  const refused = await apiError(clerk.apiKeys.verify(state.key.secret), 404, 'api_key_revoked');
  const org = await clerk.apiKeys.revoke({ apiKeyId: state.orgKey.id });
  assert.equal(org.revocationReason, null);
  const err = await apiError(clerk.apiKeys.revoke({ apiKeyId: MISSING_KEY }), 404, 'resource_not_found');
  return `${refused}; ${err}`;
});

await call('apiKeys.delete', async () => {
  const deleted = await clerk.apiKeys.delete(state.key.id);
  assert.equal(deleted.deleted, true);
  return apiError(clerk.apiKeys.delete(state.key.id), 404, 'resource_not_found');
});

await call('oauthApplications.create', async () => {
  const app = await clerk.oauthApplications.create({
    name: `${tag} app`,
    redirectUris: ['https://app.example/cb'],
    scopes: 'profile email',
    public: false,
  });
  assert.match(app.id, /^oa_/);
  assert.ok(app.clientSecret, 'client secret shown at creation');
  assert.equal(app.scopes, 'profile email');
  state.app = app;
  return `${app.id}; ${await apiError(clerk.oauthApplications.create({ name: ' ' }), 422, 'form_param_value_invalid')}`;
});

await call('oauthApplications.list', async () => {
  const page = await clerk.oauthApplications.list({ limit: 100 });
  assert.ok(page.data.some((a) => a.id === state.app.id));
  assert.ok(page.totalCount >= 1);
  const err = await apiError(clerk.oauthApplications.list({ limit: 1000 }), 422, 'form_param_value_invalid');
  return `${page.totalCount}; ${err}`;
});

await call('oauthApplications.get', async () => {
  const app = await clerk.oauthApplications.get(state.app.id);
  assert.equal(app.clientId, state.app.clientId);
  return apiError(clerk.oauthApplications.get(MISSING_APP), 404, 'resource_not_found');
});

await call('oauthApplications.update', async () => {
  const app = await clerk.oauthApplications.update({ oauthApplicationId: state.app.id, name: `${tag} app 2`, scopes: 'profile' });
  assert.equal(app.name, `${tag} app 2`);
  assert.equal(app.scopes, 'profile');
  return apiError(clerk.oauthApplications.update({ oauthApplicationId: MISSING_APP, name: 'x' }), 404, 'resource_not_found');
});

await call('oauthApplications.rotateSecret', async () => {
  const app = await clerk.oauthApplications.rotateSecret(state.app.id);
  assert.ok(app.clientSecret && app.clientSecret !== state.app.clientSecret);
  return apiError(clerk.oauthApplications.rotateSecret(MISSING_APP), 404, 'resource_not_found');
});

await call('idPOAuthAccessToken.verify', async () => {
  state.token = await local('POST', `oauth_applications/${state.app.id}/access_tokens`, { user_id: state.user.id });
  const token = await clerk.idPOAuthAccessToken.verify(state.token.token);
  assert.equal(token.id, state.token.id);
  assert.equal(token.subject, state.user.id);
  assert.equal(token.clientId, state.app.clientId);
  return `${token.id}; ${await apiError(clerk.idPOAuthAccessToken.verify(`oat_${'A'.repeat(48)}`), 404, 'oauth_access_token_not_found')}`;
});

await call('oauthApplications.revokeToken', async () => {
  await clerk.oauthApplications.revokeToken({ oauthApplicationId: state.app.id, token: state.token.token });
  const refused = await apiError(clerk.idPOAuthAccessToken.verify(state.token.token), 404, 'oauth_access_token_revoked');
  const err = await apiError(clerk.oauthApplications.revokeToken({ oauthApplicationId: MISSING_APP, token: 'oat_x' }), 404, 'resource_not_found');
  return `${refused}; ${err}`;
});

await call('oauthApplications.delete', async () => {
  const deleted = await clerk.oauthApplications.delete(state.app.id);
  assert.equal(deleted.deleted, true);
  return apiError(clerk.oauthApplications.delete(state.app.id), 404, 'resource_not_found');
});

finish();
