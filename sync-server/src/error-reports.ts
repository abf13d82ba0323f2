// Error reports to Sentry, on only when SENTRY_DSN is set. Every event and breadcrumb passes the
// shared scrubber (src/lib/domain/scrub.ts) first: no package data leaves (privacy policy,
// "Sentry — for error tracking"). Unexpected errors reach Sentry from the one error funnel
// (http/errors.ts) with the method and the route pattern, never the request.
import * as Sentry from '@sentry/node';
import { COLLECT_NOTHING, scrubBreadcrumb, scrubEvent } from '../../src/lib/domain/scrub.ts';
import type { Env } from './env.ts';

/** Integrations that read things a report must not carry: source lines, local variables, console output. */
const UNWANTED = new Set(['ContextLines', 'LocalVariables', 'Console']);

export function initSentry(env: Pick<Env, 'SENTRY_DSN' | 'NODE_ENV'>): boolean {
  if (!env.SENTRY_DSN) return false;
  Sentry.init({
    dsn: env.SENTRY_DSN,
    environment: env.NODE_ENV,
    dataCollection: COLLECT_NOTHING,
    // Errors only: no tracesSampleRate, so no performance spans carrying URLs or queries.
    integrations: (defaults) => defaults.filter((i) => !UNWANTED.has(i.name)),
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb),
  });
  return true;
}

/**
 * An unexpected error (an answer 500). Tags carry the method, the route pattern (`/api/sync/blobs/:sha256`,
 * not the path with its hash) and the error's code when it is a short code (P2002, 23505, ECONNRESET).
 * A no-op when Sentry is off.
 */
export function reportUnexpectedError(err: unknown, where: { method: string; route: string }): void {
  const code = (err as { code?: unknown } | null)?.code;
  Sentry.withScope((scope) => {
    scope.setTags({ method: where.method, route: where.route });
    if (typeof code === 'string' && /^[A-Z0-9_]{2,32}$/.test(code)) scope.setTag('code', code);
    Sentry.captureException(err);
  });
}

/** Sends what is queued (before the process exits, and in tests). */
export const flushErrorReports = (timeoutMs = 2000) => Sentry.flush(timeoutMs);
