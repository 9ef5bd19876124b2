// Clerk's official JavaScript backend client (@clerk/backend, pinned in package.json)
// against a running clerk-server: every block-list and redirect URL method of the client,
// asserting what comes back and a documented error for each, and a blocked identifier
// refused on user creation.
//
// Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... node lists.mjs
// Prints one line per call; exits 1 if any call did not give what Clerk gives.

import assert from 'node:assert/strict';
import { apiError, call, clerk, finish, tag } from './harness.mjs';

const state = {};
const spamDomain = `${tag}-spam.example`;

await call('blocklistIdentifiers.createBlocklistIdentifier', async () => {
  const item = await clerk.blocklistIdentifiers.createBlocklistIdentifier({
    identifier: `*@${spamDomain}`,
  });
  assert.match(item.id, /^blid_[0-9A-Za-z]{27}$/);
  assert.equal(item.identifier, spamDomain);
  assert.equal(item.identifierType, 'email_address');
  assert.ok(item.instanceId && item.createdAt && item.updatedAt);
  state.blocked = item;
  return item.id;
});

await call('blocklistIdentifiers.createBlocklistIdentifier (duplicate, bad)', async () => {
  await apiError(
    clerk.blocklistIdentifiers.createBlocklistIdentifier({ identifier: spamDomain }),
    400,
    'duplicate_record',
  );
  return apiError(
    clerk.blocklistIdentifiers.createBlocklistIdentifier({ identifier: 'not an identifier' }),
    422,
    'form_param_format_invalid',
  );
});

await call('blocklistIdentifiers.getBlocklistIdentifierList', async () => {
  const list = await clerk.blocklistIdentifiers.getBlocklistIdentifierList();
  assert.ok(list.totalCount >= 1);
  assert.ok(list.data.some((item) => item.id === state.blocked.id));
  return `${list.totalCount} total`;
});

await call('users.createUser (blocked identifier)', async () => {
  await clerk.instance.updateRestrictions({ blocklist: true });
  try {
    return await apiError(
      clerk.users.createUser({ emailAddress: [`bot@${spamDomain}`] }),
      403,
      'not_allowed_access',
    );
  } finally {
    await clerk.instance.updateRestrictions({ blocklist: false });
  }
});

await call('blocklistIdentifiers.deleteBlocklistIdentifier', async () => {
  const deleted = await clerk.blocklistIdentifiers.deleteBlocklistIdentifier(state.blocked.id);
  assert.equal(deleted.id, state.blocked.id);
  assert.equal(deleted.deleted, true);
  return apiError(
    clerk.blocklistIdentifiers.deleteBlocklistIdentifier(state.blocked.id),
    404,
    'resource_not_found',
  );
});

await call('redirectUrls.createRedirectUrl', async () => {
  const url = await clerk.redirectUrls.createRedirectUrl({ url: `${tag}-app://oauth-callback` });
  assert.match(url.id, /^ru_[0-9A-Za-z]{27}$/);
  assert.equal(url.url, `${tag}-app://oauth-callback`);
  assert.ok(url.createdAt && url.updatedAt);
  state.url = url;
  await apiError(
    clerk.redirectUrls.createRedirectUrl({ url: `${tag}-app://oauth-callback` }),
    400,
    'duplicate_record',
  );
  return apiError(
    clerk.redirectUrls.createRedirectUrl({ url: 'javascript://alert(1)' }),
    422,
    'form_param_format_invalid',
  );
});

await call('redirectUrls.getRedirectUrlList', async () => {
  const list = await clerk.redirectUrls.getRedirectUrlList();
  assert.ok(list.totalCount >= 1);
  assert.ok(list.data.some((url) => url.id === state.url.id));
  return `${list.totalCount} total`;
});

await call('redirectUrls.getRedirectUrl', async () => {
  const url = await clerk.redirectUrls.getRedirectUrl(state.url.id);
  assert.equal(url.url, state.url.url);
  return apiError(clerk.redirectUrls.getRedirectUrl('ru_missing'), 404, 'resource_not_found');
});

await call('redirectUrls.deleteRedirectUrl', async () => {
  const deleted = await clerk.redirectUrls.deleteRedirectUrl(state.url.id);
  assert.equal(deleted.id, state.url.id);
  assert.equal(deleted.deleted, true);
  return apiError(clerk.redirectUrls.deleteRedirectUrl(state.url.id), 404, 'resource_not_found');
});

finish();
