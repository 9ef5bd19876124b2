// Clerk's official JavaScript backend client (@clerk/backend, pinned in package.json)
// against a running clerk-server: the instance's organization settings, domains and proxy
// checks. Every setting changed is put back at the end: the other scenarios share the
// server. (`betaFeatures.changeDomain` is left out: the client POSTs
// /beta_features/change_domain, a path no spec has; the server serves
// POST /instance/change_domain and PUT /beta_features/domain, as the spec lists them.)
//
// Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... node instance.mjs
// Prints one line per call; exits 1 if any call did not give what Clerk gives.

import assert from 'node:assert/strict';
import { apiError, call, clerk, email, finish, tag } from './harness.mjs';

const state = {};

await call('instance.getOrganizationSettings', async () => {
  const s = await clerk.instance.getOrganizationSettings();
  assert.equal(typeof s.enabled, 'boolean');
  assert.equal(typeof s.maxAllowedMemberships, 'number');
  assert.ok(s.creatorRole.startsWith('org:'));
  assert.equal(s.domainsDefaultRole, 'org:member');
  state.before = s;
  return `creator ${s.creatorRole}`;
});

await call('instance.updateOrganizationSettings', async () => {
  const s = await clerk.instance.updateOrganizationSettings({
    maxAllowedMemberships: 7,
    adminDeleteEnabled: false,
    domainsEnrollmentModes: ['manual_invitation', 'automatic_invitation'],
  });
  assert.equal(s.maxAllowedMemberships, 7);
  assert.equal(s.adminDeleteEnabled, false);
  assert.deepEqual(s.domainsEnrollmentModes, ['manual_invitation', 'automatic_invitation']);
  return 'max 7';
});

await call('instance.updateOrganizationSettings: unknown role → 404', async () =>
  apiError(
    clerk.instance.updateOrganizationSettings({ domainsDefaultRoleId: 'role_missing' }),
    404,
    'resource_not_found',
  ),
);

await call('instance.updateOrganizationSettings: put back', async () => {
  const b = state.before;
  const s = await clerk.instance.updateOrganizationSettings({
    maxAllowedMemberships: b.maxAllowedMemberships,
    adminDeleteEnabled: b.adminDeleteEnabled,
    domainsEnrollmentModes: b.domainsEnrollmentModes,
  });
  assert.equal(s.maxAllowedMemberships, b.maxAllowedMemberships);
  assert.deepEqual(s.domainsEnrollmentModes, b.domainsEnrollmentModes);
});

await call('domains.list', async () => {
  const list = await clerk.domains.list();
  assert.ok(list.totalCount >= 1);
  const primary = list.data.find((d) => !d.isSatellite);
  assert.ok(primary.id.startsWith('dmn_'));
  assert.ok(primary.frontendApiUrl.startsWith('http'));
  state.primary = primary;
  return `${list.totalCount} domains, primary ${primary.name}`;
});

await call('domains.add', async () => {
  const d = await clerk.domains.add({ name: `${tag}.example.com`, isSatellite: true });
  assert.ok(d.isSatellite);
  assert.equal(d.name, `${tag}.example.com`);
  state.satellite = d;
  return d.id;
});

await call('domains.add: taken → 400', async () =>
  apiError(
    clerk.domains.add({ name: `${tag}.example.com`, isSatellite: true }),
    400,
    'duplicate_record',
  ),
);

await call('domains.update', async () => {
  const d = await clerk.domains.update({
    domainId: state.satellite.id,
    name: `${tag}-2.example.com`,
  });
  assert.equal(d.name, `${tag}-2.example.com`);
  assert.equal(d.id, state.satellite.id);
});

await call('domains.update: unknown → 404', async () =>
  apiError(
    clerk.domains.update({ domainId: 'dmn_missing', name: 'x.example' }),
    404,
    'resource_not_found',
  ),
);

await call('proxyChecks.verify: development instance → 400', async () =>
  apiError(
    clerk.proxyChecks.verify({
      domainId: state.primary.id,
      proxyUrl: 'https://example.com/__clerk',
    }),
    400,
    'development_instance_unsupported',
  ),
);

await call('domains.delete', async () => {
  const deleted = await clerk.domains.delete(state.satellite.id);
  assert.equal(deleted.deleted, true);
  assert.equal(deleted.id, state.satellite.id);
});

await call('domains.delete: primary → 403', async () =>
  apiError(clerk.domains.delete(state.primary.id), 403, 'operation_not_allowed'),
);

await call('billing.getUserBillingSubscription', async () => {
  const user = await clerk.users.createUser({ emailAddress: [email('billing')] });
  await apiError(clerk.billing.getUserBillingSubscription('user_nope'), 404, 'resource_not_found');
  const result = await apiError(clerk.billing.getUserBillingSubscription(user.id), 403, 'feature_not_enabled');
  await clerk.users.deleteUser(user.id);
  return result;
});

finish();
