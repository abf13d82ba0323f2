// Checking a recipient's pickup code on the device (src/lib/domain/pickup-code.ts): one HMAC-SHA256
// per candidate package, cached per package afterwards. How long the first check over 5,000 open
// packages takes (every code computed: the cold case, e.g. right after the app opens), and later
// checks (codes cached).
//   npx tsx bench/pickup-codes.ts [--packages 5000] [--runs 20]
// Prints one JSON line; bench/README.md records results. Target: well under 100 ms on a phone
// (a mid-range phone runs this JavaScript ~3–4× slower than this VM's Node).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { findPickup, newPickupKey, pickupCodeFor, type PickupPackage } from '../src/lib/domain/pickup-code.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('packages', 5000);
const RUNS = arg('runs', 20);
const facilityId = crypto.randomUUID();
const recipients = Array.from({ length: N / 4 }, () => crypto.randomUUID());
const machine = `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`;

const cold: number[] = [];
const warm: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const key = newPickupKey(); // a fresh key each run: nothing cached
  const packages: PickupPackage[] = Array.from({ length: N }, (_, i) => ({
    id: crypto.randomUUID(),
    recipientId: recipients[i % recipients.length]!,
    recipientName: `Person ${i}`,
    status: i % 5 === 0 ? 'held' : 'received',
  }));
  // The worst case: the code is the last package's, so every candidate is computed.
  const last = packages[N - 1]!;
  const code = pickupCodeFor(key, { facilityId, recipientId: last.recipientId, recipientName: last.recipientName, packageId: last.id });
  let t = performance.now();
  const r = findPickup(key, facilityId, code, packages);
  cold.push(performance.now() - t);
  if (!r.ok) throw new Error('not found');
  t = performance.now();
  findPickup(key, facilityId, 'ZZZZ-ZZZZ', packages);
  warm.push(performance.now() - t);
}
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
console.log(
  JSON.stringify({
    bench: 'pickup-codes',
    machine,
    packages: N,
    runs: RUNS,
    coldMedianMs: +q(cold, 0.5).toFixed(1),
    coldMaxMs: +Math.max(...cold).toFixed(1),
    warmMedianMs: +q(warm, 0.5).toFixed(2),
    perCodeUs: +((q(cold, 0.5) / N) * 1000).toFixed(1),
  }),
);
