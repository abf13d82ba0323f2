import { describe, expect, it } from 'vitest';
import { formProblems, maxLengthOf, maxLengths } from './form-problems';
import { mutationArgs } from './sync/mutations';

const receive = mutationArgs['package.receive.v2'];
const labels = { trackingNumber: 'Tracking number', recipientName: 'Recipient', sender: 'Sender', notes: 'Notes', shelf: 'Shelf' };
const valid = {
  id: '00000000-0000-4000-8000-000000000001',
  trackingNumber: '1Z5R89390357567127',
  carrier: 'ups',
  recipientName: 'Ada Lovelace',
  receivedAt: '2026-11-29T10:00:00.000Z',
};

describe('form problems from the shared schemas', () => {
  it('reads each field’s limit from the mutation schema', () => {
    expect(maxLengths(receive, labels)).toEqual({ trackingNumber: 120, recipientName: 200, sender: 200, notes: 2000, shelf: 40 });
    expect(maxLengthOf(mutationArgs['recipient.upsert'], 'email')).toBe(254);
    expect(maxLengthOf(receive, 'perishable')).toBeUndefined();
  });

  it('says a 500-character name is too long, in words naming the field', () => {
    const p = formProblems(receive, { ...valid, recipientName: 'x'.repeat(500) }, labels);
    expect(p).toEqual({ recipientName: 'Recipient is too long: 500 characters, at most 200' });
  });

  it('names the character a tracking number cannot hold', () => {
    expect(formProblems(receive, { ...valid, trackingNumber: '1Z9📦' }, labels).trackingNumber).toMatch(/remove “📦”/);
  });

  it('asks for what is required and names a bad email', () => {
    expect(formProblems(receive, { ...valid, recipientName: '  ' }, labels)).toEqual({ recipientName: 'Recipient is required' });
    const r = formProblems(
      mutationArgs['recipient.upsert'],
      { id: valid.id, name: 'Kim', email: 'kim@' },
      { name: 'Name', email: 'Email' },
    );
    expect(r).toEqual({ email: 'Email is not an email address' });
  });

  it('says nothing about a valid form or unlabelled fields', () => {
    expect(formProblems(receive, valid, labels)).toEqual({});
    expect(formProblems(receive, { ...valid, id: 'not-a-uuid' }, labels)).toEqual({});
  });
});
