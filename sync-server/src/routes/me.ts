import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { activeFacilityInput, changePasswordInput } from '../../../src/lib/domain/account.ts';
import { ROLES } from '../../../src/lib/domain/permissions.ts';
import { rateLimit } from '../http/rate-limit.ts';
import { requireUser } from '../http/session.ts';
import { changePassword } from '../services/change-password.ts';
import { getMe } from '../services/get-me.ts';
import { switchFacility } from '../services/switch-facility.ts';
import { errors, json, jsonBody, router } from './openapi.ts';

const meBody = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  organizations: z.array(z.object({ id: z.string(), name: z.string(), isOwner: z.boolean() })),
  memberships: z.array(
    z.object({
      facilityId: z.string(),
      facilityName: z.string(),
      facilityCode: z.string(),
      organizationId: z.string(),
      role: z.enum(ROLES),
      active: z.boolean(),
    }),
  ),
  activeFacilityId: z.string().nullable(),
});

const meRoute = createRoute({
  method: 'get',
  path: '/api/me',
  tags: ['account'],
  responses: { 200: json(meBody, 'The signed-in user, their organizations and memberships'), ...errors(401) },
});

const activeRoute = createRoute({
  method: 'post',
  path: '/api/me/active-facility',
  tags: ['account'],
  request: jsonBody(activeFacilityInput),
  responses: { 200: json(z.object({ activeFacilityId: z.string() }), 'Switched'), ...errors(400, 401, 403, 404) },
});

const passwordRoute = createRoute({
  method: 'post',
  path: '/api/me/password',
  tags: ['account'],
  // Rate-limited like the auth routes: a wrong current password is a password guess.
  middleware: [rateLimit((l) => l.auth, 'password')] as const,
  request: jsonBody(changePasswordInput),
  responses: {
    204: { description: 'Password changed; every other session of the user ended, this one stays' },
    ...errors(400, 401, 403, 429),
  },
});

export const meRoutes = router()
  .openapi(meRoute, async (c) => {
    const { user } = requireUser(c);
    return c.json(await getMe(c.get('deps'), user, c.get('activeFacilityId')), 200);
  })
  .openapi(activeRoute, async (c) => {
    const { user, sessionId } = requireUser(c);
    return c.json(await switchFacility(c.get('deps'), user, sessionId, c.req.valid('json').facilityId), 200);
  })
  .openapi(passwordRoute, async (c) => {
    const { user, sessionId } = requireUser(c);
    await changePassword(c.get('deps'), user, sessionId, c.req.valid('json'));
    return c.body(null, 204);
  });
