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
