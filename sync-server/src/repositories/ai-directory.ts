// The facility's directory as the AI features read it: names (and what the fuzzy search indexes)
// to find candidates, and candidates by id. Facility-scoped: run inside `withFacility`.
import type { Tx } from '../db/index.ts';

const live = (facilityId: string) => ({ facilityId, deletedAt: null });

/** What the recipient search indexes, for every live recipient and department of the facility. */
export async function directoryForSearch(tx: Tx, facilityId: string) {
  const [recipients, departments] = await Promise.all([
    tx.recipient.findMany({
      where: live(facilityId),
      select: { id: true, name: true, email: true, employeeId: true, departmentId: true },
    }),
    tx.department.findMany({ where: live(facilityId), select: { id: true, name: true } }),
  ]);
  return { recipients, departments };
}

/** The live recipients of this facility among `ids` (a foreign or unknown id is simply absent). */
export const recipientNamesByIds = (tx: Tx, facilityId: string, ids: string[]) =>
  tx.recipient.findMany({ where: { ...live(facilityId), id: { in: ids } }, select: { id: true, name: true } });

/** Live recipients and departments of this facility whose name is `name`, case aside. */
export const recipientsNamed = (tx: Tx, facilityId: string, name: string) =>
  tx.recipient.findMany({
    where: { ...live(facilityId), name: { equals: name, mode: 'insensitive' } },
    select: { id: true, name: true },
    take: 2,
  });

export const departmentsNamed = (tx: Tx, facilityId: string, name: string) =>
  tx.department.findMany({
    where: { ...live(facilityId), name: { equals: name, mode: 'insensitive' } },
    select: { id: true, name: true },
    take: 2,
  });

/**
 * A stamp that changes whenever the facility's recipients or departments do: every write takes a
 * new sync version (and a purge lowers the count), so an index built at one stamp is current while
 * the stamp holds.
 */
export async function directoryStamp(tx: Tx, facilityId: string): Promise<string> {
  const [r, d] = await Promise.all([
    tx.recipient.aggregate({ where: { facilityId }, _max: { version: true }, _count: { _all: true } }),
    tx.department.aggregate({ where: { facilityId }, _max: { version: true }, _count: { _all: true } }),
  ]);
  return `${r._max.version ?? 0}:${r._count._all}/${d._max.version ?? 0}:${d._count._all}`;
}
