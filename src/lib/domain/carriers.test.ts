import { describe, expect, it } from 'vitest';
import { carrierLabel, cleanTrackingNumber, detectCarrier } from './carriers';

describe('detectCarrier', () => {
  it.each([
    ['1Z999AA10123456784', 'ups'],
    ['1z 999 aa1 0123456784', 'ups'],
    ['TBA123456789012', 'amazon'],
    ['9400111899223856928499', 'usps'],
    ['420902109400111899223856928499', 'usps'],
    ['EC123456789US', 'usps'],
    ['9612345678901234567890', 'fedex'],
    ['123456789012', 'fedex'],
    ['JJD000390007882245431', 'dhl'],
    ['1234567890', 'dhl'],
    ['C12345678901234', 'ontrac'],
    ['LX12345678', 'lasership'],
  ])('%s → %s', (tracking, carrier) => {
    expect(detectCarrier(tracking)).toBe(carrier);
  });

  it('answers null for what it does not know, or for too little', () => {
    expect(detectCarrier('HELLO-WORLD-XYZ')).toBeNull();
    expect(detectCarrier('1Z12')).toBeNull();
    expect(detectCarrier('')).toBeNull();
  });

  it('cleans what scanners and people type', () => {
    expect(cleanTrackingNumber(' 1z-999 aa1\t01 ')).toBe('1Z999AA101');
  });

  it('labels carriers', () => {
    expect(carrierLabel('fedex')).toBe('FedEx');
    expect(carrierLabel('pigeon')).toBe('pigeon');
  });
});
