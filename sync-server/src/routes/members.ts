import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { facilityMembersResponse } from '../../../src/lib/domain/api-responses.ts';
import { actorOf } from '../http/actor.ts';
import { listMembers } from '../services/list-members.ts';
import { errors, json, router } from './openapi.ts';

const membersRoute = createRoute({
  method: 'get',
  path: '/api/facility/members',
  tags: ['facilities'],
  // No parameters: anything in the query string is refused rather than ignored.
  request: { query: z.strictObject({}) },
  responses: {
    200: json(facilityMembersResponse, 'Names and roles of the active facility’s members'),
    ...errors(400, 401, 403, 404, 409),
  },
});

export const memberRoutes = router().openapi(membersRoute, async (c) => c.json(await listMembers(c.get('deps'), await actorOf(c)), 200));
