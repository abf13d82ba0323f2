import { describe, expect, it } from 'vitest';
import { fieldOfHeader, parseDirectoryCsv, planImport, templateCsv, toCsv, type ExistingDirectory } from './directory-csv';

const EMPTY: ExistingDirectory = { recipients: [], departments: [], locations: [] };
let n = 0;
const newId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const plan = (text: string, existing = EMPTY) => planImport(parseDirectoryCsv(text), existing, newId);

describe('CSV header mapping', () => {
  it('understands the names people give their columns', () => {
    for (const h of ['Name', 'Full Name', 'Recipient', ' recipient name ', 'FULL_NAME']) expect(fieldOfHeader(h), h).toBe('name');
    for (const h of ['E-mail', 'Email Address', 'e-mail address']) expect(fieldOfHeader(h), h).toBe('email');
    for (const h of ['Employee ID', 'Emp. ID', 'Badge #', 'Staff Number']) expect(fieldOfHeader(h), h).toBe('employeeId');
    for (const h of ['Dept.', 'Department']) expect(fieldOfHeader(h), h).toBe('department');
    for (const h of ['Mail Stop', 'Default Location', 'Office']) expect(fieldOfHeader(h), h).toBe('defaultLocation');
    for (const h of ['Bldg', 'Floor', 'Delivery Instructions', 'Comments', 'Role', 'Mobile']) expect(fieldOfHeader(h)).not.toBeNull();
    expect(fieldOfHeader('Favourite colour')).toBeNull();
  });
});

describe('parsing real-world files', () => {
  it('reads an Excel export: BOM, semicolons, quoted fields with separators and line breaks, CRLF', () => {
    const text =
      '\uFEFFFull Name;E-Mail;Dept.;Notes\r\n"Lovelace; Ada";ada@example.com;Engineering;"two\r\nlines"\r\n\r\nGrace Hopper;grace@example.com;;\r\n';
    const f = parseDirectoryCsv(text);
    expect(f.fileErrors).toEqual([]);
    expect(f.rows).toEqual([
      { line: 2, values: { name: 'Lovelace; Ada', email: 'ada@example.com', department: 'Engineering', notes: 'two\r\nlines' } },
      // The blank row 3 is skipped but counted, as a spreadsheet shows it.
      { line: 4, values: { name: 'Grace Hopper', email: 'grace@example.com', department: '', notes: '' } },
    ]);
  });

  it('reads tabs and commas alike, and names ignored columns', () => {
    const f = parseDirectoryCsv('Name\tEmail\tShoe size\nAda\tada@example.com\t38\n');
    expect(f.rows[0]!.values).toEqual({ name: 'Ada', email: 'ada@example.com' });
    expect(f.ignoredHeaders).toEqual(['Shoe size']);
    // A short semicolon file with trailing blank rows still has its separator guessed.
    expect(parseDirectoryCsv('Name;Email\r\nAda;ada@example.com\r\n\r\n\r\n').rows).toEqual([
      { line: 2, values: { name: 'Ada', email: 'ada@example.com' } },
    ]);
  });

  it('reports an empty file and a file without a header row', () => {
    expect(parseDirectoryCsv('').fileErrors).toEqual([{ line: 1, message: 'The file is empty' }]);
    expect(parseDirectoryCsv('\uFEFF\r\n\r\n').fileErrors[0]!.message).toMatch(/empty/);
    expect(parseDirectoryCsv('foo,bar\n1,2\n').fileErrors[0]).toMatchObject({
      line: 1,
      message: expect.stringMatching(/name the columns/),
    });
  });
});

