import { describe, expect, it } from 'vitest';
import { csvTable } from './csv';
import { myDataCsvFiles, type MyData } from './my-data';

describe('csvTable', () => {
  it('quotes where needed, doubles quotes, writes a BOM and CRLF, and neutralises formula starts', () => {
    const csv = csvTable(
      ['a', 'b'],
      [
        { a: '=1+1', b: 'plain' },
        { a: '+SUM(A1)', b: '-2' },
        { a: '@cmd', b: 'say "hi"' },
        { a: null, b: 3 },
      ],
    );
    expect(csv).toBe('\uFEFFa,b\r\n"\'=1+1",plain\r\n"\'+SUM(A1)","\'-2"\r\n"\'@cmd","say ""hi"""\r\n,3\r\n');
  });

  it('keeps the header of an empty table', () => {
    expect(csvTable(['x'], [])).toBe('\uFEFFx\r\n');
  });
});

describe('myDataCsvFiles', () => {
  it('writes one file per section, the profile as one row', () => {
    const data: MyData = {
      exportedAt: '2026-11-29T10:00:00.000Z',
      profile: {
        id: 'u1',
        name: 'Ada',
        email: 'ada@example.test',
        emailOptOut: false,
        emailVerifiedAt: null,
        createdAt: '2026-01-01T00:00:00.000Z',
      },
      organizationsOwned: [],
      memberships: [{ facilityId: 'f1', facilityName: 'Desk', organizationName: 'Org', role: 'admin', since: '2026-01-01T00:00:00.000Z' }],
      sessions: [],
      invitationsSent: [],
      custodyActions: [],
      facilityChanges: [],
      recipientRecords: [],
      notifications: [],
    };
    const files = myDataCsvFiles(data);
    expect(Object.keys(files)).toHaveLength(9);
    expect(files['profile.csv']!.split('\r\n')[1]).toBe('u1,Ada,ada@example.test,false,,2026-01-01T00:00:00.000Z');
    expect(files['memberships.csv']).toContain('Desk,Org,admin');
  });
});
