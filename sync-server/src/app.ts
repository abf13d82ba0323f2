// createApp(): the whole HTTP API as one Hono app, built from its dependencies (tests build their
// own and call it in-process with app.request). main.ts adds static files and listens.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv, Deps } from './context.ts';
import { AppError, errorResponse } from './http/errors.ts';
import { sameOriginOnly } from './http/origin.ts';
import { pushFloodGuard } from './http/rate-limit.ts';
import { sentryDsnMeta } from './http/sentry-meta.ts';
import { loadSession } from './http/session.ts';
import { activityRoutes } from './routes/activity.ts';
import { aiRoutes } from './routes/ai.ts';
import { authRoutes } from './routes/auth.ts';
import { blobRoutes } from './routes/blobs.ts';
import { custodyRoutes } from './routes/custody.ts';
import { directoryRoutes } from './routes/directory.ts';
import { exportRoutes } from './routes/exports.ts';
import { facilityRoutes } from './routes/facilities.ts';
import { healthRoutes } from './routes/health.ts';
import { integrationRoutes } from './routes/integrations.ts';
import { invitationRoutes } from './routes/invitations.ts';
import { meRoutes } from './routes/me.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { organizationRoutes } from './routes/organization.ts';
import { memberRoutes } from './routes/members.ts';
import { packageRoutes } from './routes/packages.ts';
import { reportRoutes } from './routes/reports.ts';
import { syncRoutes } from './routes/sync.ts';
import { unsubscribeRoutes } from './routes/unsubscribe.ts';

/** JSON bodies above this are refused with 413 before they are parsed. */
export const JSON_BODY_LIMIT = 1024 * 1024;

/**
 * Blob uploads (image bytes) and the directory import (CSV) are the non-JSON bodies; each route
 * reads its own, larger limit (routes/blobs.ts, routes/directory.ts).
 */
const hasOwnBodyLimit = (c: Context) =>
  (c.req.method === 'PUT' && c.req.path.startsWith('/api/sync/blobs/')) ||
  (c.req.method === 'POST' && c.req.path === '/api/directory/import') ||
  // A label crop (image bytes, up to 2 MiB): routes/ai.ts reads it.
  (c.req.method === 'POST' && c.req.path === '/api/ai/label');

/**
 * RFC 8058 §3.1: mail providers POST the one-click unsubscribe as a form (urlencoded or multipart)
 * with no Origin or cookie; its token is its only authority, so neither the JSON rule nor the
 * same-origin rule (which guards cookie-carrying requests) applies to it. Its body is not read.
 */
const isOneClickUnsubscribe = (c: Context) => c.req.method === 'POST' && /^\/api\/unsubscribe\/[^/]+$/.test(c.req.path);

/** http-api.md: "All bodies are JSON" (blob uploads aside); anything else is 415, not a guess. */
const jsonBodiesOnly: MiddlewareHandler = async (c, next) => {
  const hasBody = Number(c.req.header('content-length') ?? 0) > 0 || c.req.header('transfer-encoding') !== undefined;
  if (
    hasBody &&
    !hasOwnBodyLimit(c) &&
    !isOneClickUnsubscribe(c) &&
    !/^application\/([\w.+-]+\+)?json\b/i.test(c.req.header('content-type') ?? '')
  ) {
    throw new AppError(415, 'unsupported_media_type', 'Send the request body as application/json');
  }
  await next();
};

export function createApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>();
  app.onError((err, c) => errorResponse(c, err));
  app.use('*', secureHeaders({ crossOriginEmbedderPolicy: false, contentSecurityPolicy: undefined }));
  app.use('/api/*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  // JSON bodies are limited here; blob uploads read their own, larger limit (http/read-body.ts).
  const jsonLimit = bodyLimit({
    maxSize: JSON_BODY_LIMIT,
    onError: () => {
      throw new AppError(413, 'payload_too_large', `Request bodies are limited to ${JSON_BODY_LIMIT} bytes`);
    },
  });
  app.use('/api/*', (c, next) => (hasOwnBodyLimit(c) ? next() : jsonLimit(c, next)));
  app.use('/api/*', jsonBodiesOnly);
  const sameOrigin = sameOriginOnly(deps.env);
  app.use('/api/*', (c, next) => (isOneClickUnsubscribe(c) ? next() : sameOrigin(c, next)));
  app.use('/api/sync/push', pushFloodGuard);
  app.use('/api/*', loadSession);

  const routes = app
    .route('/', healthRoutes)
    .route('/', authRoutes)
    .route('/', meRoutes)
    .route('/', facilityRoutes)
    .route('/', memberRoutes)
    .route('/', invitationRoutes)
    .route('/', syncRoutes)
    .route('/', blobRoutes)
    .route('/', directoryRoutes)
    .route('/', packageRoutes)
    .route('/', custodyRoutes)
    .route('/', exportRoutes)
    .route('/', activityRoutes)
    .route('/', reportRoutes)
    .route('/', organizationRoutes)
    .route('/', integrationRoutes)
    .route('/', notificationRoutes)
    .route('/', unsubscribeRoutes)
    .route('/', aiRoutes);

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'PackageTrack Pro API',
      version: '1.0.0',
      description: 'Accounts, facilities and the offline sync protocol. Errors are { error: <stable code>, message }.',
    },
  });
  app.all('/api/*', (c) => c.json({ error: 'not_found', message: 'No such API route' }, 404));
  // Registered after every API route, so it wraps only what main.ts serves next: the built app.
  if (deps.env.SENTRY_DSN) app.use('*', sentryDsnMeta(deps.env.SENTRY_DSN));
  return routes;
}

export type AppType = ReturnType<typeof createApp>;
