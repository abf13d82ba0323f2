// Runs once when the app starts, before any route code.
import { z } from 'zod';

// zod 4 compiles object parsers with `new Function` when it may; under the app's
// Content-Security-Policy (no 'unsafe-eval', sync-server/src/http/csp.ts) its probe for that is
// refused and reported as a violation. The interpreted parsers give the same results.
z.config({ jitless: true });
