// GET /api/packages (http-api.md "Packages and custody"): the packages table of the desk, and
// POST /api/packages/remind: its bulk Remind.
import { createRoute } from '@hono/zod-openapi';
import { packageListQuery, packageListResponse } from '../../../src/lib/domain/package-list.ts';
import { remindInput, remindResponse } from '../../../src/lib/domain/package-remind.ts';
import { actorOf } from '../http/actor.ts';
import { listPackagesFor } from '../services/list-packages.ts';
import { remindPackages } from '../services/remind-packages.ts';
import { errors, json, jsonBody, router } from './openapi.ts';

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

const remind = createRoute({
  method: 'post',
  path: '/api/packages/remind',
  tags: ['packages'],
  description:
    'Reminds the recipients of the selected packages now, by email: one reminder per recipient listing everything still waiting for them, ' +
    'sent even in quiet hours (those hold back automatic reminders only) and counted as their last reminder. Packages no longer waiting, ' +
    'not in the active facility, or whose recipient has no email or switched email off are listed in `skipped`. Admins only; ' +
    '403 read_only in a deactivated or read-only facility.',
  request: jsonBody(remindInput),
  responses: {
    200: json(remindResponse, 'How many recipients were reminded and which packages were skipped, and why'),
    ...errors(400, 401, 403, 409),
  },
});

export const packageRoutes = router()
  .openapi(list, async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(await listPackagesFor(c.get('deps'), await actorOf(c), c.req.valid('query')), 200);
  })
  .openapi(remind, async (c) => c.json(await remindPackages(c.get('deps'), await actorOf(c), c.req.valid('json')), 200));
