// A package's history (http-api.md "Packages and custody"): GET /api/packages/:id with its events,
// attachments and presigned photo links, and GET /api/packages/:id/custody, the hash chain recomputed.
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { custodyResponse, packageDetailResponse } from '../../../src/lib/domain/api-responses.ts';
import { actorOf } from '../http/actor.ts';
import { readCustody, readPackage } from '../services/read-package.ts';
import { errors, json, router } from './openapi.ts';

const params = z.object({ id: z.string().uuid() });

const custody = createRoute({
  method: 'get',
  path: '/api/packages/{id}/custody',
  tags: ['packages'],
  description: 'The custody chain of a package’s events, each hash recomputed.',
  request: { params },
  responses: {
    200: json(custodyResponse, 'The chain and whether it verifies'),
    ...errors(400, 401, 403, 404),
  },
});

const detail = createRoute({
  method: 'get',
  path: '/api/packages/{id}',
  tags: ['packages'],
  description: 'A package with every event and its photos and signature (links presigned for at most 300 s).',
  request: { params },
  responses: {
    200: json(packageDetailResponse, 'The package'),
    ...errors(400, 401, 403, 404),
  },
});

export const custodyRoutes = router()
  .openapi(custody, async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(await readCustody(c.get('deps'), await actorOf(c), c.req.valid('param').id), 200);
  })
  .openapi(detail, async (c) => {
    c.header('cache-control', 'no-store');
    return c.json((await readPackage(c.get('deps'), await actorOf(c), c.req.valid('param').id)) as never, 200);
  });
