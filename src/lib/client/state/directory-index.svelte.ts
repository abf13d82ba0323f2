// The recipient picker's search index over the device's directory (recipient-search.ts), kept in
// step with the database: built once when the intake screen opens, then changed row by row as
// recipients arrive by pull or are created on the spot (a full rebuild of 50,000 costs ~1 s; a diff
// costs milliseconds). A department renamed rebuilds, since its name is indexed on every member.
/* eslint-disable svelte/prefer-svelte-reactivity -- the maps are bookkeeping for diffs; the UI reads `revision` */
import { RecipientIndex } from '../../domain/recipient-search';
import type { RecipientRow } from '../../domain/sync/rows';
import { watchDirectory, type Directory } from '../db/intake';
import type { PtpDb } from '../db/schema';

const signature = (r: RecipientRow) => `${r.version}|${r.name}|${r.email}|${r.employeeId}|${r.departmentId}|${r.defaultLocationId}`;

export class DirectoryIndex {
  /** Null until the first build; replaced (not mutated) on a rebuild. */
  index = $state.raw<RecipientIndex | null>(null);
  /** Bumped on every change, so searches re-run. */
  revision = $state(0);
  departments = $state.raw<Directory['departments']>([]);
  private seen = new Map<string, string>();
  private departmentKey = '';
  private markReady!: () => void;
  /** Settles once the first build is done (a search typed before it waits for it). */
  readonly ready: Promise<void> = new Promise((resolve) => (this.markReady = resolve));

  connect(db: PtpDb): () => void {
    const sub = watchDirectory(db).subscribe({
      next: (d) => this.apply(d),
      error: (e) => console.error('[directory]', e),
    });
    return () => sub.unsubscribe();
  }

  /** A recipient created here is searchable at once, before the database round trip. */
  add(r: RecipientRow) {
    this.index?.upsert([r]);
    this.seen.set(r.id, signature(r));
    this.revision++;
  }

  private apply(d: Directory) {
    const departmentKey = d.departments
      .map((x) => `${x.id}:${x.name}`)
      .sort()
      .join('|');
    if (!this.index || departmentKey !== this.departmentKey) {
      this.index = new RecipientIndex(d.recipients, d.departments);
      this.seen = new Map(d.recipients.map((r) => [r.id, signature(r)]));
      this.departmentKey = departmentKey;
    } else {
      const changed = d.recipients.filter((r) => this.seen.get(r.id) !== signature(r));
      const present = new Set(d.recipients.map((r) => r.id));
      for (const id of this.seen.keys()) {
        if (!present.has(id)) {
          this.index.remove(id);
          this.seen.delete(id);
        }
      }
      this.index.upsert(changed);
      for (const r of changed) this.seen.set(r.id, signature(r));
    }
    this.departments = d.departments;
    this.revision++;
    this.markReady();
  }
}
