// GET /api/packages (http-api.md "Packages and custody"): the packages table of the desk.
import { createRoute } from '@hono/zod-openapi';
import { packageListQuery, packageListResponse } from '../../../src/lib/domain/package-list.ts';
import { actorOf } from '../http/actor.ts';
import { listPackagesFor } from '../services/list-packages.ts';
import { errors, json, router } from './openapi.ts';

const list = createRoute({
  method: 'get',
  path: '/api/packages',
  tags: ['packages'],
  description:
    'Live packages of the active facility: filters, one search box, a sort, and keyset pages (a cursor from another sort or facility is refused with 400 invalid_cursor).',
  request: { query: packageListQuery },
  responses: {
    200: json(packageListResponse, 'One page of packages and the count per status'),
    ...errors(400, 401, 403, 409),
  },
});

export const packageRoutes = router().openapi(list, async (c) => {
  c.header('cache-control', 'no-store');
  return c.json(await listPackagesFor(c.get('deps'), await actorOf(c), c.req.valid('query')), 200);
});
