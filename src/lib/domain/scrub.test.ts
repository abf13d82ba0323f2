import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, scrubBreadcrumb, scrubEvent, scrubUrl } from './scrub.ts';

// Package data of the kinds a mailroom handles, as generators.
const trackingNumber = fc.oneof(
  fc.stringMatching(/^1Z[0-9A-Z]{16}$/), // UPS
  fc.stringMatching(/^[0-9]{12,34}$/), // FedEx, USPS, DHL
  fc.stringMatching(/^TBA[0-9]{12}$/), // Amazon
);
const personName = fc
  .tuple(fc.stringMatching(/^[A-Z][a-z]{3,9}$/), fc.stringMatching(/^[A-Z][a-z]{3,12}$/))
  .map(([first, last]) => `${first} ${last}`);
const email = fc.emailAddress().filter((e) => e.length >= 8);
const phone = fc.stringMatching(/^\+1 \([2-9][0-9]{2}\) [0-9]{3}-[0-9]{4}$/);
const note = fc.stringMatching(/^[a-z]{4,8}( [a-z]{2,8}){2,5}$/).map((s) => `${s} x`);
const hash = fc.stringMatching(/^[0-9a-f]{64}$/);
const secret = fc.oneof(trackingNumber, personName, email, phone, note, hash);

/** An event as an SDK could build it, with `s` in every free-form place. */
function eventCarrying(s: string) {
  return {
    event_id: 'a'.repeat(32),
    timestamp: 1_700_000_000,
    level: 'error',
    platform: 'node',
    message: `failed for ${s}`,
    logentry: { message: 'failed for %s', params: [s] },
    exception: {
      values: [
        {
          type: 'TypeError',
          value: `Cannot deliver ${s}`,
          mechanism: { type: 'generic', handled: false, data: { s } },
          stacktrace: {
            frames: [
              {
                filename: `/app/dist/server/main.js?v=${encodeURIComponent(s)}`,
                function: 'applyPush',
                lineno: 12,
                colno: 3,
                in_app: true,
                context_line: `throw new Error('${s}')`,
                pre_context: [s],
                post_context: [s],
                vars: { recipientName: s },
              },
            ],
          },
        },
      ],
    },
    request: {
      method: 'POST',
      url: `https://mail.example.com/api/packages/${encodeURIComponent(s)}?q=${encodeURIComponent(s)}#${s}`,
      data: { trackingNumber: s },
      query_string: `q=${s}`,
      cookies: { ptp_session: s },
      headers: { cookie: `ptp_session=${s}`, 'X-Recipient': s },
      env: { REMOTE_ADDR: s },
    },
    user: { id: s, email: s, ip_address: '203.0.113.9', username: s },
    extra: { body: { recipientName: s }, s },
    tags: { method: 'POST', route: '/api/packages/:id', recipient: s, code: 'P2002' },
    contexts: {
      os: { name: 'Linux', version: '6.1' },
      trace: { trace_id: 'b'.repeat(32), span_id: 'c'.repeat(16), data: { 'url.query': s }, description: s },
      state: { s },
      response: { body: s },
    },
    breadcrumbs: [
      { category: 'console', level: 'log', message: s, data: { arguments: [s] }, timestamp: 1 },
      { category: 'ui.click', message: `button[aria-label="${s}"]`, timestamp: 2 },
      {
        type: 'http',
        category: 'fetch',
        data: { method: 'GET', url: `/api/packages?q=${encodeURIComponent(s)}`, status_code: 500, body: s },
        timestamp: 3,
      },
      { category: 'navigation', data: { from: `/packages/${encodeURIComponent(s)}`, to: '/packages' }, timestamp: 4 },
    ],
    server_name: 'web-1',
    transaction: `GET /api/packages/${s}`,
    fingerprint: ['{{ default }}', s],
  };
}

describe('scrubEvent', () => {
  it('lets no package data through, wherever the SDK or our code put it', () => {
    fc.assert(
      fc.property(secret, (s) => {
        const out = JSON.stringify(scrubEvent(eventCarrying(s)));
        expect(out).not.toContain(s);
        expect(out).not.toContain(encodeURIComponent(s));
        expect(out).not.toContain(JSON.stringify(s).slice(1, -1));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps error types, stack frames and our method/route tags', () => {
    const out = scrubEvent(eventCarrying('Ada Lovelace')) as ReturnType<typeof eventCarrying>;
    const ex = out.exception.values[0]!;
    expect(ex.type).toBe('TypeError');
    expect(ex.value).toBe(REDACTED);
    expect(ex.mechanism).toEqual({ type: 'generic', handled: false });
    expect(ex.stacktrace.frames).toEqual([
      { filename: '/app/dist/server/main.js', function: 'applyPush', lineno: 12, colno: 3, in_app: true },
    ]);
    expect(out.tags).toEqual({ method: 'POST', route: '/api/packages/:id', code: 'P2002' });
    expect(out.request).toEqual({ method: 'POST', url: 'https://mail.example.com/api/packages/:redacted' });
    expect(out.message).toBe(REDACTED);
    expect(out.user).toBeUndefined();
    expect(out.extra).toBeUndefined();
    expect(out.contexts).toEqual({ os: { name: 'Linux', version: '6.1' }, trace: { trace_id: 'b'.repeat(32), span_id: 'c'.repeat(16) } });
    expect(out.transaction).toBe('GET /api/packages/:redacted');
    expect(out.fingerprint).toEqual(['{{ default }}']);
    expect(out.breadcrumbs.map((b) => b.category)).toEqual(['ui.click', 'fetch', 'navigation']);
  });

  it('does not modify the event it is given', () => {
    const event = eventCarrying('x');
    const copy = structuredClone(event);
    scrubEvent(event);
    expect(event).toEqual(copy);
  });
});

describe('scrubBreadcrumb', () => {
  it('drops console breadcrumbs and every message', () => {
    expect(scrubBreadcrumb({ category: 'console', message: 'Ada' })).toBeNull();
    expect(scrubBreadcrumb({ category: 'ui.click', message: 'button.deliver[title="Ada"]', timestamp: 5 })).toEqual({
      category: 'ui.click',
      timestamp: 5,
    });
  });

  it('keeps HTTP method, status and a route-shaped URL', () => {
    expect(
      scrubBreadcrumb({
        type: 'http',
        category: 'fetch',
        data: { method: 'PUT', url: '/api/sync/blobs/' + 'ab'.repeat(32), status_code: 201, request_body_size: 9 },
      }),
    ).toEqual({ type: 'http', category: 'fetch', data: { method: 'PUT', url: '/api/sync/blobs/:redacted', status_code: 201 } });
  });
});

describe('scrubUrl', () => {
  it.each([
    ['/api/packages?q=ada&status=held', '/api/packages'],
    ['/api/packages/6f1d2c3e-0000-4000-8000-000000000000', '/api/packages/:redacted'],
    ['https://user:pw@mail.example.com/packages/1Z999AA10123456784#notes', 'https://mail.example.com/packages/:redacted'],
    ['/api/invitations/Zx81kQ_token/accept', '/api/invitations/:redacted/accept'],
    ['/recipients/ada-lovelace%20', '/recipients/:redacted'],
    ['/recipients/Ada', '/recipients/:redacted'],
    ['/api/sync/blobs/:sha256', '/api/sync/blobs/:sha256'],
    ['/api/*', '/api/*'],
    ['/', '/'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(scrubUrl(input)).toBe(expected);
  });
});
