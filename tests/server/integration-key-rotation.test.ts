// Key rotation: with a new key put first in ENCRYPTION_KEY, the jobs re-seal every integration's
// credentials with it; afterwards the old key can go and the integrations still work.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../sync-server/src/context.ts';
import { runJobsOnce } from '../../sync-server/src/jobs.ts';
import { facilityChannels, openCredentials, rotateIntegrationKeys } from '../../sync-server/src/notifications/integrations.ts';
import { parseKeyRing } from '../../sync-server/src/notifications/secret-box.ts';
import { asOwner, signUp, startTestApp, type TestApp } from './harness.ts';

const k1 = `k1:${randomBytes(32).toString('base64')}`;
const k2 = `k2:${randomBytes(32).toString('base64')}`;
let t: TestApp;
let A: Awaited<ReturnType<typeof signUp>>;
let B: Awaited<ReturnType<typeof signUp>>;

const withKeys = (value: string): Deps => ({ ...t.deps, env: { ...t.deps.env, ENCRYPTION_KEY_RING: parseKeyRing(value) } });
const stored = () =>
  asOwner(
    t,
    async (c) =>
      (
        await c.query<{ facilityId: string; kind: string; credentials: string }>(
          `SELECT "facilityId", kind, credentials FROM integrations ORDER BY "facilityId", kind`,
        )
      ).rows,
  );

beforeAll(async () => {
  t = await startTestApp({ ENCRYPTION_KEY: k1, ALLOW_LOCAL_WEBHOOKS: 'true' });
  A = await signUp(t);
  B = await signUp(t);
  for (const [who, kind] of [
    [A, 'slack'],
    [A, 'teams'],
    [B, 'slack'],
  ] as const) {
    const res = await who.client.request('PUT', `/api/integrations/${kind}`, {
      credentials: { webhookUrl: `http://127.0.0.1:9/${kind}/${who.facilityId}` },
    });
    expect(res.status, res.text).toBe(200);
  }
});
afterAll(() => t?.close());

describe('key rotation', () => {
  it('re-seals every integration with the new key; the old one is then no longer needed', async () => {
    const before = await stored();
    expect(before.map((r) => r.credentials.split('.')[1])).toEqual(['k1', 'k1', 'k1']);

    const rotated = withKeys(`${k2},${k1}`);
    expect(await runJobsOnce(rotated)).toContain('integration-key-rotation');
    const after = await stored();
    expect(after.map((r) => r.credentials.split('.')[1])).toEqual(['k2', 'k2', 'k2']);
    expect(after.map((r) => r.credentials)).not.toEqual(before.map((r) => r.credentials));

    const onlyNew = withKeys(k2);
    for (const row of after) {
      const creds = openCredentials(onlyNew.env, row.facilityId, row.kind as 'slack', row.credentials);
      expect(creds.webhookUrl).toBe(`http://127.0.0.1:9/${row.kind}/${row.facilityId}`);
    }
    expect(Object.keys(await facilityChannels(onlyNew, A.facilityId)).sort()).toEqual(['slack', 'teams']);
    // A second run has nothing left to do.
    expect(await rotateIntegrationKeys(rotated)).toEqual({ resealed: 0, unreadable: 0 });
  });

  it('without the key that sealed them, credentials cannot be read: no sender, and the admin sees why', async () => {
    const lost = withKeys(`k3:${randomBytes(32).toString('base64')}`);
    expect(await rotateIntegrationKeys(lost)).toEqual({ resealed: 0, unreadable: 3 });
    expect(await facilityChannels(lost, B.facilityId)).toEqual({});
    const slack = (await B.client.get('/api/integrations')).json.items.find((i: { kind: string }) => i.kind === 'slack');
    expect(slack.lastError).toMatch(/^Cannot decrypt the credentials: Sealed with key "k2"/);
  });
});
