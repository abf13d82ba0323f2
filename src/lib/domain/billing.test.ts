import { describe, expect, it } from 'vitest';
import { accessMode } from './billing';

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
