// Error reports to Sentry, loaded only on a deployment that has SENTRY_DSN set (see
// src/hooks.client.ts): without a DSN the SDK's ~60 KB never reach the device. Every event and
// breadcrumb passes the scrubber the server uses: no package data leaves the device (privacy
// policy, "Sentry — for error tracking").
import type { HandleClientError } from '@sveltejs/kit';
import { handleErrorWithSentry, init } from '@sentry/sveltekit';
import { COLLECT_NOTHING, scrubBreadcrumb, scrubEvent } from '$lib/domain/scrub';

export function startErrorReports(dsn: string): HandleClientError {
  init({
    dsn,
    sendDefaultPii: false,
    dataCollection: COLLECT_NOTHING,
    // Errors only: no tracing, no session replay.
    integrations: (defaults) => defaults.filter((i) => i.name !== 'BrowserTracing'),
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb),
  });
  return handleErrorWithSentry();
}
