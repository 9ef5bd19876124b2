// Webhook deliveries of clerk-server checked with verifiers nobody here wrote:
// `verifyWebhook` from `@clerk/backend/webhooks` (Clerk's own) and the npm `svix`
// package's `new Webhook(secret).verify(body, headers)`.
//
// A receiver on 127.0.0.1 is registered through the local extension
// `POST /v1/_local/webhooks/endpoints`; a user is created, updated and deleted through
// `@clerk/backend`; every delivery for that user must verify with both verifiers, carry
// the event's type and the user's id, and a tampered body (or another secret) must be
// refused by both. The server records every event it emits
// (`GET /v1/_local/webhooks/messages`): it must have recorded the three user events for
// that endpoint, and each message it recorded must arrive.

import assert from 'node:assert/strict';
import http from 'node:http';
import { verifyWebhook } from '@clerk/backend/webhooks';
import { Webhook } from 'svix';
import { call, clerk, email, finish, local } from './harness.mjs';

const USER_EVENTS = ['user.created', 'user.updated', 'user.deleted'];
/** How long a delivery may take to arrive (the server sends on commit: milliseconds). */
const DEADLINE_MS = 15000;

/** Deliveries received, by `svix-id` (a retry of the same message replaces the first). */
const received = new Map();
const receiver = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const headers = {};
    for (const name of ['svix-id', 'svix-timestamp', 'svix-signature', 'content-type']) {
      headers[name] = req.headers[name];
    }
    received.set(headers['svix-id'], { headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(204).end();
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/clerk-webhooks`;

const state = {};

/** `verifyWebhook` gets a Request as a framework hands it over: the exact body, svix-* headers. */
function requestOf({ headers, body }) {
  return new Request(receiverUrl, {
    method: 'POST',
    headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)),
    body,
  });
}

/** Both verifiers on one delivery; returns the event each one hands back. */
async function verifyBoth(delivery, secret) {
  const clerkEvent = await verifyWebhook(requestOf(delivery), { signingSecret: secret });
  const svixEvent = new Webhook(secret).verify(delivery.body, delivery.headers);
  return { clerkEvent, svixEvent };
}

/** Asserts `fn` throws (or rejects); returns the error's message. */
async function refused(fn, what) {
  try {
    await fn();
  } catch (err) {
    return err.message;
  }
  assert.fail(`${what} was accepted`);
}

/** The user events the server recorded for our endpoint about `userId`: `[{id, type}]`. */
async function recordedFor(userId) {
  const recorded = [];
  for (const type of USER_EVENTS) {
    const page = await local('GET', `webhooks/messages?event_type=${type}&limit=100`);
    for (const m of page.data) {
      if (
        m.payload.data?.id === userId &&
        m.deliveries.some((d) => d.endpoint_id === state.endpoint.id)
      ) {
        recorded.push({ id: m.id, type });
      }
    }
  }
  return recorded;
}

/** Waits until every message of `messages` has arrived; the deliveries grouped by type. */
async function deliveriesOf(messages) {
  const until = Date.now() + DEADLINE_MS;
  while (!messages.every((m) => received.has(m.id))) {
    if (Date.now() > until) {
      const missing = messages.filter((m) => !received.has(m.id)).map((m) => `${m.type} ${m.id}`);
      assert.fail(`waited ${DEADLINE_MS} ms for ${missing.join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const byType = new Map();
  for (const m of messages) {
    byType.set(m.type, [...(byType.get(m.type) ?? []), received.get(m.id)]);
  }
  return byType;
}

await call('POST /v1/_local/webhooks/endpoints (a receiver on 127.0.0.1)', async () => {
  const endpoint = await local('POST', 'webhooks/endpoints', {
    url: receiverUrl,
    filter_types: USER_EVENTS,
    description: 'compat/js/webhooks.mjs',
  });
  assert.equal(endpoint.object, 'webhook_endpoint');
  assert.match(endpoint.id, /^ep_/);
  assert.match(endpoint.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
  assert.equal(endpoint.url, receiverUrl);
  assert.deepEqual(endpoint.filter_types, USER_EVENTS);
  state.endpoint = endpoint;
  return endpoint.id;
});

await call('users.createUser, updateUser, deleteUser', async () => {
  const user = await clerk.users.createUser({
    emailAddress: [email('hook')],
    firstName: 'Hook',
  });
  const updated = await clerk.users.updateUser(user.id, { firstName: 'Hooked' });
  assert.equal(updated.firstName, 'Hooked');
  const deleted = await clerk.users.deleteUser(user.id);
  assert.equal(deleted.id, user.id);
  state.user = user;
  return user.id;
});

await call('deliveries: every recorded user event arrives', async () => {
  const recorded = await recordedFor(state.user.id);
  const types = [...new Set(recorded.map((m) => m.type))];
  assert.deepEqual(types, USER_EVENTS, 'the events the server recorded');
  state.deliveries = await deliveriesOf(recorded);
  return `${recorded.length}: ${types.join(', ')}`;
});

await call('every delivery: verifyWebhook and svix Webhook.verify', async () => {
  assert.ok(state.deliveries?.size > 0, 'no deliveries');
  const every = [...state.deliveries].flatMap(([type, ds]) => ds.map((d) => [type, d]));
  for (const [type, delivery] of every) {
    assert.match(delivery.headers['svix-id'], /^msg_/);
    assert.match(delivery.headers['svix-timestamp'], /^\d{10}$/, 'seconds');
    assert.match(delivery.headers['svix-signature'], /^v1,/);
    assert.match(delivery.headers['content-type'] ?? '', /^application\/json/);
    const { clerkEvent, svixEvent } = await verifyBoth(delivery, state.endpoint.secret);
    for (const event of [clerkEvent, svixEvent]) {
      assert.equal(event.type, type);
      assert.equal(event.object, 'event');
      assert.equal(event.data.id, state.user.id);
      assert.equal(typeof event.timestamp, 'number');
      assert.match(event.instance_id, /^ins_/);
    }
    if (type === 'user.deleted') {
      assert.equal(clerkEvent.data.deleted, true);
    } else {
      assert.equal(clerkEvent.data.object, 'user');
      assert.equal(clerkEvent.data.email_addresses[0].email_address, email('hook'));
    }
  }
  return `${every.length}: ${[...state.deliveries.keys()].join(', ')}`;
});

await call('a tampered body, another secret: refused by both verifiers', async () => {
  const delivery = state.deliveries.get('user.created')[0];
  const tampered = {
    headers: delivery.headers,
    body: delivery.body.replace(state.user.id, 'user_someoneelse'),
  };
  assert.notEqual(tampered.body, delivery.body);
  const secret = state.endpoint.secret;
  const why = await refused(
    () => verifyWebhook(requestOf(tampered), { signingSecret: secret }),
    'verifyWebhook of a tampered body',
  );
  await refused(() => new Webhook(secret).verify(tampered.body, tampered.headers), 'svix of a tampered body');
  const other = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
  await refused(
    () => verifyWebhook(requestOf(delivery), { signingSecret: other }),
    'verifyWebhook with another secret',
  );
  await refused(() => new Webhook(other).verify(delivery.body, delivery.headers), 'svix with another secret');
  return why;
});

await call('DELETE /v1/_local/webhooks/endpoints/{id}', async () => {
  const gone = await local('DELETE', `webhooks/endpoints/${state.endpoint.id}`);
  assert.equal(gone.deleted, true);
  assert.equal(gone.id, state.endpoint.id);
});

receiver.closeAllConnections();
receiver.close();
finish();
