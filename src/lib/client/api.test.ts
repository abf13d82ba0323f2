import { describe, expect, it } from 'vitest';
import { safeNext, toApiError } from './api';

describe('toApiError', () => {
  it('keeps the server’s stable code and message', async () => {
    const e = await toApiError(new Response(JSON.stringify({ error: 'locked', message: 'Try later' }), { status: 423 }));
    expect([e.status, e.code, e.message]).toEqual([423, 'locked', 'Try later']);
  });
  it('gives a code for a body that is not the error shape', async () => {
    const e = await toApiError(new Response('<html>bad gateway</html>', { status: 502 }));
    expect([e.status, e.code]).toEqual([502, 'http_502']);
  });
});

describe('safeNext', () => {
  it.each([
    ['/invite/abc', '/invite/abc'],
    ['//evil.example/x', '/'],
    ['https://evil.example', '/'],
    ['/\\evil.example', '/'],
    [null, '/'],
  ])('%s → %s', (input, expected) => expect(safeNext(input)).toBe(expected));
});
