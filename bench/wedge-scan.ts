// A keyboard-wedge scan at the intake desk, to the package saved and listed.
//   npx tsx bench/wedge-scan.ts [--scans 200] [--offline]
//
// The real app in headless Chromium (Debian's, as the e2e tests use): the built PWA (`build/`,
// built with `npx vite build` when missing) and the API from one in-process server on a random
// port, on a fresh database on the real Postgres. One tablet signs in, gets a directory of ten
// people, and opens the receive screen in rapid mode. For each package a simulated scanner
// types a distinct tracking number to the page, keys 5 ms apart, then Enter (each key stamped with
// its own time, as a real scanner's: tests/e2e/wedge-scanner.ts), with the focus left on
// the page (nothing focused); the operator's part (the recipient's name, then Enter) is filled in
// by the harness (a person of the directory). Timed in the page, from the browser's own event timestamps:
//   scan → ready:      the scanner's Enter → the number filled in and the recipient field focused
//   enter → saved:     the operator's Enter → "Saved …" shown (the package is in IndexedDB and queued)
//   enter → listed:    the operator's Enter → its row shown in this shift's list beside the form
// The figure against the target is scan → ready plus enter → listed (the app's own time for a
// package; the operator's typing is not the app's). 10 warm-up scans are not counted.
// Prints one JSON line; bench/README.md records results. Target: p95 ≤ 50 ms.
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../tests/chromium.ts';
import { wedgeScan } from '../tests/e2e/wedge-scanner.ts';
import { signInPage, signUp, startServedApp } from './served-app.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const SCANS = arg('scans', 200);
// --offline: the browser has no network once both screens are open (no sync work beside the saves).
const OFFLINE = process.argv.includes('--offline');
const WARMUP = 10;

