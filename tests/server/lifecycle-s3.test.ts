// Day 41 with S3 object storage (s3rver speaking the S3 API to the real AWS SDK): the lapsed
// facility's prefix is empty afterwards, the paid facility of the same organization keeps its
// objects, and an object that appears under the prefix while the rows are deleted (an upload racing
// the deletion) is swept before the deletion is recorded as finished.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { S3BlobStorage } from '../../sync-server/src/blobs/storage.ts';
import { runJobsOnce } from '../../sync-server/src/jobs.ts';
import { BILLING_ON, signUp, startTestApp, usingPglite, type TestApp } from './harness.ts';
import { age, countWhere, DAY_MS, facilityRows, fillFacility, jobsCli, ownerSql, subscribe, trialEnd } from './lifecycle-world.ts';
import { startLocalS3, type LocalS3 } from './s3-server.ts';

const BUCKET = 'ptp-lifecycle';
let s3: LocalS3;
let t: TestApp;

beforeAll(async () => {
  s3 = await startLocalS3(BUCKET);
  t = await startTestApp({ ...BILLING_ON, ...s3.env });
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
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
