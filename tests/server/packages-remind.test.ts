// The desk's bulk Remind (POST /api/packages/remind): one reminder per recipient of the selected
// open packages, sent through the real Resend SDK to a local fake, listing everything waiting; the
// automatic reminder does not follow right after; closed packages and unwilling recipients skipped.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runJobsOnce } from '../../sync-server/src/jobs.ts';
import { sendingTo, startFakeResend, type FakeResend } from './fake-resend.ts';
import { joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
let fake: FakeResend;
let admin: Awaited<ReturnType<typeof signUp>>;
let device: Device;
let seq = 1;
const push = async (...ms: [string, Record<string, unknown>][]) => {
  const res = await device.push(ms.map(([name, args]) => mutation(seq++, name, args)));
  expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(ms.map(() => 'applied'));
};
const twoDaysAgo = () => new Date(Date.now() - 2 * 86400_000).toISOString();
const reminders = (email: string) => fake.delivered.filter((e) => e.to.includes(email) && e.subject.startsWith('Reminder'));
const reminderRows = (recipientId: string) =>
  t.deps.db.withFacility(admin.facilityId, (tx) => tx.notification.findMany({ where: { recipientId, kind: 'reminder' } }));

beforeAll(async () => {
  fake = await startFakeResend();
  t = await startTestApp(sendingTo(fake));
  admin = await signUp(t);
  device = new Device(admin.client, admin.facilityId);
  // No quiet hours, so the automatic reminder would be due at once if the manual one did not count.
  await t.deps.db.prisma.facility.update({
    where: { id: admin.facilityId },
    data: { reminderIntervalHours: 24, quietHoursStart: null, quietHoursEnd: null },
  });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

async function recipient(name: string, extra: Record<string, unknown> = {}) {
  const id = randomUUID();
  const email = `${name.toLowerCase()}-${id.slice(0, 6)}@example.test`;
  await push(['recipient.upsert', { id, name, email, ...extra }]);
  return { id, email };
}

async function received(recipientId: string) {
  const p = receiveArgs({ recipientId, receivedAt: twoDaysAgo() });
  await push(['package.receive', p]);
  return p;
}

it('reminds each recipient of the selected packages once, listing all their waiting packages, and skips the rest with reasons', async () => {
  const ada = await recipient('Ada');
  const bob = await recipient('Bob');
  const cy = await recipient('Cy');
  const quiet = await recipient('Quiet', { notifyEmail: false });
  const nomail = { id: randomUUID() };
  await push(['recipient.upsert', { id: nomail.id, name: 'No Mail' }]);

  const a1 = await received(ada.id);
  const a2 = await received(ada.id);
  const a3 = await received(ada.id); // waiting, not selected: still listed in Ada's reminder
  const b1 = await received(bob.id);
  const c1 = await received(cy.id);
  await push(['package.deliver', { id: c1.id, deliveredTo: 'Cy', at: new Date().toISOString() }]);
  const q1 = await received(quiet.id);
  const n1 = await received(nomail.id);
  const unknown = randomUUID();
  // No run has happened yet: the automatic reminder, due since receipt two days ago, was not sent.
  expect(fake.delivered.filter((e) => e.subject.startsWith('Reminder'))).toEqual([]);

  const res = await admin.client.post('/api/packages/remind', {
    packageIds: [a1.id, a2.id, b1.id, c1.id, q1.id, n1.id, unknown.toUpperCase()],
  });
  expect(res.status, res.text).toBe(200);
  expect(res.json.reminded).toBe(2);
  expect(new Set(res.json.skipped.map((s: { packageId: string; reason: string }) => `${s.packageId} ${s.reason}`))).toEqual(
    new Set([`${c1.id} not_open`, `${q1.id} opted_out`, `${n1.id} no_email`, `${unknown} not_found`]),
  );
  expect(await reminderRows(ada.id)).toHaveLength(1);
  expect(await reminderRows(bob.id)).toHaveLength(1);
  expect(await reminderRows(cy.id)).toHaveLength(0);
  expect(await reminderRows(quiet.id)).toHaveLength(0);

  await runJobsOnce(t.deps, new Date());
  expect(fake.delivered.filter((e) => e.subject.startsWith('Reminder'))).toHaveLength(2);
  const [toAda, ...moreAda] = reminders(ada.email);
  expect(moreAda).toEqual([]);
  expect(toAda!.subject).toMatch(/^Reminder: 3 packages are still waiting for you at /);
  for (const p of [a1, a2, a3]) expect(toAda!.text).toContain(p.trackingNumber);
  const [toBob, ...moreBob] = reminders(bob.email);
  expect(moreBob).toEqual([]);
  expect(toBob!.text).toContain(b1.trackingNumber);
  expect(toBob!.text).not.toContain(a1.trackingNumber);

  // The manual reminder counts as the last one: the automatic run (due by receipt two days ago) waits.
  await runJobsOnce(t.deps, new Date());
  expect(reminders(ada.email)).toHaveLength(1);
  expect(reminders(bob.email)).toHaveLength(1);
  expect(reminders(quiet.email)).toHaveLength(0);
  expect(await reminderRows(ada.id)).toHaveLength(1);
});

it('is for admins only', async () => {
  const r = await recipient('Dee');
  const p = await received(r.id);
  for (const role of ['operator', 'viewer', 'courier']) {
    const m = await joinAs(t, admin, role);
    const res = await m.client.post('/api/packages/remind', { packageIds: [p.id] });
    expect([role, res.status, res.json?.error]).toEqual([role, 403, 'forbidden']);
  }
  expect(await reminderRows(r.id)).toHaveLength(0);
});

it('refuses junk with 400 and writes nothing', async () => {
  for (const body of [
    {},
    { packageIds: [] },
    { packageIds: ['not-a-uuid'] },
    { packageIds: Array.from({ length: 501 }, () => randomUUID()) },
    { packageIds: 'x' },
    { packageIds: [randomUUID()], extra: true },
  ]) {
    const res = await admin.client.post('/api/packages/remind', body);
    expect([res.status, res.json?.error]).toEqual([400, 'invalid_input']);
  }
  const raw = await admin.client.request('POST', '/api/packages/remind', new TextEncoder().encode('{nope'), {
    'content-type': 'application/json',
  });
  expect(raw.status).toBe(400);
});

it('reminds nobody for another facility’s packages', async () => {
  const other = await signUp(t);
  const otherDevice = new Device(other.client, other.facilityId);
  const rid = randomUUID();
  const p = receiveArgs({ recipientId: rid, receivedAt: twoDaysAgo() });
  const pushed = await otherDevice.push([
    mutation(1, 'recipient.upsert', { id: rid, name: 'Elsewhere', email: 'elsewhere@example.test' }),
    mutation(2, 'package.receive', p),
  ]);
  expect(pushed.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);
  const res = await admin.client.post('/api/packages/remind', { packageIds: [p.id] });
  expect(res.json).toEqual({ reminded: 0, skipped: [{ packageId: p.id, reason: 'not_found' }] });
  const rows = await t.deps.db.withFacility(other.facilityId, (tx) => tx.notification.count({ where: { kind: 'reminder' } }));
  expect(rows).toBe(0);
});

it('is refused in a deactivated facility (403 read_only)', async () => {
  const r = await recipient('Eve');
  const p = await received(r.id);
  await t.deps.db.prisma.facility.update({ where: { id: admin.facilityId }, data: { active: false } });
  try {
    const res = await admin.client.post('/api/packages/remind', { packageIds: [p.id] });
    expect([res.status, res.json?.error]).toEqual([403, 'read_only']);
  } finally {
    await t.deps.db.prisma.facility.update({ where: { id: admin.facilityId }, data: { active: true } });
  }
  expect(await reminderRows(r.id)).toHaveLength(0);
});

it('is in the OpenAPI document with its body and answer', async () => {
  const doc = (await admin.client.get('/api/openapi.json')).json;
  const op = doc.paths['/api/packages/remind'].post;
  expect(op.requestBody.content['application/json'].schema.properties.packageIds).toMatchObject({
    type: 'array',
    minItems: 1,
    maxItems: 500,
  });
  expect(Object.keys(op.responses['200'].content['application/json'].schema.properties).sort()).toEqual(['reminded', 'skipped']);
});
