import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { acceptInvitationInput, invitationInput } from '../../../src/lib/domain/account.ts';
import {
  invitationAcceptedResponse,
  invitationCreatedResponse,
  invitationInfoResponse,
  invitationListResponse,
  invitationResentResponse,
} from '../../../src/lib/domain/api-responses.ts';
import { actorOf } from '../http/actor.ts';
import { AppError } from '../http/errors.ts';
import { rateLimit } from '../http/rate-limit.ts';
import { requireUser, startSession } from '../http/session.ts';
import { acceptInvitation, getInvitation } from '../services/accept-invitation.ts';
import { inviteMember, resendInvitation, revokeInvitation } from '../services/invite-member.ts';
import { listInvitations } from '../services/list-team.ts';
import { errors, json, jsonBody, router } from './openapi.ts';

const token = z.object({ token: z.string().min(16).max(128) });

const createInv = createRoute({
  method: 'post',
  path: '/api/invitations',
  tags: ['invitations'],
  request: jsonBody(invitationInput),
  responses: {
    201: json(invitationCreatedResponse, 'Invited; the token is returned only when no mail provider is configured'),
    ...errors(400, 401, 403, 404, 409, 429),
  },
});

const invitationId = z.object({ id: z.string().uuid() });

const resendInv = createRoute({
  method: 'post',
  path: '/api/invitations/{id}/resend',
  tags: ['invitations'],
  request: { params: invitationId },
  responses: {
    200: json(invitationResentResponse, 'Sent again with a new link; the old link no longer works. The token as for a new invitation'),
    ...errors(400, 401, 403, 404, 429),
  },
});

const revokeInv = createRoute({
  method: 'delete',
  path: '/api/invitations/{id}',
  tags: ['invitations'],
  request: { params: invitationId },
  responses: { 204: { description: 'Withdrawn; the link no longer works' }, ...errors(400, 401, 403, 404) },
});

const listInv = createRoute({
  method: 'get',
  path: '/api/invitations',
  tags: ['invitations'],
  responses: {
    200: json(invitationListResponse, 'Open invitations of the active facility'),
    ...errors(401, 403, 404),
  },
});

const showInv = createRoute({
  method: 'get',
  path: '/api/invitations/{token}',
  tags: ['invitations'],
  middleware: [rateLimit((l) => l.auth, 'invitation')] as const,
  request: { params: token },
  responses: {
    200: json(invitationInfoResponse, 'The invitation'),
    ...errors(404, 429),
  },
});

const acceptInv = createRoute({
  method: 'post',
  path: '/api/invitations/{token}/accept',
  tags: ['invitations'],
  middleware: [rateLimit((l) => l.auth, 'accept')] as const,
  request: { params: token, ...jsonBody(acceptInvitationInput) },
  responses: { 200: json(invitationAcceptedResponse, 'Joined; signed in'), ...errors(400, 401, 403, 404, 409, 429) },
});

export const invitationRoutes = router()
  .openapi(createInv, async (c) => {
    const { user } = requireUser(c);
    return c.json(await inviteMember(c.get('deps'), user, c.req.valid('json')), 201);
  })
  .openapi(resendInv, async (c) => c.json(await resendInvitation(c.get('deps'), await actorOf(c), c.req.valid('param').id), 200))
  .openapi(revokeInv, async (c) => {
    await revokeInvitation(c.get('deps'), await actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(listInv, async (c) => c.json(await listInvitations(c.get('deps'), await actorOf(c)), 200))
  .openapi(showInv, async (c) => c.json(await getInvitation(c.get('deps'), c.req.valid('param').token), 200))
  .openapi(acceptInv, async (c) => {
    const body = c.req.valid('json');
    const signedIn = c.get('user');
    const as = 'password' in body ? { name: body.name, password: body.password } : signedIn ? { user: signedIn } : null;
    if (!as) throw new AppError(401, 'unauthorized', 'Sign in, or give a name and password to create your account');
    const r = await acceptInvitation(c.get('deps'), c.req.valid('param').token, as);
    await startSession(c, r.sessionId);
    return c.json({ facilityId: r.facilityId }, 200);
  });
