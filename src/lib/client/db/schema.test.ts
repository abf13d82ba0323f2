// The device's tables follow the one row shape (rows.ts): every synced table exists with `id` as
// its key, and each index names a row column or a key the device derives (LOCAL_KEYS), so an index
// on a renamed or missing column fails here rather than silently indexing nothing.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { SYNCED_TABLES, columnsOf } from '../../domain/sync/rows';
import { LOCAL_KEYS, PtpDb } from './schema';

describe('device tables', () => {
  it('has every synced table keyed by id, with indexes on row columns or derived keys only', async () => {
    const db = new PtpDb('00000000-0000-4000-8000-000000000001', { indexedDB: new IDBFactory(), IDBKeyRange });
    await db.open();
    for (const table of SYNCED_TABLES) {
      const schema = db.table(table).schema;
      expect(schema.primKey.keyPath, table).toBe('id');
      const known = new Set<string>([...columnsOf(table).map(([c]) => c), ...((LOCAL_KEYS[table] ?? []) as string[])]);
      for (const index of schema.indexes) {
        const paths = Array.isArray(index.keyPath) ? index.keyPath : [index.keyPath];
        for (const path of paths) expect(known.has(path!), `${table} index ${index.name}`).toBe(true);
      }
    }
    db.close();
  });
});
