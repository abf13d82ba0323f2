// GET /api/packages (http-api.md "Packages and custody"): the packages table of the desk.
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { LIST_STATUSES, SORTS, packageListQuery } from '../../../src/lib/domain/package-list.ts';
import { actorOf } from '../http/actor.ts';
import { listPackagesFor } from '../services/list-packages.ts';
import { errors, json, router } from './openapi.ts';

const item = z.object({
  id: z.string(),
  trackingNumber: z.string(),
  carrier: z.string(),
  status: z.enum(LIST_STATUSES),
  recipientId: z.string().nullable(),
  recipientName: z.string(),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  sender: z.string().nullable(),
  locationId: z.string().nullable(),
  locationName: z.string().nullable(),
  shelf: z.string().nullable(),
  notes: z.string().nullable(),
  holdNote: z.string().nullable(),
  holdReason: z.string().nullable(),
  returnReason: z.string().nullable(),
  receivedAt: z.string(),
  heldAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  deliveredTo: z.string().nullable(),
  receivedById: z.string().nullable().describe('The operator who logged it'),
  receivedByName: z.string().nullable(),
  version: z.number().int(),
});

export const packageListResponse = z.object({
  items: z.array(item),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page'),
  counts: z
    .object({
      received: z.number().int(),
      held: z.number().int(),
      delivered: z.number().int(),
      returned: z.number().int(),
      all: z.number().int(),
    })
    .describe('Live packages per status tab under the same filters (the status aside)'),
  sort: z.enum(SORTS as unknown as [string, ...string[]]),
});
export type PackageListResponse = z.infer<typeof packageListResponse>;
export type ListedPackageItem = z.infer<typeof item>;

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
