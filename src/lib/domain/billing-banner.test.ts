import { describe, expect, it } from 'vitest';
import type { Billing } from './api-responses';
import { billingBanner } from './billing-banner';

const base: Billing = {
  enabled: true,
  facilityId: 'f',
  timezone: 'America/New_York',
  status: 'trialing',
  access: 'full',
  trialEndsAt: '2026-12-11T15:00:00.000Z',
  trialDaysLeft: 10,
  readOnlySince: '2026-12-11T15:00:00.000Z',
  deleteAfter: '2027-01-10T15:00:00.000Z',
  daysUntilDeletion: 40,
  pastDueSince: null,
  writableUntil: null,
  currentPeriodEnd: null,
  cancelAtPeriodEnd: false,
  priceCents: 8000,
  canManage: true,
  facilities: null,
};

describe('the billing banner', () => {
  it('counts trial days in the facility’s calendar, for those who see the plan only', () => {
    // 23:30 in New York on Dec 8 is Dec 9 in UTC: three calendar days left in New York.
    const now = new Date('2026-12-09T04:30:00Z');
    expect(billingBanner(base, now, true)).toEqual({
      kind: 'trial',
      role: 'status',
      text: 'Free trial has 3 days left (until December 11, 2026). Subscribe to keep recording packages after it.',
    });
    expect(billingBanner(base, now, false)).toBeNull();
    expect(billingBanner(base, new Date('2026-12-11T12:00:00Z'), true)?.text).toMatch(/^Free trial ends today/);
  });

  it('read-only: everyone, with the deletion date and days left, even from a stored answer that still said trialing', () => {
    const now = new Date('2026-12-12T15:00:00Z');
    const b = billingBanner(base, now, false)!;
    expect(b).toMatchObject({ kind: 'read_only', role: 'alert' });
    expect(b.text).toContain('read-only since December 11, 2026');
    expect(b.text).toContain('deleted on January 10, 2027 (29 days)');
    expect(b.text).toContain('Ask the organization’s owner');
  });

  it('past due: the card and the last writable day; nothing when paid or billing is off', () => {
    const pastDue = {
      ...base,
      status: 'past_due' as const,
      readOnlySince: '2026-12-20T00:00:00.000Z',
      writableUntil: '2026-12-20T00:00:00.000Z',
      deleteAfter: null,
    };
    expect(billingBanner(pastDue, new Date('2026-12-15T00:00:00Z'), true)?.text).toBe(
      'The last payment failed: update the card in Manage billing; changes are saved until December 19, 2026.',
    );
    expect(billingBanner({ ...base, status: 'active', readOnlySince: null, deleteAfter: null }, new Date(), true)).toBeNull();
    expect(billingBanner({ ...base, enabled: false }, new Date('2027-06-01T00:00:00Z'), false)).toBeNull();
  });
});
