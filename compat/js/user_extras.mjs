// Clerk's official JavaScript backend client (@clerk/backend, pinned in package.json)
// against a running clerk-server: the last user operations the client has
// (setPasswordCompromised, unsetPasswordCompromised, updateUserProfileImage,
// deleteUserProfileImage, verifyTOTP, deleteUserPasskey, deleteUserExternalAccount) and
// sessions.refreshSession, asserting what comes back and a documented error for each. Passkeys
// and external accounts are seeded through clerk-server's /v1/_local extension (nothing in the
// Backend API creates them). The client has no trusted-device methods; the Python scenario
// covers them. (This client has no method for GET /v1/public/interstitial;
// the Python scenario covers it.)
//
// Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... node user_extras.mjs
// Prints one line per call; exits 1 if any call did not give what Clerk gives.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { apiError, call, claimsOf, clerk, email, finish, local } from './harness.mjs';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c489',
  'hex',
);

const state = {};
state.user = await clerk.users.createUser({
  emailAddress: [email('extras')],
  password: 'correct-horse-battery',
});
state.plain = await clerk.users.createUser({ emailAddress: [email('plain')] });

await call('users.setPasswordCompromised', async () => {
  const session = await clerk.sessions.createSession({ userId: state.user.id });
  const user = await clerk.users.setPasswordCompromised(state.user.id);
  assert.equal(user.id, state.user.id);
  assert.equal(user.passwordEnabled, true);
  const status = await local('GET', `users/${state.user.id}/password`);
  assert.equal(status.compromised, true);
  assert.equal((await clerk.sessions.getSession(session.id)).status, 'active');
  await clerk.users.setPasswordCompromised(state.user.id, { revokeAllSessions: true });
  assert.equal((await clerk.sessions.getSession(session.id)).status, 'revoked');
  return apiError(clerk.users.setPasswordCompromised(state.plain.id), 400, 'no_password_set');
});

await call('users.unsetPasswordCompromised', async () => {
  const user = await clerk.users.unsetPasswordCompromised(state.user.id);
  assert.equal(user.id, state.user.id);
  const status = await local('GET', `users/${state.user.id}/password`);
  assert.equal(status.compromised, false);
  return apiError(clerk.users.unsetPasswordCompromised('user_missing'), 404, 'resource_not_found');
});

await call('users.updateUserProfileImage', async () => {
  const file = new Blob([PNG], { type: 'image/png' });
  const user = await clerk.users.updateUserProfileImage(state.user.id, { file });
  assert.equal(user.hasImage, true);
  assert.match(user.imageUrl, /\/images\/img_/);
  const served = await fetch(user.imageUrl);
  assert.equal(served.status, 200);
  assert.equal(served.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await served.arrayBuffer()), PNG);
  const svg = new Blob(['<svg/>'], { type: 'image/svg+xml' });
  return apiError(
    clerk.users.updateUserProfileImage(state.user.id, { file: svg }),
    400,
    'request_body_invalid',
  );
});

await call('users.deleteUserProfileImage', async () => {
  const user = await clerk.users.deleteUserProfileImage(state.user.id);
  assert.equal(user.hasImage, false);
  assert.match(user.imageUrl, /\/images\/default$/);
  return apiError(clerk.users.deleteUserProfileImage('user_missing'), 404, 'resource_not_found');
});

await call('sessions.refreshSession', async () => {
  const session = await clerk.sessions.createSession({ userId: state.plain.id });
  const { jwt: expired } = await local('POST', `sessions/${session.id}/tokens`, {
    claims: { exp: 1000000000 },
  });
  const { refresh_token: refreshToken } = await local(
    'POST',
    `sessions/${session.id}/refresh_token`,
  );
  const params = {
    expired_token: expired,
    refresh_token: refreshToken,
    request_origin: 'http://localhost:3000',
  };
  const token = await clerk.sessions.refreshSession(session.id, params);
  assert.equal(claimsOf(token.jwt).sid, session.id);
  // What @clerk/backend's authenticateRequest sends when a session token expired.
  const cookies = await clerk.sessions.refreshSession(session.id, {
    ...params,
    format: 'cookie',
    suffixed_cookies: false,
    request_headers: { 'user-agent': ['node'] },
  });
  // The client reads a `cookies` answer into its Cookies resource.
  assert.match(cookies.cookies[0], /^__session=ey/);
  return apiError(
    clerk.sessions.refreshSession(session.id, { ...params, refresh_token: 'wrong' }),
    401,
    'refresh_token_invalid',
  );
});

