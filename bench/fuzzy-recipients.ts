// Typo-tolerant recipient search over a large directory: which maintained library (uFuzzy,
// MiniSearch, Fuse.js) the receive form uses, by measurement rather than by assumption.
//   npx tsx bench/fuzzy-recipients.ts [--recipients 50000] [--queries 300]
//
// One seeded synthetic directory (bench/synthetic-recipients.ts). Each library indexes name, email,
// employee id and department name, configured for typos the way its documentation suggests. The
// queries are what an operator types into the picker: a few letters of a last name, a full name
// with one typo (swapped letters, a wrong, missing or doubled letter), a last name alone with a typo,
// an email's local part, an employee id, a department. A query "finds" when a recipient with the
// intended name (names repeat in 50,000 people) or the intended id is among the first 8 results.
// Last, the product's own index (src/lib/domain/recipient-search.ts, on the chosen library) on the
// same queries. Prints one JSON line per library; bench/README.md records results. Target: p95 ≤ 30 ms.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import uFuzzy from '@leeoniya/ufuzzy';
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import { RecipientIndex } from '../src/lib/domain/recipient-search.ts';
import type { RecipientRow } from '../src/lib/domain/sync/rows.ts';
import { seeded, syntheticDirectory, typo } from './synthetic-recipients.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('recipients', 50_000);
const QUERIES = arg('queries', 300);
const TOP = 8;
const machine = `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`;

const { recipients, departments } = syntheticDirectory(N);
const deptName = new Map(departments.map((d) => [d.id, d.name]));
const dept = (r: RecipientRow) => (r.departmentId ? (deptName.get(r.departmentId) ?? '') : '');

// ---- the queries ---------------------------------------------------------------------------------
type Query = { kind: string; q: string; hit: (r: RecipientRow) => boolean };
const rand = seeded(7);
const queries: Query[] = [];
const kinds = ['prefix', 'name-transpose', 'name-substitute', 'name-delete', 'last-typo', 'email', 'employee-id', 'department'] as const;
for (let i = 0; queries.length < QUERIES; i++) {
  const target = recipients[Math.floor(rand() * recipients.length)]!;
  const parts = target.name.split(' ');
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const sameName = (r: RecipientRow) => r.name === target.name;
  const kind = kinds[i % kinds.length]!;
  switch (kind) {
    case 'prefix':
      queries.push({ kind, q: `${first} ${last.slice(0, 4)}`, hit: (r) => r.name.startsWith(first) && r.name.includes(last.slice(0, 4)) });
      break;
    case 'name-transpose':
    case 'name-substitute':
    case 'name-delete':
      queries.push({ kind, q: `${first} ${typo(last, kind.slice(5) as 'transpose', rand)}`, hit: sameName });
      break;
    case 'last-typo':
      queries.push({ kind, q: typo(last, 'transpose', rand), hit: (r) => r.name.endsWith(` ${last}`) });
      break;
    case 'email':
      if (target.email) queries.push({ kind, q: target.email.split('@')[0]!, hit: (r) => r.email === target.email || sameName(r) });
      break;
    case 'employee-id':
      if (target.employeeId) queries.push({ kind, q: target.employeeId, hit: (r) => r.id === target.id });
      break;
    case 'department':
      if (target.departmentId) queries.push({ kind, q: dept(target), hit: (r) => r.departmentId === target.departmentId });
      break;
  }
}

// ---- the candidates -------------------------------------------------------------------------------
interface Candidate {
  name: string;
  build(): void;
  search(q: string): RecipientRow[];
  runs?: number;
}

const haystack = recipients.map((r) => `${r.name} ${r.email ?? ''} ${r.employeeId ?? ''} ${dept(r)}`);
const uf = new uFuzzy({ intraMode: 1, intraIns: 1, intraSub: 1, intraTrn: 1, intraDel: 1 });
let mini: MiniSearch<{ id: number; name: string; email: string; employeeId: string; department: string }>;
let fuse: Fuse<{ id: number; i: number; name: string; email: string; employeeId: string; department: string }>;
let own: RecipientIndex;
const docs = recipients.map((r, i) => ({
  id: i,
  i,
  name: r.name,
  email: r.email ?? '',
  employeeId: r.employeeId ?? '',
  department: dept(r),
}));

const candidates: Candidate[] = [
  {
    name: 'uFuzzy 1.0.19 (intraMode 1)',
    build() {
      // uFuzzy keeps no index: the haystack array is all it needs.
    },
    search(q) {
      const [idxs, info, order] = uf.search(haystack, q, 0, 1e3);
      if (!idxs) return [];
      const ranked = info && order ? order.map((o) => info.idx[o]!) : idxs;
      return ranked.slice(0, TOP).map((i) => recipients[i]!);
    },
  },
  {
    name: 'MiniSearch 7.2.0 (prefix, fuzzy 0.2)',
    build() {
      mini = new MiniSearch({
        fields: ['name', 'email', 'employeeId', 'department'],
        searchOptions: { prefix: true, fuzzy: 0.2, boost: { name: 3, employeeId: 2 }, combineWith: 'AND' },
      });
      mini.addAll(docs);
    },
    search(q) {
      return mini
        .search(q)
        .slice(0, TOP)
        .map((h) => recipients[h.id as number]!);
    },
  },
  {
    name: 'Fuse.js 7.5.0 (threshold 0.3, ignoreLocation)',
    runs: 40,
    build() {
      fuse = new Fuse(docs, { keys: ['name', 'email', 'employeeId', 'department'], threshold: 0.3, ignoreLocation: true });
    },
    search(q) {
      return fuse.search(q, { limit: TOP }).map((h) => recipients[h.item.i]!);
    },
  },
  {
    name: 'product index (recipient-search.ts)',
    build() {
      own = new RecipientIndex(recipients, departments);
    },
    search(q) {
      return own.search(q, TOP).map((m) => m.recipient);
    },
  },
];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

for (const c of candidates) {
  const t0 = performance.now();
  c.build();
  const buildMs = performance.now() - t0;
  const qs = queries.slice(0, c.runs ?? queries.length);
  for (const q of qs.slice(0, 5)) c.search(q.q); // warm-up
  const times: number[] = [];
  const found: Record<string, [number, number]> = {};
  for (const q of qs) {
    const s = performance.now();
    const res = c.search(q.q);
    times.push(performance.now() - s);
    const f = (found[q.kind] ??= [0, 0]);
    f[1]++;
    if (res.some(q.hit)) f[0]++;
  }
  const hits = Object.values(found).reduce((a, [h]) => a + h, 0);
  console.log(
    JSON.stringify({
      date: new Date().toISOString(),
      machine,
      library: c.name,
      recipients: N,
      queries: qs.length,
      buildMs: Math.round(buildMs),
      p50: +pct(times, 50).toFixed(1),
      p95: +pct(times, 95).toFixed(1),
      max: +Math.max(...times).toFixed(1),
      found: `${hits}/${qs.length}`,
      byKind: Object.fromEntries(Object.entries(found).map(([k, [h, n]]) => [k, `${h}/${n}`])),
    }),
  );
}
