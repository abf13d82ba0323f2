// Day 41 with S3 object storage (s3rver speaking the S3 API to the real AWS SDK): the lapsed
// facility's prefix is empty afterwards, the paid facility of the same organization keeps its
// objects, and an object that appears under the prefix while the rows are deleted (an upload racing
// the deletion) is swept before the deletion is recorded as finished.
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { S3BlobStorage } from '../../sync-server/src/blobs/storage.ts';
import { runJobsOnce } from '../../sync-server/src/jobs.ts';
import { BILLING_ON, signUp, startTestApp, usingPglite, type TestApp } from './harness.ts';
import { age, countWhere, DAY_MS, facilityRows, fillFacility, jobsCli, ownerSql, subscribe, trialEnd } from './lifecycle-world.ts';

// s3rver ships no types; the little used here, typed by hand.
interface S3rver {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string; configs: string[] }[];
}) => S3rver;

const BUCKET = 'ptp-lifecycle';
let s3: S3rver;
let dir: string;
let t: TestApp;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ptp-s3rver-'));
  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const { port } = await s3.run();
  t = await startTestApp({
    ...BILLING_ON,
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_BUCKET: BUCKET,
    S3_ACCESS_KEY_ID: 'S3RVER', // s3rver's fixed development credentials
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
    S3_REGION: 'us-east-1',
  });
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('day 41 empties the facility’s S3 prefix and leaves the other facility’s objects', async () => {
  expect(t.deps.blobs).toBeInstanceOf(S3BlobStorage);
  const a = await signUp(t);
  const annex = await a.client.post('/api/facilities', { name: 'Annex' });
  expect(annex.status).toBe(201);
  await subscribe(t, annex.json.id);
  await fillFacility(a.client, annex.json.id);
  await fillFacility(a.client, a.facilityId);
  await age(t, a.facilityId, 11);
  const annexObjects = await t.deps.blobs.listFacility(annex.json.id);
  const annexRows = await facilityRows(t, annex.json.id);
  expect(annexObjects).toHaveLength(1);
  expect(await t.deps.blobs.listFacility(a.facilityId)).toHaveLength(1);

  const day41 = new Date((await trialEnd(t, a.facilityId)).getTime() + 31 * DAY_MS);
  if (usingPglite) await runJobsOnce(t.deps, day41);
  else expect(await jobsCli(t, day41)).toContain('facility-deletion');

  expect(await t.deps.blobs.listFacility(a.facilityId)).toEqual([]);
  expect(await facilityRows(t, a.facilityId)).toEqual({});
  expect(await t.deps.blobs.listFacility(annex.json.id)).toEqual(annexObjects);
  expect(await facilityRows(t, annex.json.id)).toEqual(annexRows);
  expect(await t.deps.blobs.has(annexObjects[0]!)).toBe(true);
}, 60_000);

it('an object that lands under the prefix while the rows are deleted is swept before the deletion finishes', async () => {
  const o = await signUp(t);
  await fillFacility(o.client, o.facilityId);
  const day41 = new Date((await trialEnd(t, o.facilityId)).getTime() + 31 * DAY_MS);
  const straggler = `${o.facilityId}/${'a'.repeat(64)}.jpg`;
  await runJobsOnce(t.deps, day41, {
    deletionHooks: {
      async pause(at, facilityId) {
        if (at === 'objects_deleted' && facilityId === o.facilityId) await t.deps.blobs.put(straggler, Buffer.from('late'), 'image/jpeg');
      },
    },
  });
  expect(await t.deps.blobs.listFacility(o.facilityId)).toEqual([]);
  const [rec] = await ownerSql<{ step: string; counts: Record<string, number> }>(
    t,
    `SELECT step, counts FROM facility_deletions WHERE "facilityId" = $1`,
    [o.facilityId],
  );
  expect(rec).toMatchObject({ step: 'finished', counts: { objects: 1, objects_swept: 1 } });
  expect(await countWhere(t, 'users', 'id', o.userId)).toBe(0);
}, 60_000);
