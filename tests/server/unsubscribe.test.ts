// One-click unsubscribe (RFC 8058; http-api.md "Notifications"): every non-essential message links
// to the app's own origin with a token that works without a session, only for its own recipient and
// channel, and cannot be guessed or altered; the change is a directory write devices pull.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUnsubscribeToken, unsubscribeLink, unsubscribeToken } from '../../sync-server/src/notifications/unsubscribe.ts';
import { ORIGIN, TestClient, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, applyPatch, mutation, rowsOf, type State } from './sync-helpers.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let device: Device;
const grace = randomUUID();
const alan = randomUUID();

const recipient = (id: string) => t.deps.db.withFacility(admin.facilityId, (tx) => tx.recipient.findUniqueOrThrow({ where: { id } }));
const tokenOf = (url: string) => new URL(url).pathname.split('/').pop()!;
/** What a mail provider sends (RFC 8058 §3.1): a form POST, no cookie, no Origin. */
const oneClick = (token: string, headers: Record<string, string> = {}) =>
  t.app.request(`${ORIGIN}/api/unsubscribe/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: 'List-Unsubscribe=One-Click',
  });

beforeAll(async () => {
  t = await startTestApp();
  admin = await signUp(t);
  device = new Device(admin.client, admin.facilityId);
  const pushed = await device.push([
    mutation(1, 'recipient.upsert', { id: grace, name: 'Grace Hopper', email: 'grace@example.test', phone: '+15550100', notes: 'Desk 4' }),
    mutation(2, 'recipient.upsert', { id: alan, name: 'Alan Turing', email: 'alan@example.test' }),
  ]);
  expect(pushed.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);
});
afterAll(() => t?.close());

describe('unsubscribeLink', () => {
  it('points at the app’s own origin and carries the RFC 8058 headers', () => {
    const link = unsubscribeLink(t.deps, admin.facilityId, grace, 'email');
    expect(link.url).toMatch(new RegExp(`^${ORIGIN}/unsubscribe/[A-Za-z0-9_-]{44}\\.[A-Za-z0-9_-]{43}$`));
    expect(link.headers).toEqual({
      'List-Unsubscribe': `<${ORIGIN}/api/unsubscribe/${tokenOf(link.url)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(readUnsubscribeToken(t.deps.env.APP_SECRET, tokenOf(link.url))).toEqual({
      facilityId: admin.facilityId,
      recipientId: grace,
      channel: 'email',
    });
    // Each recipient and channel has its own token.
    expect(unsubscribeLink(t.deps, admin.facilityId, alan, 'email').url).not.toBe(link.url);
    expect(unsubscribeLink(t.deps, admin.facilityId, grace, 'sms').url).not.toBe(link.url);
  });

  it('cannot be forged: altered, cut, re-signed with another secret or made up, it reads as nothing', () => {
    const secret = t.deps.env.APP_SECRET;
    const token = unsubscribeToken(secret, { facilityId: admin.facilityId, recipientId: grace, channel: 'email' });
    const [payload, sig] = token.split('.') as [string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    for (let i = 0; i < payload.length; i += 5) expect(readUnsubscribeToken(secret, `${flip(payload, i)}.${sig}`)).toBeNull();
    expect(readUnsubscribeToken(secret, `${payload}.${flip(sig, 3)}`)).toBeNull();
    expect(readUnsubscribeToken(secret, token.slice(0, -1))).toBeNull();
    expect(
      readUnsubscribeToken(
        secret,
        unsubscribeToken('another secret of at least thirty-two chars', {
          facilityId: admin.facilityId,
          recipientId: grace,
          channel: 'email',
        }),
      ),
    ).toBeNull();
    expect(readUnsubscribeToken(secret, 'x'.repeat(88))).toBeNull();
  });
});

