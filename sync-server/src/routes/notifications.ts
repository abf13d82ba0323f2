// Notifications as people see them: the admins' delivery log and captured outbox
// (/api/notifications), the signed-in user's bell (/api/me/notifications) and their own directory
// entries' email/SMS switches (/api/me/recipients). Everything answers for the session's active
// facility only (the switches: the user's own entries in their facilities).
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  bellPage,
  bellQuery,
  markReadInput,
  markReadResult,
  myRecipientPatch,
  myRecipients,
  notificationIdParam,
  notificationLogPage,
  notificationLogQuery,
  notificationMessage,
} from '../../../src/lib/domain/notifications-api.ts';
import { actorOf } from '../http/actor.ts';
import { requireUser } from '../http/session.ts';
import { markBellRead, readBell } from '../services/bell.ts';
import { changeMyRecipient, readMyRecipients } from '../services/my-recipients.ts';
import { readNotification, readNotificationHtml, readNotificationLog, resendNotification } from '../services/notification-log.ts';
import { errors, json, jsonBody, router } from './openapi.ts';

const logRoute = createRoute({
  method: 'get',
  path: '/api/notifications',
  tags: ['notifications'],
  description:
    'The delivery log, newest first: filter by `status` (captured = the outbox kept when no provider is configured), `channel` and ' +
    '`kind`; `nextCursor` fetches the next page. Admins only.',
  request: { query: notificationLogQuery },
  responses: { 200: json(notificationLogPage, 'One page of the log'), ...errors(400, 401, 403, 404, 409) },
});

const messageRoute = createRoute({
  method: 'get',
  path: '/api/notifications/{id}',
  tags: ['notifications'],
  description: 'One notification with its message as rendered (subject, text, HTML). Admins only.',
  request: { params: notificationIdParam },
  responses: { 200: json(notificationMessage, 'The notification and its message'), ...errors(400, 401, 403, 404, 409) },
});

const htmlRoute = createRoute({
  method: 'get',
  path: '/api/notifications/{id}/html',
  tags: ['notifications'],
  description:
    'The message’s HTML as its own document for the outbox viewer: sandboxed by its Content-Security-Policy (no scripts, ' +
    'no network requests, inline styles allowed), framed only by this app. Admins only.',
  request: { params: notificationIdParam },
  responses: {
    200: { content: { 'text/html': { schema: z.string() } }, description: 'The message as HTML' },
    ...errors(400, 401, 403, 404, 409),
  },
});

/**
 * The policy of a message frame: a sandbox (CSP3 `sandbox`, as the iframe's own sandbox="") with no
 * script and no request (remote images are trackers), inline styles (every email has them), and
 * only this app may frame it.
 */
export const MESSAGE_FRAME_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; sandbox; frame-ancestors 'self'; form-action 'none'; base-uri 'none'";

const resendRoute = createRoute({
  method: 'post',
  path: '/api/notifications/{id}/resend',
  tags: ['notifications'],
  description: 'Sends a failed notification again (409 not_failed for any other status). Admins only.',
  request: { params: notificationIdParam },
  responses: { 200: json(notificationMessage, 'Queued again'), ...errors(400, 401, 403, 404, 409) },
});

const bellRoute = createRoute({
  method: 'get',
  path: '/api/me/notifications',
  tags: ['notifications'],
  description: 'Your in-app notifications in the active facility, newest first, and how many are unread.',
  request: { query: bellQuery },
  responses: { 200: json(bellPage, 'Your notifications'), ...errors(400, 401, 404, 409) },
});

const readRoute = createRoute({
  method: 'post',
  path: '/api/me/notifications/read',
  tags: ['notifications'],
  description: 'Marks your notifications read: `{ ids }` (others’ ids change nothing) or `{ all: true }`.',
  request: jsonBody(markReadInput),
  responses: { 200: json(markReadResult, 'How many stay unread'), ...errors(400, 401, 404, 409) },
});

const myRecipientsRoute = createRoute({
  method: 'get',
  path: '/api/me/recipients',
  tags: ['notifications'],
  description:
    'Your own entries in the directories of your facilities (recipients with your proven email address) and their email/SMS switches. ' +
    'Empty until your address is proven (an accepted invitation or a password reset).',
  responses: { 200: json(myRecipients, 'Your entries'), ...errors(401) },
});

const patchMyRecipientRoute = createRoute({
  method: 'patch',
  path: '/api/me/recipients',
  tags: ['notifications'],
  description:
    'Turns email or SMS about your packages off or on for one of your entries. Off stops every message on that channel, ' +
    'Received, Held and Delivered included.',
  request: jsonBody(myRecipientPatch),
  responses: { 200: json(myRecipients, 'Your entries as they are now'), ...errors(400, 401, 404, 409) },
});

export const notificationRoutes = router()
  .openapi(logRoute, async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(await readNotificationLog(c.get('deps'), await actorOf(c), c.req.valid('query')), 200);
  })
  .openapi(messageRoute, async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(await readNotification(c.get('deps'), await actorOf(c), c.req.valid('param').id.toLowerCase()), 200);
  })
  .openapi(htmlRoute, async (c) => {
    const html = await readNotificationHtml(c.get('deps'), await actorOf(c), c.req.valid('param').id.toLowerCase());
    return c.body(html, 200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': MESSAGE_FRAME_CSP,
      'x-frame-options': 'SAMEORIGIN',
      'cache-control': 'no-store',
    });
  })
  .openapi(resendRoute, async (c) =>
    c.json(await resendNotification(c.get('deps'), await actorOf(c), c.req.valid('param').id.toLowerCase()), 200),
  )
  .openapi(bellRoute, async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(await readBell(c.get('deps'), await actorOf(c), c.req.valid('query').limit), 200);
  })
  .openapi(readRoute, async (c) => c.json(await markBellRead(c.get('deps'), await actorOf(c), c.req.valid('json')), 200))
  .openapi(myRecipientsRoute, async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(await readMyRecipients(c.get('deps'), requireUser(c).user), 200);
  })
  .openapi(patchMyRecipientRoute, async (c) =>
    c.json(await changeMyRecipient(c.get('deps'), requireUser(c).user, c.req.valid('json')), 200),
  );
