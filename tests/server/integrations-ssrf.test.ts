// The SSRF guard as production runs it (ALLOW_LOCAL_WEBHOOKS unset): a webhook URL must be https on
// the provider's own hosts, and the server never requests a private, loopback or link-local address,
// whether the URL names it or a provider's host name resolves to it. A local server stands ready to
// record any request that gets through: none may.
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { senderFor } from '../../sync-server/src/notifications/integrations.ts';
import { BlockedAddressError, safePostJson, type Resolver } from '../../sync-server/src/notifications/safe-post.ts';
import { asOwner, signUp, startTestApp, type TestApp } from './harness.ts';
import { startFakeProvider, type FakeProvider } from './provider-fakes.ts';

let t: TestApp;
let fake: FakeProvider;
let admin: Awaited<ReturnType<typeof signUp>>;
let port: string;

beforeAll(async () => {
  fake = await startFakeProvider();
  port = new URL(fake.url).port;
  t = await startTestApp();
  admin = await signUp(t);
  expect(t.deps.env.ALLOW_LOCAL_WEBHOOKS).toBe(false);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

/** DNS as a test wants it: every name resolves to these addresses. */
const resolvesTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
const message = { to: 'feed', subject: 'Test', text: 'hello', idempotencyKey: 'k' };

describe('connecting refuses webhook URLs that are not the provider’s own https hosts', () => {
  it.each([
    ['slack', `http://hooks.slack.com/services/T/B/x`, 'not_https'],
    ['slack', 'http://127.0.0.1:4000/services/T/B/x', 'not_https'],
    ['slack', 'https://127.0.0.1:8443/services/x', 'wrong_port'],
    ['slack', 'https://127.0.0.1/services/x', 'wrong_host'],
    ['slack', 'https://10.0.0.8/services/x', 'wrong_host'],
    ['slack', 'https://169.254.169.254/latest/meta-data', 'wrong_host'],
    ['slack', 'https://[::1]/services/x', 'wrong_host'],
    ['slack', 'https://localhost/services/x', 'wrong_host'],
    ['slack', 'https://hooks.slack.com.attacker.example/services/x', 'wrong_host'],
    ['teams', 'https://hooks.slack.com/services/x', 'wrong_host'],
    ['teams', 'https://attacker.example/webhook.office.com', 'wrong_host'],
    ['teams', 'https://user:pw@contoso.webhook.office.com/webhookb2/x', 'credentials_in_url'],
  ])('%s %s → %s', async (kind, webhookUrl, problem) => {
    const res = await admin.client.request('PUT', `/api/integrations/${kind}`, { credentials: { webhookUrl } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'webhook_url_refused', problem });
  });

  it('takes the providers’ real hosts, and nothing was stored for the refusals', async () => {
    const ok = await admin.client.request('PUT', '/api/integrations/teams', {
      credentials: { webhookUrl: 'https://prod-01.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=s3cr3t' },
    });
    expect(ok.status, ok.text).toBe(200);
    const kinds = await asOwner(
      t,
      async (c) => (await c.query(`SELECT kind FROM integrations WHERE "facilityId" = $1`, [admin.facilityId])).rows,
    );
    expect(kinds.map((r) => r.kind)).toEqual(['teams']);
    expect(fake.received).toHaveLength(0);
  });
});

describe('sending never reaches a private address', () => {
  it('refuses a provider host whose DNS answers 127.0.0.1, or any private address among its answers', async () => {
    for (const dns of [
      resolvesTo('127.0.0.1'),
      resolvesTo('52.1.2.3', '10.0.0.1'),
      resolvesTo('::ffff:127.0.0.1'),
      resolvesTo('169.254.169.254'),
    ]) {
      const sender = senderFor(t.deps.env, 'slack', { webhookUrl: 'https://hooks.slack.com/services/T/B/x' }, { resolve: dns });
      expect(await sender.send(message)).toEqual({
        ok: false,
        permanent: true,
        error: 'Slack: The webhook host resolves to a private or local address',
      });
    }
    const teams = senderFor(t.deps.env, 'teams', { webhookUrl: 'https://evil.webhook.office.com/x' }, { resolve: resolvesTo('fd00::1') });
    expect(await teams.send(message)).toMatchObject({ ok: false, permanent: true });
  });

  it('refuses a stored URL that production rules no longer allow, without requesting it', async () => {
    const sender = senderFor(t.deps.env, 'slack', { webhookUrl: `${fake.url}/services/T/B/x` });
    expect(await sender.send(message)).toEqual({ ok: false, permanent: true, error: 'Slack: the webhook URL is not allowed (not_https)' });
  });

  it('the guarded post refuses loopback by name and by literal, IPv4 and IPv6, and lets them through only when local webhooks are allowed', async () => {
    const strict = { allowLocal: false };
    await expect(safePostJson(new URL(`${fake.url}/x`), {}, strict)).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(safePostJson(new URL(`http://[::ffff:127.0.0.1]:${port}/x`), {}, strict)).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(safePostJson(new URL(`http://localhost:${port}/x`), {}, strict)).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(
      safePostJson(new URL(`http://public.example:${port}/x`), {}, { ...strict, resolve: resolvesTo('127.0.0.1') }),
    ).rejects.toBeInstanceOf(BlockedAddressError);
    expect(fake.received).toHaveLength(0);

    const answer = await safePostJson(
      new URL(`http://public.example:${port}/x`),
      { a: 1 },
      { allowLocal: true, resolve: resolvesTo('127.0.0.1') },
    );
    expect(answer.status).toBe(200);
    expect(fake.received.map((r) => [r.path, r.parsed])).toEqual([['/x', { a: 1 }]]);
  });
});
