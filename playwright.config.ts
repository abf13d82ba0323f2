import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/chromium.ts';

// End-to-end tests in Debian's Chromium (Playwright cannot download its own browser here) against
// the app as `npm start` runs it: the built PWA and the API from one process on the embedded
// database in a fresh data directory.
const PORT = Number(process.env.E2E_PORT ?? 4173);
// Billing is on in the e2e run, against a fake Stripe beside the app (tests/e2e/fake-stripe-server.ts);
// new facilities are in their trial (fully usable), so the other specs are not affected.
const STRIPE_PORT = Number(process.env.E2E_STRIPE_PORT ?? PORT + 9);
const STRIPE = {
  STRIPE_SECRET_KEY: 'sk_test_e2e',
  STRIPE_WEBHOOK_SECRET: 'whsec_e2e_billing',
  STRIPE_PRICE_ID: 'price_e2e_facility',
  STRIPE_API_BASE: `http://127.0.0.1:${STRIPE_PORT}`,
};
const chromium = chromiumLaunchOptions;

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    launchOptions: chromium,
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 }, launchOptions: chromium } },
    {
      name: 'tablet',
      use: { viewport: { width: 1180, height: 820 }, hasTouch: true, isMobile: false, deviceScaleFactor: 2, launchOptions: chromium },
    },
    {
      name: 'phone',
      use: { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 3, launchOptions: chromium },
    },
  ],
  webServer: [
    {
      command: `node --import tsx tests/e2e/fake-stripe-server.ts`,
      url: `http://127.0.0.1:${STRIPE_PORT}/health`,
      timeout: 60_000,
      reuseExistingServer: false,
      env: {
        E2E_STRIPE_PORT: String(STRIPE_PORT),
        E2E_APP_URL: `http://localhost:${PORT}`,
        STRIPE_WEBHOOK_SECRET: STRIPE.STRIPE_WEBHOOK_SECRET,
      },
    },
    {
      command: `node scripts/e2e-server.mjs`,
      url: `http://localhost:${PORT}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      // Local webhooks allowed: the Slack and Teams stand-ins of the specs listen on 127.0.0.1.
      env: { PORT: String(PORT), AUTH_RATE_LIMIT_PER_MINUTE: '1000', NODE_ENV: 'development', ALLOW_LOCAL_WEBHOOKS: 'true', ...STRIPE },
    },
  ],
});
