// Clerk's official JavaScript backend client (@clerk/backend, pinned in package.json)
// against a running clerk-server: signUps.get and signUps.update on a sign-up started
// through the server's local extension (POST /v1/_local/sign_ups), and their 404.
//
// Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... node sign_ups.mjs
// Prints one line per call; exits 1 if any call did not give what Clerk gives.

import assert from 'node:assert/strict';
import { apiError, call, clerk, email, finish, local } from './harness.mjs';

const state = {};

await call('setup: POST /v1/_local/sign_ups', async () => {
  state.signUp = await local('POST', 'sign_ups', { email_address: email('signup') });
  return state.signUp.id;
});

await call('signUps.get', async () => {
  const got = await clerk.signUps.get(state.signUp.id);
  assert.equal(got.id, state.signUp.id);
  assert.equal(got.status, 'missing_requirements');
  assert.equal(got.emailAddress, email('signup'));
  assert.deepEqual(got.unverifiedFields, ['email_address']);
  return apiError(clerk.signUps.get('sua_missing'), 404, 'resource_not_found');
});

await call('signUps.update', async () => {
  const updated = await clerk.signUps.update({
    signUpAttemptId: state.signUp.id,
    externalId: 'crm_1',
    customAction: true,
  });
  assert.equal(updated.externalId, 'crm_1');
  assert.equal(updated.customAction, true);
  return apiError(
    clerk.signUps.update({ signUpAttemptId: 'sua_missing', customAction: false }),
    404,
    'resource_not_found',
  );
});

finish();
