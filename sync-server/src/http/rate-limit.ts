// Rate limits and quotas (privacy policy §7 "Rate limiting on authentication endpoints"; issue:
// production hardening 2 and 3). Every counter lives in Postgres (rate-limiter-flexible's Postgres
// store over the app's pool), so several server processes behind a load balancer share them and
// nothing is kept in process memory. Auth routes count per client address and per account; signed-in
// work counts per user and per facility, because anyone can sign up and become an admin.
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { LOCKOUT_MINUTES, MAX_FAILED_LOGINS } from '../../../src/lib/domain/account.ts';
import type { AppEnv } from '../context.ts';
import type { Env } from '../env.ts';
import { AppError } from './errors.ts';
import { sessionCookieId } from './session.ts';

export interface RateLimits {
  /** Requests to one auth route from one client address, per minute. */
  auth: RateLimiterAbstract;
  /** Sign-in and reset attempts for one account (email), per minute, whatever the address. */
  account: RateLimiterAbstract;
  /** Failed logins of addresses without an account, mirroring the users table's lockout. */
  unknownEmailFailures: RateLimiterAbstract;
  /** Pushes per session, per user and per facility, per minute. */
  pushesPerSession: RateLimiterAbstract;
  pushesPerUser: RateLimiterAbstract;
  pushesPerFacility: RateLimiterAbstract;
  /** Invitations sent from one facility per hour. */
  invitationsPerFacility: RateLimiterAbstract;
  /** Uploads one user has in flight (a slot is given back when the upload ends; lost slots expire). */
  uploadsInFlight: RateLimiterAbstract;
  /** KiB of uploads one facility may store per day. */
  uploadKibPerFacility: RateLimiterAbstract;
}

export function createRateLimits(env: Env, pool: pg.Pool): RateLimits {
  // The store names its statements; the embedded database is one session shared by every
  // connection, where a reconnected client would prepare a name that already exists. Unnamed
  // statements work the same everywhere.
  const storeClient = { query: (q: pg.QueryConfig) => pool.query({ text: q.text, values: q.values }) };
  const limiter = (keyPrefix: string, points: number, duration: number, { cacheRefusals = true } = {}) =>
    new RateLimiterPostgres({
      // Once the store has said a key has used up its budget, this process refuses it until the
      // window ends without asking again: a flood then costs no database round trip. (A cache of
      // the store's answer, not state: a fresh process simply asks the store.)
      inMemoryBlockOnConsumed: cacheRefusals ? points : 0,
      storeClient,
      storeType: 'pool',
      tableName: 'rate_limits',
      tableCreated: true, // by the migration, so the app role needs no DDL rights
      clearExpiredByTimeout: false, // expired keys are reused in place; the jobs sweep the rest
      keyPrefix,
      points,
      duration,
    });
  return {
    auth: limiter('auth', env.AUTH_RATE_LIMIT_PER_MINUTE, 60),
    account: limiter('account', env.AUTH_ACCOUNT_RATE_LIMIT_PER_MINUTE, 60),
    unknownEmailFailures: limiter('login-fail', MAX_FAILED_LOGINS, LOCKOUT_MINUTES * 60),
    pushesPerSession: limiter('push-session', env.QUOTA_PUSHES_PER_MINUTE_PER_USER, 60),
    pushesPerUser: limiter('push-user', env.QUOTA_PUSHES_PER_MINUTE_PER_USER, 60),
    pushesPerFacility: limiter('push-facility', env.QUOTA_PUSHES_PER_MINUTE_PER_FACILITY, 60),
    invitationsPerFacility: limiter('invite-facility', env.QUOTA_INVITATIONS_PER_HOUR, 3600),
    // A slot given back must be usable at once, so refusals are not cached for this one.
    uploadsInFlight: limiter('uploads-user', env.QUOTA_CONCURRENT_UPLOADS_PER_USER, 120, { cacheRefusals: false }),
    uploadKibPerFacility: limiter('upload-kib-facility', env.QUOTA_UPLOAD_MB_PER_DAY * 1024, 24 * 3600),
  };
}

/**
 * The client's address. Behind TRUST_PROXY reverse proxies, each of which appends the address it
 * received the request from to X-Forwarded-For, the client is that many entries from the right;
 * anything further left was written by the client and is not believed. With no trusted proxy the
 * header is ignored: anyone can send it.
 */
export function clientAddress(c: Context, trustProxy: number): string {
  if (trustProxy > 0) {
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (hops.length) return hops[Math.max(0, hops.length - trustProxy)]!;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // in-process requests (tests) have no socket
  }
}

const PUSH_QUOTA_MESSAGE = 'Too many pushes; the device retries shortly';

export const tooMany = (retryAfterMs: number, message = 'Too many attempts; wait a minute and try again') =>
  new AppError(429, 'rate_limited', message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) });

/**
 * Takes `points` from `key`'s budget; answers false when the budget is used up (the refusal as a
 * RateLimiterRes). A store error (database down) propagates and answers 503 like any other outage.
 */
async function take(limiter: RateLimiterAbstract, key: string, points: number): Promise<true | RateLimiterRes> {
  try {
    await limiter.consume(key, points);
    return true;
  } catch (e) {
    if (e instanceof RateLimiterRes) return e;
    throw e;
  }
}

/** Whether `key` still had budget (one point taken if so). */
export const tryConsume = async (limiter: RateLimiterAbstract, key: string) => (await take(limiter, key, 1)) === true;

/** Takes `points` from `key`'s budget or throws 429 rate_limited (with the seconds to wait). */
export async function consume(limiter: RateLimiterAbstract, key: string, points = 1, message?: string): Promise<void> {
  const res = await take(limiter, key, points);
  if (res !== true) throw tooMany(res.msBeforeNext, message);
}

/** Per-address limit on a route: `bucket` keeps each route's budget apart. */
export function rateLimit(pick: (limits: RateLimits) => RateLimiterAbstract, bucket: string): MiddlewareHandler {
  return async (c, next) => {
    const deps = c.get('deps') as { rateLimits: RateLimits; env: Env };
    await consume(pick(deps.rateLimits), `${bucket}:${clientAddress(c, deps.env.TRUST_PROXY)}`);
    await next();
  };
}

/**
 * A first push quota per session cookie, before the session is even looked up: once a session has
 * pushed its minute's worth, its further pushes are refused from this process's cache of the
 * store's answer, with no database work and without reading the body — a tenant flooding the
 * server costs everyone else as little as possible. (An unknown cookie is refused with 401 later.)
 */
export const pushFloodGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  const id = sessionCookieId(c);
  if (id) await consume(c.get('deps').rateLimits.pushesPerSession, createHash('sha256').update(id).digest('hex'), 1, PUSH_QUOTA_MESSAGE);
  await next();
};

/**
 * Push quotas, per user and per facility (a user may hold several sessions, a facility several
 * users), checked from the session before the body is validated or the membership loaded.
 */
export const pushQuota: MiddlewareHandler<AppEnv> = async (c, next) => {
  const user = c.get('user');
  const facilityId = c.get('activeFacilityId');
  if (user) {
    const { rateLimits } = c.get('deps');
    await consume(rateLimits.pushesPerUser, user.id, 1, PUSH_QUOTA_MESSAGE);
    if (facilityId) await consume(rateLimits.pushesPerFacility, facilityId, 1, PUSH_QUOTA_MESSAGE);
  }
  await next();
};
