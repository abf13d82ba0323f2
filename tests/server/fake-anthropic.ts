// A local HTTP server that speaks Anthropic's Messages API (POST /v1/messages), for the real
// @anthropic-ai/sdk to talk to through ANTHROPIC_BASE_URL: JSON answers with tool_use blocks, the
// API's error bodies (429 rate_limit_error, 529 overloaded_error), malformed JSON, and a hang for
// timeouts. Scripted per test with `reply`; records every request (headers and parsed body).
// Plain node:http and no vitest: the Playwright tests and the bench import it too.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AnthropicRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export type FakeReply =
  /** A tool call: the answer is a message whose content is one tool_use block with this input. */
  | { tool: unknown; name?: string; text?: string }
  /** Any status and JSON body (an error, a message of our own making). */
  | { status: number; body: unknown; headers?: Record<string, string> }
  /** Bytes that are not JSON, with status 200. */
  | { malformed: string }
  /** Never answers (until the client gives up or the server closes). */
  | { hang: true }
  /** Waits, then answers. */
  | { delayMs: number; then: FakeReply };

export interface FakeAnthropic {
  /** The base URL for ANTHROPIC_BASE_URL. */
  url: string;
  requests: AnthropicRequest[];
  /** How every following request is answered (default: a tool call echoing nothing useful). */
  reply(fn: (req: AnthropicRequest, n: number) => FakeReply): void;
  close(): Promise<void>;
}

/** The API's error body ({ type: 'error', error: { type, message } }), as its 4xx/5xx answers carry. */
export function apiError(status: number, type: string, message = type): FakeReply {
  // retry-after-ms keeps the SDK's backoff short in tests; the real API sends retry-after too.
  return { status, body: { type: 'error', error: { type, message } }, headers: { 'retry-after-ms': '5', 'x-should-retry': 'true' } };
}
export const rateLimited = () => apiError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit');
export const overloaded = () => apiError(529, 'overloaded_error', 'Overloaded');

let seq = 0;

function toolMessage(req: AnthropicRequest, r: { tool: unknown; name?: string; text?: string }) {
  const name = r.name ?? req.body?.tool_choice?.name ?? req.body?.tools?.[0]?.name ?? 'tool';
  const content: unknown[] = [];
  if (r.text) content.push({ type: 'text', text: r.text });
  content.push({ type: 'tool_use', id: `toolu_fake${++seq}`, name, input: r.tool });
  return {
    id: `msg_fake${seq}`,
    type: 'message',
    role: 'assistant',
    model: req.body?.model ?? 'claude-fake',
    content,
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

export async function startFakeAnthropic(port = 0): Promise<FakeAnthropic> {
  let script: (req: AnthropicRequest, n: number) => FakeReply = () => ({ tool: {} });
  const requests: AnthropicRequest[] = [];
  const hanging = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = text;
      }
      const request: AnthropicRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(request);
      if (req.method !== 'POST' || !(req.url ?? '').startsWith('/v1/messages')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'Not found' } }));
        return;
      }
      const answer = (r: FakeReply) => {
        if ('delayMs' in r) {
          const timer = setTimeout(() => answer(r.then), r.delayMs);
          hanging.add(() => clearTimeout(timer));
          return;
        }
        if ('hang' in r) {
          hanging.add(() => res.destroy());
          return;
        }
        if ('malformed' in r) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(r.malformed);
          return;
        }
        if ('tool' in r) {
          res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_fake${seq}` });
          res.end(JSON.stringify(toolMessage(request, r)));
          return;
        }
        res.writeHead(r.status, { 'content-type': 'application/json', ...(r.headers ?? {}) });
        res.end(JSON.stringify(r.body));
      };
      answer(script(request, requests.length));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    requests,
    reply(fn) {
      script = fn;
    },
    async close() {
      for (const stop of hanging) stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
