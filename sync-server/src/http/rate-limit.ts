// Rate limits on every authentication route (privacy policy §7), per client address, with
// rate-limiter-flexible. Failed logins are also counted per email, known or not, so the lockout
// answers the same for an address that has no account (no account enumeration).
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { LOCKOUT_MINUTES, MAX_FAILED_LOGINS } from '../../../src/lib/domain/account.ts';
import { AppError } from './errors.ts';

export interface RateLimits {
  auth: RateLimiterMemory;
  /** Failed logins of addresses without an account, mirroring the users table's lockout. */
  unknownEmailFailures: RateLimiterMemory;
}

export function createRateLimits(perMinute: number): RateLimits {
  return {
    auth: new RateLimiterMemory({ keyPrefix: 'auth', points: perMinute, duration: 60 }),
    unknownEmailFailures: new RateLimiterMemory({
      keyPrefix: 'login-fail',
      points: MAX_FAILED_LOGINS,
      duration: LOCKOUT_MINUTES * 60,
      blockDuration: LOCKOUT_MINUTES * 60,
    }),
  };
}

export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // in-process requests (tests) have no socket
  }
}

export function rateLimit(pick: (limits: RateLimits) => RateLimiterMemory, bucket: string): MiddlewareHandler {
  return async (c, next) => {
    const limits = (c.get('deps') as { rateLimits: RateLimits }).rateLimits;
    try {
      await pick(limits).consume(`${bucket}:${clientAddress(c)}`);
    } catch (e) {
      if (e instanceof RateLimiterRes) {
        c.header('Retry-After', String(Math.ceil(e.msBeforeNext / 1000)));
        throw new AppError(429, 'rate_limited', 'Too many attempts; wait a minute and try again');
      }
      throw e;
    }
    await next();
  };
}
