// Sessions with lucia v3: one essential cookie, HttpOnly, SameSite=Lax, Secure whenever the
// request arrived over HTTPS (http-api.md "Session cookie").
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { Lucia, TimeSpan } from 'lucia';
import type { AppEnv } from '../context.ts';
import { SessionRepository } from '../repositories/sessions.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { unauthorized } from './errors.ts';

export const SESSION_COOKIE = 'ptp_session';

export function createLucia(prisma: PrismaClient) {
  return new Lucia(new SessionRepository(prisma), {
    sessionExpiresIn: new TimeSpan(30, 'd'),
    sessionCookie: { name: SESSION_COOKIE, attributes: { sameSite: 'lax' } },
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

export function writeSessionCookie(c: Context<AppEnv>, sessionId: string) {
  setCookie(c, SESSION_COOKIE, sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c),
    maxAge: 30 * 24 * 60 * 60,
  });
}

export function clearSessionCookie(c: Context<AppEnv>) {
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Lax', secure: isHttps(c) });
}

/** Reads the session (if any) on every request; refreshes it when lucia extends it. */
export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('user', null);
  c.set('sessionId', null);
  c.set('activeFacilityId', null);
  const id = getCookie(c, SESSION_COOKIE);
  if (id) {
    const { session, user } = await c.get('deps').lucia.validateSession(id);
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
