// Every channel end to end: a package pushed through the sync API goes out by email (the real
// Resend SDK at a local Resend-compatible server), SMS (the real twilio SDK at TWILIO_API_BASE),
// Slack and Teams (incoming webhooks at local servers), and to the bell of a recipient who is a
// member with that proven email; reminders carry a one-click unsubscribe that works without a
// session; an admin resends a failed email once the provider takes it again.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runJobsOnce } from '../../sync-server/src/jobs.ts';
import { sendMessages } from '../../sync-server/src/notifications/pipeline.ts';
import { joinAs, signUp, startTestApp, TestClient, type TestApp } from './harness.ts';
import { sendingTo, startFakeResend, type FakeResend } from './fake-resend.ts';
import { startFakeProvider, twilioError, type FakeProvider } from './provider-fakes.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
let resend: FakeResend;
let slack: FakeProvider;
let teams: FakeProvider;
let twilio: FakeProvider;
let admin: Awaited<ReturnType<typeof signUp>>;
let facilityName: string;
let device: Device;
let seq = 1;

const twilioCredentials = { accountSid: `AC${'0123456789abcdef'.repeat(2)}`, authToken: 'x'.repeat(32), from: '+15005550006' };
const slackPath = '/services/T000/B000/slacksecret';
const teamsPath = '/workflows/teamssecret/triggers/manual/paths/invoke';

beforeAll(async () => {
  [resend, slack, teams, twilio] = await Promise.all([startFakeResend(), startFakeProvider(), startFakeProvider(), startFakeProvider()]);
  t = await startTestApp(
    sendingTo(resend, {
      EMAIL_FROM: 'Mailroom <mailroom@example.test>',
      ALLOW_LOCAL_WEBHOOKS: 'true',
      TWILIO_API_BASE: twilio.url,
      NOTIFY_BATCH_WINDOW_SECONDS: '120',
      NOTIFY_MAX_ATTEMPTS: '3',
      NOTIFY_SEND_TIMEOUT_SECONDS: '2',
    }),
  );
  admin = await signUp(t);
  facilityName = (await admin.client.get('/api/facility')).json.name;
  device = new Device(admin.client, admin.facilityId);
  for (const [kind, body] of [
    ['slack', { credentials: { webhookUrl: `${slack.url}${slackPath}` } }],
    ['teams', { credentials: { webhookUrl: `${teams.url}${teamsPath}` } }],
    ['twilio', { credentials: twilioCredentials }],
  ] as const) {
    const res = await admin.client.request('PUT', `/api/integrations/${kind}`, body);
    expect(res.status, res.text).toBe(200);
  }
});
afterAll(async () => {
  await t?.close();
  await Promise.all([resend?.close(), slack?.close(), teams?.close(), twilio?.close()]);
});
beforeEach(() => {
  resend.reset();
  for (const f of [slack, teams, twilio]) {
    f.received.length = 0;
    f.messages.length = 0;
    f.answer = null;
    f.answerNext = [];
  }
});

/** The jobs command run at a time past the batching window of everything pushed so far. */
const runJobs = (now = new Date(Date.now() + 5 * 60_000)) => runJobsOnce(t.deps, now);
const push = (...ms: [string, Record<string, unknown>][]) => device.push(ms.map(([name, args]) => mutation(seq++, name, args)));

async function newRecipient(extra: Record<string, unknown> = {}) {
  const id = randomUUID();
  const email = `r-${id.slice(0, 8)}@example.test`;
  const locationId = randomUUID();
  const name = `Grace ${id.slice(0, 6)}`;
  const res = await push(
    ['location.upsert', { id: locationId, name: 'Front desk', building: 'North' }],
    ['recipient.upsert', { id, name, email, defaultLocationId: locationId, ...extra }],
  );
  expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);
  return { id, email, name, locationId };
}

const rowsOf = (recipientId: string) =>
  t.deps.db.withFacility(admin.facilityId, (tx) =>
    tx.notification.findMany({ where: { recipientId }, orderBy: [{ createdAt: 'asc' }, { channel: 'asc' }] }),
  );