const machine = `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;

const served = await startServedApp();
const { base } = served;
const browser = await chromium.launch(chromiumLaunchOptions);

// Marks in epoch milliseconds (timeOrigin + performance.now()), comparable across the two tabs. An
// Enter is marked when the page first sees it (a capture listener registered before the app's), not
// at its event timestamp: the simulated scanner stamps keys with the device's time, before the
// harness has delivered them.
// (Strings, not functions: tsx's transform would wrap named functions in a helper the page lacks.)
const receiveProbe = `{
  const at = (t) => performance.timeOrigin + t;
  const m = (globalThis.__ptpScan = { enters: [], ready: [], saved: [] });
  m.keys = [];
  addEventListener('keydown', (e) => { m.keys.push(e.key + '@' + e.timeStamp.toFixed(1)); if (e.key === 'Enter') m.enters.push(at(performance.now())); }, { capture: true });
  addEventListener('focusin', (e) => { if (e.target instanceof HTMLElement && e.target.id === 'recipient') m.ready.push(at(performance.now())); });
  new MutationObserver(() => {
    const s = [...document.querySelectorAll('[role="status"]')].find((el) => /^Saved /.test(el.textContent ?? ''));
    const text = s?.textContent ?? '';
    if (text && m.saved.at(-1)?.text !== text) m.saved.push({ text, at: at(performance.now()) });
  }).observe(document, { subtree: true, childList: true, characterData: true });
}`;
const listProbe = `{
  const m = (globalThis.__ptpList = new Map());
  new MutationObserver(() => {
    for (const row of document.querySelectorAll('[data-testid="shift-item"]')) {
      const text = row.textContent ?? '';
      for (const t of text.match(/[A-Z0-9]{12,}/g) ?? []) if (!m.has(t)) m.set(t, performance.timeOrigin + performance.now());
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}`;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10;
};
const stats = (xs: number[]) => ({ p50: pct(xs, 50), p95: pct(xs, 95), max: pct(xs, 100) });

try {
  const { account } = await signUp(base);

  const context = await browser.newContext({ baseURL: base, viewport: { width: 1180, height: 820 }, hasTouch: true });
  const desk = await context.newPage();
  await signInPage(desk, account);

  // The directory the operator picks from: people pushed by another device of the same person.
  const me = (await (await context.request.get('/api/me')).json()) as { activeFacilityId: string };
  const people = Array.from({ length: 10 }, (_, k) => ({ id: randomUUID(), name: `Person ${String.fromCharCode(65 + k)}` }));
  const seeded = await context.request.post('/api/sync/push', {
    headers: { origin: base },
    data: {
      protocolVersion: 1,
      schemaVersion: 1,
      facilityId: me.activeFacilityId,
      clientId: randomUUID(),
      mutations: people.map((args, k) => ({ id: k + 1, name: 'recipient.upsert', args, clientTime: new Date().toISOString() })),
    },
  });
  if (seeded.status() !== 200) throw new Error(`seeding the directory → ${seeded.status()} ${await seeded.text()}`);

  // "Listed" is the package's row in this shift's running list on the receive screen itself.
  const list = desk;
  await desk.addInitScript(receiveProbe);
  await desk.addInitScript(listProbe);
  await desk.goto('/packages/receive');
  const tracking = desk.getByRole('textbox', { name: 'Tracking number' });
  const recipient = desk.getByRole('combobox', { name: 'Recipient' });
  await tracking.waitFor();
  // Rapid mode: Enter on the recipient saves. Wait until the pulled directory is on the device.
  await desk.getByLabel('Rapid mode (Enter on the recipient saves)').setChecked(true);
  for (let tries = 0; ; tries++) {
    await recipient.fill(people[9]!.name);
    const found = await desk
      .getByRole('listbox', { name: 'Matching recipients' })
      .getByRole('option')
      .filter({ hasText: people[9]!.name })
      .first()
      .waitFor({ timeout: 2000 })
      .then(
        () => true,
        () => false,
      );
    if (found) break;
    if (tries > 20) throw new Error('the directory never reached the device');
    await desk.reload();
    await desk.getByLabel('Rapid mode (Enter on the recipient saves)').setChecked(true);
  }
  await recipient.fill('');
  if (OFFLINE) await context.setOffline(true);

  const readyMs: number[] = [];
  const savedMs: number[] = [];
  const listedMs: number[] = [];
  const totalMs: number[] = [];
  const stamp = Date.now().toString(36).toUpperCase();
  for (let i = 0; i < WARMUP + SCANS; i++) {
    const code = `PT${stamp}${String(i).padStart(6, '0')}`;
    await desk.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await wedgeScan(desk, code);
    await desk
      .waitForFunction(
        (c) =>
          (document.activeElement as HTMLElement | null)?.id === 'recipient' &&
          (document.querySelector('input[autocapitalize]') as HTMLInputElement).value === c,
        code,
        { timeout: 10_000 },
      )
      .catch(async (e) => {
        await desk.screenshot({ path: '/tmp/wedge-bench.png' });
        console.error(
          i,
          code,
          await desk.evaluate(() => [
            document.activeElement?.outerHTML.slice(0, 80),
            (document.querySelector('input[autocapitalize]') as HTMLInputElement)?.value,
            (globalThis as unknown as { __ptpScan: { keys: string[] } }).__ptpScan.keys.slice(-20).join(' '),
          ]),
        );
        throw e;
      });
    await recipient.fill(people[i % people.length]!.name); // fill: typed keys at machine speed would read as a scan
    await recipient.press('Enter');
    await desk
      .getByRole('status')
      .filter({ hasText: `Saved ${code} ` })
      .waitFor();
    await list.waitForFunction((c) => (globalThis as unknown as { __ptpList: Map<string, number> }).__ptpList.has(c), code, {
      polling: 20,
    });
    const m = await desk.evaluate(() => {
      const s = (globalThis as unknown as { __ptpScan: { enters: number[]; ready: number[]; saved: { text: string; at: number }[] } })
        .__ptpScan;
      return { enters: s.enters.slice(-2), ready: s.ready.at(-1)!, saved: s.saved.at(-1)! };
    });
    const listedAt = await list.evaluate((c) => (globalThis as unknown as { __ptpList: Map<string, number> }).__ptpList.get(c)!, code);
    if (!m.saved.text.startsWith(`Saved ${code} `)) throw new Error(`saved mark of another package: ${m.saved.text}`);
    const [scanEnter, operatorEnter] = m.enters as [number, number];
    if (i < WARMUP) continue;
    readyMs.push(m.ready - scanEnter);
    savedMs.push(m.saved.at - operatorEnter);
    listedMs.push(listedAt - operatorEnter);
    totalMs.push(m.ready - scanEnter + (listedAt - operatorEnter));
  }
  const rows = await list.getByTestId('shift-item').count();
  console.log(
    JSON.stringify({
      date: new Date().toISOString(),
      machine,
      loadavg: os.loadavg().map((l) => Math.round(l * 10) / 10),
      bench: 'wedge-scan',
      network: OFFLINE ? 'offline' : 'online',
      scans: SCANS,
      rowsListed: rows,
      scanToReadyMs: stats(readyMs),
      enterToSavedMs: stats(savedMs),
      enterToListedMs: stats(listedMs),
      appTimePerPackageMs: stats(totalMs),
      target: 'appTimePerPackage p95 ≤ 50 ms',
    }),
  );
  await context.close();
} finally {
  await browser.close();
  await served.close();
}
