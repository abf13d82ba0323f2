// Serving the built PWA (sync-server/src/http/static-app.ts), in-process against a temporary build:
// a missing script or style file is a plain 404, never the app shell (a tablet on the previous
// version would otherwise get "MIME type text/html" and a blank page); navigations get the shell
// with the Content-Security-Policy; hashed files are cached for a year, the shell and the service
// worker revalidated. No database needed.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../sync-server/src/env.ts';
import { fallbackFor, mountStaticApp } from '../../sync-server/src/http/static-app.ts';

const SHELL = '<!doctype html><html><body><div style="display: contents"><script>start()</script></div></body></html>';
let root: string;
let app: Hono;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'ptp-static-'));
  await mkdir(path.join(root, '_app/immutable/entry'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), SHELL);
  await writeFile(path.join(root, '_app/immutable/entry/start.abc123.js'), 'export const start = 1;');
  await writeFile(path.join(root, '_app/version.json'), '{"version":"1"}');
  await writeFile(path.join(root, 'service-worker.js'), 'self.x = 1;');
  await writeFile(path.join(root, 'manifest.webmanifest'), '{}');
  app = new Hono();
  // The API answers first, as createApp's routes do in main.ts.
  app.get('/api/health', (c) => c.json({ ok: true }));
  app.all('/api/*', (c) => c.json({ error: 'not_found' }, 404));
  expect(await mountStaticApp(app, root, loadEnv({}))).toBe(true);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const get = (p: string, accept = '*/*') => app.request(`http://localhost${p}`, { headers: { accept } });
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('missing files', () => {
  it.each([
    ['/_app/immutable/entry/start.OLDHASH.js', '*/*'],
    ['/_app/immutable/assets/0.OLDHASH.css', 'text/css,*/*;q=0.1'],
    ['/_app/immutable/nodes/3', '*/*'],
    ['/_app/immutable/entry/start.OLDHASH.js', HTML], // even asked for as HTML: no page lives under /_app
    ['/icons/gone.png', 'image/avif,image/webp,*/*'],
    ['/old.webmanifest', '*/*'],
    ['/data.json', 'application/json'],
    ['/module.wasm', '*/*'],
    ['/_app/immutable/entry/start.js.map', '*/*'],
  ])('%s (Accept %s) is a plain 404, not the shell', async (p, accept) => {
    const res = await get(p, accept);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const body = await res.text();
    expect(body).not.toContain('<html');
  });
});

describe('navigations', () => {
  it.each([
    ['/', HTML],
    ['/packages', HTML],
    ['/packages/0b9c7a0e-3c1f-4b7e-9f55-0a1b2c3d4e5f', HTML],
    ['/invite/abc_DEF-123', '*/*'], // no extension: a route, whatever it accepts
    ['/index.html', HTML],
  ])('%s gets the shell with the CSP, revalidated every time', async (p, accept) => {
    const res = await get(p, accept);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toBe(SHELL);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'sha256-/);
  });

  it('a link typed with an extension, opened in the browser, gets the shell (the router shows its 404)', async () => {
    const res = await get('/report.pdf', HTML);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(SHELL);
  });

  it('the API keeps its own JSON 404, without the page policy', async () => {
    const res = await get('/api/nope', HTML);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found' });
    expect(res.headers.get('content-security-policy')).toBeNull();
  });
});

describe('cache headers of files that exist', () => {
  it('hashed files under /_app/immutable/ are cached for a year', async () => {
    const res = await get('/_app/immutable/entry/start.abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-security-policy')).toBeNull();
  });

  it.each(['/service-worker.js', '/_app/version.json', '/manifest.webmanifest'])('%s is revalidated (no-cache)', async (p) => {
    const res = await get(p);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });
});

describe('fallbackFor', () => {
  it('decides by path and Accept', () => {
    expect(fallbackFor('/packages', undefined)).toBe('shell');
    expect(fallbackFor('/a.b/packages', undefined)).toBe('shell'); // only the last segment counts
    expect(fallbackFor('/x.js', undefined)).toBe('not_found');
    expect(fallbackFor('/x.js', HTML)).toBe('shell');
    expect(fallbackFor('/_app', HTML)).toBe('not_found');
    expect(fallbackFor('/_app/version.json', HTML)).toBe('not_found');
  });
});

it('mounts nothing when there is no build', async () => {
  expect(await mountStaticApp(new Hono(), path.join(root, 'missing'), loadEnv({}))).toBe(false);
});
