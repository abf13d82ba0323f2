// State-changing requests from another origin are refused (http-api.md "Session cookie").
// The one origin the app lives at is PUBLIC_ORIGIN, never one derived from the request's Host or
// X-Forwarded-* headers (an attacker chooses those). Browsers send Origin on every cross-origin
// POST/PUT/DELETE and Sec-Fetch-Site on every request; clients that send neither (scripts, the
// contract tests) are not browsers and cannot carry a victim's cookie across sites.
import type { MiddlewareHandler } from 'hono';
import type { Env } from '../env.ts';
import { AppError } from './errors.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The origins a browser may send from. With PUBLIC_ORIGIN unset outside production the app is
 * http://localhost:<port>, which a person on this machine may also open as 127.0.0.1 or [::1].
 */
export function allowedOrigins(env: Pick<Env, 'PUBLIC_ORIGIN' | 'PUBLIC_ORIGIN_IS_DEFAULT'>): Set<string> {
  const origins = new Set([env.PUBLIC_ORIGIN]);
  if (env.PUBLIC_ORIGIN_IS_DEFAULT) {
    const port = new URL(env.PUBLIC_ORIGIN).port;
    for (const host of ['127.0.0.1', '[::1]']) origins.add(`http://${host}${port ? `:${port}` : ''}`);
  }
  return origins;
}

export function sameOriginOnly(env: Pick<Env, 'PUBLIC_ORIGIN' | 'PUBLIC_ORIGIN_IS_DEFAULT'>): MiddlewareHandler {
  const allowed = allowedOrigins(env);
  return async (c, next) => {
    if (!SAFE.has(c.req.method)) {
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      if ((origin !== undefined && !allowed.has(origin)) || site === 'cross-site') {
        throw new AppError(403, 'cross_origin', 'Requests from another site are refused');
      }
    }
    await next();
  };
}
