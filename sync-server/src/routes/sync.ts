import { createRoute } from '@hono/zod-openapi';
import { pullRequest, pullResponse, pushRequest, pushResponse } from '../../../src/lib/domain/sync/protocol.ts';
import { actorOf } from '../http/actor.ts';
import { pushQuota } from '../http/rate-limit.ts';
import { applyPush } from '../services/apply-push.ts';
import { pullChanges } from '../services/pull-changes.ts';
import { errors, json, jsonBody, router } from './openapi.ts';

const push = createRoute({
  method: 'post',
  path: '/api/sync/push',
  tags: ['sync'],
  description: 'Applies queued mutations exactly once (sync-protocol.md "Push").',
  middleware: [pushQuota] as const,
  request: jsonBody(pushRequest),
  responses: {
    200: json(pushResponse, 'One result per mutation, in order'),
    ...errors(400, 401, 403, 404, 409, 413, 426, 429, 503),
  },
});

const pull = createRoute({
  method: 'post',
  path: '/api/sync/pull',
  tags: ['sync'],
  description: 'Rows changed since the cookie, paged (sync-protocol.md "Pull").',
  request: jsonBody(pullRequest),
  responses: {
    200: json(pullResponse, 'A page of the patch'),
    ...errors(400, 401, 403, 404, 409, 426, 503),
  },
});

export const syncRoutes = router()
  .openapi(push, async (c) => c.json(await applyPush(c.get('deps'), await actorOf(c), c.req.valid('json')), 200))
  .openapi(pull, async (c) =>
    c.json(await pullChanges(c.get('deps'), await actorOf(c), c.req.valid('json'), c.get('deps').env.SYNC_PULL_PAGE_SIZE), 200),
  );
