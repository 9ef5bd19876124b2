// Clerk's official JavaScript backend client (@clerk/backend, pinned in package.json)
// against a running clerk-server: every sign-in token, actor token and testing token
// method, asserting what comes back and a documented error for each; each ticket is
// redeemed through the local extension, and the impersonation session's token carries
// `act`, read by the client's own `verifyToken`.
//
// Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... node tickets.mjs
// Prints one line per call; exits 1 if any call did not give what Clerk gives.

import assert from 'node:assert/strict';
import { verifyToken } from '@clerk/backend';
import { apiError, bapi, call, claimsOf, clerk, email, finish, local } from './harness.mjs';

const state = {};

await call('setup: users.createUser', async () => {
  state.user = await clerk.users.createUser({ emailAddress: [email('ticket')] });
  return state.user.id;
});

await call('signInTokens.createSignInToken', async () => {
  const token = await clerk.signInTokens.createSignInToken({
    userId: state.user.id,
    expiresInSeconds: 600,
  });
  assert.ok(token.id.startsWith('sit_'));
  assert.equal(token.userId, state.user.id);
  assert.equal(token.status, 'pending');
  assert.ok(token.url.includes(`__clerk_ticket=${token.token}`));
  const claims = claimsOf(token.token);
  assert.equal(claims.exp - claims.iat, 600);
  state.signIn = token;
  return token.id;
});

await call('signInTokens.createSignInToken (unknown user)', () =>
  apiError(
    clerk.signInTokens.createSignInToken({ userId: 'user_nope', expiresInSeconds: 60 }),
    404,
    'resource_not_found',
  ),
);

await call('local: tickets/redeem (sign-in token)', async () => {
  const redemption = await local('POST', 'tickets/redeem', { ticket: state.signIn.token });
  assert.equal(redemption.object, 'ticket_redemption');
  assert.equal(redemption.user_id, state.user.id);
  const session = await clerk.sessions.getSession(redemption.session_id);
  assert.equal(session.status, 'active');
  const again = await bapi('POST', '_local/tickets/redeem', { body: { ticket: state.signIn.token } });
  assert.equal(again.status, 400);
  assert.equal(again.body.errors[0].code, 'ticket_invalid');
  return redemption.session_id;
});

await call('signInTokens.revokeSignInToken', async () => {
  await apiError(clerk.signInTokens.revokeSignInToken(state.signIn.id), 400, 'sign_in_token_not_pending');
  const pending = await clerk.signInTokens.createSignInToken({ userId: state.user.id, expiresInSeconds: 60 });
  const revoked = await clerk.signInTokens.revokeSignInToken(pending.id);
  assert.equal(revoked.status, 'revoked');
  await apiError(clerk.signInTokens.revokeSignInToken('sit_nope'), 404, 'resource_not_found');
  return revoked.id;
});

await call('actorTokens.create', async () => {
  const token = await clerk.actorTokens.create({
    userId: state.user.id,
    actor: { sub: 'user_support' },
    sessionMaxDurationInSeconds: 900,
  });
  assert.ok(token.id.startsWith('act_'));
  assert.equal(token.status, 'pending');
  assert.equal(token.actor.sub, 'user_support');
  state.actor = token;
  await apiError(
    clerk.actorTokens.create({ userId: 'user_nope', actor: { sub: 'user_support' } }),
    400,
    'resource_not_found',
  );
  return token.id;
});

await call('local: tickets/redeem (actor token) → act in the session token', async () => {
  const redemption = await local('POST', 'tickets/redeem', { ticket: state.actor.token });
  assert.equal(redemption.actor.sub, 'user_support');
  const { jwt } = await clerk.sessions.getToken(redemption.session_id);
  const pem = (await local('GET', 'keys')).data.find((k) => k.status === 'active').public_key_pem;
  const claims = await verifyToken(jwt, { jwtKey: pem });
  assert.equal(claims.act.sub, 'user_support');
  assert.equal(claims.sub, state.user.id);
  return claims.act.sub;
});

await call('actorTokens.revoke', async () => {
  await apiError(clerk.actorTokens.revoke(state.actor.id), 400, 'actor_token_not_pending');
  const pending = await clerk.actorTokens.create({ userId: state.user.id, actor: { sub: 'user_support' } });
  const revoked = await clerk.actorTokens.revoke(pending.id);
  assert.equal(revoked.status, 'revoked');
  await apiError(clerk.actorTokens.revoke('act_nope'), 404, 'resource_not_found');
  return revoked.id;
});

await call('testingTokens.createTestingToken', async () => {
  const token = await clerk.testingTokens.createTestingToken();
  assert.ok(token.token);
  // The client returns this answer raw (snake_case), as Clerk's.
  assert.ok(token.expires_at > 0);
  const check = await local('POST', 'testing_tokens/verify', { token: token.token });
  assert.equal(check.valid, true);
  return String(token.expires_at);
});

finish();
