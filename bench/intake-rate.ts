// Packages per minute by one simulated operator at the receive screen, in headless Chromium.
//   npx tsx bench/intake-rate.ts [--packages 60] [--recipients 2000]
//
// The built PWA (`build/`, built with `npx vite build` when missing) and the API from one in-process
// server on a scratch database of the real Postgres. One facility with a directory of N recipients
// (pushed as recipient.upsert). The operator works in rapid mode, as at a real desk: the scanner
// types the tracking number (5 ms a character) and Enter, the person types the first five letters
// of the recipient's last name, looks at the matches, and presses Enter, which saves; the clock of
// each package runs from the first scanned character to the "Saved …" confirmation. Two runs:
//   - "operator": a person typing at 100 ms a key and reading the list for 300 ms: what a desk gets;
//   - "app-bound": no human delays at all: what the screen itself costs per package.
// Prints one JSON line per run; bench/README.md records results. Target: ≥ 30 packages a minute.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { chromium, type Page } from 'playwright-core';
import { chromiumLaunchOptions } from '../tests/chromium.ts';
import { signInPage, signUp, startServedApp } from './served-app.ts';
import { syntheticDirectory } from './synthetic-recipients.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const PACKAGES = arg('packages', 60);
/** The server's port: the origin check accepts only its own origin (default: 4231). */
const PORT = arg('port', 4231);
const RECIPIENTS = arg('recipients', 2000);

const machine = `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
const line = (o: Record<string, unknown>) =>
  console.log(JSON.stringify({ date: new Date().toISOString(), machine, load: +os.loadavg()[0]!.toFixed(1), ...o }));

const served = await startServedApp({ port: PORT });
const { base } = served;
const browser = await chromium.launch(chromiumLaunchOptions);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

try {
  const { account, cookie, me } = await signUp(base);
  const SEED_CLIENT = randomUUID();
  const { recipients } = syntheticDirectory(RECIPIENTS, 11);
  const clientTime = new Date().toISOString();
  for (let i = 0; i < recipients.length; i += 500) {
    const batch = recipients.slice(i, i + 500);
    const res = await fetch(`${base}/api/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base, cookie },
      body: JSON.stringify({
        protocolVersion: 1,
        schemaVersion: 1,
        facilityId: me.activeFacilityId,
        clientId: SEED_CLIENT,
        mutations: batch.map((r, j) => ({
          id: i + j + 1,
          name: 'recipient.upsert',
          args: { id: randomUUID(), name: r.name, email: r.email, employeeId: r.employeeId },
          clientTime,
        })),
      }),
    });
    if (res.status !== 200) throw new Error(`seeding → ${res.status} ${await res.text()}`);
  }

  const context = await browser.newContext({ baseURL: base, viewport: { width: 1180, height: 820 }, hasTouch: true });
  const page = await context.newPage();
  await signInPage(page, account);
  await page.getByTestId('active-facility-name').waitFor();
  await page.getByRole('link', { name: 'Receive packages' }).click();
  await page.getByLabel('Rapid mode (Enter on the recipient saves)').check();
  // The directory is on the device once a name finds its person.
  const probe = recipients[0]!.name;
  await page.getByRole('combobox', { name: 'Recipient' }).fill(probe);
  await page
    .getByRole('listbox', { name: 'Matching recipients' })
    .getByRole('option')
    .filter({ hasText: probe })
    .first()
    .waitFor({ timeout: 120_000 });
  await page.getByRole('combobox', { name: 'Recipient' }).fill('');
  await page.getByRole('textbox', { name: 'Tracking number' }).focus();

  let n = 0;
  for (const run of [
    { name: 'operator', key: 100, read: 300 },
    { name: 'app-bound', key: 0, read: 0 },
  ]) {
    const times: number[] = [];
    const started = performance.now();
    for (let i = 0; i < PACKAGES; i++) times.push(await onePackage(page, recipients[(n * 7919) % recipients.length]!.name, n++, run));
    const minutes = (performance.now() - started) / 60_000;
    line({
      bench: 'intake-rate',
      run: run.name,
      packages: PACKAGES,
      recipients: RECIPIENTS,
      perMinute: +(PACKAGES / minutes).toFixed(1),
      perPackageMs: { p50: Math.round(pct(times, 50)), p95: Math.round(pct(times, 95)), max: Math.round(Math.max(...times)) },
      humanDelaysMs: 5 * run.key + run.read,
      target: { perMinute: 30 },
    });
  }
  await context.close();
} finally {
  await browser.close();
  await served.close();
}

/** Scan, five letters of the last name, read the list, Enter (rapid mode saves). Returns the ms taken. */
async function onePackage(page: Page, name: string, n: number, run: { key: number; read: number }): Promise<number> {
  const tracking = `BENCH${Date.now().toString(36).toUpperCase()}${String(n).padStart(4, '0')}`;
  const last = name.split(' ').at(-1)!.replace(/-.*/, '');
  const t0 = performance.now();
  await page.keyboard.type(tracking, { delay: 5 });
  await page.keyboard.press('Enter');
  await page.keyboard.type(last.slice(0, 5), { delay: run.key });
  await page.getByRole('listbox', { name: 'Matching recipients' }).getByRole('option').first().waitFor();
  if (run.read) await page.waitForTimeout(run.read);
  await page.keyboard.press('Enter');
  await page
    .getByRole('status')
    .filter({ hasText: `Saved ${tracking} for` })
    .waitFor();
  return performance.now() - t0;
}
