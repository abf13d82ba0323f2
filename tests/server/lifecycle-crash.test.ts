// A facility deletion that dies halfway finishes on the next run. For real on Postgres: the jobs
// CLI runs in a child process, stops at a point of the deletion (PTP_TEST_PAUSE_DELETION_AT) and is
// SIGKILLed there — its advisory lock and connections die with it; then a run of the job finishes
// the deletion and the record shows it started and finished. In-process on both databases: a
// fault thrown at each point, then a clean run.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsOnce } from '../../sync-server/src/jobs.ts';
import { FORMER_MEMBER_NAME } from '../../src/lib/domain/account.ts';
import { deleteFacility, type DeletionPause } from '../../sync-server/src/services/delete-facility.ts';
import { BILLING_ON, joinAs, signUp, startTestApp, usingPglite, type TestApp } from './harness.ts';
import {
  canSignIn,
  cliEnv,
  countWhere,
  DAY_MS,
  facilityRows,
  fillFacility,
  jpeg,
  organizationOf,
  ownerSql,
  subscribe,
  trialEnd,
} from './lifecycle-world.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(BILLING_ON);
});
afterAll(async () => {
  await t?.close();
});

/** A one-facility organization with packages and three objects in storage; its day 41. */
async function doomedFacility() {
  const o = await signUp(t);
  const { device } = await fillFacility(o.client, o.facilityId);
  for (let i = 0; i < 2; i++) {
    const img = await jpeg();
    const hash = createHash('sha256').update(img).digest('hex');
    const up = await o.client.request('PUT', `/api/sync/blobs/${hash}`, new Uint8Array(img), { 'content-type': 'image/jpeg' });
    expect(up.status).toBe(201);
  }
  expect(await t.deps.blobs.listFacility(o.facilityId)).toHaveLength(3);
  return { o, device, day41: new Date((await trialEnd(t, o.facilityId)).getTime() + 31 * DAY_MS) };
}

const record = async (facilityId: string) =>
  (
    await ownerSql<{ step: string; startedAt: Date; finishedAt: Date | null; counts: Record<string, number> }>(
      t,
      `SELECT step, "startedAt", "finishedAt", counts FROM facility_deletions WHERE "facilityId" = $1`,
      [facilityId],
    )
  )[0];

/** What a finished deletion leaves: nothing of the facility, its record finished. */
async function expectFinished(facilityId: string, startedAt: Date) {
  expect(await facilityRows(t, facilityId)).toEqual({});
  expect(await t.deps.blobs.listFacility(facilityId)).toEqual([]);
  const r = (await record(facilityId))!;
  expect(r.step).toBe('finished');
  expect(r.startedAt).toEqual(startedAt);
  expect(r.finishedAt!.getTime()).toBeGreaterThanOrEqual(startedAt.getTime());
  expect(r.counts).toMatchObject({ facilities: 1, packages: 2 });
}

const points: { at: DeletionPause; objectsLeft: number; rowsLeft: boolean; step: string }[] = [
  { at: 'first_object_deleted', objectsLeft: 2, rowsLeft: true, step: 'started' },
  { at: 'objects_deleted', objectsLeft: 0, rowsLeft: true, step: 'objects_deleted' },
  { at: 'rows_deleted', objectsLeft: 0, rowsLeft: false, step: 'rows_deleted' },
];

