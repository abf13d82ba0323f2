// Local HTTP servers that speak the providers' APIs, for the real senders and the real twilio SDK
// to talk to: Slack and Teams incoming webhooks (POST JSON), and Twilio's Messages resource
// (POST /2010-04-01/Accounts/{sid}/Messages.json, form-encoded, HTTP basic auth, and the list of
// the messages it accepted: GET on the same path, filtered by To and From). Each records what it
// received; `answer` decides what it says next.
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
  /** The request is taken (a Twilio message is accepted) but the connection drops before any answer. */
  lost?: boolean;
}

export interface FakeProvider {
  url: string;
  received: Received[];
  /** What the next requests are answered (null: the provider's normal success). */
  answer: FakeAnswer | null;
  /** Answers for the next requests, one each, before `answer` (or success) resumes. */
  answerNext: FakeAnswer[];
  /** Twilio: the message resources accepted so far (answered or not), oldest first. */
  messages: Record<string, unknown>[];
  close(): Promise<void>;
}

let sidSeq = 0;
const twilioSid = () => `SM${(++sidSeq).toString(16).padStart(32, '0')}`;

const messagesPath = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;

/** A Twilio message resource for what was posted. */
function twilioMessage(accountSid: string, parsed: Record<string, unknown>): Record<string, unknown> {
  return {
    sid: twilioSid(),
    account_sid: accountSid,
    to: parsed.To,
    from: parsed.From ?? null,
    messaging_service_sid: parsed.MessagingServiceSid ?? null,
    body: parsed.Body,
    status: 'queued',
    num_segments: '1',
    direction: 'outbound-api',
    date_created: new Date().toUTCString(),
    date_sent: null,
  };
}

/** Twilio's page of messages, newest first (its list resource's shape). */
function twilioPage(fake: FakeProvider, path: string, query: URLSearchParams): FakeAnswer {
  const to = query.get('To');
  const from = query.get('From');
  const pageSize = Number(query.get('PageSize') ?? 50);
  const messages = fake.messages
    .filter((m) => (!to || m.to === to) && (!from || m.from === from))
    .reverse()
    .slice(0, pageSize);
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      messages,
      end: messages.length ? messages.length - 1 : 0,
      first_page_uri: `${path}?${query}`,
      next_page_uri: null,
      previous_page_uri: null,
      page: 0,
      page_size: pageSize,
      start: 0,
      uri: `${path}?${query}`,
    }),
  };
}

export async function startFakeProvider(): Promise<FakeProvider> {
  const fake: FakeProvider = { url: '', received: [], answer: null, answerNext: [], messages: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let parsed: Record<string, unknown> = {};
      if (String(req.headers['content-type']).startsWith('application/json')) parsed = JSON.parse(body || '{}');
      else parsed = Object.fromEntries(new URLSearchParams(body));
      const [path = '', query = ''] = (req.url ?? '').split('?');
      fake.received.push({ method: req.method ?? '', path, headers: req.headers, body, parsed });
      const twilioAccount = messagesPath.exec(path)?.[1];
      const answer = (a: FakeAnswer) =>
        setTimeout(() => {
          if (res.destroyed) return;
          if (a.lost) return void req.socket.destroy();
          res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers }).end(a.body ?? '');
        }, a.delayMs ?? 0);
      // Listing Twilio messages answers from what was accepted; the scripted answers are for sends.
      if (twilioAccount && req.method === 'GET') return void answer(twilioPage(fake, path, new URLSearchParams(query)));
      const scripted = fake.answerNext.shift() ?? fake.answer;
      // Taken: the normal success, a scripted 2xx (perhaps late), or an answer that gets lost.
      const taken = !scripted || scripted.lost || (scripted.status >= 200 && scripted.status < 300);
      if (!taken || !twilioAccount) return void answer(scripted ?? { status: 200, body: '1' }); // Slack answers "ok", Teams "1"
      const message = twilioMessage(twilioAccount, parsed);
      fake.messages.push(message);
      answer({ status: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify(message), ...scripted });
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
