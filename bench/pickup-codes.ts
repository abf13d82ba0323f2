// Checking a recipient's pickup code on the device (src/lib/domain/pickup-code.ts): one HMAC-SHA256
// per candidate package, kept per package afterwards. How long the first check over 5,000 open
// packages takes when no code is computed yet (the cold case: a check right after the app opens,
// before the idle warm-up), and a later check (codes kept). Worst case both times: the code is
// the last package's, or no package's.
//   npx tsx bench/pickup-codes.ts [--packages 5000] [--runs 20]
// Runs in Node, then in headless Chromium at 1× and at 4× CPU throttling (DevTools' "mid-tier
// mobile" setting) as a stand-in for a phone. Prints one JSON line per engine; bench/README.md
// records results. Target: well under 100 ms on a phone for a check.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../tests/chromium.ts';
import { findPickup, newPickupKey, pickupCodeFor, type PickupPackage } from '../src/lib/domain/pickup-code.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('packages', 5000);
const RUNS = arg('runs', 20);
const machine = `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`;

/** The measurement, self-contained so it also runs in the browser (given the module's functions). */
function measure(
  lib: { findPickup: typeof findPickup; newPickupKey: typeof newPickupKey; pickupCodeFor: typeof pickupCodeFor },
  n: number,
  runs: number,
) {
  const facilityId = crypto.randomUUID();
  const recipients = Array.from({ length: Math.ceil(n / 4) }, () => crypto.randomUUID());
  const cold: number[] = [];
  const warm: number[] = [];
  for (let run = 0; run < runs; run++) {
    const key = lib.newPickupKey(); // a fresh key each run: nothing kept from the run before
    const packages: PickupPackage[] = Array.from({ length: n }, (_, i) => ({
      id: crypto.randomUUID(),
      recipientId: recipients[i % recipients.length]!,
      recipientName: `Person ${i}`,
      status: i % 5 === 0 ? 'held' : 'received',
    }));
    const last = packages[n - 1]!;
    const code = lib.pickupCodeFor(key, {
      facilityId,
      recipientId: last.recipientId,
      recipientName: last.recipientName,
      packageId: last.id,
    });
    let t = performance.now();
    if (!lib.findPickup(key, facilityId, code, packages).ok) throw new Error('not found');
    cold.push(performance.now() - t);
    t = performance.now();
    lib.findPickup(key, facilityId, 'ZZZZ-ZZZZ', packages);
    warm.push(performance.now() - t);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return {
    coldMedianMs: +median(cold).toFixed(1),
    coldMaxMs: +Math.max(...cold).toFixed(1),
    warmMedianMs: +median(warm).toFixed(2),
    perCodeUs: +((median(cold) / n) * 1000).toFixed(1),
  };
}

console.log(
  JSON.stringify({
    bench: 'pickup-codes',
    engine: 'node',
    machine,
    packages: N,
    runs: RUNS,
    ...measure({ findPickup, newPickupKey, pickupCodeFor }, N, RUNS),
  }),
);

// The same in Chromium: the module bundled for the browser, the measurement passed as source.
const bundle = await build({
  entryPoints: [fileURLToPath(new URL('../src/lib/domain/pickup-code.ts', import.meta.url))],
  bundle: true,
  format: 'iife',
  globalName: 'pickup',
  write: false,
  platform: 'browser',
});
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  for (const throttle of [1, 4]) {
    const page = await browser.newPage();
    // A secure context (crypto.randomUUID): an empty page served as http://localhost.
    await page.route('http://localhost/', (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' }));
    await page.goto('http://localhost/');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    // tsx names functions through a helper (`__name`) that the passed source still calls.
    await page.addScriptTag({ content: 'globalThis.__name = (f) => f;' });
    const result = await page.evaluate(
      ([src, n, runs]) => (0, eval)(`(${src})`)((globalThis as unknown as { pickup: unknown }).pickup, n, runs),
      [measure.toString(), N, RUNS] as const,
    );
    console.log(
      JSON.stringify({ bench: 'pickup-codes', engine: `chromium, CPU ${throttle}× slower`, machine, packages: N, runs: RUNS, ...result }),
    );
    await page.close();
  }
} finally {
  await browser.close();
}
