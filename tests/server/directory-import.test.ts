// The directory CSV import, template and export (http-api.md "Directory"): a dry run writes
// nothing, atomic writes nothing when a row is bad, the same file twice changes nothing, people are
// never duplicated, writes reach devices through pull, 10,000 rows fit, an export imports back
// unchanged, only admins of the active facility may, and junk answers 4xx.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinAs, signUp, startTestApp, type TestApp, type TestClient } from './harness.ts';
import { Device, applyPatch, mutation, rowsOf } from './sync-helpers.ts';

let t: TestApp;
let a: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  t = await startTestApp();
  a = await signUp(t);
});
afterAll(() => t?.close());

const bytes = (s: string) => new TextEncoder().encode(s);
const importCsv = (c: TestClient, csv: string | Uint8Array, query = 'dryRun=false', type = 'text/csv') =>
  c.request('POST', `/api/directory/import?${query}`, typeof csv === 'string' ? bytes(csv) : csv, { 'content-type': type });

async function counts(facilityId: string) {
  return t.deps.db.withFacility(facilityId, async (tx) => ({
    recipients: await tx.recipient.count({ where: { deletedAt: null } }),
    departments: await tx.department.count({ where: { deletedAt: null } }),
    locations: await tx.location.count({ where: { deletedAt: null } }),
    version: (await tx.facility.findUniqueOrThrow({ where: { id: facilityId } })).syncVersion,
  }));
}

const MESSY =
  '\uFEFFType;Full Name;E-Mail;Emp. ID;Dept.;Mail Stop;Bldg;Floor\r\n' +
  'department;Engineering;;;;;;\r\n' +
  'location;Shelf A;;;;;HQ;2\r\n' +
  'recipient;"Lovelace; Ada";ada@example.test;E-1;engineering;shelf a;;\r\n' +
  'recipient;Grace Hopper;grace@example.test;E-2;Engineering;;;\r\n' +
  'recipient;;nobody@example.test;;;;;\r\n' +
  'recipient;Alan Turing;alan@example.test;E-3;Marketing;;;\r\n';

