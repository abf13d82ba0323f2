import { describe, expect, it } from 'vitest';
import { feedLine, isEssential, mayRemindAt, notice, noticeShort, noticeText, reminderDue, type NoticeInput } from './notifications';

const pkg = (over: Record<string, unknown> = {}) => ({
  trackingNumber: '1Z999AA10123456784',
  carrier: 'ups',
  sender: 'ACME',
  location: 'Front desk, North',
  shelf: 'B-3',
  holdNote: 'Bring photo ID',
  receivedAt: '2026-11-20T14:05:00Z',
  ...over,
});
const input = (over: Partial<NoticeInput> = {}): NoticeInput => ({
  kind: 'received',
  facilityName: 'HQ',
  recipientName: 'Grace',
  timeZone: 'America/New_York',
  packages: [pkg()],
  ...over,
});

describe('notice', () => {
  it('received: one package or several, with where to pick them up once each', () => {
    expect(notice(input()).subject).toBe('A package is waiting for you at HQ');
    const n = notice(input({ packages: [pkg(), pkg({ trackingNumber: 'X2' }), pkg({ trackingNumber: 'X3', location: 'Dock' })] }));
    expect(n.subject).toBe('3 packages are waiting for you at HQ');
    expect(n.pickup).toEqual(['Front desk, North, shelf B-3', 'Dock, shelf B-3']);
    expect(n.items.map((i) => i.title)).toEqual(['UPS', 'UPS', 'UPS']);
    // Times in the facility's zone: 14:05 UTC is 09:05 in New York.
    expect(n.items[0]!.details).toContain('Logged 2026-11-20 09:05');
  });

  it('held: contact the mailroom; the note only when the facility allows', () => {
    const hidden = notice(input({ kind: 'held' }));
    expect(hidden.paragraphs.join(' ')).toContain('Please contact the mailroom.');
    expect(JSON.stringify(hidden)).not.toContain('Bring photo ID');
    expect(JSON.stringify(notice(input({ kind: 'held', showHoldNote: true })))).toContain('Note from the mailroom: Bring photo ID');
    const reasoned = notice(
      input({ kind: 'held', showHoldNote: true, packages: [pkg({ holdReason: 'id_required', holdNote: 'at the desk' })] }),
    );
    expect(reasoned.items[0]!.details).toContain('Note from the mailroom: Photo ID required: at the desk');
    const other = notice(input({ kind: 'held', showHoldNote: true, packages: [pkg({ holdReason: 'other', holdNote: 'Ask Sam' })] }));
    expect(other.items[0]!.details).toContain('Note from the mailroom: Ask Sam');
  });

  it('delivered: to whom and when, without a pickup place', () => {
    const n = notice(input({ kind: 'delivered', deliveredTo: 'Alan Turing', deliveredAt: '2026-11-21T17:30:00Z' }));
    expect(n.paragraphs[0]).toBe('Your package was handed to Alan Turing on 2026-11-21 12:30.');
    expect(n.pickup).toEqual([]);
    expect(notice(input({ kind: 'delivered', deliveredTo: ' ' })).paragraphs[0]).toContain('handed to Grace');
  });

  it('reminder: what still waits, and it is the only non-essential kind', () => {
    expect(notice(input({ kind: 'reminder', packages: [pkg(), pkg()] })).subject).toBe(
      'Reminder: 2 packages are still waiting for you at HQ',
    );
    expect(['received', 'held', 'delivered', 'reminder'].map((k) => isEssential(k as NoticeInput['kind']))).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('text, SMS and feed words', () => {
    const text = noticeText(notice(input()), { facilityName: 'HQ', unsubscribeUrl: 'https://x.test/u/abc' });
    expect(text).toContain('- UPS\n  Tracking 1Z999AA10123456784');
    expect(text.endsWith('Stop these reminders: https://x.test/u/abc')).toBe(true);
    expect(noticeText(notice(input()), { facilityName: 'HQ' })).not.toContain('Stop these reminders');
    expect(noticeShort(input())).toBe('HQ: a package arrived for you at Front desk, North, shelf B-3.');
    expect(noticeShort(input({ kind: 'held' }))).toContain('Please contact the mailroom');
    expect(feedLine(input({ packages: [pkg(), pkg({ carrier: 'fedex', trackingNumber: '12345' })] }))).toBe(
      '2 packages received for Grace (UPS, FedEx: …456784, 12345)',
    );
  });
});

describe('reminderDue', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  it('once a package has waited the interval, and the last reminder is as old', () => {
    expect(reminderDue({ waitingSince: ['2026-11-21T13:00:00Z'], lastReminderAt: null, intervalHours: 24, now })).toBe(false);
    expect(reminderDue({ waitingSince: ['2026-11-21T12:00:00Z'], lastReminderAt: null, intervalHours: 24, now })).toBe(true);
    expect(reminderDue({ waitingSince: ['2026-11-20T12:00:00Z'], lastReminderAt: '2026-11-21T13:00:00Z', intervalHours: 24, now })).toBe(
      false,
    );
    expect(reminderDue({ waitingSince: ['2026-11-20T12:00:00Z'], lastReminderAt: '2026-11-21T12:00:00Z', intervalHours: 24, now })).toBe(
      true,
    );
    expect(reminderDue({ waitingSince: [], lastReminderAt: null, intervalHours: 24, now })).toBe(false);
  });
});

describe('mayRemindAt', () => {
  const quiet = { start: '20:00', end: '07:00' };
  it('reads the clock in the facility zone and keeps quiet hours past midnight', () => {
    // 11:59 UTC is 06:59 in New York: quiet there.
    expect(mayRemindAt(new Date('2026-11-25T11:59:00Z'), 'America/New_York', quiet)).toBe(false);
    expect(mayRemindAt(new Date('2026-11-25T12:00:00Z'), 'America/New_York', quiet)).toBe(true);
    expect(mayRemindAt(new Date('2026-11-25T00:59:00Z'), 'America/New_York', quiet)).toBe(true);
    expect(mayRemindAt(new Date('2026-11-26T01:00:00Z'), 'America/New_York', quiet)).toBe(false);
    expect(mayRemindAt(new Date('2026-11-26T03:00:00Z'), 'UTC', null)).toBe(true);
  });
});