const postsAbout = (f: FakeProvider, name: string) => f.received.filter((r) => r.body.includes(name));
const integration = async (kind: string) =>
  ((await admin.client.get('/api/integrations')).json.items as { kind: string; lastError: string | null }[]).find((i) => i.kind === kind)!;

describe('a package received through the sync API reaches every connected channel once', () => {
  it('one email, one SMS, one Slack post and one Teams post, with the right content', async () => {
    const r = await newRecipient({ phone: '+14155550123', notifySms: true });
    const p = receiveArgs({ recipientId: r.id, recipientName: r.name, locationId: r.locationId, sender: 'ACME Tools' });
    expect((await push(['package.receive', p])).json.results[0].status).toBe('applied');
    await runJobs();
    await runJobs(); // a second run sends nothing again

    const emails = resend.delivered.filter((e) => e.to.includes(r.email));
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe(`A package is waiting for you at ${facilityName}`);
    expect(emails[0]!.text).toContain(p.trackingNumber);

    const sms = twilio.received.filter((m) => m.parsed.To === '+14155550123');
    expect(sms).toHaveLength(1);
    expect(sms[0]!.path).toBe(`/2010-04-01/Accounts/${twilioCredentials.accountSid}/Messages.json`);
    expect(sms[0]!.parsed).toMatchObject({ From: twilioCredentials.from });
    expect(sms[0]!.parsed.Body).toBe(`${facilityName}: a package arrived for you at Front desk, North.`);

    const tail = p.trackingNumber.slice(-6);
    const [slackPost, ...moreSlack] = postsAbout(slack, r.name);
    expect(moreSlack).toEqual([]);
    expect(slackPost!.path).toBe(slackPath);
    expect(slackPost!.parsed.text).toContain(`1 package received for ${r.name} (UPS: …${tail})`);
    expect(JSON.stringify(slackPost!.parsed.blocks)).toContain(r.name);

    const [teamsPost, ...moreTeams] = postsAbout(teams, r.name);
    expect(moreTeams).toEqual([]);
    expect(teamsPost!.path).toBe(teamsPath);
    const card = (teamsPost!.parsed.attachments as { content: { body: { text: string }[] } }[])[0]!.content;
    expect(card.body.map((b) => b.text).join('\n')).toContain(`1 package received for ${r.name} (UPS: …${tail})`);

    const rows = await rowsOf(r.id);
    expect(rows.map((n) => [n.channel, n.status]).sort()).toEqual([
      ['email', 'sent'],
      ['slack', 'sent'],
      ['sms', 'sent'],
      ['teams', 'sent'],
    ]);
    // The stored Twilio message SID is what a retry would recognise.
    expect(rows.find((n) => n.channel === 'sms')!.providerId).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it('held and delivered reach the feeds and the SMS too', async () => {
    const r = await newRecipient({ phone: '+14155550124', notifySms: true });
    const p = receiveArgs({ recipientId: r.id, recipientName: r.name });
    await push(['package.receive', p], ['package.hold', { id: p.id, note: 'Bring photo ID' }]);
    await runJobs();
    await push(['package.deliver', { id: p.id, deliveredTo: 'Alan Turing', at: new Date().toISOString() }]);
    await runJobs();

    const feed = (f: FakeProvider) => postsAbout(f, r.name).map((m) => JSON.stringify(m.parsed));
    for (const f of [slack, teams]) {
      const posts = feed(f);
      expect(posts).toHaveLength(3);
      expect(posts.filter((b) => b.includes(`1 package received for ${r.name}`))).toHaveLength(1);
      expect(posts.filter((b) => b.includes(`1 package on hold for ${r.name}`))).toHaveLength(1);
      expect(posts.filter((b) => b.includes(`1 package handed over for ${r.name}`))).toHaveLength(1);
      // The hold note stays out unless the facility allows it.
      expect(posts.join('\n')).not.toContain('Bring photo ID');
    }
    const sms = twilio.received.filter((m) => m.parsed.To === '+14155550124').map((m) => m.parsed.Body);
    expect(sms).toHaveLength(3);
    expect(sms).toContain(`${facilityName}: the mailroom is holding a package for you. Please contact the mailroom.`);
    expect(sms).toContain(`${facilityName}: a package handed to Alan Turing.`);
    const subjects = resend.delivered.filter((e) => e.to.includes(r.email)).map((e) => e.subject);
    expect(subjects.sort()).toEqual(
      [
        `A package is waiting for you at ${facilityName}`,
        `Your package is on hold at ${facilityName}`,
        `Your package was handed over at ${facilityName}`,
      ].sort(),
    );
    expect((await rowsOf(r.id)).every((n) => n.status === 'sent')).toBe(true);
  });

  it('a recipient without a phone, or who turned SMS off, gets no text', async () => {
    const off = await newRecipient({ phone: '+14155550125', notifySms: false });
    const none = await newRecipient();
    await push(['package.receive', receiveArgs({ recipientId: off.id })], ['package.receive', receiveArgs({ recipientId: none.id })]);
    await runJobs();
    expect(twilio.received).toHaveLength(0);
    for (const r of [off, none]) expect((await rowsOf(r.id)).map((n) => n.channel).sort()).toEqual(['email', 'slack', 'teams']);
  });
});

describe('provider failures', () => {
  it('a 500 from Slack is retried and posted once', async () => {
    const r = await newRecipient();
    slack.answerNext = [{ status: 500, body: 'internal_error' }];
    await push(['package.receive', receiveArgs({ recipientId: r.id, recipientName: r.name })]);
    await runJobs();
    await runJobs();
    // Slack's incoming webhooks take no idempotency key: the 500 said the post did not happen.
    expect(postsAbout(slack, r.name)).toHaveLength(2);
    const row = (await rowsOf(r.id)).find((n) => n.channel === 'slack')!;
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(postsAbout(teams, r.name)).toHaveLength(1);
  });

  it('a 400 from Twilio is recorded as failed with its reason and shown as the integration’s last error', async () => {
    const r = await newRecipient({ phone: '+14155550000', notifySms: true });
    const refusal = "The 'To' number +14155550000 is not a valid phone number.";
    twilio.answer = twilioError(400, 21211, refusal);
    await push(['package.receive', receiveArgs({ recipientId: r.id })]);
    await runJobs();
    await runJobs(new Date(Date.now() + 60 * 60_000));
    expect(twilio.received).toHaveLength(1);
    const row = (await rowsOf(r.id)).find((n) => n.channel === 'sms')!;
    expect(row).toMatchObject({ status: 'failed', attempts: 1, sentAt: null });
    expect(row.error).toContain(refusal);
    expect((await integration('twilio')).lastError).toContain(refusal);
    // The other channels were not held back by it.
    expect((await rowsOf(r.id)).filter((n) => n.channel !== 'sms').every((n) => n.status === 'sent')).toBe(true);
  });
});

describe('exactly once when an answer is lost', () => {
  const textsTo = (phone: string) => twilio.received.filter((m) => m.method === 'POST' && m.parsed.To === phone);
  const acceptedFor = (phone: string) => twilio.messages.filter((m) => m.to === phone);
  const smsRow = async (recipientId: string) => (await rowsOf(recipientId)).find((n) => n.channel === 'sms')!;

  it('Twilio accepts a text but its answer is lost: the retry finds it there and texts nothing again', async () => {
    const phone = '+14155550140';
    const r = await newRecipient({ phone, notifySms: true });
    twilio.answerNext = [{ status: 201, lost: true }];
    await push(['package.receive', receiveArgs({ recipientId: r.id })]);
    await runJobs();
    await runJobs();
    await runJobs(new Date(Date.now() + 60 * 60_000));
    expect(textsTo(phone)).toHaveLength(1);
    const accepted = acceptedFor(phone);
    expect(accepted).toHaveLength(1);
    // The retry asked Twilio for the messages to that number instead of sending again.
    expect(twilio.received.some((m) => m.method === 'GET' && m.path.endsWith('/Messages.json'))).toBe(true);
    expect(await smsRow(r.id)).toMatchObject({ status: 'sent', attempts: 2, providerId: accepted[0]!.sid, error: null });
  });

  it('a process that stopped after Twilio accepted a text, before recording it: the next attempt finds it', async () => {
    const phone = '+14155550143';
    const r = await newRecipient({ phone, notifySms: true });
    await push(['package.receive', receiveArgs({ recipientId: r.id })]);
    await runJobs();
    const sent = await smsRow(r.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
    // What the rows look like when the process stopped between Twilio's answer and recording it:
    // claimed, the attempt begun, nothing recorded.
    await t.deps.db.withFacility(admin.facilityId, (tx) =>
      tx.notification.update({
        where: { id: sent.id },
        data: { status: 'queued', providerId: null, sentAt: null, attempts: 0, lastAttemptAt: sent.lastAttemptAt },
      }),
    );
    const outcomes = await sendMessages(t.deps, admin.facilityId, [{ messageId: sent.messageId! }]);
    expect(outcomes.get(sent.messageId!)).toBe('sent');
    expect(textsTo(phone)).toHaveLength(1);
    expect(await smsRow(r.id)).toMatchObject({ status: 'sent', providerId: sent.providerId });
  });

  it('a 500 from Twilio is retried and the text goes out once', async () => {
    const phone = '+14155550141';
    const r = await newRecipient({ phone, notifySms: true });
    twilio.answerNext = [twilioError(500, 20500, 'Internal Server Error')];
    await push(['package.receive', receiveArgs({ recipientId: r.id })]);
    await runJobs();
    await runJobs();
    expect(textsTo(phone)).toHaveLength(2);
    const accepted = acceptedFor(phone);
    expect(accepted).toHaveLength(1);
    expect(await smsRow(r.id)).toMatchObject({ status: 'sent', attempts: 2, providerId: accepted[0]!.sid });
  });

  it('an earlier text with the same words is not taken for the one being retried', async () => {
    const phone = '+14155550142';
    const r = await newRecipient({ phone, notifySms: true });
    await push(['package.receive', receiveArgs({ recipientId: r.id })]);
    await runJobs();
    twilio.answerNext = [twilioError(503, 20503, 'Service Unavailable')];
    await push(['package.receive', receiveArgs({ recipientId: r.id })]);
    await runJobs();
    await runJobs();
    const accepted = acceptedFor(phone);
    expect(accepted).toHaveLength(2);
    expect(accepted[0]!.body).toBe(accepted[1]!.body);
    const rows = (await rowsOf(r.id)).filter((n) => n.channel === 'sms');
    expect(rows.map((n) => n.status)).toEqual(['sent', 'sent']);
    expect(rows.map((n) => n.providerId).sort()).toEqual(accepted.map((m) => m.sid).sort());
  });

  it('Slack takes a post but the connection drops: it is not posted again, the row fails with why', async () => {
    const r = await newRecipient();
    slack.answerNext = [{ status: 200, lost: true }];
    await push(['package.receive', receiveArgs({ recipientId: r.id, recipientName: r.name })]);
    await runJobs();
    const lastError = (await integration('slack')).lastError;
    await runJobs();
    await runJobs(new Date(Date.now() + 60 * 60_000));
    expect(postsAbout(slack, r.name)).toHaveLength(1);
    const row = (await rowsOf(r.id)).find((n) => n.channel === 'slack')!;
    expect(row).toMatchObject({ status: 'failed', attempts: 1, sentAt: null });
    expect(row.error).toContain('No answer from Slack: the post may have gone out; resend from the delivery log if it did not');
    expect(lastError).toContain('No answer from Slack');
    // Teams answered: its post is sent as usual.
    expect((await rowsOf(r.id)).find((n) => n.channel === 'teams')).toMatchObject({ status: 'sent' });
  });

  it('Teams that never answers is not posted again either', async () => {
    const r = await newRecipient();
    teams.answerNext = [{ status: 200, delayMs: 4000 }];
    await push(['package.receive', receiveArgs({ recipientId: r.id, recipientName: r.name })]);
    await runJobs();
    const lastError = (await integration('teams')).lastError;
    await runJobs();
    expect(postsAbout(teams, r.name)).toHaveLength(1);
    const row = (await rowsOf(r.id)).find((n) => n.channel === 'teams')!;
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.error).toContain('No answer from Teams: the post may have gone out');
    expect(lastError).toContain('No answer from Teams');
  });

  it('an admin’s resend of such a post goes out once more', async () => {
    const r = await newRecipient();
    slack.answerNext = [{ status: 200, lost: true }];
    await push(['package.receive', receiveArgs({ recipientId: r.id, recipientName: r.name })]);
    await runJobs();
    const row = (await rowsOf(r.id)).find((n) => n.channel === 'slack')!;
    expect(row.status).toBe('failed');
    expect((await admin.client.post(`/api/notifications/${row.id}/resend`)).status).toBe(200);
    await runJobs();
    expect(postsAbout(slack, r.name)).toHaveLength(2);
    expect((await rowsOf(r.id)).find((n) => n.channel === 'slack')).toMatchObject({ status: 'sent' });
  });
});

describe('a disconnected integration', () => {
  it('gets no rows, and the others go on', async () => {
    expect((await admin.client.request('DELETE', '/api/integrations/teams')).status).toBe(204);
    try {
      const r = await newRecipient({ phone: '+14155550126', notifySms: true });
      await push(['package.receive', receiveArgs({ recipientId: r.id, recipientName: r.name })]);
      await runJobs();
      expect((await rowsOf(r.id)).map((n) => n.channel).sort()).toEqual(['email', 'slack', 'sms']);
      expect(postsAbout(teams, r.name)).toHaveLength(0);
      expect(postsAbout(slack, r.name)).toHaveLength(1);
    } finally {
      const res = await admin.client.request('PUT', '/api/integrations/teams', { credentials: { webhookUrl: `${teams.url}${teamsPath}` } });
      expect(res.status).toBe(200);
    }
  });
});

describe('reminders and the one-click unsubscribe', () => {
  it('a reminder carries List-Unsubscribe headers whose one-click POST, without a session, stops the next one', async () => {
    // Reminders are per facility: let this one remind every hour, with no quiet hours in the way.
    const facility = { where: { id: admin.facilityId } };
    const before = await t.deps.db.prisma.facility.findUniqueOrThrow({
      ...facility,
      select: { reminderIntervalHours: true, quietHoursStart: true, quietHoursEnd: true },
    });
    await t.deps.db.prisma.facility.update({ ...facility, data: { reminderIntervalHours: 1, quietHoursStart: null, quietHoursEnd: null } });
    try {
      await unsubscribeFlow();
    } finally {
      await t.deps.db.prisma.facility.update({ ...facility, data: before });
    }
  });
});

async function unsubscribeFlow() {
  {
    const r = await newRecipient();
    const p = receiveArgs({ recipientId: r.id });
    await push(['package.receive', p]);
    await runJobs();
    const received = resend.delivered.filter((e) => e.to.includes(r.email));
    expect(received.map((e) => e.subject)).toEqual([`A package is waiting for you at ${facilityName}`]);
    // Transactional: no unsubscribe header.
    expect(received[0]!.headers?.['List-Unsubscribe']).toBeUndefined();

    const reminders = () => resend.delivered.filter((e) => e.to.includes(r.email) && e.subject.startsWith('Reminder'));
    await runJobs(new Date(Date.now() + 2 * 3600_000));
    const [reminder, ...more] = reminders();
    expect(more).toEqual([]);
    expect(reminder!.text).toContain(p.trackingNumber);
    expect(reminder!.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const url = /^<(.+)>$/.exec(reminder!.headers?.['List-Unsubscribe'] ?? '')?.[1];
    expect(url).toMatch(/\/api\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    // The page link in the body is the one a person opens.
    expect(reminder!.text).toMatch(/\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);

    // What a mail provider does: a form POST to that URL, no cookie.
    const res = await t.app.request(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    const after = await t.deps.db.withFacility(admin.facilityId, (tx) => tx.recipient.findUniqueOrThrow({ where: { id: r.id } }));
    expect(after).toMatchObject({ notifyEmail: false });

    await runJobs(new Date(Date.now() + 5 * 3600_000));
    expect(reminders()).toHaveLength(1);
    // Email is off for this recipient: a later notice queues no email row either.
    await push(['package.hold', { id: p.id, note: 'x' }]);
    await runJobs(new Date(Date.now() + 6 * 3600_000));
    expect(resend.delivered.filter((e) => e.to.includes(r.email))).toHaveLength(2);
    expect((await rowsOf(r.id)).filter((n) => n.kind === 'held').map((n) => n.channel)).toEqual(['slack', 'teams']);
  }
}

describe('the in-app bell', () => {
  it('a recipient whose email is a member’s proven address gets a bell row through the pipeline; a non-member does not', async () => {
    const member = await joinAs(t, admin, 'viewer');
    // Another facility's member with a proven address: the same email in this directory links to nobody.
    const elsewhere = await signUp(t);
    const outsider = await joinAs(t, elsewhere, 'viewer');

    const mine = randomUUID();
    const theirs = randomUUID();
    await push(
      ['recipient.upsert', { id: mine, name: 'Mia Member', email: member.email.toUpperCase() }],
      ['recipient.upsert', { id: theirs, name: 'Otto Outsider', email: outsider.email }],
    );
    const p = receiveArgs({ recipientId: mine, recipientName: 'Mia Member' });
    await push(['package.receive', p], ['package.receive', receiveArgs({ recipientId: theirs })]);
    await runJobs();

    const bell = (await rowsOf(mine)).filter((n) => n.channel === 'inapp');
    expect(bell).toHaveLength(1);
    expect(bell[0]).toMatchObject({ userId: member.userId, status: 'sent' });
    expect((await rowsOf(theirs)).some((n) => n.channel === 'inapp')).toBe(false);

    const page = await member.client.get('/api/me/notifications');
    expect(page.status).toBe(200);
    expect(page.json.unread).toBe(1);
    expect(page.json.items).toHaveLength(1);
    expect(JSON.stringify(page.json.items[0])).toContain(p.trackingNumber);
    const other = await outsider.client.get('/api/me/notifications');
    expect(other.json).toMatchObject({ unread: 0, items: [] });
  });
});

describe('an admin resends a failed email', () => {
  it('after the provider refused it, the resend goes out exactly once', async () => {
    const r = await newRecipient();
    resend.failNext(400);
    await push(['package.receive', receiveArgs({ recipientId: r.id })]);
    await runJobs();
    const failed = (await rowsOf(r.id)).find((n) => n.channel === 'email')!;
    expect(failed).toMatchObject({ status: 'failed' });
    expect(resend.delivered.filter((e) => e.to.includes(r.email))).toHaveLength(0);

    const res = await admin.client.post(`/api/notifications/${failed.id}/resend`);
    expect(res.status, res.text).toBe(200);
    // A second click finds it queued again, not failed: still one email.
    expect((await admin.client.post(`/api/notifications/${failed.id}/resend`)).status).toBe(409);
    await runJobs();
    await runJobs();
    const sent = resend.delivered.filter((e) => e.to.includes(r.email));
    expect(sent).toHaveLength(1);
    expect((await rowsOf(r.id)).find((n) => n.channel === 'email')).toMatchObject({ status: 'sent', providerId: sent[0]!.id });
    // Anyone without a session cannot.
    expect((await new TestClient(t).post(`/api/notifications/${failed.id}/resend`)).status).toBe(401);
  });
});
