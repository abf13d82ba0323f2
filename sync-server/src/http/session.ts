// Sessions with lucia v3: one essential cookie, HttpOnly, SameSite=Lax, Secure whenever the
// request arrived over HTTPS (http-api.md "Session cookie"). Over HTTPS the cookie is named with
// the __Host- prefix, which browsers accept only with Secure, Path=/ and no Domain (RFC 6265bis
// §4.1.3.2), so no subdomain or plain-http page can plant or overwrite it.
import type { Context, MiddlewareHandler } from 'hono';
import { Lucia, TimeSpan } from 'lucia';
import type { AppEnv } from '../context.ts';
import { SessionRepository } from '../repositories/sessions.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { unauthorized } from './errors.ts';

export const SESSION_COOKIE = 'ptp_session';
export const SECURE_SESSION_COOKIE = '__Host-ptp_session';

/**
 * Lucia fixes the cookie name and attributes per instance, so the app holds two over the same
 * session store: `lucia` (plain http, local development) and `httpsLucia`. Both manage the same
 * sessions; only the cookie they write differs.
 */
export function createLucia(prisma: PrismaClient, https = false) {
  return new Lucia(new SessionRepository(prisma), {
    sessionExpiresIn: new TimeSpan(30, 'd'),
    sessionCookie: { name: https ? SECURE_SESSION_COOKIE : SESSION_COOKIE, attributes: { sameSite: 'lax', secure: https } },
    getSessionAttributes: (a) => ({ activeFacilityId: a.activeFacilityId }),
    getUserAttributes: (a) => ({ name: a.name, email: a.email }),
  });
}

declare module 'lucia' {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseSessionAttributes: { activeFacilityId: string | null };
    DatabaseUserAttributes: { name: string; email: string };
  }
}

export function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

/** The lucia whose cookie fits the request's scheme. */
const luciaFor = (c: Context<AppEnv>) => (isHttps(c) ? c.get('deps').httpsLucia : c.get('deps').lucia);

/** The session id the request's cookie names (unchecked: loadSession validates it). */
export const sessionCookieId = (c: Context<AppEnv>) => luciaFor(c).readSessionCookie(c.req.header('cookie') ?? '');

export function writeSessionCookie(c: Context<AppEnv>, sessionId: string) {
  c.header('Set-Cookie', luciaFor(c).createSessionCookie(sessionId).serialize(), { append: true });
}

export function clearSessionCookie(c: Context<AppEnv>) {
  c.header('Set-Cookie', luciaFor(c).createBlankSessionCookie().serialize(), { append: true });
}

/**
 * Signs the browser in with a new session. The session the request came with (another account,
 * or an older sign-in of the same one) ends first, so a shared desk never keeps a live session
 * nobody holds a cookie for.
 */
export async function startSession(c: Context<AppEnv>, sessionId: string) {
  const previous = c.get('sessionId');
  if (previous && previous !== sessionId) await c.get('deps').lucia.invalidateSession(previous);
  c.set('sessionId', sessionId);
  writeSessionCookie(c, sessionId);
}

/**
 * Reads the session (if any) on every request; refreshes it when lucia extends it. Only the cookie
 * name of the request's scheme counts: a plain `ptp_session` sent over HTTPS is ignored.
 */
export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('user', null);
  c.set('sessionId', null);
  c.set('activeFacilityId', null);
  const lucia = luciaFor(c);
  const id = sessionCookieId(c);
  if (id) {
    const { session, user } = await lucia.validateSession(id);
    if (session && user) {
      c.set('user', { id: user.id, name: user.name, email: user.email });
      c.set('sessionId', session.id);
      c.set('activeFacilityId', session.activeFacilityId);
      if (session.fresh) writeSessionCookie(c, session.id);
    } else {
      clearSessionCookie(c);
    }
  }
  await next();
};

export function requireUser(c: Context<AppEnv>) {
  const user = c.get('user');
  const sessionId = c.get('sessionId');
  if (!user || !sessionId) throw unauthorized();
  return { user, sessionId };
}
