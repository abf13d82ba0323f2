import { describe, expect, it } from 'vitest';
import { ACTIONS, ROLES, can, isRole, rolesFor, type Action, type Role } from './permissions';
import { MUTATION_NAMES } from './sync/mutations';

/**
 * sync-protocol.md "Mutation catalog (v1)", column "who", copied by hand: the permission table
 * must match it, and every mutation the server knows must be in it.
 */
const MUTATION_CATALOG: Record<string, Role[]> = {
  'package.receive': ['operator', 'admin'],
  'package.receive.v2': ['operator', 'admin'],
  'package.undoReceive': ['operator', 'admin'],
  'package.update': ['operator', 'admin'],
  'package.hold': ['operator', 'admin'],
  'package.deliver': ['operator', 'courier', 'admin'],
  'package.return': ['operator', 'admin'],
  'package.attachPhoto': ['operator', 'courier', 'admin'],
  'package.delete': ['admin'],
  'package.update.v2': ['operator', 'admin'],
  'package.hold.v2': ['operator', 'admin'],
  'package.deliver.v2': ['operator', 'courier', 'admin'],
  'package.return.v2': ['operator', 'admin'],
  'package.reopen': ['operator', 'courier', 'admin'],
  'recipient.upsert': ['operator', 'admin'],
  'recipient.delete': ['admin'],
  'recipient.merge': ['admin'],
  'department.upsert': ['admin'],
  'department.delete': ['admin'],
  'location.upsert': ['admin'],
  'location.delete': ['admin'],
};

/** The whole matrix for a facility role without organization ownership. */
const EXPECTED: Record<Action, Role[]> = {
  'facility.read': ['admin', 'operator', 'courier', 'viewer'],
  'package.read': ['admin', 'operator', 'courier', 'viewer'],
  'recipient.read': ['admin', 'operator', 'courier', 'viewer'],
  ...(MUTATION_CATALOG as Record<(typeof MUTATION_NAMES)[number], Role[]>),
  'facility.update': ['admin'],
  'facility.create': ['admin'],
  'team.read': ['admin'],
  'team.invite': ['admin'],
  'team.manage': ['admin'],
  'organization.read': ['admin'],
  'organization.manage': [], // organization owners only, see below
  'integrations.manage': ['admin'],
  'notifications.read': ['admin'],
  'notifications.resend': ['admin'],
  'package.remind': ['admin'],
  'directory.manage': ['admin'],
  'recipient.notifications': ['admin'],
  'billing.manage': [], // organization owners only, see below
  'reports.read': ['admin', 'viewer'],
  'ai.label': ['admin', 'operator'],
  'ai.search': ['admin', 'viewer'],
};

describe('the permission table', () => {
  it('has exactly the expected actions and roles', () => {
    expect([...ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect([...ROLES]).toEqual(['admin', 'operator', 'courier', 'viewer']);
  });

  it('covers every mutation of the catalog, and the catalog is every mutation the server runs', () => {
    expect([...MUTATION_NAMES].sort()).toEqual(Object.keys(MUTATION_CATALOG).sort());
    for (const name of MUTATION_NAMES) expect(ACTIONS as readonly string[]).toContain(name);
  });

  it.each(ACTIONS.flatMap((a) => ROLES.map((r) => [a, r] as const)))('%s by %s (not the organization owner)', (action, role) => {
    expect(can({ role }, action)).toBe(EXPECTED[action].includes(role));
    expect(can({ role, isOrganizationOwner: false }, action)).toBe(EXPECTED[action].includes(role));
  });

  it.each(Object.entries(MUTATION_CATALOG))('%s: the roles allowed are the catalog’s "who"', (name, who) => {
    expect([...rolesFor(name as Action)].sort()).toEqual([...who].sort());
    expect(ROLES.filter((r) => can({ role: r }, name as Action)).sort()).toEqual([...who].sort());
  });

  it('gives billing to the organization owner who administers the facility, and to nobody else', () => {
    for (const role of ROLES) {
      expect(can({ role, isOrganizationOwner: false }, 'billing.manage'), role).toBe(false);
      expect(can({ role, isOrganizationOwner: true }, 'billing.manage'), role).toBe(role === 'admin');
    }
    expect(can({ role: null, isOrganizationOwner: true }, 'billing.manage')).toBe(false);
  });

  it('lets the organization owner create facilities and run the organization whatever the facility role; ownership grants nothing else', () => {
    const ownerActions: Action[] = ['facility.create', 'organization.read', 'organization.manage'];
    for (const role of ROLES) for (const a of ownerActions) expect(can({ role, isOrganizationOwner: true }, a), `${a} ${role}`).toBe(true);
    for (const action of ACTIONS.filter((a) => !ownerActions.includes(a) && a !== 'billing.manage')) {
      for (const role of ROLES) expect(can({ role, isOrganizationOwner: true }, action), `${action} ${role}`).toBe(can({ role }, action));
    }
  });

  it('lets nobody without a membership do anything', () => {
    const ownerActions: Action[] = ['facility.create', 'organization.read', 'organization.manage'];
    for (const action of ACTIONS.filter((a) => !ownerActions.includes(a))) {
      expect(can({ role: null }, action), action).toBe(false);
      expect(can({ role: null, isOrganizationOwner: true }, action), action).toBe(false);
    }
    for (const a of ownerActions) expect(can({ role: null }, a), a).toBe(false);
  });

  it('recognizes roles', () => {
    for (const role of ROLES) expect(isRole(role)).toBe(true);
    for (const v of ['owner', 'Admin', '', null, undefined, 1]) expect(isRole(v), String(v)).toBe(false);
  });
});