describe('import plan', () => {
  it('validates each row and reports errors with the line a spreadsheet shows', () => {
    const p = plan(
      'type,name,email,role\n' +
        'recipient,Ada Lovelace,ada@example.com,\n' +
        'recipient,,nobody@example.com,\n' +
        'recipient,Bad Mail,not-an-email,\n' +
        'spaceship,Enterprise,,\n' +
        'team member,Grace,grace@example.com,wizard\n' +
        'team member,Linus,linus@example.com,Operator\n' +
        `recipient,${'x'.repeat(201)},,\n`,
    );
    expect(p.errors).toEqual([
      { line: 3, message: 'A recipient needs a name' },
      { line: 4, message: '“not-an-email” is not an email address' },
      { line: 5, message: expect.stringMatching(/^Unknown type “spaceship”/) },
      { line: 6, message: expect.stringMatching(/^Unknown role “wizard”/) },
      { line: 8, message: 'The name is longer than 200 characters' },
    ]);
    expect([p.total, p.valid, p.created, p.updated]).toEqual([7, 2, 1, 0]);
    expect(p.members).toEqual([{ type: 'team member', line: 7, name: 'Linus', email: 'linus@example.com', role: 'operator' }]);
  });

  it('resolves departments and locations named by people, created by the same file or already there', () => {
    const existing: ExistingDirectory = { ...EMPTY, departments: [{ id: 'dept-legal', name: 'Legal' }] };
    const p = plan(
      'Type;Name;Department;Default location;Building\n' +
        'department;Engineering;;;\n' +
        'location;Shelf A;;;HQ\n' +
        'recipient;Ada;engineering;shelf a;\n' +
        'recipient;Bob;LEGAL;;\n' +
        'recipient;Eve;Marketing;Shelf Z;\n',
      existing,
    );
    const [dept, loc, ada, bob] = p.mutations;
    expect(p.mutations.map((m) => m.name)).toEqual(['department.upsert', 'location.upsert', 'recipient.upsert', 'recipient.upsert']);
    expect(ada!.args).toMatchObject({ name: 'Ada', departmentId: dept!.args.id, defaultLocationId: loc!.args.id });
    expect(bob!.args).toMatchObject({ departmentId: 'dept-legal' });
    expect(p.errors).toEqual([
      {
        line: 6,
        message:
          'The department “Marketing” is not in the directory: add a department row for it; The location “Shelf Z” is not in the directory: add a location row for it',
      },
    ]);
  });

  it('never duplicates a person: matches on email or employee id, else on a unique name, and the same file twice changes nothing', () => {
    const text = 'Name,Email,Employee ID,Phone\nAda,ADA@example.com,,1\nBob,,E-2,2\nCy,,,3\n';
    const first = plan(text);
    expect([first.created, first.updated]).toEqual([3, 0]);
    // The directory after the first import, as the server or the device would hold it.
    const existing: ExistingDirectory = {
      ...EMPTY,
      recipients: first.mutations.map((m) => ({
        departmentId: null,
        defaultLocationId: null,
        notes: null,
        ...(m.args as { id: string; name: string; email: string | null; phone: string | null; employeeId: string | null }),
      })),
    };
    const again = plan(text, existing);
    expect([again.created, again.updated, again.mutations, again.errors]).toEqual([0, 0, [], []]);
    const changed = plan('Name,Email,Employee ID,Phone\nAda Lovelace,ada@example.com,,1\nBob,,e-2,9\n', existing);
    expect(changed.mutations.map((m) => [m.args.id, m.args.name, (m.args as { phone: string }).phone])).toEqual([
      [first.mutations[0]!.args.id, 'Ada Lovelace', '1'],
      [first.mutations[1]!.args.id, 'Bob', '9'],
    ]);
    expect([changed.created, changed.updated]).toEqual([0, 2]);
  });

  it('leaves fields the file has no column for as they are', () => {
    const existing: ExistingDirectory = {
      ...EMPTY,
      recipients: [
        {
          id: 'r1',
          name: 'Ada',
          email: 'ada@example.com',
          phone: '555',
          employeeId: null,
          departmentId: null,
          defaultLocationId: null,
          notes: 'VIP',
        },
      ],
    };
    expect(plan('Email,Name\nada@example.com,Ada\n', existing).mutations).toEqual([]);
    expect(plan('Email,Name,Notes\nada@example.com,Ada,\n', existing).mutations[0]!.args).toMatchObject({ phone: '555', notes: null });
  });

  it('refuses the same person twice in a file, a row matching two people, and an ambiguous name', () => {
    const existing: ExistingDirectory = {
      ...EMPTY,
      recipients: [
        {
          id: 'r1',
          name: 'Ada',
          email: 'ada@example.com',
          phone: null,
          employeeId: null,
          departmentId: null,
          defaultLocationId: null,
          notes: null,
        },
        { id: 'r2', name: 'Bob', email: null, phone: null, employeeId: 'E-2', departmentId: null, defaultLocationId: null, notes: null },
        { id: 'r3', name: 'Sam', email: null, phone: null, employeeId: null, departmentId: null, defaultLocationId: null, notes: null },
        { id: 'r4', name: 'sam', email: null, phone: null, employeeId: null, departmentId: null, defaultLocationId: null, notes: null },
      ],
    };
    const p = plan('Name,Email,Employee ID\nX,x@example.com,\nY,X@example.com,\nZ,ada@example.com,E-2\nSam,,\n', existing);
    expect(p.errors.map((e) => [e.line, e.message])).toEqual([
      [3, 'The same email is already on line 2'],
      [4, 'The email belongs to Ada but the employee id to Bob'],
      [5, '2 people are called Sam: add an email or employee id to say which'],
    ]);
  });

  it('guesses the type of a per-type file from its columns', () => {
    expect(plan('Department\nEngineering\nLegal\n').mutations.map((m) => [m.name, m.args.name])).toEqual([
      ['department.upsert', 'Engineering'],
      ['department.upsert', 'Legal'],
    ]);
    expect(plan('Location,Building,Floor\nShelf A,HQ,2\n').mutations[0]).toMatchObject({
      name: 'location.upsert',
      args: { name: 'Shelf A', building: 'HQ', floor: '2' },
    });
    expect(plan('Email,Role\nop@example.com,operator\n').members).toHaveLength(1);
    expect(plan('First Name,Last Name,Email\nAda,Lovelace,ada@example.com\n').mutations[0]!.args.name).toBe('Ada Lovelace');
  });
});

describe('templates and export', () => {
  it('round-trips: an exported directory imports into itself with no change, formulas neutralised', () => {
    const text = toCsv([
      { type: 'department', name: 'Engineering' },
      { type: 'location', name: 'Shelf A', building: 'HQ', floor: '=1+1' },
      {
        type: 'recipient',
        name: 'Ada, "the Countess"',
        email: 'ada@example.com',
        phone: '+1 555',
        department: 'Engineering',
        defaultLocation: 'Shelf A',
      },
    ]);
    expect(text.startsWith('\uFEFFType,Name,')).toBe(true);
    expect(text).toContain(`'=1+1`);
    const first = plan(text);
    expect(first.errors).toEqual([]);
    expect(first.mutations[1]!.args).toMatchObject({ floor: '=1+1' });
    expect(first.mutations[2]!.args).toMatchObject({ name: 'Ada, "the Countess"', phone: '+1 555' });
  });

  it('offers a template per type and a combined one, each importable as it is', () => {
    for (const type of [undefined, 'recipient', 'department', 'location', 'team member'] as const) {
      const p = plan(templateCsv(type));
      expect(p.errors, String(type)).toEqual([]);
      expect(p.total, String(type)).toBeGreaterThan(0);
    }
  });
});
