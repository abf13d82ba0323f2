// Errors to Sentry (issue: production hardening, Operations): an unexpected error reaches Sentry
// from the one error funnel, and nothing of the package it was about goes with it (privacy policy:
// "No package data is included in error reports"). A local HTTP server stands in for Sentry's
// ingest endpoint; the SDK posts envelopes to /api/<project>/envelope/.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import * as Sentry from '@sentry/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../sync-server/src/app.ts';
import { flushErrorReports, initSentry } from '../../sync-server/src/error-reports.ts';
import { signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

const TRACKING = '1Z999AA10123456784';
const USPS = '9400111899223344556677';
const NAME = 'Philippa Quartermaine';
const EMAIL = 'philippa.q@recipients.example';
const PHONE = '+1 (415) 555-0199';
const NOTE = 'leave behind the blue planter';
const PACKAGE_DATA = [TRACKING, USPS, NAME, 'Philippa', 'Quartermaine', EMAIL, PHONE, '555-0199', NOTE, 'blue planter'];

interface Envelope {
  url: string;
  headers: IncomingHttpHeaders;
  text: string;
}

let ingest: Server;
const envelopes: Envelope[] = [];
let t: TestApp;
let dsn: string;

beforeAll(async () => {
  ingest = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      envelopes.push({ url: req.url ?? '', headers: req.headers, text });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => ingest.listen(0, '127.0.0.1', resolve));
  dsn = `http://publickey@127.0.0.1:${(ingest.address() as AddressInfo).port}/1`;
  t = await startTestApp({ SENTRY_DSN: dsn });
  expect(initSentry(t.deps.env)).toBe(true);
});

afterAll(async () => {
  await Sentry.close(2000);
  await t?.close();
  await new Promise((resolve) => ingest?.close(resolve));
});

/** The parts of a Sentry event these tests read. */
interface SentryEvent {
  exception: { values: { type?: string; stacktrace: { frames: { filename?: string; function?: string; lineno?: number }[] } }[] };
  tags?: Record<string, string>;
  user?: unknown;
  extra?: unknown;
  request?: { data?: unknown };
}

/** The items of a Sentry envelope: a header line, then (item header, payload) line pairs. */
function eventsIn(envelope: Envelope): SentryEvent[] {
  const lines = envelope.text.split('\n').filter(Boolean);
  const events: SentryEvent[] = [];
  for (let i = 1; i + 1 < lines.length; i += 2) {
    if (JSON.parse(lines[i]!).type === 'event') events.push(JSON.parse(lines[i + 1]!));
  }
  return events;
}

describe('error reports', () => {
  it('sends an unexpected error with its type, stack and route, and none of the package data', async () => {
    const admin = await signUp(t);
    const device = new Device(admin.client, admin.facilityId);

    // Package data everywhere an error report could pick it up: the error's message and own
    // properties, the scope's user, extra, tags and breadcrumbs, the console, and the request body.
    Sentry.setUser({ id: 'u1', email: EMAIL, username: NAME });
    Sentry.setExtra('recipient', { name: NAME, phone: PHONE });
    Sentry.setTag('trackingNumber', TRACKING);
    Sentry.setContext('package', { trackingNumber: USPS, notes: NOTE });
    Sentry.addBreadcrumb({ category: 'package', message: `received ${TRACKING} for ${NAME}`, data: { email: EMAIL } });
    console.log(`receiving ${TRACKING} for ${NAME}`);

    const original = t.deps.db.withFacility;
    t.deps.db.withFacility = async () => {
      const err = new Error(`Could not shelve ${TRACKING} (${USPS}) for ${NAME} <${EMAIL}>, call ${PHONE}: ${NOTE}`);
      throw Object.assign(err, { recipient: { name: NAME, email: EMAIL, phone: PHONE }, notes: NOTE });
    };
    let res;
    try {
      res = await device.push([
        mutation(1, 'package.receive', receiveArgs({ trackingNumber: TRACKING, recipientName: NAME, sender: EMAIL, notes: NOTE })),
      ]);
    } finally {
      t.deps.db.withFacility = original;
    }
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: 'internal', message: 'Something went wrong on our side' });

    await flushErrorReports(5000);
    const events = envelopes.flatMap(eventsIn);
    expect(events).toHaveLength(1);
    const event = events[0]!;

    // What a developer needs: the error type, where it was thrown, and which route.
    const exception = event.exception.values.at(-1)!;
    expect(exception.type).toBe('Error');
    const frames = exception.stacktrace.frames;
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.some((f) => f.filename?.endsWith('error-reports.test.ts') && typeof f.lineno === 'number')).toBe(true);
    expect(event.tags).toMatchObject({ method: 'POST', route: '/api/sync/push' });
    expect(envelopes[0]!.url).toMatch(/^\/api\/1\/envelope\//);

    // What must never leave: any of the package's data, in any part of any envelope.
    for (const envelope of envelopes) {
      for (const s of PACKAGE_DATA) expect(envelope.text).not.toContain(s);
      expect(envelope.text).not.toMatch(/ptp_session|cookie/i);
    }
    expect(event.user).toBeUndefined();
    expect(event.extra).toBeUndefined();
    expect(event.request?.data).toBeUndefined();
  });

  it('carries no integration credential when connecting one fails unexpectedly', async () => {
    const admin = await signUp(t);
    const token = 'ErrorReportWebhookSecret99';
    const webhookUrl = `https://hooks.slack.com/services/T0/B0/${token}`;
    const before = envelopes.length;
    const original = t.deps.db.withFacility;
    t.deps.db.withFacility = async () => {
      throw Object.assign(new Error(`could not store ${webhookUrl}`), { credentials: { webhookUrl } });
    };
    let res;
    try {
      res = await admin.client.request('PUT', '/api/integrations/slack', { credentials: { webhookUrl } });
    } finally {
      t.deps.db.withFacility = original;
    }
    expect(res.status).toBe(500);
    expect(res.text).not.toContain(token);
    await flushErrorReports(5000);
    const sent = envelopes.slice(before);
    expect(sent.flatMap(eventsIn)).toHaveLength(1);
    expect(sent.flatMap(eventsIn)[0]!.tags).toMatchObject({ method: 'PUT', route: '/api/integrations/:kind' });
    for (const envelope of sent) expect(envelope.text).not.toContain(token);
  });

  it('gives the app the DSN in the pages it serves, and only when SENTRY_DSN is set', async () => {
    const page = '<!doctype html><html><head><title>x</title></head><body></body></html>';
    const withDsn = createApp(t.deps);
    withDsn.get('/shell', (c) => c.html(page));
    const served = await (await withDsn.request('http://localhost/shell')).text();
    expect(served).toContain(`<meta name="sentry-dsn" content="${dsn}" /></head>`);
    // API answers are untouched.
    expect((await withDsn.request('http://localhost/api/health')).headers.get('content-type')).toMatch(/json/);

    const withoutDsn = createApp({ ...t.deps, env: { ...t.deps.env, SENTRY_DSN: undefined } });
    withoutDsn.get('/shell', (c) => c.html(page));
    expect(await (await withoutDsn.request('http://localhost/shell')).text()).toBe(page);
  });
});
