import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  INTEGRATION_KINDS,
  connectIntegrationInput,
  integrationList,
  integrationView,
  testIntegrationInput,
  testIntegrationResult,
} from '../../../src/lib/domain/integrations.ts';
import { actorOf } from '../http/actor.ts';
import { connectIntegration, disconnectIntegration, listFacilityIntegrations } from '../services/manage-integrations.ts';
import { testIntegration } from '../services/test-integration.ts';
import { errors, json, jsonBody, router } from './openapi.ts';

const kindParam = z.object({ kind: z.enum(INTEGRATION_KINDS) });

const listRoute = createRoute({
  method: 'get',
  path: '/api/integrations',
  tags: ['integrations'],
  responses: {
    200: json(integrationList, 'Every kind of integration, connected or not; never a credential'),
    ...errors(401, 403, 404, 409),
  },
});

const connectRoute = createRoute({
  method: 'put',
  path: '/api/integrations/{kind}',
  tags: ['integrations'],
  description:
    'Connects or replaces: twilio `{ accountSid, authToken, from }`, slack and teams `{ webhookUrl }` (https on the provider’s own hosts). Stored encrypted.',
  request: { params: kindParam, ...jsonBody(connectIntegrationInput) },
  responses: {
    200: json(integrationView, 'Connected'),
    ...errors(400, 401, 403, 404, 409),
  },
});

const testRoute = createRoute({
  method: 'post',
  path: '/api/integrations/{kind}/test',
  tags: ['integrations'],
  description: 'Sends a test message now (twilio: to the number `to`) and records the outcome on the integration.',
  request: { params: kindParam, body: { content: { 'application/json': { schema: testIntegrationInput } }, required: false } },
  responses: {
    200: json(testIntegrationResult, 'What the provider answered'),
    ...errors(400, 401, 403, 404, 409),
  },
});

const disconnectRoute = createRoute({
  method: 'delete',
  path: '/api/integrations/{kind}',
  tags: ['integrations'],
  request: { params: kindParam },
  responses: {
    204: { description: 'Disconnected; the stored credentials are erased' },
    ...errors(400, 401, 403, 404, 409),
  },
});

export const integrationRoutes = router()
  .openapi(listRoute, async (c) => c.json(await listFacilityIntegrations(c.get('deps'), await actorOf(c)), 200))
  .openapi(connectRoute, async (c) =>
    c.json(await connectIntegration(c.get('deps'), await actorOf(c), c.req.valid('param').kind, c.req.valid('json')), 200),
  )
  .openapi(disconnectRoute, async (c) => {
    await disconnectIntegration(c.get('deps'), await actorOf(c), c.req.valid('param').kind);
    return c.body(null, 204);
  })
  .openapi(testRoute, async (c) =>
    c.json(await testIntegration(c.get('deps'), await actorOf(c), c.req.valid('param').kind, c.req.valid('json') ?? {}), 200),
  );