describe('/api/unsubscribe/{token}', () => {
  it('reads the switch without a session, and a browser is sent to the page that asks first', async () => {
    const token = tokenOf(unsubscribeLink(t.deps, admin.facilityId, grace, 'email').url);
    const anon = new TestClient(t, null);
    const res = await anon.get(`/api/unsubscribe/${token}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ channel: 'email', facilityName: admin.body.facilityName, subscribed: true });
    const browser = await anon.get(`/api/unsubscribe/${token}`, { accept: 'text/html,application/xhtml+xml' });
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe(`/unsubscribe/${token}`);
    // Reading changed nothing.
    expect((await recipient(grace)).notifyEmail).toBe(true);
  });

  it('turns off only its own recipient’s channel on a one-click POST, and devices pull the change', async () => {
    const { patch, cookie } = await device.pullAll();
    const state: State = applyPatch(new Map(), patch);
    const token = tokenOf(unsubscribeLink(t.deps, admin.facilityId, grace, 'email').url);

    const res = await oneClick(token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ channel: 'email', facilityName: admin.body.facilityName, subscribed: false });
    expect(await recipient(grace)).toMatchObject({
      notifyEmail: false,
      notifySms: false,
      name: 'Grace Hopper',
      phone: '+15550100',
      notes: 'Desk 4',
    });
    expect((await recipient(alan)).notifyEmail).toBe(true);

    const pulled = await device.pullAll(cookie);
    applyPatch(state, pulled.patch);
    expect(rowsOf(state, 'recipients').get(grace)).toMatchObject({ notifyEmail: false, name: 'Grace Hopper', email: 'grace@example.test' });
    expect(pulled.patch.filter((op) => op.op === 'put').map((op) => (op as { id: string }).id)).toEqual([grace]);

    // The same link again: still off, nothing more written.
    const version = (await recipient(grace)).version;
    expect((await oneClick(token)).status).toBe(200);
    expect((await recipient(grace)).version).toBe(version);
  });

  it('turns off SMS with an SMS link, leaving email as it is', async () => {
    const token = tokenOf(unsubscribeLink(t.deps, admin.facilityId, alan, 'sms').url);
    // Turn SMS on first through the directory, as an admin would.
    await device.push([mutation(3, 'recipient.upsert', { id: alan, name: 'Alan Turing', email: 'alan@example.test', notifySms: true })]);
    expect((await recipient(alan)).notifySms).toBe(true);
    const res = await new TestClient(t).post(`/api/unsubscribe/${token}`);
    expect(res.status).toBe(200);
    expect(await recipient(alan)).toMatchObject({ notifySms: false, notifyEmail: true });
  });

  it('works from another site too (no cookie is involved), and with an empty or JSON body', async () => {
    const other = randomUUID();
    await device.push([mutation(4, 'recipient.upsert', { id: other, name: 'Other', email: 'other@example.test' })]);
    const token = tokenOf(unsubscribeLink(t.deps, admin.facilityId, other, 'email').url);
    const res = await oneClick(token, { origin: 'https://mail.provider.example', 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(200);
    expect((await recipient(other)).notifyEmail).toBe(false);
    expect((await new TestClient(t, null).post(`/api/unsubscribe/${token}`, {})).status).toBe(200);
  });

  it('still works when the facility is deactivated (read-only): an opt-out is the person’s right', async () => {
    const owner = await signUp(t);
    const second = await owner.client.post('/api/facilities', { name: 'Closing desk' });
    expect(second.status).toBe(201);
    expect((await owner.client.post('/api/me/active-facility', { facilityId: second.json.id })).status).toBe(200);
    const id = randomUUID();
    const pushed = await new Device(owner.client, second.json.id).push([
      mutation(1, 'recipient.upsert', { id, name: 'Late', email: 'late@example.test' }),
    ]);
    expect(pushed.json.results?.[0]?.status, pushed.text).toBe('applied');
    expect((await owner.client.post(`/api/facilities/${second.json.id}/deactivate`)).status).toBe(200);
    const token = tokenOf(unsubscribeLink(t.deps, second.json.id, id, 'email').url);
    expect((await oneClick(token)).status).toBe(200);
    const row = await t.deps.db.withFacility(second.json.id, (tx) => tx.recipient.findUniqueOrThrow({ where: { id } }));
    expect(row.notifyEmail).toBe(false);
  });

  it('answers 404 to a forged, altered or foreign token, changing nothing', async () => {
    const good = tokenOf(unsubscribeLink(t.deps, admin.facilityId, alan, 'email').url);
    const [payload, sig] = good.split('.') as [string, string];
    // A token of another facility's recipient id: signed for that pair only.
    const B = await signUp(t);
    const foreign = unsubscribeToken(t.deps.env.APP_SECRET, { facilityId: B.facilityId, recipientId: alan, channel: 'email' });
    const bad = [
      `${payload}.${'A'.repeat(43)}`,
      `${payload.slice(0, -2)}AA.${sig}`,
      unsubscribeToken('some other secret that is long enough!!', { facilityId: admin.facilityId, recipientId: alan, channel: 'email' }),
      foreign,
      unsubscribeToken(t.deps.env.APP_SECRET, { facilityId: admin.facilityId, recipientId: randomUUID(), channel: 'email' }),
      'nonsense',
    ];
    for (const token of bad) {
      const res = await oneClick(token);
      expect(res.status, token).toBe(404);
      expect((await res.json()).error).toBe('not_found');
      expect((await new TestClient(t, null).get(`/api/unsubscribe/${token}`)).status).toBe(404);
    }
    expect((await oneClick('x'.repeat(300))).status).toBe(400);
    expect((await recipient(alan)).notifyEmail).toBe(true);
  });
});

describe('the API document', () => {
  it('describes every notification route', async () => {
    const doc = (await new TestClient(t).get('/api/openapi.json')).json;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/notifications',
        '/api/notifications/{id}',
        '/api/notifications/{id}/html',
        '/api/notifications/{id}/resend',
        '/api/me/notifications',
        '/api/me/notifications/read',
        '/api/me/recipients',
        '/api/unsubscribe/{token}',
      ]),
    );
    expect(Object.keys(doc.paths['/api/unsubscribe/{token}'])).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/me/recipients'])).toEqual(['get', 'patch']);
  });
});

describe('/api/me/recipients: a person’s own switches', () => {
  it('shows the entries with the member’s proven address and changes only those', async () => {
    const member = await joinAs(t, admin, 'courier');
    const own = randomUUID();
    const someoneElse = randomUUID();
    await device.push([
      mutation(5, 'recipient.upsert', { id: own, name: 'Courier Self', email: member.email.toUpperCase(), phone: '+15550111' }),
      mutation(6, 'recipient.upsert', { id: someoneElse, name: 'Someone Else', email: 'else@example.test' }),
    ]);
    const { cookie } = await device.pullAll();

    const mine = await member.client.get('/api/me/recipients');
    expect(mine.status).toBe(200);
    expect(mine.json).toEqual({
      emailVerified: true,
      entries: [
        {
          facilityId: admin.facilityId,
          facilityName: admin.body.facilityName,
          recipientId: own,
          name: 'Courier Self',
          email: member.email.toUpperCase(),
          hasPhone: true,
          notifyEmail: true,
          notifySms: false,
        },
      ],
    });

    const off = await member.client.request('PATCH', '/api/me/recipients', {
      facilityId: admin.facilityId,
      recipientId: own,
      notifyEmail: false,
      notifySms: true,
    });
    expect(off.status, off.text).toBe(200);
    expect(off.json.entries[0]).toMatchObject({ notifyEmail: false, notifySms: true });
    expect(await recipient(own)).toMatchObject({ notifyEmail: false, notifySms: true, name: 'Courier Self' });
    const pulled = await device.pullAll(cookie);
    expect(pulled.patch).toEqual([expect.objectContaining({ op: 'put', table: 'recipients', id: own })]);

    // Someone else's entry, or one in a facility the member is not in, is not theirs.
    const theirs = await member.client.request('PATCH', '/api/me/recipients', {
      facilityId: admin.facilityId,
      recipientId: someoneElse,
      notifyEmail: false,
    });
    expect(theirs.status).toBe(404);
    expect((await recipient(someoneElse)).notifyEmail).toBe(true);
    for (const body of [
      { facilityId: admin.facilityId, recipientId: own },
      { facilityId: 'x', recipientId: own, notifyEmail: false },
      { recipientId: own, notifyEmail: true },
      { facilityId: admin.facilityId, recipientId: own, notifyEmail: 'off' },
    ]) {
      const res = await member.client.request('PATCH', '/api/me/recipients', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('shows nothing for an address not proven', async () => {
    const unproven = await signUp(t);
    await device.push([mutation(7, 'recipient.upsert', { id: randomUUID(), name: 'Claimed', email: unproven.body.email })]);
    expect((await unproven.client.get('/api/me/recipients')).json).toEqual({ emailVerified: false, entries: [] });
    expect((await new TestClient(t).get('/api/me/recipients')).status).toBe(401);
  });
});
