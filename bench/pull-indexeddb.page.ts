// Browser side of bench/pull-indexeddb.ts: bundled with esbuild and loaded into a page of the app's
// origin, so it opens the same IndexedDB database the app's sync engine filled. It times the app's
// own list query (src/lib/client/db/queries.ts `listPackages`, what the packages screen runs).
import { listPackages, type PackageFilter } from '../src/lib/client/db/queries';
import { PtpDb } from '../src/lib/client/db/schema';

export interface QueryCase {
  name: string;
  /** One filter per run, cycled (different terms, so no run repeats the previous one's keys). */
  filters: PackageFilter[];
}

export interface QueryResult {
  name: string;
  runs: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  /** Rows returned, averaged over the runs. */
  meanRows: number;
}

async function run(
  facilityId: string,
  cases: QueryCase[],
  runs: number,
  warmup: number,
): Promise<{ count: number; results: QueryResult[] }> {
  const db = new PtpDb(facilityId);
  await db.open();
  try {
    const count = await db.packages.count();
    const results: QueryResult[] = [];
    for (const c of cases) {
      for (let i = 0; i < warmup; i++) await listPackages(db, c.filters[i % c.filters.length]);
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        const found = await listPackages(db, c.filters[i % c.filters.length]);
        times.push(performance.now() - started);
        rows += found.length;
      }
      times.sort((a, b) => a - b);
      const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
      const r1 = (v: number) => Math.round(v * 10) / 10;
      results.push({
        name: c.name,
        runs,
        median: r1(at(0.5)),
        p95: r1(at(0.95)),
        min: r1(times[0]!),
        max: r1(times[times.length - 1]!),
        meanRows: Math.round(rows / runs),
      });
    }
    return { count, results };
  } finally {
    db.close();
  }
}

(globalThis as unknown as { ptpQueryBench: typeof run }).ptpQueryBench = run;
