// The facility's recipient search index (the device's own fuzzy rules, recipient-search.ts) kept
// in memory between label readings: building it over a few thousand recipients costs tens of
// milliseconds, reading the stamp that says it is still current costs one small query. Bounded:
// the least recently used facility's index goes first.
import { RecipientIndex } from '../../../src/lib/domain/recipient-search.ts';
import type { DepartmentRow, RecipientRow } from '../../../src/lib/domain/sync/rows.ts';
import type { Tx } from '../db/index.ts';
import { directoryForSearch, directoryStamp } from '../repositories/ai-directory.ts';

const MAX_FACILITIES = 20;
const cache = new Map<string, { stamp: string; index: RecipientIndex }>();

/** This facility's index (facility-scoped: run inside `withFacility`). */
export async function recipientIndexFor(tx: Tx, facilityId: string): Promise<RecipientIndex> {
  const stamp = await directoryStamp(tx, facilityId);
  const hit = cache.get(facilityId);
  cache.delete(facilityId);
  if (hit && hit.stamp === stamp) {
    cache.set(facilityId, hit);
    return hit.index;
  }
  const { recipients, departments } = await directoryForSearch(tx, facilityId);
  // The index reads only these columns of a row.
  const index = new RecipientIndex(
    recipients.map((r) => ({ ...r, deletedAt: null }) as unknown as RecipientRow),
    departments.map((d) => ({ ...d, deletedAt: null }) as unknown as DepartmentRow),
  );
  cache.set(facilityId, { stamp, index });
  while (cache.size > MAX_FACILITIES) cache.delete(cache.keys().next().value!);
  return index;
}