describe('directory import', () => {
  it('dry run reports per row with spreadsheet line numbers and writes nothing', async () => {
    const s = await signUp(t);
    const before = await counts(s.facilityId);
    const res = await importCsv(s.client, MESSY, 'dryRun=true');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      total: 6,
      valid: 4,
      created: 4,
      updated: 0,
      errors: [
        { line: 6, message: 'A recipient needs a name' },
        { line: 7, message: expect.stringMatching(/department “Marketing” is not in the directory/) },
      ],
    });
    expect(await counts(s.facilityId)).toEqual(before);
  });

  it('atomic writes nothing when a row is bad; a real run writes the valid rows, devices pull them', async () => {
    const s = await signUp(t);
    const before = await counts(s.facilityId);
    const atomic = await importCsv(s.client, MESSY, 'dryRun=false&atomic=true');
    expect(atomic.status).toBe(200);
    expect(atomic.json).toMatchObject({ total: 6, valid: 4, created: 0, updated: 0 });
    expect(atomic.json.errors.map((e: { line: number }) => e.line)).toEqual([6, 7]);
    expect(await counts(s.facilityId)).toEqual(before);

    const res = await importCsv(s.client, MESSY);
    expect(res.json).toMatchObject({ total: 6, valid: 4, created: 4, updated: 0 });
    const after = await counts(s.facilityId);
    expect(after).toMatchObject({ recipients: 2, departments: 1, locations: 1 });
    expect(after.version).toBe(before.version + 1); // one version, as one push

    const state = applyPatch(new Map(), (await new Device(s.client, s.facilityId).pullAll()).patch);
    const [dept] = [...rowsOf(state, 'departments').values()];
    const [loc] = [...rowsOf(state, 'locations').values()];
    expect(loc).toMatchObject({ name: 'Shelf A', building: 'HQ', floor: '2' });
    const people = [...rowsOf(state, 'recipients').values()].sort((x, y) => String(x.name).localeCompare(String(y.name)));
    expect(people).toMatchObject([
      { name: 'Grace Hopper', email: 'grace@example.test', employeeId: 'E-2', departmentId: dept!.id, defaultLocationId: null },
      { name: 'Lovelace; Ada', email: 'ada@example.test', departmentId: dept!.id, defaultLocationId: loc!.id },
    ]);
  });

  it('the same file twice changes nothing, and a changed file updates people in place, matched on email or employee id', async () => {
    const s = await signUp(t);
    const file = 'Name,Email,Employee ID,Phone\nAda,ada@example.test,E-1,1\nBob,,E-2,2\nCy,,,3\n';
    expect((await importCsv(s.client, file)).json).toMatchObject({ created: 3, updated: 0, errors: [] });
    const once = await counts(s.facilityId);
    expect((await importCsv(s.client, file)).json).toMatchObject({ total: 3, valid: 3, created: 0, updated: 0, errors: [] });
    expect(await counts(s.facilityId)).toEqual(once); // not even a version taken

    // A device had added Dee meanwhile; the file names her by email: matched, not duplicated.
    const dee = randomUUID();
    await new Device(s.client, s.facilityId).push([mutation(1, 'recipient.upsert', { id: dee, name: 'Dee', email: 'dee@example.test' })]);
    const changed = await importCsv(
      s.client,
      'Name,Email,Employee ID,Phone\nAda Lovelace,ADA@example.test,,1\nBob,,e-2,9\nDee D.,dee@example.test,,\n',
    );
    expect(changed.json).toMatchObject({ created: 0, updated: 3, errors: [] });
    const rows = await t.deps.db.withFacility(s.facilityId, (tx) => tx.recipient.findMany({ orderBy: { name: 'asc' } }));
    expect(rows.map((r) => [r.name, r.phone])).toEqual([
      ['Ada Lovelace', '1'],
      ['Bob', '9'],
      ['Cy', '3'],
      ['Dee D.', null],
    ]);
    expect(rows.find((r) => r.name === 'Dee D.')!.id).toBe(dee);
  });

  it('invites team members through the invitation service, once, and says why not per row', async () => {
    const s = await signUp(t);
    const file = `Type,Name,Email,Role\nteam member,Op,op-${randomUUID()}@example.test,operator\nteam member,Me,${s.body.email},admin\nteam member,X,x@example.test,\n`;
    const first = await importCsv(s.client, file);
    expect(first.json).toMatchObject({
      total: 3,
      valid: 2,
      created: 1,
      errors: [{ line: 4, message: expect.stringMatching(/needs a role/) }],
    });
    expect((await s.client.get('/api/invitations')).json.invitations).toHaveLength(1);
    expect((await importCsv(s.client, file)).json).toMatchObject({ created: 0 });
    expect((await s.client.get('/api/invitations')).json.invitations).toHaveLength(1);
  });

  it('reports invitations past the quota per row', async () => {
    const q = await startTestApp({ QUOTA_INVITATIONS_PER_HOUR: '1' });
    try {
      const s = await signUp(q);
      const res = await s.client.request(
        'POST',
        '/api/directory/import?dryRun=false',
        bytes(`Email,Role\na-${randomUUID()}@example.test,viewer\nb-${randomUUID()}@example.test,viewer\n`),
        { 'content-type': 'text/csv' },
      );
      expect(res.json).toMatchObject({
        total: 2,
        valid: 1,
        created: 1,
        errors: [{ line: 3, message: expect.stringMatching(/^Not invited: /) }],
      });
    } finally {
      await q.close();
    }
  });

  it('imports 10,000 rows in one request, and again with no change', async () => {
    const s = await signUp(t);
    const lines = ['Type,Name,Email,Employee ID,Department,Default location,Building'];
    for (let i = 0; i < 20; i++) lines.push(`department,Dept ${i},,,,,`);
    for (let i = 0; i < 30; i++) lines.push(`location,Room ${i},,,,,B${i % 3}`);
    for (let i = lines.length - 1; i < 10_000; i++)
      lines.push(`recipient,Person ${i},p${i}@example.test,E${i},Dept ${i % 20},Room ${i % 30},`);
    const csv = lines.join('\r\n');
    let started = performance.now();
    const res = await importCsv(s.client, csv);
    const firstMs = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ total: 10_000, valid: 10_000, created: 10_000, updated: 0, errors: [] });
    expect(await counts(s.facilityId)).toMatchObject({ recipients: 9_950, departments: 20, locations: 30 });
    started = performance.now();
    expect((await importCsv(s.client, csv)).json).toMatchObject({ created: 0, updated: 0, errors: [] });
    console.info(`[directory import] 10,000 rows: ${Math.round(firstMs)} ms first, ${Math.round(performance.now() - started)} ms again`);
  });

  it('exports a directory that imports back unchanged; templates import as they are', async () => {
    const s = await signUp(t);
    await importCsv(s.client, MESSY);
    const exported = await s.client.get('/api/directory/export.csv');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(exported.headers.get('content-disposition')).toMatch(/attachment; filename="directory\.csv"/);
    expect(exported.text).toContain('Lovelace; Ada');
    const back = await importCsv(s.client, exported.text);
    expect(back.json).toMatchObject({ created: 0, updated: 0, errors: [] });

    for (const type of ['', 'recipient', 'department', 'location', 'team-member']) {
      const tpl = await s.client.get(`/api/directory/template.csv${type ? `?type=${type}` : ''}`);
      expect(tpl.status, type).toBe(200);
      const dry = await importCsv(s.client, tpl.text, 'dryRun=true');
      expect(dry.json.errors, type).toEqual([]);
    }
    expect((await s.client.get('/api/directory/template.csv?type=spaceship')).status).toBe(400);
  });

  it('reads a Windows-1252 Excel "CSV" export', async () => {
    const s = await signUp(t);
    const latin1 = Uint8Array.from(
      [...'Name;Email\r\nJos', 0xe9, ...' Mart', 0xed, ...'nez;jose@example.test\r\n'].map((c) =>
        typeof c === 'number' ? c : c.charCodeAt(0),
      ),
    );
    expect((await importCsv(s.client, latin1)).json).toMatchObject({ created: 1 });
    const [r] = await t.deps.db.withFacility(s.facilityId, (tx) => tx.recipient.findMany());
    expect(r!.name).toBe('José Martínez');
  });

  it('is for admins only, and for the active facility only', async () => {
    for (const role of ['operator', 'courier', 'viewer']) {
      const m = await joinAs(t, a, role);
      expect((await importCsv(m.client, 'Name\nEve\n')).status, role).toBe(403);
      expect((await importCsv(m.client, 'Name\nEve\n', 'dryRun=true')).status, role).toBe(403);
      expect((await m.client.get('/api/directory/export.csv')).status, role).toBe(403);
      expect((await m.client.get('/api/directory/template.csv')).status, role).toBe(403);
    }
    expect(await counts(a.facilityId)).toMatchObject({ recipients: 0 });
    // Another facility's import lands in its own facility only.
    const b = await signUp(t);
    await importCsv(b.client, 'Name,Email\nBea,bea@example.test\n');
    expect((await counts(a.facilityId)).recipients).toBe(0);
    expect((await a.client.get('/api/directory/export.csv')).text).not.toContain('Bea');
  });

  it('answers junk with 4xx and a stable code, never 5xx', async () => {
    expect((await importCsv(a.client, 'Name\nEve\n', 'dryRun=maybe')).json.error).toBe('invalid_input');
    expect((await importCsv(a.client, 'Name\nEve\n', '')).status).toBe(400);
    expect((await importCsv(a.client, '{"name":"Eve"}', 'dryRun=true', 'application/json')).status).toBe(415);
    expect((await importCsv(a.client, '', 'dryRun=true')).json.error).toBe('invalid_csv');
    expect((await importCsv(a.client, 'foo,bar\n1,2\n', 'dryRun=true')).json.error).toBe('invalid_csv');
    expect((await importCsv(a.client, 'Name\n', 'dryRun=true')).json.error).toBe('invalid_csv');
    const big = new Uint8Array(11 * 1024 * 1024).fill(0x41);
    expect((await importCsv(a.client, big, 'dryRun=true')).status).toBe(413);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.uint8Array({ maxLength: 400 }).map((u) => u),
        ),
        async (junk) => {
          const res = await importCsv(a.client, junk, 'dryRun=true');
          expect(res.status, res.text).toBeLessThan(500);
          if (res.status !== 200) expect(res.json.error).toMatch(/^[a-z_]+$/);
        },
      ),
      { numRuns: 60 },
    );
    expect(await counts(a.facilityId)).toMatchObject({ recipients: 0, departments: 0, locations: 0 });
  });
});
