// State-changing requests from another origin are refused (http-api.md "Session cookie").
// Browsers send Origin on every cross-origin POST/PUT/DELETE and Sec-Fetch-Site on every request;
// clients that send neither (scripts, the contract tests' own origin) are not browsers and cannot
// carry a victim's cookie across sites.
import type { MiddlewareHandler } from 'hono';
import { AppError } from './errors.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sameOriginOnly(publicOrigin: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!SAFE.has(c.req.method)) {
      const allowed = publicOrigin ?? new URL(c.req.url).origin;
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      const refused = (origin !== undefined && origin !== allowed && origin !== selfOrigin(c.req)) || site === 'cross-site';
      if (refused) throw new AppError(403, 'cross_origin', 'Requests from another site are refused');
    }
    await next();
  };
}

/** The origin the request was addressed to, as the browser saw it (Host header). */
function selfOrigin(req: { url: string; header(name: string): string | undefined }): string {
  const url = new URL(req.url);
  const host = req.header('host') ?? url.host;
  const proto = req.header('x-forwarded-proto') ?? url.protocol.replace(':', '');
  return `${proto}://${host}`;
}
