import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyStripeSubscription,
  facilityOfSubscription,
  stripeStatus,
  type StoredSubscription,
  type StripeSubscriptionLike,
} from './billing-stripe';

const T = Date.parse('2026-12-01T12:00:00Z');
const sec = (ms: number) => Math.floor(ms / 1000);
const FACILITY = '6f1c2d3e-4a5b-4c6d-8e7f-901234567890';

const stored = (over: Partial<StoredSubscription> = {}): StoredSubscription => ({
  status: 'trialing',
  trialEndsAt: new Date(T + 5 * 86400_000),
  currentPeriodEnd: null,
  canceledAt: null,
  pastDueSince: null,
  cancelAtPeriodEnd: false,
  stripeSubscriptionId: null,
  ...over,
});
const sub = (over: Partial<StripeSubscriptionLike> = {}): StripeSubscriptionLike => ({
  id: 'sub_1',
  status: 'active',
  customer: 'cus_1',
  cancel_at_period_end: false,
  canceled_at: null,
  ended_at: null,
  metadata: { facilityId: FACILITY },
  items: { data: [{ current_period_end: sec(T + 30 * 86400_000) }] },
  ...over,
});

describe('a Stripe subscription as a facility state', () => {
  it('maps Stripe statuses: paid is active, unpaid is past_due, ended is canceled, pending changes nothing', () => {
    expect(
      ['active', 'trialing', 'past_due', 'unpaid', 'canceled', 'incomplete_expired', 'incomplete', 'paused'].map(stripeStatus),
    ).toEqual(['active', 'active', 'past_due', 'past_due', 'canceled', 'canceled', null, null]);
    expect(applyStripeSubscription(stored(), sub({ status: 'incomplete' }), new Date(T))).toBeNull();
  });

  it('active: paid until the period end of its item, cancel_at_period_end carried', () => {
    expect(applyStripeSubscription(stored(), sub({ cancel_at_period_end: true }), new Date(T))).toEqual({
      stripeSubscriptionId: 'sub_1',
      status: 'active',
      currentPeriodEnd: new Date(sec(T + 30 * 86400_000) * 1000),
      canceledAt: null,
      pastDueSince: null,
      cancelAtPeriodEnd: true,
    });
  });

  it('canceled: the cancellation took effect when it ended', () => {
    const ended = sec(T - 3600_000);
    const r = applyStripeSubscription(
      stored({ status: 'active', stripeSubscriptionId: 'sub_1' }),
      sub({ status: 'canceled', ended_at: ended, canceled_at: ended - 100 }),
      new Date(T),
    );
    expect(r).toMatchObject({
      status: 'canceled',
      currentPeriodEnd: new Date(ended * 1000),
      canceledAt: new Date((ended - 100) * 1000),
      cancelAtPeriodEnd: false,
    });
  });

  it('past_due keeps the earliest failure it has seen, whatever order the re-reads come in', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 * 86400 }), { minLength: 1, maxLength: 8 }), (offsets) => {
        let s = stored({ status: 'active', stripeSubscriptionId: 'sub_1' });
        for (const o of offsets) s = { ...s, ...applyStripeSubscription(s, sub({ status: 'past_due' }), new Date(T + o * 1000))! };
        expect(s.status).toBe('past_due');
        expect(s.pastDueSince).toEqual(new Date(T + Math.min(...offsets) * 1000));
      }),
    );
  });

  it('paid again clears past_due', () => {
    const r = applyStripeSubscription(
      stored({ status: 'past_due', pastDueSince: new Date(T), stripeSubscriptionId: 'sub_1' }),
      sub(),
      new Date(T),
    );
    expect(r).toMatchObject({ status: 'active', pastDueSince: null });
  });

  it('an ended subscription other than the live stored one never overwrites it; a live new one replaces anything', () => {
    const live = stored({ status: 'active', stripeSubscriptionId: 'sub_new' });
    expect(applyStripeSubscription(live, sub({ id: 'sub_old', status: 'canceled', ended_at: sec(T) }), new Date(T))).toBeNull();
    const ended = stored({ status: 'canceled', stripeSubscriptionId: 'sub_old', currentPeriodEnd: new Date(T) });
    expect(applyStripeSubscription(ended, sub({ id: 'sub_new' }), new Date(T))).toMatchObject({
      stripeSubscriptionId: 'sub_new',
      status: 'active',
    });
  });

  it('reads the facility only from a well-formed metadata id', () => {
    expect(facilityOfSubscription(sub())).toBe(FACILITY);
    expect(facilityOfSubscription(sub({ metadata: {} }))).toBeNull();
    expect(facilityOfSubscription(sub({ metadata: { facilityId: "x' OR 1=1" } }))).toBeNull();
  });
});
