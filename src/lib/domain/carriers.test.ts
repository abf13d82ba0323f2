import { describe, expect, it } from 'vitest';
import { carrierLabel, cleanTrackingNumber, detectCarrier, recogniseTracking } from './carriers';

describe('recogniseTracking', () => {
  // Valid numbers (check digits hold) from the carriers' published formats.
  it.each([
    ['1Z5R89390357567127', 'ups'],
    ['1z 879e 9303 4683 4440', 'ups'],
    ['TBA000000000000', 'amazon'],
    ['9101026837331000039521', 'usps'],
    ['RB123456785US', 'usps'],
    ['RB123456785GB', 'other'],
    ['986578788855', 'fedex'],
    ['9611020987654312345672', 'fedex'],
    ['3318810025', 'dhl'],
    ['JJD0099999999', 'dhl'],
    ['C11031500001879', 'ontrac'],
    ['LX12345678', 'lasership'],
  ])('%s → %s', (tracking, carrier) => {
    expect(detectCarrier(tracking)).toBe(carrier);
  });

  it('refuses a number whose check digit does not hold (a mistyped digit is no carrier)', () => {
    expect(detectCarrier('1Z5R89390357567128')).toBeNull();
    expect(detectCarrier('996578788855')).toBeNull();
    expect(detectCarrier('RB123456786US')).toBeNull();
    expect(detectCarrier('C10000000000000')).toBeNull();
  });

  it('reduces the USPS routing prefix 420 + ZIP or ZIP+4 to the tracking number', () => {
    expect(recogniseTracking('420 22153 9101026837331000039521')).toEqual({ carrier: 'usps', trackingNumber: '9101026837331000039521' });
    expect(recogniseTracking('4201002334249200190132607600833457')).toEqual({ carrier: 'usps', trackingNumber: '9200190132607600833457' });
  });

  it('reduces a FedEx 34-digit barcode to its 12-digit tracking number', () => {
    expect(recogniseTracking('1001921334250001000300779017972697')).toEqual({ carrier: 'fedex', trackingNumber: '779017972697' });
    expect(recogniseTracking('9622001900000000000000776632517510')).toEqual({ carrier: 'fedex', trackingNumber: '776632517510' });
  });

  it('keeps a number that needs no reduction as it was cleaned', () => {
    expect(recogniseTracking(' 1z5r 8939 0357 5671 27 ')).toEqual({ carrier: 'ups', trackingNumber: '1Z5R89390357567127' });
  });

  it('answers null for what it does not know, or for too little', () => {
    expect(recogniseTracking('HELLO-WORLD-XYZ')).toBeNull();
    expect(detectCarrier('1Z12')).toBeNull();
    expect(detectCarrier('')).toBeNull();
  });
});

describe('helpers', () => {
  it('cleans what scanners and people type', () => {
    expect(cleanTrackingNumber(' 1z-999 aa1\t01 ')).toBe('1Z999AA101');
  });

  it('labels carriers', () => {
    expect(carrierLabel('fedex')).toBe('FedEx');
    expect(carrierLabel('pigeon')).toBe('pigeon');
  });
});
