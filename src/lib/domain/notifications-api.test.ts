import { describe, expect, it } from 'vitest';
import {
  bellPollDelay,
  isNonEssential,
  markReadInput,
  myRecipientPatch,
  notificationLogQuery,
  storedKinds,
  unreadBadge,
  wireKind,
} from './notifications-api';

describe('kinds', () => {
  it('reads the old stored names as the wire’s, and filters find both', () => {
    expect(wireKind('package_received')).toBe('received');
    expect(wireKind('package_held')).toBe('held');
    expect(wireKind('delivered')).toBe('delivered');
    expect(wireKind('reminder')).toBe('reminder');
    expect(storedKinds('held')).toEqual(['held', 'package_held']);
    expect(storedKinds('reminder')).toEqual(['reminder']);
  });

  it('counts only reminders as non-essential', () => {
    expect(['received', 'held', 'delivered', 'reminder'].filter((k) => isNonEssential(k as never))).toEqual(['reminder']);
  });
});

describe('the bell', () => {
  it('badges counts, capped in words', () => {
    expect([0, 1, 99, 100, 5000].map(unreadBadge)).toEqual(['', '1', '99', '99+', '99+']);
  });

  it('backs off doubling on failures up to a ceiling, and is quick again after a success', () => {
    expect(bellPollDelay(0)).toBe(30_000);
    expect(bellPollDelay(1)).toBe(60_000);
    expect(bellPollDelay(3)).toBe(240_000);
    expect(bellPollDelay(50)).toBe(600_000);
  });

  it('marks ids or all, nothing else', () => {
    expect(markReadInput.safeParse({ all: true }).success).toBe(true);
    expect(markReadInput.safeParse({ ids: ['3f2504e0-4f89-41d3-9a0c-0305e82c3301'] }).success).toBe(true);
    for (const bad of [{}, { all: false }, { ids: [] }, { ids: ['x'] }, { all: true, ids: ['3f2504e0-4f89-41d3-9a0c-0305e82c3301'] }]) {
      expect(markReadInput.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('schemas', () => {
  it('the log query takes its filters and refuses anything else', () => {
    expect(notificationLogQuery.parse({ status: 'captured', limit: '20' })).toEqual({ status: 'captured', limit: 20 });
    for (const bad of [{ status: 'gone' }, { channel: 'fax' }, { cursor: '!!' }, { limit: '0' }, { other: '1' }]) {
      expect(notificationLogQuery.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('a switch change names at least one switch', () => {
    const ids = { facilityId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', recipientId: '3f2504e0-4f89-41d3-9a0c-0305e82c3302' };
    expect(myRecipientPatch.safeParse({ ...ids, notifySms: false }).success).toBe(true);
    expect(myRecipientPatch.safeParse(ids).success).toBe(false);
  });
});
