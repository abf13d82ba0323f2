import { createRoute } from '@hono/zod-openapi';
import { strToU8, zipSync } from 'fflate';
import { z } from 'zod';
import {
  activeFacilityInput,
  changePasswordInput,
  deleteAccountInput,
  transferOrganizationInput,
  updateProfileInput,
} from '../../../src/lib/domain/account.ts';
import { myDataCsvFiles, myDataSchema, myProfileSchema } from '../../../src/lib/domain/my-data.ts';
import { activeFacilityResponse, meResponse, transferResponse } from '../../../src/lib/domain/api-responses.ts';
import { rateLimit } from '../http/rate-limit.ts';
import { clearSessionCookie, requireUser } from '../http/session.ts';
import { actorOf } from '../http/actor.ts';
import { changePassword } from '../services/change-password.ts';
import { getMe } from '../services/get-me.ts';
import { changeProfile, deleteAccount, exportMyData, transferOrganization } from '../services/my-data.ts';
import { switchFacility } from '../services/switch-facility.ts';
import { errors, json, jsonBody, router } from './openapi.ts';

const meRoute = createRoute({
  method: 'get',
  path: '/api/me',
  tags: ['account'],
  responses: { 200: json(meResponse, 'The signed-in user, their organizations and memberships'), ...errors(401) },
});

const activeRoute = createRoute({
  method: 'post',
  path: '/api/me/active-facility',
  tags: ['account'],
  request: jsonBody(activeFacilityInput),
  responses: { 200: json(activeFacilityResponse, 'Switched'), ...errors(400, 401, 403, 404) },
});

const passwordRoute = createRoute({
  method: 'post',
  path: '/api/me/password',
  tags: ['account'],
  // Rate-limited like the auth routes: a wrong current password is a password guess.
  middleware: [rateLimit((l) => l.auth, 'password')] as const,
  request: jsonBody(changePasswordInput),
  responses: {
    204: { description: 'Password changed; every other session of the user ended, this one stays' },
    ...errors(400, 401, 403, 429),
  },
});

const patchMeRoute = createRoute({
  method: 'patch',
  path: '/api/me',
  tags: ['account'],
  description:
    'Correct your name or email, or switch off non-essential email (emailOptOut). A new email needs `currentPassword` ' +
    '(400 password_required, 403 invalid_credentials) and must be free (409 email_taken).',
  middleware: [rateLimit((l) => l.auth, 'profile')] as const,
  request: jsonBody(updateProfileInput),
  responses: { 200: json(myProfileSchema, 'Your profile as stored now'), ...errors(400, 401, 403, 409, 429) },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/api/me/export',
  tags: ['account'],
  description:
    'Everything the product holds about you: profile, memberships, sessions (times only), invitations you sent, your ' +
    'custody-log actions, directory entries with your email and notifications to you. `format=csv`: a zip of one CSV per section.',
  request: { query: z.strictObject({ format: z.enum(['json', 'csv']).optional() }) },
  responses: {
    200: {
      content: { 'application/json': { schema: myDataSchema }, 'application/zip': { schema: z.string() } },
      description: 'Your data (a download)',
    },
    ...errors(400, 401),
  },
});

const deleteMeRoute = createRoute({
  method: 'delete',
  path: '/api/me',
  tags: ['account'],
  description:
    'Delete your account: your name, email and password are erased, every membership and session ends; your past ' +
    'custody-log actions stay, shown as "Former member". An organization owner hands it over first (409 owner_must_transfer).',
  middleware: [rateLimit((l) => l.auth, 'password')] as const,
  request: jsonBody(deleteAccountInput),
  responses: { 204: { description: 'Deleted; signed out everywhere' }, ...errors(400, 401, 403, 409, 429) },
});

const transferRoute = createRoute({
  method: 'post',
  path: '/api/organization/transfer',
  tags: ['account'],
  description: 'The owner of the active facility’s organization hands it to an admin of one of its facilities.',
  request: jsonBody(transferOrganizationInput),
  responses: {
    200: json(transferResponse, 'The new owner'),
    ...errors(400, 401, 403, 404, 409),
  },
});

const download = (type: string, name: string) => ({
  'content-type': type,
  'content-disposition': `attachment; filename="${name}"`,
  'cache-control': 'no-store',
});

export const meRoutes = router()
  .openapi(meRoute, async (c) => {
    const { user } = requireUser(c);
    return c.json(await getMe(c.get('deps'), user, c.get('activeFacilityId')), 200);
  })
  .openapi(activeRoute, async (c) => {
    const { user, sessionId } = requireUser(c);
    return c.json(await switchFacility(c.get('deps'), user, sessionId, c.req.valid('json').facilityId), 200);
  })
  .openapi(passwordRoute, async (c) => {
    const { user, sessionId } = requireUser(c);
    await changePassword(c.get('deps'), user, sessionId, c.req.valid('json'));
    return c.body(null, 204);
  })
  .openapi(patchMeRoute, async (c) => {
    const { user } = requireUser(c);
    return c.json(await changeProfile(c.get('deps'), user, c.req.valid('json')), 200);
  })
  .openapi(exportRoute, async (c) => {
    const { user, sessionId } = requireUser(c);
    const data = await exportMyData(c.get('deps'), user, sessionId);
    const day = data.exportedAt.slice(0, 10);
    if (c.req.valid('query').format === 'csv') {
      const files = Object.fromEntries(Object.entries(myDataCsvFiles(data)).map(([name, text]) => [name, strToU8(text)]));
      return c.body(zipSync(files), 200, download('application/zip', `packagetrack-my-data-${day}.zip`));
    }
    return c.body(JSON.stringify(data, null, 2), 200, download('application/json; charset=utf-8', `packagetrack-my-data-${day}.json`));
  })
  .openapi(deleteMeRoute, async (c) => {
    const { user } = requireUser(c);
    await deleteAccount(c.get('deps'), user, c.req.valid('json').password);
    clearSessionCookie(c);
    return c.body(null, 204);
  })
  .openapi(transferRoute, async (c) => {
    const actor = await actorOf(c);
    return c.json(await transferOrganization(c.get('deps'), actor, c.req.valid('json').userId), 200);
  });
