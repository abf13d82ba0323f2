// The app learns the Sentry DSN at run time from the page that loads it, so one build serves every
// deployment: with SENTRY_DSN set, HTML answers carry <meta name="sentry-dsn"> (src/hooks.client.ts
// reads it). The service worker precaches the shell from this server, meta included.
import type { MiddlewareHandler } from 'hono';

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function sentryDsnMeta(dsn: string): MiddlewareHandler {
  const meta = `<meta name="sentry-dsn" content="${escapeAttribute(dsn)}" />`;
  return async (c, next) => {
    await next();
    if (c.res.status !== 200 || !c.res.headers.get('content-type')?.startsWith('text/html')) return;
    const html = await c.res.text();
    const headers = new Headers(c.res.headers);
    headers.delete('content-length');
    // Reset first: Hono copies the old response's headers (content-length among them) onto a new one.
    c.res = undefined;
    c.res = new Response(html.replace('</head>', `${meta}</head>`), { status: 200, headers });
  };
}
