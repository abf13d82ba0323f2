import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { organizationInput } from '../../../src/lib/domain/account.ts';
import { organizationResponse } from '../../../src/lib/domain/api-responses.ts';
import { actorOf } from '../http/actor.ts';
import { getOrganization, setFacilityState, updateOrganization } from '../services/organization.ts';
import { errors, json, jsonBody, router } from './openapi.ts';

const getOrg = createRoute({
  method: 'get',
  path: '/api/organization',
  tags: ['organization'],
  responses: { 200: json(organizationResponse, 'The organization of the active facility'), ...errors(401, 403, 404, 409) },
});

const patchOrg = createRoute({
  method: 'patch',
  path: '/api/organization',
  tags: ['organization'],
  request: jsonBody(organizationInput),
  responses: { 200: json(organizationResponse, 'Renamed (owner only)'), ...errors(400, 401, 403, 404, 409) },
});

const facilityParam = z.object({ id: z.string().uuid() });

const deactivate = createRoute({
  method: 'post',
  path: '/api/facilities/{id}/deactivate',
  tags: ['organization'],
  request: { params: facilityParam },
  responses: {
    200: json(organizationResponse, 'Deactivated: history stays readable and exportable, its devices become read-only (owner only)'),
    ...errors(400, 401, 403, 404, 409),
  },
});

const reactivate = createRoute({
  method: 'post',
  path: '/api/facilities/{id}/reactivate',
  tags: ['organization'],
  request: { params: facilityParam },
  responses: { 200: json(organizationResponse, 'Reactivated: its devices write again (owner only)'), ...errors(400, 401, 403, 404, 409) },
});

export const organizationRoutes = router()
  .openapi(getOrg, async (c) => c.json(await getOrganization(c.get('deps'), await actorOf(c)), 200))
  .openapi(patchOrg, async (c) => c.json(await updateOrganization(c.get('deps'), await actorOf(c), c.req.valid('json')), 200))
  .openapi(deactivate, async (c) => c.json(await setFacilityState(c.get('deps'), await actorOf(c), c.req.valid('param').id, false), 200))
  .openapi(reactivate, async (c) => c.json(await setFacilityState(c.get('deps'), await actorOf(c), c.req.valid('param').id, true), 200));
