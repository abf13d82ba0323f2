// GET /api/activity: who did what to which package, when and on which device, for admins.
import { createRoute } from '@hono/zod-openapi';
import { activityPage, activityQuery } from '../../../src/lib/domain/activity.ts';
import { actorOf } from '../http/actor.ts';
import { readActivity } from '../services/list-activity.ts';
import { errors, json, router } from './openapi.ts';

const activityRoute = createRoute({
  method: 'get',
  path: '/api/activity',
  tags: ['team'],
  description:
    'The facility’s package events, newest first: filter by person (`actorId`), action (`type`) and the facility’s days (`from`, `to`); ' +
    '`nextCursor` fetches the next page. Admins only.',
  request: { query: activityQuery },
  responses: {
    200: json(activityPage, 'One page of the log'),
    ...errors(400, 401, 403, 404, 409),
  },
});

export const activityRoutes = router().openapi(activityRoute, async (c) => {
  c.header('cache-control', 'no-store');
  return c.json(await readActivity(c.get('deps'), await actorOf(c), c.req.valid('query')), 200);
});
