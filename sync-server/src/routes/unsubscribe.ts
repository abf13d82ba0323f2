// One-click unsubscribe (RFC 8058), without a session: the token in the path is the only authority.
// GET reads what the link would change (a browser opening the List-Unsubscribe address is sent to
// the app's page, which asks first); POST turns the switch off. Mail providers POST
// `List-Unsubscribe=One-Click` as a form (RFC 8058 §3.1), so this route takes any small body and
// no Origin: there is no cookie to forge a request with (http/origin.ts, app.ts).
import { createRoute } from '@hono/zod-openapi';
import { unsubscribeState, unsubscribeTokenParam } from '../../../src/lib/domain/notifications-api.ts';
import { readUnsubscribe, unsubscribe } from '../services/unsubscribe.ts';
import { errors, json, router } from './openapi.ts';

const readRoute = createRoute({
  method: 'get',
  path: '/api/unsubscribe/{token}',
  tags: ['notifications'],
  description:
    'What an unsubscribe link would turn off (channel, facility) and whether it is still on. No session needed. A browser ' +
    '(Accept: text/html) is redirected to the page at /unsubscribe/{token}, which asks before changing anything.',
  request: { params: unsubscribeTokenParam },
  responses: {
    200: json(unsubscribeState, 'The switch the link controls'),
    303: { description: 'A browser: to the confirmation page' },
    ...errors(400, 404),
  },
});

const postRoute = createRoute({
  method: 'post',
  path: '/api/unsubscribe/{token}',
  tags: ['notifications'],
  description:
    'Turns off the email (or SMS) the link names for its recipient. RFC 8058 one-click: the body may be the form ' +
    '`List-Unsubscribe=One-Click` (or empty, or JSON); no session or Origin needed. The same link twice changes nothing more.',
  request: { params: unsubscribeTokenParam },
  responses: { 200: json(unsubscribeState, 'Turned off'), ...errors(400, 404, 413) },
});

export const unsubscribeRoutes = router()
  .openapi(readRoute, async (c) => {
    c.header('cache-control', 'no-store');
    const { token } = c.req.valid('param');
    if (/\btext\/html\b/.test(c.req.header('accept') ?? '')) return c.redirect(`/unsubscribe/${encodeURIComponent(token)}`, 303);
    return c.json(await readUnsubscribe(c.get('deps'), token), 200);
  })
  .openapi(postRoute, async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(await unsubscribe(c.get('deps'), c.req.valid('param').token), 200);
  });
