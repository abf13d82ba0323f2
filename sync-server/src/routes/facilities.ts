import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { createFacilityInput } from '../../../src/lib/domain/account.ts';
import { facilitySettingsInput } from '../../../src/lib/domain/facility-settings.ts';
import { ROLES } from '../../../src/lib/domain/permissions.ts';
import { actorOf } from '../http/actor.ts';
import { createFacility } from '../services/create-facility.ts';
import { getFacility } from '../services/get-facility.ts';
import { listTeam } from '../services/list-team.ts';
import { changeMemberRole, removeMember } from '../services/manage-team.ts';
import { updateFacility } from '../services/update-facility.ts';
import { errors, json, jsonBody, router } from './openapi.ts';

const facilityBody = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  timezone: z.string(),
  photoRetentionDays: z.number().int(),
  reminderIntervalHours: z.number().int(),
  signatureRequired: z.boolean().openapi({ description: '"Signature required for every hand-off"' }),
  quietHours: z
    .object({ start: z.string(), end: z.string() })
    .nullable()
    .openapi({ description: 'No notification leaves between these local times (facility time zone); null: none' }),
  notificationDefaults: z.object({ email: z.boolean(), sms: z.boolean() }).openapi({ description: 'Channels a new recipient starts with' }),
  holdNoteInNotifications: z.boolean().openapi({ description: 'Package Held messages show the hold note to the recipient' }),
  active: z.boolean(),
  organizationId: z.string(),
  organizationName: z.string(),
  role: z.enum(ROLES),
  isOrganizationOwner: z.boolean(),
  pickupKey: z
    .string()
    .optional()
    .openapi({ description: 'The key devices check pickup codes with (base64url); only for roles that hand packages over' }),
});

const facilityRoute = createRoute({
  method: 'get',
  path: '/api/facility',
  tags: ['facilities'],
  responses: {
    200: json(facilityBody, 'The active facility'),
    ...errors(401, 404, 409),
  },
});

const updateFacilityRoute = createRoute({
  method: 'patch',
  path: '/api/facility',
  tags: ['facilities'],
  request: jsonBody(facilitySettingsInput),
  responses: {
    200: json(facilityBody, 'The active facility, changed'),
    ...errors(400, 401, 403, 404, 409),
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
      z.object({
        members: z.array(
          z.object({
            userId: z.string(),
            name: z.string(),
            email: z.string(),
            role: z.enum(ROLES),
            lastActiveAt: z.date().nullable().openapi({ description: 'Latest push of any of their devices in this facility' }),
          }),
        ),
      }),
      'Members of the active facility',
    ),
    ...errors(401, 403, 404),
  },
});

const memberParam = z.object({ userId: z.string().uuid() });
const teamError = errors(400, 401, 403, 404, 409);

const changeRoleRoute = createRoute({
  method: 'patch',
  path: '/api/team/{userId}',
  tags: ['facilities'],
  request: { params: memberParam, ...jsonBody(z.strictObject({ role: z.enum(ROLES) })) },
  responses: {
    200: json(z.object({ userId: z.string(), role: z.enum(ROLES) }), 'Their role in the active facility, changed'),
    ...teamError,
  },
});

const removeMemberRoute = createRoute({
  method: 'delete',
  path: '/api/team/{userId}',
  tags: ['facilities'],
  request: { params: memberParam },
  responses: {
    204: { description: 'Removed from the active facility; their sessions working there ended' },
    ...teamError,
  },
});

export const facilityRoutes = router()
  .openapi(facilityRoute, async (c) => c.json(await getFacility(c.get('deps'), await actorOf(c)), 200))
  .openapi(updateFacilityRoute, async (c) => c.json(await updateFacility(c.get('deps'), await actorOf(c), c.req.valid('json')), 200))
  .openapi(createRouteDef, async (c) => c.json(await createFacility(c.get('deps'), await actorOf(c), c.req.valid('json')), 201))
  .openapi(teamRoute, async (c) => c.json(await listTeam(c.get('deps'), await actorOf(c)), 200))
  .openapi(changeRoleRoute, async (c) =>
    c.json(await changeMemberRole(c.get('deps'), await actorOf(c), c.req.valid('param').userId, c.req.valid('json').role), 200),
  )
  .openapi(removeMemberRoute, async (c) => {
    await removeMember(c.get('deps'), await actorOf(c), c.req.valid('param').userId);
    return c.body(null, 204);
  });
