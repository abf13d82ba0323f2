// A package's history (http-api.md "Packages and custody"): GET /api/packages/:id with its events,
// attachments and presigned photo links, and GET /api/packages/:id/custody, the hash chain recomputed.
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { actorOf } from '../http/actor.ts';
import { readCustody, readPackage } from '../services/read-package.ts';
import { errors, json, router } from './openapi.ts';

const params = z.object({ id: z.string().uuid() });

const event = z.object({
  id: z.string(),
  seq: z.number().int().nullable(),
  type: z.string(),
  data: z.unknown(),
  at: z.string().describe('When it happened, by the device’s clock'),
  recordedAt: z.string().describe('When the server recorded it'),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  clientId: z.string().nullable().describe('The device that recorded it'),
  mutationId: z.number().int().nullable(),
  hash: z.string().nullable(),
  prevHash: z.string().nullable(),
  sealed: z.boolean().describe('False for an event recorded before the custody log began'),
});

const chain = {
  verified: z.boolean(),
  brokenAt: z.number().int().optional().describe('The place (seq) where the chain first fails'),
  reason: z.string().optional(),
  unsealed: z.number().int().describe('Events recorded before the custody log began'),
};

const custody = createRoute({
  method: 'get',
  path: '/api/packages/{id}/custody',
  tags: ['packages'],
  description: 'The custody chain of a package’s events, each hash recomputed.',
  request: { params },
  responses: {
    200: json(z.object({ packageId: z.string(), events: z.array(event), ...chain }), 'The chain and whether it verifies'),
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
    200: json(
      z.object({
        package: z.record(z.string(), z.unknown()),
        events: z.array(event),
        attachments: z.array(
          z.object({
            kind: z.enum(['intake', 'delivery', 'signature']),
            hash: z.string(),
            uploaded: z.boolean(),
            url: z.string().nullable(),
            expiresAt: z.string().nullable(),
            createdAt: z.string(),
          }),
        ),
        custody: z.object(chain),
      }),
      'The package',
    ),
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
