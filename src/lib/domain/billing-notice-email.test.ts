import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billingNotices, deletionDueAt, readOnlyFrom, type SubscriptionState } from './billing';
import { billingNoticeEmail, facilityDate } from './billing-notice-email';
import { localDate } from './zoned-time';

const DAY = 24 * 3600 * 1000;
const zones = ['UTC', 'Pacific/Honolulu', 'Pacific/Kiritimati', 'Europe/Berlin', 'Australia/Lord_Howe', 'America/St_Johns'];
const full = (d: Date, timeZone: string) => new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'full' }).format(d);

describe('the owner’s billing emails', () => {
  it('name the facility’s own calendar date, in every zone and across DST', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: 3 * 365 * 24 * 4 }), (tz, quarters) => {
        const instant = new Date(Date.UTC(2026, 0, 1) + quarters * 900_000);
        const text = facilityDate(instant, tz);
        // The same words Intl gives for that instant in that zone, and the same day as localDate.
        expect(text).toBe(full(instant, tz));
        const [y, m, d] = localDate(instant, tz).split('-').map(Number);
        expect(text).toContain(`${d}, ${y}`);
        expect(text).toContain(new Date(Date.UTC(y!, m! - 1, d!)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' }));
      }),
    );
  });

  it('a trial ending late on the 11th in Honolulu is the 12th in Kiritimati: each owner reads their own date', () => {
    const sub: SubscriptionState = {
      status: 'trialing',
      trialEndsAt: new Date('2026-12-12T08:00:00Z'),
      currentPeriodEnd: null,
      canceledAt: null,
    };
    const f = (timezone: string) => billingNoticeEmail('trial_ending', sub, { name: 'North', timezone }, 'https://ptp.example');
    expect(f('Pacific/Honolulu').text).toContain('ends on Friday, December 11, 2026');
    expect(f('Pacific/Kiritimati').text).toContain('ends on Saturday, December 12, 2026');
  });

  it('every notice names what it is about, its dates and where to act', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom('trialing', 'canceled') as fc.Arbitrary<'trialing' | 'canceled'>,
        fc.integer({ min: 0, max: 800 }),
        (tz, status, start) => {
          const t0 = new Date(Date.UTC(2026, 0, 1) + start * DAY);
          const sub: SubscriptionState =
            status === 'trialing'
              ? { status, trialEndsAt: t0, currentPeriodEnd: null, canceledAt: null }
              : { status, trialEndsAt: new Date(t0.getTime() - 50 * DAY), currentPeriodEnd: t0, canceledAt: t0 };
          const deletion = full(deletionDueAt(sub)!, tz);
          for (const n of billingNotices(sub)) {
            const e = billingNoticeEmail(n.kind, sub, { name: 'Mailroom 3', timezone: tz }, 'https://ptp.example');
            expect(e.subject).toContain('Mailroom 3');
            expect(e.text).toContain(deletion);
            expect(e.text).toContain('https://ptp.example/billing');
            if (n.kind !== 'trial_ending') expect(e.text).toContain('https://ptp.example/exports');
            if (n.kind === 'read_only' || n.kind === 'trial_ending') expect(e.text).toContain(full(readOnlyFrom(sub)!, tz));
          }
        },
      ),
    );
  });
});
