// A local server that speaks Resend's email API (POST /emails) for tests and benchmarks: the real
// SDK is pointed at it through RESEND_BASE_URL. It records every request, keeps Resend's promise
// on `Idempotency-Key` (a key it accepted answers the same email id and sends nothing again), and
// can be told to answer the next requests with an error.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeEmail {
  id: string;
  idempotencyKey: string | null;
  authorization: string | null;
  from: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  headers?: Record<string, string>;
  /** When it arrived (performance.now()), for the benchmark. */
  at: number;
}

export interface FakeResend {
  url: string;
  /** Every POST /emails, accepted or not. */
  requests: FakeEmail[];
  /** The emails Resend would have delivered: one per idempotency key. */
  delivered: FakeEmail[];
  /**
   * The next requests answer with these statuses (500, 400, …), one each, before 200s resume;
   * `'lost'`: the email is accepted (and delivered) but the connection drops before the answer;
   * `'hang'`: no answer at all (the connection stays open until the server closes).
   */
  failNext(...statuses: (number | 'lost' | 'hang')[]): void;
  /** Called on every delivered email (the benchmark waits for the last one). */
  onDelivered?: (e: FakeEmail) => void;
  reset(): void;
  close(): Promise<void>;
}

/**
 * The app's environment for sending through `fake`: every email to it, sent at once (no batching
 * window, no retry delay); `over` changes or adds settings.
 */
export const sendingTo = (fake: { url: string }, over: Record<string, string> = {}): Record<string, string> => ({
  RESEND_API_KEY: 're_test_key',
  RESEND_BASE_URL: fake.url,
  NOTIFY_BATCH_WINDOW_SECONDS: '0',
  NOTIFY_RETRY_DELAY_SECONDS: '0',
  ...over,
});

export async function startFakeResend(): Promise<FakeResend> {
  const accepted = new Map<string, string>();
  let failures: (number | 'lost' | 'hang')[] = [];
  const fake: FakeResend = {
    url: '',
    requests: [],
    delivered: [],
    failNext: (...statuses) => void failures.push(...statuses),
    reset() {
      fake.requests.length = 0;
      fake.delivered.length = 0;
      failures = [];
      accepted.clear();
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/emails') return answer(404, { statusCode: 404, name: 'not_found', message: 'Not found' });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
      const email: FakeEmail = {
        id: randomUUID(),
        idempotencyKey: key,
        authorization: (req.headers.authorization as string | undefined) ?? null,
        ...body,
        at: performance.now(),
      };
      fake.requests.push(email);
      const status = failures.shift();
      if (status === 'hang') return;
      if (status === 400 || status === 422)
        return answer(status, { statusCode: status, name: 'validation_error', message: 'The `to` address is invalid' });
      if (typeof status === 'number')
        return answer(status, { statusCode: status, name: 'internal_server_error', message: 'Something broke at the provider' });
      const earlier = key ? accepted.get(key) : undefined;
      if (earlier) return answer(200, { id: earlier });
      if (key) accepted.set(key, email.id);
      fake.delivered.push(email);
      fake.onDelivered?.(email);
      if (status === 'lost') return void res.destroy();
      answer(200, { id: email.id });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
