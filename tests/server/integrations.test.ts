// Admin → Integrations: an admin connects Twilio, Slack and Teams, sends a test message, sees the
// provider's refusal as the last error, and disconnects; the pipeline gets each connected channel as
// a sender. Local servers speak the providers' APIs; the real twilio SDK reaches its stand-in
// through TWILIO_API_BASE. Credentials are never in an answer, and are stored sealed.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facilityChannels, recordIntegrationOutcome } from '../../sync-server/src/notifications/integrations.ts';
import { reason, slackSender } from '../../sync-server/src/notifications/senders.ts';
import { asOwner, joinAs, signUp, startTestApp, TestClient, type Res, type TestApp } from './harness.ts';
import { startFakeProvider, twilioError, type FakeProvider } from './provider-fakes.ts';

let t: TestApp;
let fake: FakeProvider;
let admin: Awaited<ReturnType<typeof signUp>>;
/** Every answer any client got, searched for the secrets at the end. */
const answers: Res[] = [];

const hex = (n: number) => randomBytes(n).toString('hex');
const twilio = {
  accountSid: `AC${hex(16)}`,
  authToken: randomBytes(24)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'x')
    .slice(0, 32),
  from: '+15005550006',
};
const slackSecret = `slack${hex(12)}`;
const teamsSecret = `teams${hex(12)}`;
let slackUrl: string;
let teamsUrl: string;

const keep = async (p: Promise<Res>) => {
  const res = await p;
  answers.push(res);
  return res;
};
const put = (c: TestClient, kind: string, body: unknown) => keep(c.request('PUT', `/api/integrations/${kind}`, body));
const test = (c: TestClient, kind: string, body?: unknown) => keep(c.post(`/api/integrations/${kind}/test`, body));
const list = async (c: TestClient) => {
  const res = await keep(c.get('/api/integrations'));
  expect(res.status).toBe(200);
  return Object.fromEntries((res.json.items as { kind: string }[]).map((i) => [i.kind, i])) as Record<string, Record<string, unknown>>;
};

