import type { Tx } from '../db/index.ts';

/**
 * Takes the facility's next sync version. The row lock on the facility serialises writers of one
 * facility until commit, so versions become visible in order (a pull never skips a lower version
 * that commits later).
 */
export async function nextVersion(tx: Tx, facilityId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ v: number }[]>`
    UPDATE facilities SET "syncVersion" = "syncVersion" + 1 WHERE id = ${facilityId}::uuid RETURNING "syncVersion" AS v`;
  if (!rows[0]) throw new Error('facility not found');
  return rows[0].v;
}
