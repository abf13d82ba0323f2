import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { loginInput, passwordResetInput, passwordResetRequestInput, signupInput } from '../../../src/lib/domain/account.ts';
import { loginResponse, signupResponse } from '../../../src/lib/domain/api-responses.ts';
import { rateLimit } from '../http/rate-limit.ts';
import { clearSessionCookie, requireUser, startSession } from '../http/session.ts';
import { logIn } from '../services/log-in.ts';
import { requestPasswordReset } from '../services/request-password-reset.ts';
import { resetPassword } from '../services/reset-password.ts';
import { signOutEverywhere } from '../services/sign-out-everywhere.ts';
import { signUp } from '../services/sign-up.ts';
import { errors, json, jsonBody, router } from './openapi.ts';

const signupRoute = createRoute({
  method: 'post',
  path: '/api/auth/signup',
  tags: ['auth'],
  middleware: [rateLimit((l) => l.auth, 'signup')] as const,
  request: jsonBody(signupInput),
  responses: {
    201: json(signupResponse, 'Signed up and signed in'),
    ...errors(400, 403, 409, 429),
  },
});

const loginRoute = createRoute({
  method: 'post',
  path: '/api/auth/login',
  tags: ['auth'],
  middleware: [rateLimit((l) => l.auth, 'login')] as const,
  request: jsonBody(loginInput),
  responses: { 200: json(loginResponse, 'Signed in'), ...errors(400, 401, 403, 423, 429) },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  tags: ['auth'],
  middleware: [rateLimit((l) => l.auth, 'logout')] as const,
  responses: { 204: { description: 'Signed out; the session is invalidated on the server' }, ...errors(401, 403, 429) },
});

const logoutAllRoute = createRoute({
  method: 'post',
  path: '/api/auth/logout-all',
  tags: ['auth'],
  middleware: [rateLimit((l) => l.auth, 'logout-all')] as const,
  responses: { 204: { description: 'Every session of the user ended, this one included' }, ...errors(401, 403, 429) },
});

const resetRequestRoute = createRoute({
  method: 'post',
  path: '/api/auth/password-reset',
  tags: ['auth'],
  middleware: [rateLimit((l) => l.auth, 'password-reset')] as const,
  request: jsonBody(passwordResetRequestInput),
  responses: {
    202: {
      description:
        'Accepted. If the address has an account, a reset link (single use, 30 minutes) is on its way; the answer is the same either way',
    },
    ...errors(400, 403, 429),
  },
});

const resetRoute = createRoute({
  method: 'post',
  path: '/api/auth/password-reset/{token}',
  tags: ['auth'],
  middleware: [rateLimit((l) => l.auth, 'password-reset-use')] as const,
  request: { params: z.object({ token: z.string().min(16).max(128) }), ...jsonBody(passwordResetInput) },
  responses: {
    204: { description: 'Password set; login lockout lifted; every session of the user ended' },
    ...errors(400, 403, 429),
  },
});

export const authRoutes = router()
  .openapi(signupRoute, async (c) => {
    const input = c.req.valid('json');
    const r = await signUp(c.get('deps'), input);
    await startSession(c, r.sessionId);
    return c.json({ user: { id: r.user.id, name: r.user.name, email: r.user.email }, facilityId: r.facility.id }, 201);
  })
  .openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid('json');
    const r = await logIn(c.get('deps'), email, password);
    await startSession(c, r.sessionId);
    return c.json({ ok: true as const }, 200);
  })
  .openapi(logoutRoute, async (c) => {
    const { sessionId } = requireUser(c);
    await c.get('deps').lucia.invalidateSession(sessionId);
    clearSessionCookie(c);
    return c.body(null, 204);
  })
  .openapi(logoutAllRoute, async (c) => {
    const { user } = requireUser(c);
    await signOutEverywhere(c.get('deps'), user);
    clearSessionCookie(c);
    return c.body(null, 204);
  })
  .openapi(resetRequestRoute, async (c) => {
    await requestPasswordReset(c.get('deps'), c.req.valid('json').email);
    return c.body(null, 202);
  })
  .openapi(resetRoute, async (c) => {
    await resetPassword(c.get('deps'), c.req.valid('param').token, c.req.valid('json').password);
    clearSessionCookie(c);
    return c.body(null, 204);
  });