beforeAll(async () => {
  fake = await startFakeProvider();
  slackUrl = `${fake.url}/services/T000/B000/${slackSecret}`;
  teamsUrl = `${fake.url}/workflows/${teamsSecret}/triggers/manual/paths/invoke`;
  t = await startTestApp({ ALLOW_LOCAL_WEBHOOKS: 'true', TWILIO_API_BASE: fake.url });
  admin = await signUp(t);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

describe('an admin connects the facility’s integrations', () => {
  it('lists every kind, none connected at first', async () => {
    const all = await list(admin.client);
    expect(Object.keys(all).sort()).toEqual(['slack', 'teams', 'twilio']);
    for (const i of Object.values(all)) expect(i).toMatchObject({ connected: false, enabled: false, hint: null, lastError: null });
  });

  it('connects Slack and sends a test message the webhook receives', async () => {
    const res = await put(admin.client, 'slack', { credentials: { webhookUrl: slackUrl } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ kind: 'slack', connected: true, enabled: true, hint: slackSecret.slice(-4) });

    fake.received.length = 0;
    const sent = await test(admin.client, 'slack');
    expect(sent.status, sent.text).toBe(200);
    expect(sent.json).toMatchObject({ ok: true, error: null, integration: { kind: 'slack', lastError: null } });
    expect(sent.json.integration.lastSentAt).toEqual(expect.any(String));
    expect(fake.received).toHaveLength(1);
    const got = fake.received[0]!;
    expect(got.path).toBe(`/services/T000/B000/${slackSecret}`);
    expect(got.headers['content-type']).toMatch(/^application\/json/);
    expect(got.parsed.text).toContain(admin.body.facilityName);
    expect(got.parsed.text).toContain('test message');
    expect(JSON.stringify(got.parsed.blocks)).toContain(admin.body.facilityName);
  });

  it('records Slack’s refusal (4xx) as the last error, in the provider’s words', async () => {
    fake.answer = { status: 404, body: 'no_service' };
    try {
      const sent = await test(admin.client, 'slack');
      expect(sent.json.ok).toBe(false);
      expect(sent.json.error).toBe('Slack answered 404: no_service');
      expect((await list(admin.client)).slack).toMatchObject({
        lastError: 'Slack answered 404: no_service',
        lastErrorAt: expect.any(String),
      });
    } finally {
      fake.answer = null;
    }
  });

  it('connects Teams and posts an Adaptive Card', async () => {
    expect((await put(admin.client, 'teams', { credentials: { webhookUrl: teamsUrl } })).status).toBe(200);
    fake.received.length = 0;
    const sent = await test(admin.client, 'teams', {});
    expect(sent.json.ok, sent.text).toBe(true);
    const card = fake.received[0]!.parsed as {
      type: string;
      attachments: { contentType: string; content: { type: string; body: { text: string }[] } }[];
    };
    expect(card.type).toBe('message');
    expect(card.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.attachments[0]!.content.type).toBe('AdaptiveCard');
    expect(card.attachments[0]!.content.body.map((b) => b.text).join(' ')).toContain(admin.body.facilityName);
  });

  it('connects Twilio; a test SMS goes through the real SDK with the account’s credentials', async () => {
    const res = await put(admin.client, 'twilio', { credentials: twilio });
    expect(res.status, res.text).toBe(200);
    expect(res.json.hint).toBe(twilio.accountSid.slice(-4));

    expect((await test(admin.client, 'twilio', {})).status).toBe(400);
    fake.received.length = 0;
    const sent = await test(admin.client, 'twilio', { to: '+14155550123' });
    expect(sent.json).toMatchObject({ ok: true, error: null });
    const got = fake.received[0]!;
    expect(got.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`);
    expect(got.headers.authorization).toBe(`Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`);
    expect(got.parsed).toMatchObject({ To: '+14155550123', From: twilio.from });
    expect(String(got.parsed.Body)).toContain(admin.body.facilityName);
  });

  it('records Twilio’s refusal with its error code; a 5xx is worth retrying, a 4xx is not', async () => {
    fake.answer = twilioError(400, 21211, "The 'To' number +14155550000 is not a valid phone number.");
    try {
      const sent = await test(admin.client, 'twilio', { to: '+14155550000' });
      expect(sent.json.ok).toBe(false);
      expect(sent.json.error).toBe("Twilio answered 400 (error 21211): The 'To' number +14155550000 is not a valid phone number.");
      expect((await list(admin.client)).twilio!.lastError).toBe(sent.json.error);

      const channels = await facilityChannels(t.deps, admin.facilityId);
      const message = { to: '+14155550000', subject: 's', text: 'x', idempotencyKey: 'k1' };
      expect(await channels.sms!.send(message)).toMatchObject({ ok: false, permanent: true });
      fake.answer = twilioError(503, 20503, 'Service unavailable');
      expect(await channels.sms!.send(message)).toMatchObject({ ok: false, permanent: false });
      fake.answer = { status: 500, body: 'oops' };
      expect(await channels.slack!.send(message)).toEqual({ ok: false, permanent: false, error: 'Slack answered 500: oops' });
      fake.answer = { status: 429, body: 'rate_limited' };
      expect(await channels.teams!.send(message)).toMatchObject({ ok: false, permanent: false });
      fake.answer = { status: 400, body: 'invalid_payload' };
      expect(await channels.slack!.send(message)).toMatchObject({ ok: false, permanent: true });
    } finally {
      fake.answer = null;
    }
  });

  it('hands the pipeline each enabled channel as a sender; the SMS sender answers the message SID', async () => {
    const channels = await facilityChannels(t.deps, admin.facilityId);
    expect(Object.keys(channels).sort()).toEqual(['slack', 'sms', 'teams']);
    fake.received.length = 0;
    const sent = await channels.sms!.send({
      to: '+14155550123',
      subject: 'Package received',
      text: 'Your package is here',
      idempotencyKey: 'n1',
    });
    expect(sent).toEqual({ ok: true, providerId: expect.stringMatching(/^SM[0-9a-f]{32}$/) });
    expect(fake.received[0]!.parsed.Body).toBe('Your package is here');

    await recordIntegrationOutcome(t.deps, admin.facilityId, 'teams', { ok: false, error: 'Teams answered 400: bad card' });
    expect((await list(admin.client)).teams!.lastError).toBe('Teams answered 400: bad card');

    // Disabled: connected, kept, but no sender.
    expect((await put(admin.client, 'teams', { credentials: { webhookUrl: teamsUrl }, enabled: false })).json.enabled).toBe(false);
    expect(Object.keys(await facilityChannels(t.deps, admin.facilityId)).sort()).toEqual(['slack', 'sms']);
    // Replacing the credentials starts with a clean record.
    expect((await list(admin.client)).teams!.lastError).toBeNull();
  });

  it('a redirect is an answer, never followed; a provider that hangs may have taken the post, one that refuses the connection has not', async () => {
    fake.answer = { status: 302, headers: { location: `${fake.url}/elsewhere` } };
    fake.received.length = 0;
    try {
      const redirected = await test(admin.client, 'slack');
      expect(redirected.json.error).toBe('Slack answered 302 (redirects are not followed)');
      expect(fake.received.map((r) => r.path)).toEqual([`/services/T000/B000/${slackSecret}`]);

      fake.answer = { status: 200, delayMs: 2_000 };
      const impatient = slackSender({ url: new URL(slackUrl), allowLocal: true, timeoutMs: 100 });
      expect(await impatient.send({ to: 'feed', subject: 's', text: 't', idempotencyKey: 'k' })).toEqual({
        ok: false,
        permanent: false,
        ambiguous: true,
        error: 'Slack did not answer in time',
      });
      // Nothing listens there: the request never left, so a retry cannot post twice.
      const closed = new URL(slackUrl);
      closed.port = String(await closedPort());
      const unreachable = slackSender({ url: closed, allowLocal: true, timeoutMs: 1000 });
      expect(await unreachable.send({ to: 'feed', subject: 's', text: 't', idempotencyKey: 'k' })).toEqual({
        ok: false,
        permanent: false,
        ambiguous: false,
        error: 'Slack could not be reached (ECONNREFUSED)',
      });
    } finally {
      fake.answer = null;
    }
  });

  it('keeps a provider’s reason to one short line', () => {
    expect(reason('  a\n\nb  ')).toBe('a b');
    expect(reason('x'.repeat(1000))).toHaveLength(300);
  });

  it('stores the credentials sealed: neither the token nor the URL is in the row', async () => {
    const rows = await asOwner(
      t,
      async (c) => (await c.query(`SELECT kind, credentials, hint FROM integrations WHERE "facilityId" = $1`, [admin.facilityId])).rows,
    );
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.credentials).toMatch(/^v1\.dev\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
      for (const secret of [twilio.authToken, twilio.accountSid, slackSecret, teamsSecret, fake.url])
        expect(row.credentials).not.toContain(secret);
    }
  });
});

describe('the API document', () => {
  it('describes the four integrations routes from their schemas', async () => {
    const doc = (await keep(admin.client.get('/api/openapi.json'))).json;
    expect(Object.keys(doc.paths['/api/integrations/{kind}']).sort()).toEqual(['delete', 'put']);
    expect(doc.paths['/api/integrations'].get.responses['200'].content['application/json'].schema).toBeDefined();
    expect(doc.paths['/api/integrations/{kind}/test'].post.responses['200']).toBeDefined();
    expect(doc.paths['/api/integrations/{kind}'].put.parameters[0].schema.enum).toEqual(['twilio', 'slack', 'teams']);
  });
});

describe('who may', () => {
  it.each(['operator', 'courier', 'viewer'])('a %s gets 403 on every integrations route', async (role) => {
    const { client } = await joinAs(t, admin, role);
    expect((await keep(client.get('/api/integrations'))).status).toBe(403);
    expect((await put(client, 'slack', { credentials: { webhookUrl: slackUrl } })).status).toBe(403);
    expect((await test(client, 'slack')).status).toBe(403);
    expect((await keep(client.request('DELETE', '/api/integrations/slack'))).status).toBe(403);
    expect((await list(admin.client)).slack).toMatchObject({ connected: true });
  });

  it('signed out: 401', async () => {
    expect((await new TestClient(t).get('/api/integrations')).status).toBe(401);
  });
});

describe('junk input', () => {
  it('answers 4xx with a stable code and changes nothing', async () => {
    const before = await list(admin.client);
    const cases: [string, unknown, number, string][] = [
      ['sms', { credentials: { webhookUrl: slackUrl } }, 400, 'invalid_input'],
      ['SLACK', { credentials: { webhookUrl: slackUrl } }, 400, 'invalid_input'],
      ['slack', {}, 400, 'invalid_input'],
      ['slack', { credentials: 'x' }, 400, 'invalid_input'],
      ['slack', { credentials: { webhookUrl: slackUrl }, extra: 1 }, 400, 'invalid_input'],
      ['slack', { credentials: { webhookUrl: slackUrl }, enabled: 'yes' }, 400, 'invalid_input'],
      ['slack', { credentials: {} }, 400, 'invalid_credentials'],
      ['slack', { credentials: { webhookUrl: 42 } }, 400, 'invalid_credentials'],
      ['slack', { credentials: { webhookUrl: 'x'.repeat(5000) } }, 400, 'invalid_credentials'],
      ['slack', { credentials: { webhookUrl: 'javascript:alert(1)' } }, 400, 'webhook_url_refused'],
      ['teams', { credentials: { webhookUrl: 'not a url' } }, 400, 'webhook_url_refused'],
      ['twilio', { credentials: { ...twilio, authToken: 'short' } }, 400, 'invalid_credentials'],
      ['twilio', { credentials: { ...twilio, from: 'me' } }, 400, 'invalid_credentials'],
      ['twilio', { credentials: [1, 2] }, 400, 'invalid_input'],
    ];
    for (const [kind, body, status, code] of cases) {
      const res = await put(admin.client, kind, body);
      expect([res.status, res.json?.error], `${kind} ${JSON.stringify(body).slice(0, 80)}`).toEqual([status, code]);
    }
    const raw = await keep(admin.client.request('PUT', '/api/integrations/slack', undefined, { 'content-type': 'application/json' }));
    expect(raw.status).toBe(400);
    const notJson = await keep(
      admin.client.request('PUT', '/api/integrations/slack', new TextEncoder().encode('{oops'), { 'content-type': 'application/json' }),
    );
    expect(notJson.status).toBe(400);
    expect((await test(admin.client, 'twilio', { to: '0415 555 0123' })).status).toBe(400);
    expect((await test(admin.client, 'twilio', { to: '+14155550123', x: 1 })).status).toBe(400);
    expect((await test(admin.client, 'nope')).status).toBe(400);
    expect(await list(admin.client)).toEqual(before);
  });
});

describe('disconnecting', () => {
  it('erases the stored credentials; testing or disconnecting again answers 404', async () => {
    const res = await keep(admin.client.request('DELETE', '/api/integrations/slack'));
    expect(res.status).toBe(204);
    const left = await asOwner(
      t,
      async (c) => (await c.query(`SELECT kind FROM integrations WHERE "facilityId" = $1 ORDER BY kind`, [admin.facilityId])).rows,
    );
    expect(left.map((r) => r.kind)).toEqual(['teams', 'twilio']);
    expect((await list(admin.client)).slack).toMatchObject({ connected: false, hint: null });
    expect((await keep(admin.client.request('DELETE', '/api/integrations/slack'))).status).toBe(404);
    expect((await test(admin.client, 'slack')).status).toBe(404);
    expect((await facilityChannels(t.deps, admin.facilityId)).slack).toBeUndefined();
  });
});

describe('secrets never leave', () => {
  it('no answer carried a credential, the personal data export neither', async () => {
    answers.push(await admin.client.get('/api/me/export'));
    answers.push(await admin.client.get('/api/openapi.json'));
    expect(answers.length).toBeGreaterThan(30);
    for (const res of answers) {
      for (const secret of [twilio.authToken, twilio.accountSid, slackSecret, teamsSecret, slackUrl, teamsUrl]) {
        expect(res.text, res.text.slice(0, 200)).not.toContain(secret);
      }
    }
  });
});

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
