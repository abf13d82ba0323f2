// The built app runs under its Content-Security-Policy with no violation: sign-up, the packages
// list, receiving a package with a photo and viewing it. Violations are caught twice: the
// `securitypolicyviolation` events of every page (reported to the test as they happen, so none is
// lost to a navigation) and Chromium's console errors, which the fixture fails the test on.
import { AppPage, newAccount } from './pages/app.ts';
import { PackagesPage } from './pages/packages.ts';
import { desktopOnly, expect, jpeg, test, trackingNo } from './fixtures.ts';

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  url: string;
}

test('the app runs under a strict Content-Security-Policy with no violation', async ({ page, context, request }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const violations: Violation[] = [];
  const cspConsole: string[] = [];
  await context.exposeBinding('ptpReportCspViolation', (_source, v: Violation) => void violations.push(v));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { ptpReportCspViolation(v: unknown): void }).ptpReportCspViolation;
      report({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, url: e.documentURI });
    });
  });
  context.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspConsole.push(m.text());
  });

  // The header is on the shell and on the SPA fallback; JSON answers keep the API's own headers.
  for (const path of ['/', '/index.html', '/packages', '/login']) {
    const res = await request.get(path, { headers: { accept: 'text/html' } });
    const csp = res.headers()['content-security-policy'] ?? '';
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+ 'wasm-unsafe-eval';/);
    expect(csp, path).not.toContain("'unsafe-inline'");
    expect(csp, path).not.toContain("'unsafe-eval'");
  }

  const app = new AppPage(page);
  await app.signUp(newAccount('csp'));
  const pk = new PackagesPage(page);
  await pk.open();
  await pk.openReceive();
  const tracking = trackingNo('CSP');
  await pk.receive({ tracking, recipient: 'Casey Policy', photo: { name: 'label.jpg', mimeType: 'image/jpeg', buffer: await jpeg(1) } });
  await pk.expectAllSynced();
  await pk.backToList();
  await pk.openPackage(tracking);
  await expect(pk.photo('Intake photo')).toHaveAttribute('src', /^\/api\/sync\/blobs\/[0-9a-f]{64}$/);
  await pk.expectImageLoaded(pk.photo('Intake photo'));
  await page.reload();
  await expect(pk.detailTracking).toHaveText(tracking);

  expect(violations).toEqual([]);
  expect(cspConsole).toEqual([]);
});

test('the policy is enforced: an injected inline script does not run', async ({ browser }, testInfo) => {
  desktopOnly(testInfo.project.name);
  // Its own context: the refusal is logged as a console error, which is the point here.
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    const refused = new Promise<string>((resolve) =>
      page.on('console', (m) => /Content Security Policy/.test(m.text()) && resolve(m.text())),
    );
    await page.goto('/login');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.ptpInjected = true';
      document.body.append(s);
      return (window as unknown as { ptpInjected?: boolean }).ptpInjected === true;
    });
    expect(ran).toBe(false);
    expect(await refused).toMatch(/script-src/);
  } finally {
    await ctx.close();
  }
});
