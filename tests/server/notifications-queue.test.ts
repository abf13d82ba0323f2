// The queue as `npm start` runs it: pg-boss workers in the server process, woken by the push that
// committed the outbox rows, so an email leaves within moments with no jobs command; two server
// processes on one database send it once. And the jobs command's contract.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Deps } from '../../sync-server/src/context.ts';
import { buildDeps } from '../../sync-server/src/deps.ts';
import { startJobs } from '../../sync-server/src/jobs.ts';
import { signUp, startTestApp, usingPglite, type TestApp } from './harness.ts';
import { sendingTo, startFakeResend, type FakeResend } from './fake-resend.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
let fake: FakeResend;
let admin: Awaited<ReturnType<typeof signUp>>;
let device: Device;
let seq = 1;
const stopJobs: (() => Promise<void>)[] = [];
/** A second server process's parts on the same database (Postgres only: PGlite is one process's). */
let second: Deps | null = null;

beforeAll(async () => {
  fake = await startFakeResend();
  t = await startTestApp(sendingTo(fake));
  admin = await signUp(t);
  device = new Device(admin.client, admin.facilityId);
  if (!usingPglite) second = await buildDeps({ ...t.deps.env }, { mailer: t.mailer });
});
afterAll(async () => {
  for (const stop of stopJobs) await stop();
  await second?.db.close();
  await t?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

/** Resolves once the fake Resend server received an email for each address (the test's timeout bounds it). */
const arrivals = (addresses: string[]) =>
  new Promise<void>((resolve) => {
    const all = () => addresses.every((a) => fake.delivered.some((e) => e.to.includes(a)));
    if (all()) return resolve();
    fake.onDelivered = () => all() && resolve();
  });

it('a push wakes the in-process queue: the email goes out without a jobs command', async () => {
  stopJobs.push(await startJobs(t.deps));
  if (second) stopJobs.push(await startJobs(second));
  const recipients = Array.from({ length: 6 }, () => ({ id: randomUUID(), email: `q-${randomUUID().slice(0, 8)}@example.test` }));
  await device.push(recipients.map((r) => mutation(seq++, 'recipient.upsert', { id: r.id, name: 'Queue Test', email: r.email })));
  await device.push(recipients.map((r) => mutation(seq++, 'package.receive', receiveArgs({ recipientId: r.id }))));
  await arrivals(recipients.map((r) => r.email));
  // Both processes work the queue; each message went out once.
  for (const r of recipients) expect(fake.requests.filter((e) => e.to.includes(r.email))).toHaveLength(1);
  // The worker records the provider's answer right after it: wait for that too.
  const statuses = () =>
    t.deps.db.withFacility(admin.facilityId, async (tx) =>
      (await tx.notification.findMany({ where: { recipientId: { in: recipients.map((r) => r.id) } } })).map((n) => n.status),
    );
  while ((await statuses()).some((s) => s === 'queued')) await new Promise((r) => setTimeout(r, 50));
  expect(await statuses()).toEqual(recipients.map(() => 'sent'));
  for (const r of recipients) expect(fake.requests.filter((e) => e.to.includes(r.email))).toHaveLength(1);
}, 30_000);

const run = promisify(execFile);
it('npm run jobs: --once is required, --now must be an instant and is refused in production', async () => {
  const cli = (args: string[], env: Record<string, string>) =>
    run('npx', ['tsx', 'sync-server/src/jobs-cli.ts', ...args], { env: { ...process.env, ...env } }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
  const production = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    PUBLIC_ORIGIN: 'https://x.example',
    APP_SECRET: 'x'.repeat(40),
    ENCRYPTION_KEY: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  };
  const refused = await cli(['--once', '--now', '2026-12-01T09:00:00Z'], production);
  expect(refused).toMatchObject({ code: 2 });
  expect(refused.out).toContain('--now is refused when NODE_ENV=production');
  expect(await cli([], production)).toMatchObject({ code: 2 });
  const bad = await cli(['--once', '--now', 'tomorrow'], production);
  expect(bad.code).toBe(2);
  expect(bad.out).toContain('--now needs an ISO instant');
}, 60_000);
