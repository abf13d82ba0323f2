import { describe, expect, it } from 'vitest';
import { remindInput, remindSummary } from './package-remind';

const id = '3f0c1c8e-8a51-4b8e-9a37-2d1f4f2b7a10';

describe('remindInput', () => {
  it('takes 1 to 500 package ids', () => {
    expect(remindInput.safeParse({ packageIds: [id] }).success).toBe(true);
    expect(remindInput.safeParse({ packageIds: [] }).success).toBe(false);
    expect(remindInput.safeParse({ packageIds: Array(501).fill(id) }).success).toBe(false);
    expect(remindInput.safeParse({ packageIds: ['nope'] }).success).toBe(false);
    expect(remindInput.safeParse({ packageIds: [id], extra: 1 }).success).toBe(false);
  });
});

describe('remindSummary', () => {
  it('says how many were reminded and why the others were not, in words', () => {
    expect(remindSummary({ reminded: 2, skipped: [] })).toBe('Reminder sent to 2 recipients.');
    expect(
      remindSummary({
        reminded: 1,
        skipped: [
          { packageId: 'a', reason: 'opted_out' },
          { packageId: 'b', reason: 'not_open' },
          { packageId: 'c', reason: 'not_open' },
        ],
      }),
    ).toBe('Reminder sent to 1 recipient. 2 packages are no longer waiting. 1 package has a recipient who switched reminders off.');
    expect(remindSummary({ reminded: 0, skipped: [{ packageId: 'a', reason: 'no_email' }] })).toBe(
      'No reminder sent. 1 package has a recipient without an email address.',
    );
  });
});
