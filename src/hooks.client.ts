// Runs once when the app starts, before any route code.
//
// Error reports from the app to Sentry, only when the server that served this page has SENTRY_DSN
// set (it adds <meta name="sentry-dsn">, sync-server/src/http/sentry-meta.ts), so one build serves
// every deployment. Every event and breadcrumb passes the scrubber the server uses: no package data
// leaves the device (privacy policy, "Sentry — for error tracking").
import { handleErrorWithSentry, init } from '@sentry/sveltekit';
import { z } from 'zod';
import { COLLECT_NOTHING, scrubBreadcrumb, scrubEvent } from '$lib/domain/scrub';

// zod 4 compiles object parsers with `new Function` when it may; under the app's
// Content-Security-Policy (no 'unsafe-eval', sync-server/src/http/csp.ts) its probe for that is
// refused and reported as a violation. The interpreted parsers give the same results.
z.config({ jitless: true });

const dsn = document.querySelector<HTMLMetaElement>('meta[name="sentry-dsn"]')?.content;

if (dsn) {
  init({
    dsn,
    sendDefaultPii: false,
    dataCollection: COLLECT_NOTHING,
    // Errors only: no tracing, no session replay.
    integrations: (defaults) => defaults.filter((i) => i.name !== 'BrowserTracing'),
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb),
  });
}

// Without a DSN there is no client and this only passes the error on to SvelteKit's default.
export const handleError = handleErrorWithSentry();
