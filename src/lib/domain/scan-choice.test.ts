import { describe, expect, it } from 'vitest';
import { chooseScan, ScanCooldown } from './scan-choice';

describe('chooseScan', () => {
  it('prefers the valid tracking number over the junk in 2-D codes, whatever the order', () => {
    const codes = [
      { format: 'qr_code', rawValue: 'https://example.test/track?x=JUNK123456789' },
      { format: 'data_matrix', rawValue: 'JUNKDATA0000000001' },
      { format: 'code_128', rawValue: '1Z5R89390357567127' },
    ];
    expect(chooseScan(codes)).toEqual({ code: '1Z5R89390357567127', tracking: { carrier: 'ups', trackingNumber: '1Z5R89390357567127' } });
    expect(chooseScan([...codes].reverse())?.code).toBe('1Z5R89390357567127');
  });

  it('takes a valid number from a 2-D code when no linear code holds one', () => {
    const choice = chooseScan([
      { format: 'code_128', rawValue: '12345' },
      { format: 'pdf417', rawValue: '986578788855' },
    ]);
    expect(choice?.tracking).toEqual({ carrier: 'fedex', trackingNumber: '986578788855' });
  });

  it('among valid numbers, a linear code first', () => {
    const choice = chooseScan([
      { format: 'qr_code', rawValue: 'TBA000000000000' },
      { format: 'code_128', rawValue: '9400111201080805483016' },
    ]);
    expect(choice?.tracking?.carrier).toBe('usps');
  });

  it('reads a GS1-128 USPS barcode with its FNC1 separator as the reduced tracking number', () => {
    const choice = chooseScan([{ format: 'code_128', rawValue: '42022153\u001d9101026837331000039521' }]);
    expect(choice).toEqual({
      code: '420221539101026837331000039521',
      tracking: { carrier: 'usps', trackingNumber: '9101026837331000039521' },
    });
  });

  it('a mistyped check digit is not valid: an unknown linear number is still taken, without a carrier', () => {
    const choice = chooseScan([
      { format: 'qr_code', rawValue: 'LOCAL-NOTE' },
      { format: 'code_128', rawValue: '1Z5R89390357567128' },
    ]);
    expect(choice).toEqual({ code: '1Z5R89390357567128', tracking: null });
  });

  it('takes nothing when only junk was read', () => {
    expect(chooseScan([])).toBeNull();
    expect(chooseScan([{ format: 'qr_code', rawValue: 'https://example.test/a' }])).toBeNull();
    expect(chooseScan([{ format: 'data_matrix', rawValue: 'JUNKDATA0000000001' }])).toBeNull();
    expect(
      chooseScan([
        { format: 'code_128', rawValue: 'ab' },
        { format: 'code_39', rawValue: '\u001d' },
      ]),
    ).toBeNull();
  });
});

describe('ScanCooldown', () => {
  it('takes a label once while it stays in view, again after it was out of sight', () => {
    const c = new ScanCooldown(2500, 800);
    expect(c.take('A', 0)).toBe(true);
    for (let t = 100; t <= 6000; t += 100) expect(c.take('A', t)).toBe(false); // held up for 6 s
    expect(c.take('A', 6000 + 2600)).toBe(true); // shown again after 2.6 s away
  });

  it('waits a moment before the next label, then takes it', () => {
    const c = new ScanCooldown(2500, 800);
    expect(c.take('A', 0)).toBe(true);
    expect(c.take('B', 300)).toBe(false);
    expect(c.take('B', 900)).toBe(true);
    expect(c.take('C', 1000)).toBe(false);
    expect(c.take('B', 1100)).toBe(false);
    expect(c.take('C', 1800)).toBe(true);
  });
});

describe('chooseScan with codes a screen wants', () => {
  const pickup = (code: string) => code.startsWith('PTP1:');

  it('takes a pickup QR (2-D, not a tracking number) when the screen asks for it', () => {
    expect(chooseScan([{ format: 'qr_code', rawValue: 'PTP1:K7M2Q9' }])).toBeNull();
    expect(chooseScan([{ format: 'qr_code', rawValue: 'PTP1:K7M2Q9' }], pickup)).toEqual({ code: 'PTP1:K7M2Q9', tracking: null });
  });

  it('a wanted code comes before a label in the same frame; without one, labels are read as before', () => {
    const frame = [
      { format: 'code_128', rawValue: '1Z5R89390357567127' },
      { format: 'qr_code', rawValue: 'PTP1:K7M2Q9' },
    ];
    expect(chooseScan(frame, pickup)?.code).toBe('PTP1:K7M2Q9');
    expect(chooseScan([frame[0]!], pickup)?.code).toBe('1Z5R89390357567127');
  });
});
