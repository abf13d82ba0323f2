// The built PWA from the same origin as the API: files of the build, the app shell for navigations,
// and a plain 404 for any other missing file. A tablet still running the previous version after a
// deploy asks for script and style files that no longer exist; answering those with the shell
// (200, text/html) gives "MIME type text/html" errors and a blank page, a 404 lets the service
// worker and the browser fail cleanly and pick up the new version.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, Hono } from 'hono';
import { contentSecurityPolicy, inlineHashes } from './csp.ts';

/** Hashed file names under /_app/immutable/ never change content: cache them for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The shell, the service worker and other unhashed files: revalidate every time. */
export const REVALIDATE = 'no-cache';

/**
 * What a request that matched no file gets. Build assets (/_app/…) and anything whose last path
 * segment has an extension are files, so they are not found; a navigation (no extension, or a
 * browser asking for HTML) gets the shell and the client router shows the page or its own 404.
 */
export function fallbackFor(pathname: string, accept: string | undefined): 'shell' | 'not_found' {
  if (pathname === '/_app' || pathname.startsWith('/_app/')) return 'not_found';
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  if (!/\.[A-Za-z0-9]+$/.test(last)) return 'shell';
  return /^\s*text\/html\b/i.test(accept ?? '') ? 'shell' : 'not_found';
}

/** Cache-Control for a file served from the build. */
export function cacheControlFor(pathname: string): string {
  return pathname.startsWith('/_app/immutable/') ? IMMUTABLE : REVALIDATE;
}

/** Every `style="…"` in the built JavaScript (Svelte templates parse them from markup, so CSP governs them). */
async function builtStyleAttributes(root: string): Promise<string[]> {
  const dir = path.join(root, '_app', 'immutable');
  const files = (await readdir(dir, { recursive: true }).catch(() => [] as string[])).filter((f) => f.endsWith('.js'));
  const found = new Set<string>();
  for (const f of files) {
    for (const m of (await readFile(path.join(dir, f), 'utf8')).matchAll(/\sstyle="([^"]*)"/g)) found.add(m[1]!);
  }
  return [...found];
}

type CspEnv = Parameters<typeof contentSecurityPolicy>[0];

/**
 * Mounts the build in `root` on `app` (after the API, whose own 404s stay JSON). Returns false when
 * there is no build (no index.html).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Hono app: main's OpenAPIHono or a test's Hono
export async function mountStaticApp(app: Hono<any, any, any>, root: string, env: CspEnv): Promise<boolean> {
  const shell = await readFile(path.join(root, 'index.html'), 'utf8').catch(() => null);
  if (shell === null) return false;
  const csp = contentSecurityPolicy(env, inlineHashes(shell), await builtStyleAttributes(root));

  const sendShell = (c: Context) => {
    c.header('Content-Security-Policy', csp);
    c.header('Cache-Control', REVALIDATE);
    return c.html(shell);
  };

  app.get('/', sendShell);
  app.get('/index.html', sendShell);
  app.use('/*', async (c, next) => {
    await next();
    if (c.res.status !== 200 && c.res.status !== 206) return;
    c.res.headers.set('Cache-Control', cacheControlFor(c.req.path));
    if (/^text\/html\b/i.test(c.res.headers.get('content-type') ?? '')) c.res.headers.set('Content-Security-Policy', csp);
  });
  app.use('/*', serveStatic({ root }));
  app.get('*', (c) => {
    if (fallbackFor(c.req.path, c.req.header('accept')) === 'shell') return sendShell(c);
    c.header('Cache-Control', REVALIDATE);
    return c.text('Not found', 404);
  });
  return true;
}
