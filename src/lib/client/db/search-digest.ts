// The search digest's upkeep (schema.ts `SearchDigestChunk`): entries are collected while a
// transaction writes package rows and appended as one chunk at its end; a pull folds the chunks
// together when there are many.
import type { PackageRow } from '../../domain/sync/rows';
import { digestChunk, type PtpDb, type SearchDigestChunk } from './schema';

/** Chunks past this many are folded into a few big ones by the next completed pull. */
export const DIGEST_COMPACT_AT = 64;
const COMPACT_CHUNK = 5_000;

/** Package rows written in one transaction, to be described by one digest chunk. */
export class DigestCollector {
  private rows: PackageRow[] = [];

  add(row: PackageRow) {
    this.rows.push(row);
  }

  addAll(rows: readonly PackageRow[]) {
    for (const r of rows) this.rows.push(r);
  }

  /** Rows of a cleared table are gone: their entries must not be written. */
  reset() {
    this.rows = [];
  }

  /** Appends the collected entries (inside the caller's rw transaction, which includes `searchDigest`). */
  async flush(db: PtpDb) {
    if (!this.rows.length) return;
    await db.searchDigest.add(digestChunk(this.rows));
    this.rows = [];
  }
}

/**
 * Folds every chunk into a few: the newest entry of each id wins (it describes the row as stored),
 * ids no longer in the table go. Runs inside a rw transaction over packages and searchDigest.
 */
export async function compactDigest(db: PtpDb, force = false): Promise<void> {
  if (!force && (await db.searchDigest.count()) <= DIGEST_COMPACT_AT) return;
  const chunks = await db.searchDigest.orderBy('seq').toArray();
  const stored = new Set((await db.packages.toCollection().primaryKeys()) as string[]);
  const latest = new Map<string, [string, string, string]>();
  for (const c of chunks)
    for (let i = 0; i < c.ids.length; i++) latest.set(c.ids[i]!, [c.texts[i]!, c.receivedAt[i]!, c.statuses?.[i] ?? '']);
  await db.searchDigest.clear();
  const empty = () => ({ ids: [] as string[], texts: [] as string[], receivedAt: [] as string[], statuses: [] as string[] });
  let chunk = empty();
  for (const [id, [text, at, status]] of latest) {
    if (!stored.has(id)) continue;
    chunk.ids.push(id);
    chunk.texts.push(text);
    chunk.receivedAt.push(at);
    chunk.statuses.push(status);
    if (chunk.ids.length >= COMPACT_CHUNK) {
      await db.searchDigest.add(omitSeq(chunk));
      chunk = empty();
    }
  }
  if (chunk.ids.length) await db.searchDigest.add(omitSeq(chunk));
}

const omitSeq = ({ ids, texts, receivedAt, statuses }: SearchDigestChunk): SearchDigestChunk => ({ ids, texts, receivedAt, statuses });
