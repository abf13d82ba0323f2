// Team rules (SPEC "Tenancy and roles"): a facility always keeps at least one admin, and an
// invitation is not sent twice to the same person.
import type { Role } from './permissions';

export interface TeamMember {
  userId: string;
  role: Role;
}

/**
 * Why changing `userId`'s role to `next` (null: removing them) must be refused, or null when it
 * may go ahead. The last admin of a facility can be neither demoted nor removed, by themselves or
 * by anyone else: the facility would be left with nobody to run it.
 */
export function teamChangeRefusal(members: readonly TeamMember[], userId: string, next: Role | null): 'not_member' | 'last_admin' | null {
  const target = members.find((m) => m.userId === userId);
  if (!target) return 'not_member';
  if (target.role !== 'admin' || next === 'admin') return null;
  const admins = members.filter((m) => m.role === 'admin').length;
  return admins <= 1 ? 'last_admin' : null;
}

export const TEAM_REFUSAL_MESSAGES = {
  last_admin: 'A facility needs at least one admin: make someone else admin first',
  already_member: 'This person is already a member of this facility',
  already_invited: 'An invitation to this address is already open: resend it instead',
} as const;

/** The time a member was last seen, from what the server records (the latest sync of any device). */
export function lastActivity(times: readonly (Date | null | undefined)[]): Date | null {
  let latest: Date | null = null;
  for (const t of times) if (t && (!latest || t > latest)) latest = t;
  return latest;
}
