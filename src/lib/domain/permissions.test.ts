import { describe, expect, it } from 'vitest';
import { ACTIONS, ROLES, can, type Action, type Role } from './permissions';

// The sync-protocol.md mutation catalog's "who" column, and the admin-only administration.
const EXPECTED: Record<Action, Role[]> = {
  'facility.read': ['admin', 'operator', 'courier', 'viewer'],
  'package.read': ['admin', 'operator', 'courier', 'viewer'],
  'recipient.read': ['admin', 'operator', 'courier', 'viewer'],
  'package.receive': ['admin', 'operator'],
  'package.update': ['admin', 'operator'],
  'package.hold': ['admin', 'operator'],
  'package.deliver': ['admin', 'operator', 'courier'],
  'package.return': ['admin', 'operator'],
  'package.attachPhoto': ['admin', 'operator', 'courier'],
  'package.delete': ['admin'],
  'recipient.upsert': ['admin', 'operator'],
  'recipient.delete': ['admin'],
  'facility.update': ['admin'],
  'facility.create': ['admin'],
  'team.read': ['admin'],
  'team.invite': ['admin'],
  'integrations.manage': ['admin'],
  'billing.manage': [],
};

describe('the permission table', () => {
  it.each(ACTIONS.flatMap((a) => ROLES.map((r) => [a, r] as const)))('%s by %s', (action, role) => {
    expect(can({ role }, action)).toBe(EXPECTED[action].includes(role));
  });

  it('gives billing to the organization owner only, whatever the facility role', () => {
    expect(can({ role: 'admin', isOrganizationOwner: true }, 'billing.manage')).toBe(true);
    expect(can({ role: 'admin', isOrganizationOwner: false }, 'billing.manage')).toBe(false);
    expect(can({ role: 'viewer', isOrganizationOwner: true }, 'billing.manage')).toBe(false);
  });

  it('lets the organization owner create facilities, and nobody without a membership do anything', () => {
    expect(can({ role: 'viewer', isOrganizationOwner: true }, 'facility.create')).toBe(true);
    for (const action of ACTIONS) expect(can({ role: null }, action)).toBe(false);
  });
});
