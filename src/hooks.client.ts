// Runs once when the app starts, before any route code.
//
// Error reports go to Sentry only when the server that served this page has SENTRY_DSN set (it adds
// <meta name="sentry-dsn">, sync-server/src/http/sentry-meta.ts), so one build serves every
// deployment. The SDK is then loaded on its own, after the app; an error in the meantime waits for it.
import type { HandleClientError } from '@sveltejs/kit';
import { z } from 'zod';

// zod 4 compiles object parsers with `new Function` when it may; under the app's
// Content-Security-Policy (no 'unsafe-eval', sync-server/src/http/csp.ts) its probe for that is
// refused and reported as a violation. The interpreted parsers give the same results.
z.config({ jitless: true });

type ErrorInput = Parameters<HandleClientError>[0];

const dsn = document.querySelector<HTMLMetaElement>('meta[name="sentry-dsn"]')?.content;
const waiting: ErrorInput[] = [];
let report: HandleClientError | undefined;

if (dsn) {
  void import('$lib/client/error-reports').then(({ startErrorReports }) => {
    report = startErrorReports(dsn);
    for (const input of waiting.splice(0)) void report(input);
  });
}

// Without a DSN this adds nothing: SvelteKit's default handling stays.
export const handleError: HandleClientError = (input) => {
  if (report) return report(input);
  if (dsn) waiting.push(input);
};
