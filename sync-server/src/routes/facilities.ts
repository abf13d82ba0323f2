import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { createFacilityInput } from '../../../src/lib/domain/account.ts';
import { ROLES } from '../../../src/lib/domain/permissions.ts';
import { actorOf } from '../http/actor.ts';
import { createFacility } from '../services/create-facility.ts';
import { getFacility } from '../services/get-facility.ts';
import { listTeam } from '../services/list-team.ts';
import { errors, json, jsonBody, router } from './openapi.ts';

const facilityRoute = createRoute({
  method: 'get',
  path: '/api/facility',
  tags: ['facilities'],
  responses: {
    200: json(
      z.object({
        id: z.string(),
        name: z.string(),
        code: z.string(),
        timezone: z.string(),
        photoRetentionDays: z.number().int(),
        reminderIntervalHours: z.number().int(),
        active: z.boolean(),
        organizationId: z.string(),
        organizationName: z.string(),
        role: z.enum(ROLES),
        isOrganizationOwner: z.boolean(),
      }),
      'The active facility',
    ),
    ...errors(401, 404, 409),
  },
});

const createRouteDef = createRoute({
  method: 'post',
  path: '/api/facilities',
  tags: ['facilities'],
  request: jsonBody(createFacilityInput),
  responses: {
    201: json(z.object({ id: z.string(), name: z.string(), code: z.string(), timezone: z.string() }), 'Created'),
    ...errors(400, 401, 403, 404),
  },
});

const teamRoute = createRoute({
  method: 'get',
  path: '/api/team',
  tags: ['facilities'],
  responses: {
    200: json(
      z.object({ members: z.array(z.object({ userId: z.string(), name: z.string(), email: z.string(), role: z.enum(ROLES) })) }),
      'Members of the active facility',
    ),
    ...errors(401, 403, 404),
  },
});

export const facilityRoutes = router()
  .openapi(facilityRoute, async (c) => c.json(getFacility(await actorOf(c)), 200))
  .openapi(createRouteDef, async (c) => c.json(await createFacility(c.get('deps'), await actorOf(c), c.req.valid('json')), 201))
  .openapi(teamRoute, async (c) => c.json(await listTeam(c.get('deps'), await actorOf(c)), 200));
