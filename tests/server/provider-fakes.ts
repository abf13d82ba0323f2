// Local HTTP servers that speak the providers' APIs, for the real senders and the real twilio SDK
// to talk to: Slack and Teams incoming webhooks (POST JSON), and Twilio's Messages resource
// (POST /2010-04-01/Accounts/{sid}/Messages.json, form-encoded, HTTP basic auth). Each records
// what it received; `answer` decides what it says next.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The JSON or form body, parsed. */
  parsed: Record<string, unknown>;
}

export interface FakeAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Milliseconds to wait before answering (a provider that hangs). */
  delayMs?: number;
}

export interface FakeProvider {
  url: string;
  received: Received[];
  /** What the next requests are answered (null: the provider's normal success). */
  answer: FakeAnswer | null;
  /** Answers for the next requests, one each, before `answer` (or success) resumes. */
  answerNext: FakeAnswer[];
  close(): Promise<void>;
}

let sidSeq = 0;
const twilioSid = () => `SM${(++sidSeq).toString(16).padStart(32, '0')}`;

function success(path: string, parsed: Record<string, unknown>): FakeAnswer {
  const m = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/.exec(path);
  if (!m) return { status: 200, body: '1' }; // Slack answers "ok", Teams "1"; both 2xx
  return {
    status: 201,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      sid: twilioSid(),
      account_sid: m[1],
      to: parsed.To,
      from: parsed.From ?? null,
      messaging_service_sid: parsed.MessagingServiceSid ?? null,
      body: parsed.Body,
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      date_created: new Date().toUTCString(),
    }),
  };
}

export async function startFakeProvider(): Promise<FakeProvider> {
  const fake: FakeProvider = { url: '', received: [], answer: null, answerNext: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let parsed: Record<string, unknown> = {};
      if (String(req.headers['content-type']).startsWith('application/json')) parsed = JSON.parse(body || '{}');
      else parsed = Object.fromEntries(new URLSearchParams(body));
      const path = (req.url ?? '').split('?')[0]!;
      fake.received.push({ method: req.method ?? '', path, headers: req.headers, body, parsed });
      const a = fake.answerNext.shift() ?? fake.answer ?? success(path, parsed);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers }).end(a.body ?? '');
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/** Twilio's answer to a message it refuses (its error resource). */
export const twilioError = (status: number, code: number, message: string): FakeAnswer => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }),
});
