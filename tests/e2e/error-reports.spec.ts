// Errors to Sentry from the app (issue: production hardening, Operations): with a DSN in the page,
// an uncaught error reaches Sentry's ingest endpoint with its type and stack, and none of the
// package data around it (privacy policy: "No package data is included in error reports").
// The page gets the <meta name="sentry-dsn"> the server adds when SENTRY_DSN is set; Playwright
// stands in for Sentry's ingest endpoint.
import { expect, test } from '@playwright/test';

const DSN = 'http://publickey@sentry.invalid/1';
const TRACKING = '1Z999AA10123456784';
const NAME = 'Philippa Quartermaine';
const EMAIL = 'philippa.q@recipients.example';
const PHONE = '+1 (415) 555-0199';
const NOTE = 'leave behind the blue planter';
const PACKAGE_DATA = [
  TRACKING,
  NAME,
  'Quartermaine',
  EMAIL,
  encodeURIComponent(EMAIL),
  PHONE,
  '555-0199',
  NOTE,
  'blue planter',
  'blue%20planter',
];

// page.route sees no request a service worker answers.
test.use({ serviceWorkers: 'block' });

test('an uncaught error in the app reaches Sentry scrubbed of package data', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'one viewport is enough: the SDK and scrubber do not depend on it');
  const envelopes: string[] = [];
  await page.route('http://sentry.invalid/**', async (route) => {
    envelopes.push(route.request().postData() ?? '');
    await route.fulfill({ status: 200, contentType: 'application/json', body: '{}' });
  });
  // The DSN as the server adds it to the page when SENTRY_DSN is set (sync-server/src/http/sentry-meta.ts).
  await page.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.fallback();
    const response = await route.fetch();
    const html = (await response.text()).replace('</head>', `<meta name="sentry-dsn" content="${DSN}" /></head>`);
    // With SENTRY_DSN set the server also lets the page connect to Sentry's host (http/csp.ts).
    const headers = response.headers();
    const csp = headers['content-security-policy'];
    if (csp) headers['content-security-policy'] = csp.replace('connect-src ', `connect-src ${new URL(DSN).origin} `);
    await route.fulfill({ response, body: html, headers });
  });

  await page.goto('/login');
  await expect(page.getByRole('button', { name: /sign in/i })).toBeVisible();

  // Package data in the console, a fetch URL, the address bar, and the error itself.
  await page.evaluate(
    async ({ tracking, name, email, phone, note }) => {
      console.log(`received ${tracking} for ${name}`);
      await fetch(`/api/health?q=${encodeURIComponent(email)}&note=${encodeURIComponent(note)}`);
      history.pushState({}, '', `/packages/${tracking}?recipient=${encodeURIComponent(name)}`);
      setTimeout(() => {
        throw new RangeError(`Cannot shelve ${tracking} for ${name} <${email}>, call ${phone}: ${note}`);
      });
    },
    { tracking: TRACKING, name: NAME, email: EMAIL, phone: PHONE, note: NOTE },
  );

  const events = () =>
    envelopes.flatMap((text) => {
      const lines = text.split('\n').filter(Boolean);
      const out = [];
      for (let i = 1; i + 1 < lines.length; i += 2) if (JSON.parse(lines[i]!).type === 'event') out.push(JSON.parse(lines[i + 1]!));
      return out;
    });
  const ours = () => events().find((e) => e.exception?.values?.at(-1)?.type === 'RangeError');
  await expect.poll(ours, { timeout: 15_000 }).toBeTruthy();

  const event = ours();
  const exception = event.exception.values.at(-1);
  expect(exception.type).toBe('RangeError');
  expect(exception.value).toBe('[redacted]');
  expect(exception.stacktrace.frames.length).toBeGreaterThan(0);
  // Where it happened, as a route: the tracking number in the path and the query are gone.
  expect(new URL(event.request.url).pathname).toBe('/packages/:redacted');
  const breadcrumbs = event.breadcrumbs as { category: string; data?: Record<string, unknown> }[];
  expect(breadcrumbs.map((b) => b.category)).not.toContain('console');
  expect(breadcrumbs).toContainEqual(
    expect.objectContaining({ category: 'fetch', data: { method: 'GET', url: '/api/health', status_code: 200 } }),
  );
  expect(breadcrumbs).toContainEqual(
    expect.objectContaining({ category: 'navigation', data: { from: '/login', to: '/packages/:redacted' } }),
  );

  for (const text of envelopes) for (const s of PACKAGE_DATA) expect(text).not.toContain(s);
});
