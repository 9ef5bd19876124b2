// Clerk's official JavaScript backend client (@clerk/backend, pinned in package.json)
// against a running clerk-server: every waitlist method of the client (list, create,
// createBulk, invite, reject, delete), asserting what comes back and a documented error
// for each.
//
// Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... node waitlist.mjs
// Prints one line per call; exits 1 if any call did not give what Clerk gives.

import assert from 'node:assert/strict';
import { apiError, call, clerk, email, finish, tag } from './harness.mjs';

const state = {};

await call('waitlistEntries.create', async () => {
  const entry = await clerk.waitlistEntries.create({ emailAddress: email('ada'), notify: false });
  assert.match(entry.id, /^wle_/);
  assert.equal(entry.emailAddress, email('ada'));
  assert.equal(entry.status, 'pending');
  const again = await clerk.waitlistEntries.create({ emailAddress: email('ada') });
  assert.equal(again.id, entry.id, 'an address already waiting answers its entry');
  state.ada = entry;
  await apiError(
    clerk.waitlistEntries.create({ emailAddress: 'not an address' }),
    422,
    'form_param_format_invalid',
  );
  return entry.id;
});

await call('waitlistEntries.createBulk', async () => {
  const entries = await clerk.waitlistEntries.createBulk([
    { emailAddress: email('bob'), notify: false },
    { emailAddress: email('cy') },
  ]);
  assert.equal(entries.length, 2);
  assert.deepEqual(
    entries.map((e) => e.emailAddress),
    [email('bob'), email('cy')],
  );
  [state.bob, state.cy] = entries;
  return apiError(
    clerk.waitlistEntries.createBulk([{ emailAddress: email('d') }, { emailAddress: email('d') }]),
    422,
    'duplicate_record',
  );
});

await call('waitlistEntries.list', async () => {
  const page = await clerk.waitlistEntries.list({ query: tag, orderBy: '+email_address', limit: 2 });
  assert.equal(page.totalCount, 3);
  assert.deepEqual(
    page.data.map((e) => e.id),
    [state.ada.id, state.bob.id],
  );
  const pending = await clerk.waitlistEntries.list({ query: tag, status: 'pending' });
  assert.equal(pending.totalCount, 3);
  return `${page.totalCount} entries`;
});

await call('waitlistEntries.invite', async () => {
  const invited = await clerk.waitlistEntries.invite(state.bob.id);
  assert.equal(invited.status, 'invited');
  await apiError(clerk.waitlistEntries.invite(state.bob.id), 409, 'duplicate_record');
  const again = await clerk.waitlistEntries.invite(state.bob.id, { ignoreExisting: true });
  assert.equal(again.status, 'invited');
  return apiError(clerk.waitlistEntries.invite('wle_missing'), 404, 'resource_not_found');
});

await call('waitlistEntries.reject', async () => {
  const rejected = await clerk.waitlistEntries.reject(state.cy.id);
  assert.equal(rejected.status, 'rejected');
  return apiError(clerk.waitlistEntries.reject('wle_missing'), 404, 'resource_not_found');
});

await call('waitlistEntries.delete', async () => {
  const deleted = await clerk.waitlistEntries.delete(state.ada.id);
  assert.equal(deleted.id, state.ada.id);
  assert.equal(deleted.deleted, true);
  await apiError(clerk.waitlistEntries.delete(state.cy.id), 409, 'waitlist_entry_not_pending');
  return apiError(clerk.waitlistEntries.delete(state.ada.id), 404, 'resource_not_found');
});

finish();