/** The current TOTP code of a base32 secret (RFC 6238: SHA-1, 30 s, 6 digits). */
function totp(secret, offsetSteps = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + offsetSteps));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

await call('users.verifyTOTP', async () => {
  const enrolled = await local('POST', `users/${state.plain.id}/totp`);
  const ok = await clerk.users.verifyTOTP({ userId: state.plain.id, code: totp(enrolled.secret) });
  assert.equal(ok.verified, true);
  assert.equal(ok.code_type ?? ok.codeType, 'totp');
  const backup = await clerk.users.verifyTOTP({
    userId: state.plain.id,
    code: enrolled.backup_codes[0],
  });
  assert.equal(backup.code_type ?? backup.codeType, 'backup_code');
  await apiError(
    clerk.users.verifyTOTP({ userId: state.plain.id, code: enrolled.backup_codes[0] }),
    422,
    'form_code_incorrect',
  );
  return apiError(
    clerk.users.verifyTOTP({ userId: state.user.id, code: '123456' }),
    400,
    'totp_not_enabled',
  );
});

await call('users.deleteUserPasskey', async () => {
  const seeded = await local('POST', `users/${state.plain.id}/passkeys`, { name: 'Laptop' });
  // The client's User model has no passkeys field: the answer it read (`raw`) has them.
  const before = (await clerk.users.getUser(state.plain.id)).raw;
  assert.equal(before.passkeys.length, 1);
  assert.equal(before.passkeys[0].id, seeded.id);
  assert.equal(before.passkeys[0].name, 'Laptop');
  assert.equal(before.passkeys[0].verification.status, 'verified');
  const deleted = await clerk.users.deleteUserPasskey({
    userId: state.plain.id,
    passkeyIdentificationId: seeded.id,
  });
  assert.equal(deleted.object, 'passkey');
  assert.equal(deleted.id, seeded.id);
  assert.equal(deleted.deleted, true);
  assert.deepEqual((await clerk.users.getUser(state.plain.id)).raw.passkeys, []);
  return apiError(
    clerk.users.deleteUserPasskey({ userId: state.plain.id, passkeyIdentificationId: seeded.id }),
    404,
    'resource_not_found',
  );
});

await call('users.deleteUserExternalAccount', async () => {
  const seeded = await local('POST', `users/${state.plain.id}/external_accounts`, {
    provider: 'oauth_google',
    provider_user_id: `js-${Date.now()}`,
    email_address: email('google'),
    first_name: 'Gee',
  });
  const before = await clerk.users.getUser(state.plain.id);
  assert.equal(before.externalAccounts.length, 1);
  const account = before.externalAccounts[0];
  assert.equal(account.id, seeded.id);
  assert.equal(account.provider, 'oauth_google');
  assert.equal(account.providerUserId, seeded.provider_user_id);
  assert.equal(account.firstName, 'Gee');
  assert.equal(account.verification.status, 'verified');
  const deleted = await clerk.users.deleteUserExternalAccount({
    userId: state.plain.id,
    externalAccountId: seeded.id,
  });
  assert.equal(deleted.object, 'external_account');
  assert.equal(deleted.id, seeded.id);
  assert.deepEqual((await clerk.users.getUser(state.plain.id)).externalAccounts, []);
  return apiError(
    clerk.users.deleteUserExternalAccount({ userId: state.plain.id, externalAccountId: seeded.id }),
    404,
    'resource_not_found',
  );
});

await clerk.users.deleteUser(state.user.id);
await clerk.users.deleteUser(state.plain.id);
finish();
