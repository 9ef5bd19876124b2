// Clerk's official JavaScript backend client (@clerk/backend, pinned in package.json)
// against a running clerk-server: the last user operations the client has
// (setPasswordCompromised, unsetPasswordCompromised, updateUserProfileImage,
// deleteUserProfileImage), asserting what comes back and a documented error for each.
//
// Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... node user_extras.mjs
// Prints one line per call; exits 1 if any call did not give what Clerk gives.

import assert from 'node:assert/strict';
import { apiError, call, clerk, email, finish, local } from './harness.mjs';

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

await clerk.users.deleteUser(state.user.id);
await clerk.users.deleteUser(state.plain.id);
finish();
