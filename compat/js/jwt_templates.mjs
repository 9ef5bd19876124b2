// Clerk's official JavaScript backend client (@clerk/backend, pinned in package.json)
// against a running clerk-server: every JWT template method of the client
// (jwtTemplates.list/get/create/update/delete) with their documented errors, and tokens
// minted from templates with sessions.getToken(sid, template): an instance-key (RS256)
// template token verified by the client's own verifyToken, and HS256 and ES256
// custom-key template tokens verified by jose (pinned in package.json).
//
// Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... node jwt_templates.mjs
// Prints one line per call; exits 1 if any call did not give what Clerk gives.

import assert from 'node:assert/strict';
import { verifyToken } from '@clerk/backend';
import { exportPKCS8, exportSPKI, generateKeyPair, importSPKI, jwtVerify } from 'jose';
import { apiError, call, clerk, email, finish, local, tag } from './harness.mjs';

const state = {};
const name = (n) => `${tag}_${n}`;

await call('setup: users.createUser + sessions.createSession', async () => {
  state.user = await clerk.users.createUser({
    emailAddress: [email('tmpl')],
    firstName: 'Jo',
    lastName: 'Template',
    publicMetadata: { role: 'editor', deep: { level: 3 } },
  });
  state.session = await clerk.sessions.createSession({ userId: state.user.id });
  return state.session.id;
});

await call('jwtTemplates.createJWTTemplate (instance key, shortcodes)', async () => {
  const t = await clerk.jwtTemplates.create({
    name: name('rs'),
    claims: {
      email: '{{user.primary_email_address}}',
      full: '{{user.full_name}}',
      role: '{{user.public_metadata.role}}',
      level: '{{user.public_metadata.deep.level}}',
      nick: "{{user.username || 'anon'}}",
      hello: 'Hello {{user.first_name}}',
      list: ['{{user.id}}', 1],
    },
    lifetime: 300,
    allowedClockSkew: 10,
  });
  assert.match(t.id, /^jtmp_[0-9A-Za-z]{27}$/);
  assert.equal(t.name, name('rs'));
  assert.equal(t.lifetime, 300);
  assert.equal(t.allowedClockSkew, 10);
  assert.equal(t.customSigningKey, false);
  assert.equal(t.signingAlgorithm, 'RS256');
  assert.equal(t.claims.email, '{{user.primary_email_address}}');
  state.rs = t;
  return t.id;
});

await call('jwtTemplates.createJWTTemplate (HS256 and ES256 custom keys)', async () => {
  state.secret = 'a-shared-secret-for-hs256-templates';
  state.hs = await clerk.jwtTemplates.create({
    name: name('hs'),
    claims: { uid: '{{user.id}}' },
    customSigningKey: true,
    signingAlgorithm: 'HS256',
    signingKey: state.secret,
  });
  assert.equal(state.hs.customSigningKey, true);
  assert.equal(state.hs.signingAlgorithm, 'HS256');
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  state.esPublic = await exportSPKI(publicKey);
  state.es = await clerk.jwtTemplates.create({
    name: name('es'),
    claims: { uid: '{{user.id}}', org: '{{org.id}}' },
    customSigningKey: true,
    signingAlgorithm: 'ES256',
    signingKey: await exportPKCS8(privateKey),
  });
  assert.equal(state.es.signingAlgorithm, 'ES256');
  return `${state.hs.id} ${state.es.id}`;
});

await call('jwtTemplates.createJWTTemplate errors', async () => {
  const out = [];
  out.push(await apiError(clerk.jwtTemplates.create({ name: name('x'), claims: { iss: 'me' } }), 400, 'jwt_template_reserved_claim'));
  out.push(await apiError(clerk.jwtTemplates.create({ name: name('x'), claims: {}, lifetime: 5 }), 422, 'form_param_value_invalid'));
  out.push(await apiError(clerk.jwtTemplates.create({ name: name('x'), claims: {}, allowedClockSkew: 301 }), 422, 'form_param_value_invalid'));
  out.push(await apiError(clerk.jwtTemplates.create({ name: name('rs'), claims: {} }), 422, 'form_identifier_exists'));
  out.push(await apiError(clerk.jwtTemplates.create({ name: name('x'), claims: {}, customSigningKey: true, signingAlgorithm: 'ES256', signingKey: 'nope' }), 422, 'form_param_value_invalid'));
  return out.join(', ');
});

