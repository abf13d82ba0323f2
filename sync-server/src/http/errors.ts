// One error type with stable codes (http-api.md: `{ error: "<stable_code>", message }`), and the
// one place that turns anything thrown into that answer.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { matchedRoutes, routePath } from 'hono/route';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { reportUnexpectedError } from '../error-reports.ts';

export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = 'Not found') => new AppError(404, 'not_found', what);
export const forbidden = (message = 'You are not allowed to do that') => new AppError(403, 'forbidden', message);
export const unauthorized = () => new AppError(401, 'unauthorized', 'Sign in first');

export function invalidInput(error: ZodError): AppError {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  return new AppError(400, 'invalid_input', first ? `${first.path ? first.path + ': ' : ''}${first.message}` : 'Invalid input', {
    issues,
  });
}

export function errorResponse(c: Context, err: unknown) {
  if (err instanceof AppError) {
    // RFC 9110 §10.2.3: a 429 says when to come back.
    if (typeof err.extra.retryAfterSeconds === 'number') c.header('Retry-After', String(err.extra.retryAfterSeconds));
    return c.json({ error: err.code, message: err.message, ...err.extra }, err.status);
  }
  if (err instanceof ZodError) return errorResponse(c, invalidInput(err));
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const code =
      ({ 400: 'invalid_input', 413: 'payload_too_large', 415: 'unsupported_media_type' } as Record<number, string>)[status] ?? 'http_error';
    return c.json({ error: code, message: err.message || 'Request refused' }, status);
  }
  if (isDatabaseUnavailable(err)) {
    return c.json({ error: 'unavailable', message: 'The database is unavailable; try again shortly' }, 503);
  }
  // Unexpected: logged without request bodies (no package data in error reports).
  console.error(
    '[error]',
    c.req.method,
    c.req.path,
    err instanceof Error ? `${err.name} ${(err as { code?: string }).code ?? ''} ${err.stack}` : err,
  );
  reportUnexpectedError(err, { method: c.req.method, route: routePattern(c) });
  return c.json({ error: 'internal', message: 'Something went wrong on our side' }, 500);
}

/**
 * The pattern of the route the request was for (`/api/sync/blobs/:sha256`), also when a middleware
 * threw before the handler ran; never the path itself, which may carry a hash or a token.
 */
function routePattern(c: Context): string {
  return matchedRoutes(c).find((r) => r.method === c.req.method)?.path ?? routePath(c);
}

/**
 * Transient database failures, answered 503 so devices retry with backoff: lost connections,
 * SQLSTATE class 08 (connection exception), 57P01-03 (shutdown, cannot connect now), 53300 (too
 * many connections), 40001/40P01 (serialization failure, deadlock: safe to retry as a whole).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const text = err instanceof Error ? `${err.name} ${err.message} ${(err as { code?: string }).code ?? ''}` : '';
  return (
    /ECONNREFUSED|ECONNRESET|EPIPE|Connection terminated|connection error|P1001|P1017|DatabaseNotReachable|Can't reach database/i.test(
      text,
    ) || /Code: `(08\w{3}|57P0[123]|53300|40001|40P01)`/.test(text)
  );
}
