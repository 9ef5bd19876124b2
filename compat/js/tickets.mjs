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
import { apiError, bapi, call, claimsOf, clerk, email, finish, local, tag } from './harness.mjs';

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
  assert.ok(token.url.endsWith(`/__clerk/v1/tickets/accept?ticket=${token.token}`));
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

// Instance invitations.

await call('invitations.createInvitation', async () => {
  const invitation = await clerk.invitations.createInvitation({
    emailAddress: email('invited'),
    publicMetadata: { plan: 'pro' },
    redirectUrl: 'https://app.example.com/welcome',
    expiresInDays: 7,
    templateSlug: 'invitation',
  });
  assert.ok(invitation.id.startsWith('inv_'));
  assert.equal(invitation.status, 'pending');
  assert.deepEqual(invitation.publicMetadata, { plan: 'pro' });
  assert.ok(invitation.url.includes('__clerk_ticket='));
  state.invitation = invitation;
  const outbox = await local('GET', `outbox?type=email&to=${encodeURIComponent(email('invited'))}`);
  assert.equal(outbox.total_count, 1);
  await apiError(
    clerk.invitations.createInvitation({ emailAddress: email('invited') }),
    400,
    'duplicate_record',
  );
  await apiError(
    clerk.invitations.createInvitation({ emailAddress: email('ticket') }),
    422,
    'form_identifier_exists',
  );
  const again = await clerk.invitations.createInvitation({
    emailAddress: email('invited'),
    ignoreExisting: true,
    notify: false,
  });
  state.second = again;
  return invitation.id;
});

await call('invitations.createInvitationBulk', async () => {
  const created = await clerk.invitations.createInvitationBulk([
    { emailAddress: email('bulk1'), notify: false },
    { emailAddress: email('bulk2'), notify: false },
  ]);
  assert.equal(created.length, 2);
  state.bulk = created;
  await apiError(
    clerk.invitations.createInvitationBulk([{ emailAddress: 'not-an-email' }]),
    422,
    'form_param_format_invalid',
  );
  return created.map((i) => i.id).join(' ');
});

await call('invitations.getInvitationList({status,query,orderBy,limit,offset})', async () => {
  const all = await clerk.invitations.getInvitationList({ status: 'pending', query: tag, limit: 10 });
  assert.equal(all.totalCount, 4);
  const found = await clerk.invitations.getInvitationList({ query: email('bulk1') });
  assert.deepEqual(found.data.map((i) => i.id), [state.bulk[0].id]);
  const ordered = await clerk.invitations.getInvitationList({
    query: tag,
    orderBy: 'email_address',
    limit: 1,
    offset: 1,
  });
  assert.equal(ordered.data[0].emailAddress, email('bulk2'));
  return `totalCount=${all.totalCount}`;
});

await call('invitations.revokeInvitation', async () => {
  const revoked = await clerk.invitations.revokeInvitation(state.second.id);
  assert.equal(revoked.status, 'revoked');
  assert.equal(revoked.revoked, true);
  await apiError(clerk.invitations.revokeInvitation(state.second.id), 400, 'invitation_not_pending');
  await apiError(clerk.invitations.revokeInvitation('inv_nope'), 404, 'resource_not_found');
  return revoked.id;
});

await call('local: tickets/redeem (invitation) → a new user', async () => {
  const ticket = new URL(state.invitation.url).searchParams.get('__clerk_ticket');
  const redemption = await local('POST', 'tickets/redeem', { ticket });
  assert.equal(redemption.ticket_type, 'invitation');
  const user = await clerk.users.getUser(redemption.user_id);
  assert.equal(user.primaryEmailAddress.emailAddress, email('invited'));
  assert.deepEqual(user.publicMetadata, { plan: 'pro' });
  const accepted = await clerk.invitations.getInvitationList({ status: 'accepted', query: tag });
  assert.deepEqual(accepted.data.map((i) => i.id), [state.invitation.id]);
  return user.id;
});

finish();
