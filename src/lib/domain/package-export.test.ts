import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { exportFileName, exportHead, exportHeader, exportLine, exportRange, type ExportedPackage } from './package-export';

const pkg: ExportedPackage = {
  id: '00000000-0000-4000-8000-000000000001',
  trackingNumber: '1Z999',
  carrier: 'ups',
  status: 'delivered',
  recipientId: null,
  recipientName: 'Lovelace, Ada',
  sender: '@attacker',
  locationName: 'Shelf A',
  shelf: 'A3',
  perishable: true,
  needsSignature: false,
  notes: 'line one\nline two',
  holdNote: null,
  holdReason: null,
  returnNote: null,
  returnReason: null,
  returnCarrier: null,
  proxyReason: 'colleague',
  deliveredTo: 'Grace',
  receivedAt: '2026-11-10T05:30:00.000Z',
  notifiedAt: null,
  heldAt: null,
  deliveredAt: '2026-11-10T15:00:00.000Z',
  returnedAt: null,
  deletedAt: null,
  receivedBy: 'Sam',
  deliveredBy: null,
  returnedBy: null,
  events: [
    { at: '2026-11-10T05:30:00.000Z', type: 'received', by: 'Sam' },
    { at: '2026-11-10T15:00:00.000Z', type: 'delivered', by: null },
  ],
  photos: [{ kind: 'signature', hash: 'ab'.repeat(32) }],
  custodyHash: 'cd'.repeat(32),
};

describe('the package export', () => {
  it('takes real dates in order, within ten years', () => {
    expect(exportRange.safeParse({ from: '2026-11-01', to: '2026-11-30' }).success).toBe(true);
    expect(exportRange.safeParse({ from: '2026-11-30', to: '2026-11-30' }).success).toBe(true);
    expect(exportRange.safeParse({ from: '2026-11-01' }).success).toBe(true);
    expect(exportRange.safeParse({}).success).toBe(true);
    for (const r of [
      { from: '2026-11-30', to: '2026-11-01' },
      { from: '2026-02-29', to: '2026-03-01' },
      { from: '1990-01-01', to: '2026-01-01' },
    ])
      expect(exportRange.safeParse(r).success, JSON.stringify(r)).toBe(false);
  });

  it('names the file after the facility and the range', () => {
    const today = '2026-12-01';
    expect(exportFileName('MAIN-1', { from: '2026-11-01', to: '2026-11-30' }, today)).toBe('packages-MAIN-1-2026-11-01-2026-11-30.csv');
    expect(exportFileName('a"b/c', { from: '2026-11-01', to: '2026-11-30' }, today)).toBe('packages-abc-2026-11-01-2026-11-30.csv');
    expect(exportFileName('MAIN-1', {}, today)).toBe('packages-MAIN-1-start-2026-12-01.csv');
  });

  it('writes one record per package that reads back with every field, local times and links', () => {
    const o = { timeZone: 'America/New_York', origin: 'https://mail.example.com/', hashes: true };
    const text = exportHead(o) + exportLine(pkg, o);
    expect(text.startsWith('\uFEFFid,trackingNumber,carrier,status,')).toBe(true);
    const [row] = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true }).data;
    expect(Object.keys(row!)).toEqual(exportHeader(o));
    expect(row).toMatchObject({
      recipientName: 'Lovelace, Ada',
      sender: "'@attacker",
      notes: 'line one\nline two',
      perishable: 'true',
      receivedAtLocal: '2026-11-10 00:30:00',
      deliveredAtLocal: '2026-11-10 10:00:00',
      returnedAtLocal: '',
      timezone: 'America/New_York',
      events: '2026-11-10T05:30:00.000Z received by Sam; 2026-11-10T15:00:00.000Z delivered by a former member',
      photos: `signature https://mail.example.com/api/sync/blobs/${'ab'.repeat(32)}`,
      custodyHash: 'cd'.repeat(32),
    });
    expect(exportHeader({ hashes: false })).not.toContain('custodyHash');
  });
});