describe.skipIf(usingPglite)('SIGKILL of the jobs process in the middle of a deletion', () => {
  for (const p of points) {
    it(`killed at ${p.at}: the next run finishes it`, async () => {
      const { o, device, day41 } = await doomedFacility();
      const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/jobs-cli.ts', '--once', '--now', day41.toISOString()], {
        env: { ...process.env, ...cliEnv(t), PTP_TEST_PAUSE_DELETION_AT: p.at },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      const exited = new Promise<NodeJS.Signals | number | null>((r) => child.once('exit', (code, signal) => r(signal ?? code)));
      await new Promise<void>((resolve, reject) => {
        const onData = (d: Buffer) => {
          out += String(d);
          if (out.includes(`paused at ${p.at}`)) resolve();
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', (d) => (out += String(d)));
        child.once('exit', () => reject(new Error(`the jobs process ended before pausing:\n${out}`)));
      });
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      // Halfway: recorded as started, not finished; the facility takes no writes.
      const half = (await record(o.facilityId))!;
      expect(half).toMatchObject({ step: p.step, finishedAt: null });
      expect(await t.deps.blobs.listFacility(o.facilityId)).toHaveLength(p.objectsLeft);
      expect(Boolean((await facilityRows(t, o.facilityId)).facilities)).toBe(p.rowsLeft);
      if (p.rowsLeft) {
        const pushed = await device.push([mutation(4, 'package.receive', receiveArgs())]);
        expect([pushed.status, pushed.json.error]).toEqual([403, 'read_only']);
      }

      expect(await runJobsOnce(t.deps, day41)).toContain('facility-deletion');
      await expectFinished(o.facilityId, half.startedAt);
    }, 120_000);
  }
});

describe('a fault at each point of a deletion, then a clean run', () => {
  for (const p of points) {
    it(`fails at ${p.at}, then finishes`, async () => {
      const { o, day41 } = await doomedFacility();
      const fault = {
        async pause(at: DeletionPause) {
          if (at === p.at) throw new Error(`injected fault at ${at}`);
        },
      };
      await runJobsOnce(t.deps, day41, { deletionHooks: fault });
      const half = (await record(o.facilityId))!;
      expect(half).toMatchObject({ step: p.step, finishedAt: null });
      expect(await t.deps.blobs.listFacility(o.facilityId)).toHaveLength(p.objectsLeft);
      await runJobsOnce(t.deps, day41);
      await expectFinished(o.facilityId, half.startedAt);
    }, 60_000);
  }
});

describe('deletion edge cases', () => {
  it('a facility paid after the job listed it is not deleted: the start checks again under lock', async () => {
    const { o, day41 } = await doomedFacility();
    const before = await facilityRows(t, o.facilityId);
    await subscribe(t, o.facilityId);
    const organizationId = await organizationOf(t, o.facilityId);
    expect(await deleteFacility(t.deps, { facilityId: o.facilityId, organizationId, reason: 'trial_ended' }, day41)).toBeNull();
    expect(await record(o.facilityId)).toBeUndefined();
    expect(await facilityRows(t, o.facilityId)).toEqual(before);
    expect(await t.deps.blobs.listFacility(o.facilityId)).toHaveLength(3);
  }, 60_000);

  it('a person another facility’s custody log still names is erased ("Former member"), not deleted', async () => {
    const { o, day41 } = await doomedFacility();
    const member = await joinAs(t, { client: o.client, facilityId: o.facilityId }, 'operator');
    // The member once worked in another organization's facility, and left it.
    const q = await signUp(t);
    await subscribe(t, q.facilityId);
    const inv = await q.client.post('/api/invitations', { email: member.email, role: 'operator', facilityId: q.facilityId });
    expect((await member.client.post(`/api/invitations/${inv.json.token}/accept`, {})).status).toBe(200);
    const pushed = await new Device(member.client, q.facilityId).push([mutation(1, 'package.receive', receiveArgs())]);
    expect(pushed.json.results[0].status).toBe('applied');
    await ownerSql(t, `DELETE FROM memberships WHERE "userId" = $1 AND "facilityId" = $2`, [member.userId, q.facilityId]);

    await runJobsOnce(t.deps, day41);
    expect(await facilityRows(t, o.facilityId)).toEqual({});
    const [erased] = await ownerSql<{ name: string; email: string; deletedAt: Date | null }>(
      t,
      `SELECT name, email, "deletedAt" FROM users WHERE id = $1`,
      [member.userId],
    );
    expect(erased).toMatchObject({ name: FORMER_MEMBER_NAME });
    expect(erased!.deletedAt).not.toBeNull();
    expect(erased!.email).not.toBe(member.email);
    expect(await countWhere(t, 'sessions', 'userId', member.userId)).toBe(0);
    expect(await canSignIn(t, member.email, member.password)).toBe(401);
    // Q's custody log still names them; the owner with nothing else is deleted outright.
    expect(await countWhere(t, 'package_events', 'actorId', member.userId)).toBe(1);
    expect(await countWhere(t, 'users', 'id', o.userId)).toBe(0);
    expect((await record(o.facilityId))!.counts).toMatchObject({ users: 1, users_erased: 1 });
  }, 60_000);
});