await call('jwtTemplates.list (paginated)', async () => {
  const page = await clerk.jwtTemplates.list({ limit: 100 });
  assert.ok(page.totalCount >= 3);
  const mine = page.data.filter((t) => t.name.startsWith(tag)).map((t) => t.name).sort();
  assert.deepEqual(mine, [name('es'), name('hs'), name('rs')]);
  return `${page.totalCount} total`;
});

await call('jwtTemplates.get', async () => {
  const t = await clerk.jwtTemplates.get(state.rs.id);
  assert.equal(t.name, name('rs'));
  assert.deepEqual(t.claims, state.rs.claims);
  return apiError(clerk.jwtTemplates.get('jtmp_missing'), 404, 'resource_not_found');
});

await call('sessions.getToken(template) verified by verifyToken (RS256)', async () => {
  const { jwt } = await clerk.sessions.getToken(state.session.id, name('rs'));
  const pem = (await local('GET', 'keys')).data.find((k) => k.status === 'active').public_key_pem;
  const claims = await verifyToken(jwt, { jwtKey: pem });
  assert.equal(claims.sub, state.user.id);
  assert.equal(claims.email, email('tmpl'));
  assert.equal(claims.full, 'Jo Template');
  assert.equal(claims.role, 'editor');
  assert.equal(claims.level, 3);
  assert.equal(claims.nick, 'anon');
  assert.equal(claims.hello, 'Hello Jo');
  assert.deepEqual(claims.list, [state.user.id, 1]);
  assert.equal(claims.exp - claims.iat, 300);
  assert.equal(claims.iat - claims.nbf, 10);
  const short = await clerk.sessions.getToken(state.session.id, name('rs'), 60);
  const c = await verifyToken(short.jwt, { jwtKey: pem });
  assert.equal(c.exp - c.iat, 60);
  return apiError(clerk.sessions.getToken(state.session.id, name('missing')), 404, 'resource_not_found');
});

await call('sessions.getToken(template) verified by jose (HS256, ES256)', async () => {
  const hs = await clerk.sessions.getToken(state.session.id, name('hs'));
  const { payload: h, protectedHeader } = await jwtVerify(hs.jwt, new TextEncoder().encode(state.secret), {
    algorithms: ['HS256'],
  });
  assert.equal(protectedHeader.alg, 'HS256');
  assert.equal(h.uid, state.user.id);
  const es = await clerk.sessions.getToken(state.session.id, name('es'));
  const key = await importSPKI(state.esPublic, 'ES256');
  const { payload: e } = await jwtVerify(es.jwt, key, { algorithms: ['ES256'] });
  assert.equal(e.uid, state.user.id);
  assert.equal(e.org, null);
  return 'HS256 ES256';
});

await call('jwtTemplates.update', async () => {
  const t = await clerk.jwtTemplates.update({
    templateId: state.rs.id,
    name: name('rs2'),
    claims: { last: '{{user.last_name}}' },
    lifetime: 120,
  });
  assert.equal(t.name, name('rs2'));
  assert.deepEqual(t.claims, { last: '{{user.last_name}}' });
  assert.equal(t.lifetime, 120);
  assert.equal(t.allowedClockSkew, 10);
  const out = [await apiError(
    clerk.jwtTemplates.update({ templateId: state.rs.id, name: name('rs2'), claims: { nbf: 1 } }),
    400,
    'jwt_template_reserved_claim',
  )];
  out.push(await apiError(
    clerk.jwtTemplates.update({ templateId: state.rs.id, name: name('hs'), claims: {} }),
    422,
    'form_identifier_exists',
  ));
  return out.join(', ');
});

await call('jwtTemplates.delete', async () => {
  for (const t of [state.rs, state.hs, state.es]) {
    const deleted = await clerk.jwtTemplates.delete(t.id);
    assert.equal(deleted.id, t.id);
    assert.equal(deleted.deleted, true);
  }
  return apiError(clerk.jwtTemplates.delete(state.rs.id), 404, 'resource_not_found');
});

finish();
