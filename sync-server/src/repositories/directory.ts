// The facility's directory as the CSV import and export read it: live recipients, departments and
// locations, and who is (or is invited to be) on the team. Runs in a facility-scoped transaction.
import type { Tx } from '../db/index.ts';

export async function readDirectory(tx: Tx, facilityId: string) {
  const live = { facilityId, deletedAt: null };
  const [recipients, departments, locations] = await Promise.all([
    tx.recipient.findMany({
      where: live,
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      select: {
        id: true,
        name: true,
        email: true,
        phone: true,
        employeeId: true,
        departmentId: true,
        defaultLocationId: true,
        notes: true,
      },
    }),
    tx.department.findMany({ where: live, orderBy: [{ name: 'asc' }, { id: 'asc' }], select: { id: true, name: true } }),
    tx.location.findMany({
      where: live,
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      select: { id: true, name: true, building: true, floor: true, deliveryInstructions: true },
    }),
  ]);
  return { recipients, departments, locations };
}

/** Emails of the facility's members and open invitations (lowercased), and the members' roles. */
export async function teamEmails(tx: Tx, facilityId: string) {
  const [members, invitations] = await Promise.all([
    tx.membership.findMany({ where: { facilityId }, select: { role: true, user: { select: { name: true, email: true } } } }),
    tx.invitation.findMany({ where: { facilityId, acceptedAt: null, expiresAt: { gt: new Date() } }, select: { email: true } }),
  ]);
  return {
    members: members.map((m) => ({ name: m.user.name, email: m.user.email.toLowerCase(), role: m.role })),
    invited: new Set(invitations.map((i) => i.email.toLowerCase())),
  };
}
