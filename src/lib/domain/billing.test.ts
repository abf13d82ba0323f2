import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accessMode,
  billingNotices,
  billingStatus,
  billingTimeline,
  calendarDaysLeft,
  deletionDueAt,
  noticesToSend,
  PAST_DUE_GRACE_DAYS,
  READ_ONLY_DAYS,
  readOnlyFrom,
  type SubscriptionStatus,
} from './billing';

const DAY = 24 * 3600 * 1000;
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY);

describe('access by subscription', () => {
  it('trial: full for 10 days, read-only to day 40, then pending deletion', () => {
    const trial = { status: 'trialing' as const, trialEndsAt: at(10), currentPeriodEnd: null, canceledAt: null };
    expect(accessMode(trial, at(9.9))).toBe('full');
    expect(accessMode(trial, at(10.1))).toBe('read_only');
    expect(accessMode(trial, at(39.9))).toBe('read_only');
    expect(accessMode(trial, at(40.1))).toBe('pending_deletion');
  });
  it('cancelled: full to the period end, then 30 days read-only, then deletion', () => {
    const c = { status: 'canceled' as const, trialEndsAt: at(10), currentPeriodEnd: at(60), canceledAt: at(45) };
    expect(accessMode(c, at(59))).toBe('full');
    expect(accessMode(c, at(61))).toBe('read_only');
    expect(accessMode(c, at(91))).toBe('pending_deletion');
  });
  it('active and past due keep full access', () => {
    for (const status of ['active', 'past_due'] as const) {
      expect(accessMode({ status, trialEndsAt: at(10), currentPeriodEnd: at(40), canceledAt: null }, at(400))).toBe('full');
    }
  });
});

describe('the billing timeline', () => {
  const trial = { status: 'trialing' as const, trialEndsAt: at(10), currentPeriodEnd: null, canceledAt: null };

  it('a trial: read-only from day 10, deleted at day 40, the contract status follows', () => {
    expect(billingTimeline(trial, at(9))).toMatchObject({ status: 'trialing', access: 'full', readOnlySince: at(10), deleteAfter: at(40) });
    expect(billingStatus(trial, at(11))).toBe('read_only');
    expect(billingStatus(trial, at(41))).toBe('read_only');
  });

  it('past due: writable for the grace, then read-only, never on a deletion clock of ours', () => {
    const s = { status: 'past_due' as const, trialEndsAt: at(10), currentPeriodEnd: at(40), canceledAt: null, pastDueSince: at(40) };
    expect(accessMode(s, at(40 + PAST_DUE_GRACE_DAYS - 0.01))).toBe('full');
    expect(billingStatus(s, at(41))).toBe('past_due');
    expect(accessMode(s, at(40 + PAST_DUE_GRACE_DAYS))).toBe('read_only');
    expect(accessMode(s, at(4000))).toBe('read_only');
    expect(deletionDueAt(s)).toBeNull();
  });

  it('a cancellation that has not taken effect yet says canceled and stays writable', () => {
    const c = { status: 'canceled' as const, trialEndsAt: at(10), currentPeriodEnd: at(60), canceledAt: at(45) };
    expect(billingStatus(c, at(50))).toBe('canceled');
    expect(billingStatus(c, at(61))).toBe('read_only');
  });

  it('deletion is always 30 days after read-only began, in any state', () => {
    const status = fc.constantFrom('trialing', 'canceled', 'expired') as fc.Arbitrary<SubscriptionStatus>;
    fc.assert(
      fc.property(
        status,
        fc.integer({ min: 0, max: 400 }),
        fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
        (st, trialEnd, end) => {
          const s = { status: st, trialEndsAt: at(trialEnd), currentPeriodEnd: end === null ? null : at(end), canceledAt: null };
          const from = readOnlyFrom(s)!;
          expect(deletionDueAt(s)!.getTime() - from.getTime()).toBe(READ_ONLY_DAYS * DAY);
          expect(accessMode(s, new Date(from.getTime() - 1))).toBe('full');
          expect(accessMode(s, from)).toBe('read_only');
          expect(accessMode(s, deletionDueAt(s)!)).toBe('pending_deletion');
        },
      ),
    );
  });

  it('days left count the facility calendar, in every zone and across DST', () => {
    const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Pacific/Kiritimati', 'America/St_Johns'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 2 * 365 * 24 }),
        fc.integer({ min: 0, max: 40 }),
        (tz, hours, days) => {
          const now = new Date(Date.UTC(2026, 0, 1) + hours * 3600_000);
          const until = new Date(now.getTime() + days * DAY);
          const left = calendarDaysLeft(until, now, tz);
          // Whole days apart are that many calendar days apart, give or take the one DST hour.
          expect(Math.abs(left - days)).toBeLessThanOrEqual(1);
          expect(calendarDaysLeft(now, now, tz)).toBe(0);
          expect(calendarDaysLeft(now, until, tz)).toBe(0);
        },
      ),
    );
    // 23:30 in New York on the day before the trial's end: 1 day left, though 30 minutes remain in UTC terms of the date.
    expect(calendarDaysLeft(new Date('2026-03-09T12:00:00Z'), new Date('2026-03-09T03:30:00Z'), 'America/New_York')).toBe(1);
  });

  it('notices: three days before the trial ends, on read-only, 7 and 1 days before deletion; only the latest due one is sent', () => {
    expect(billingNotices(trial).map((n) => [n.kind, (n.dueAt.getTime() - t0.getTime()) / DAY])).toEqual([
      ['trial_ending', 7],
      ['read_only', 10],
      ['deletion_in_7_days', 33],
      ['deletion_in_1_day', 39],
    ]);
    const none = () => false;
    expect(noticesToSend(trial, at(6.9), none)).toEqual([]);
    expect(noticesToSend(trial, at(7), none).map((n) => n.kind)).toEqual(['trial_ending']);
    expect(noticesToSend(trial, at(34), none).map((n) => n.kind)).toEqual(['deletion_in_7_days']);
    expect(noticesToSend(trial, at(34), (n) => n.kind === 'deletion_in_7_days')).toEqual([]);
    expect(billingNotices({ status: 'active', trialEndsAt: at(10), currentPeriodEnd: at(40), canceledAt: null })).toEqual([]);
  });
});
