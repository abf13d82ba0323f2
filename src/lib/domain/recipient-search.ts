// Finding a recipient from a few typed letters (issue: "type a few letters of a name, email,
// employee id or department and pick from typo-tolerant matches"). Pure: the receive form runs it
// over the device's directory, offline. The library is MiniSearch, chosen by measurement over
// 50,000 recipients against uFuzzy and Fuse.js (bench/fuzzy-recipients.ts, bench/README.md):
// the only one of the three under the 30 ms p95 target that also finds typos.
//
// Matching, in order of rank:
//   1. an employee id or an email typed whole (case, spaces and dashes aside) — "exactly-ish":
//      the person with that id first, whatever else resembles it;
//   2. every word typed is a prefix of, or close to, a word of the name, email, employee id or
//      department name. "Close" is an edit distance of 1 for words of 4 letters and 2 from 5 on,
//      so a swapped pair of letters ("Lovleace", two edits) is found; shorter words must match as
//      typed, or "al" would match half the directory. Name words weigh most.
//   3. when no recipient matches every word, those matching some of them.
import MiniSearch from 'minisearch';
import type { DepartmentRow, RecipientRow } from './sync/rows';

export interface RecipientMatch {
  recipient: RecipientRow;
  department: string | null;
  /** What matched: the whole employee id or email, or words of the record. */
  by: 'employeeId' | 'email' | 'words';
}

interface Doc {
  id: string;
  name: string;
  email: string;
  employeeId: string;
  department: string;
}

/** Lower case without accents: "Muñoz" is found as "munoz", "Zoë" as "zoe". */
export const foldText = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** Employee ids compared without case, spaces or dashes ("e-100 123" is "E100123"). */
export const normalizeEmployeeId = (s: string) => s.replace(/[\s-]+/g, '').toUpperCase();
export const normalizeEmail = (s: string) => s.trim().toLowerCase();

/** Edit distance allowed for a typed word (MiniSearch's `fuzzy` as a function of the term). */
export const fuzzyDistance = (term: string) => (term.length >= 5 ? 2 : term.length === 4 ? 1 : 0);

export class RecipientIndex {
  private readonly mini: MiniSearch<Doc>;
  private readonly rows = new Map<string, RecipientRow>();
  private readonly byEmployeeId = new Map<string, string[]>();
  private readonly byEmail = new Map<string, string[]>();
  private departments = new Map<string, string>();

  constructor(recipients: Iterable<RecipientRow> = [], departments: Iterable<DepartmentRow> = []) {
    this.mini = new MiniSearch<Doc>({
      fields: ['name', 'email', 'employeeId', 'department'],
      processTerm: (term) => foldText(term) || null,
      searchOptions: {
        prefix: true,
        fuzzy: (term) => fuzzyDistance(term),
        maxFuzzy: 2,
        boost: { name: 3, employeeId: 2, email: 1.5, department: 1 },
        combineWith: 'AND',
      },
    });
    this.setDepartments(departments);
    this.mini.addAll(this.load(recipients));
  }

  get size() {
    return this.rows.size;
  }

  /** Department names for the department field (a renamed department is re-read on the next rebuild). */
  setDepartments(departments: Iterable<DepartmentRow>) {
    this.departments = new Map([...departments].filter((d) => !d.deletedAt).map((d) => [d.id, d.name]));
  }

  /** Adds, replaces or (when deleted) removes recipients, e.g. one created on the spot. */
  upsert(recipients: Iterable<RecipientRow>) {
    for (const r of recipients) {
      if (this.rows.has(r.id)) this.remove(r.id);
      if (!r.deletedAt) this.mini.add(this.load([r])[0]!);
    }
  }

  remove(id: string) {
    const r = this.rows.get(id);
    if (!r) return;
    this.mini.discard(id);
    this.rows.delete(id);
    this.unkey(this.byEmployeeId, r.employeeId ? normalizeEmployeeId(r.employeeId) : null, id);
    this.unkey(this.byEmail, r.email ? normalizeEmail(r.email) : null, id);
  }

  get(id: string): RecipientRow | undefined {
    return this.rows.get(id);
  }

  /** Recipients whose name is exactly this (case and accents aside): a typed name that is a person. */
  withName(name: string): RecipientRow[] {
    const folded = foldText(name.trim());
    if (!folded) return [];
    return this.mini
      .search(name, { prefix: false, fuzzy: false, fields: ['name'], combineWith: 'AND' })
      .map((h) => this.rows.get(h.id as string)!)
      .filter((r) => foldText(r.name) === folded);
  }

  search(query: string, limit = 8): RecipientMatch[] {
    const q = query.trim();
    if (!q) return [];
    const out: RecipientMatch[] = [];
    const seen = new Set<string>();
    const push = (id: string, by: RecipientMatch['by']) => {
      const r = this.rows.get(id);
      if (!r || seen.has(id) || out.length >= limit) return;
      seen.add(id);
      out.push({ recipient: r, department: this.departmentOf(r), by });
    };
    for (const id of this.byEmployeeId.get(normalizeEmployeeId(q)) ?? []) push(id, 'employeeId');
    for (const id of this.byEmail.get(normalizeEmail(q)) ?? []) push(id, 'email');
    let hits = this.mini.search(q);
    if (!hits.length) hits = this.mini.search(q, { combineWith: 'OR' });
    for (const h of hits) {
      if (out.length >= limit) break;
      push(h.id as string, 'words');
    }
    return out;
  }

  private departmentOf(r: RecipientRow) {
    return r.departmentId ? (this.departments.get(r.departmentId) ?? null) : null;
  }

  private load(recipients: Iterable<RecipientRow>): Doc[] {
    const docs: Doc[] = [];
    for (const r of recipients) {
      if (r.deletedAt) continue;
      this.rows.set(r.id, r);
      if (r.employeeId) this.key(this.byEmployeeId, normalizeEmployeeId(r.employeeId), r.id);
      if (r.email) this.key(this.byEmail, normalizeEmail(r.email), r.id);
      docs.push({ id: r.id, name: r.name, email: r.email ?? '', employeeId: r.employeeId ?? '', department: this.departmentOf(r) ?? '' });
    }
    return docs;
  }

  private key(map: Map<string, string[]>, key: string, id: string) {
    const ids = map.get(key);
    if (ids) ids.push(id);
    else map.set(key, [id]);
  }

  private unkey(map: Map<string, string[]>, key: string | null, id: string) {
    if (!key) return;
    const ids = map.get(key)?.filter((x) => x !== id);
    if (ids?.length) map.set(key, ids);
    else map.delete(key);
  }
}
