import { createRoute } from '@hono/zod-openapi';
import { reportsQuery, reportsSchema } from '../../../src/lib/domain/reports.ts';
import { actorOf } from '../http/actor.ts';
import { getReports } from '../services/reports.ts';
import { errors, json, router } from './openapi.ts';

const reportsRoute = createRoute({
  method: 'get',
  path: '/api/reports',
  tags: ['reports'],
  description:
    'The active facility’s numbers for the local days from..to (inclusive, the facility’s time zone, at most 366 days): ' +
    'received per day, by carrier, waiting now by age, median receipt→delivery, holds and returns, busiest hours, per operator.',
  request: { query: reportsQuery },
  responses: { 200: json(reportsSchema, 'The series'), ...errors(400, 401, 403, 404, 409) },
});

export const reportRoutes = router().openapi(reportsRoute, async (c) =>
  c.json(await getReports(c.get('deps'), await actorOf(c), c.req.valid('query')), 200),
);
