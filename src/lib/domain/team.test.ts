import { describe, expect, it } from 'vitest';
import { lastActivity, teamChangeRefusal, type TeamMember } from './team';

const team = (...roles: TeamMember['role'][]): TeamMember[] => roles.map((role, i) => ({ userId: `u${i}`, role }));

describe('the last admin rule', () => {
  it('refuses demoting or removing the only admin', () => {
    const members = team('admin', 'operator', 'viewer');
    for (const next of ['operator', 'courier', 'viewer', null] as const) expect(teamChangeRefusal(members, 'u0', next)).toBe('last_admin');
  });

  it('lets the only admin keep their role, and others change freely', () => {
    const members = team('admin', 'operator', 'viewer');
    expect(teamChangeRefusal(members, 'u0', 'admin')).toBeNull();
    expect(teamChangeRefusal(members, 'u1', 'admin')).toBeNull();
    expect(teamChangeRefusal(members, 'u1', null)).toBeNull();
    expect(teamChangeRefusal(members, 'u2', 'courier')).toBeNull();
  });

  it('lets one of two admins step down or be removed', () => {
    const members = team('admin', 'admin');
    expect(teamChangeRefusal(members, 'u0', 'viewer')).toBeNull();
    expect(teamChangeRefusal(members, 'u1', null)).toBeNull();
  });

  it('knows who is not a member', () => {
    expect(teamChangeRefusal(team('admin'), 'nobody', null)).toBe('not_member');
  });
});

describe('last activity', () => {
  it('is the latest of the times known, or null', () => {
    expect(lastActivity([])).toBeNull();
    expect(lastActivity([null, undefined])).toBeNull();
    const a = new Date('2026-01-01T00:00:00Z');
    const b = new Date('2026-02-01T00:00:00Z');
    expect(lastActivity([a, null, b])).toEqual(b);
    expect(lastActivity([b, a])).toEqual(b);
  });
});
