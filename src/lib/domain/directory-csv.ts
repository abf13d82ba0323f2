// The directory's CSV import and export (SPEC "Recipients, departments, locations"; http-api.md
// "Directory"): one file with a `type` column, or one file per type; header names as people write
// them; UTF-8 and Excel exports (BOM, `;` separators, quoted fields, CRLF). Parsing is papaparse's;
// the header mapping, row validation and the import plan are here, shared by the browser's
// preview and the server's import, so both say the same thing about the same file.
import Papa from 'papaparse';
import { CSV_BOM, csvLine } from './csv';
import { ROLES, type Role } from './permissions';
import { DIRECTORY_LIMITS, type MutationArgs } from './sync/mutations';
import type { DepartmentRow, LocationRow, RecipientRow } from './sync/rows';

export const ENTRY_TYPES = ['recipient', 'department', 'location', 'team member'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

export const FIELDS = [
  'type',
  'name',
  'firstName',
  'lastName',
  'email',
  'phone',
  'employeeId',
  'department',
  'defaultLocation',
  'building',
  'floor',
  'deliveryInstructions',
  'notes',
  'role',
] as const;
export type Field = (typeof FIELDS)[number];

/** Header names as they appear in real exports, normalised (lowercase, words only). */
const ALIASES: Record<Field, string[]> = {
  type: ['type', 'kind', 'record type', 'entry type', 'row type', 'category'],
  name: [
    'name',
    'full name',
    'fullname',
    'recipient',
    'recipient name',
    'person',
    'contact',
    'contact name',
    'display name',
    'employee name',
    'member name',
  ],
  firstName: ['first name', 'firstname', 'given name', 'forename'],
  lastName: ['last name', 'lastname', 'surname', 'family name'],
  email: ['email', 'e mail', 'email address', 'e mail address', 'mail', 'work email', 'email id'],
  phone: ['phone', 'phone number', 'telephone', 'tel', 'mobile', 'mobile phone', 'cell', 'cell phone', 'extension', 'sms'],
  employeeId: [
    'employee id',
    'employeeid',
    'employee number',
    'employee no',
    'emp id',
    'staff id',
    'staff number',
    'badge',
    'badge id',
    'id number',
    'person id',
  ],
  department: ['department', 'dept', 'department name', 'division', 'team'],
  defaultLocation: [
    'default location',
    'location',
    'location name',
    'mailstop',
    'mail stop',
    'office',
    'desk',
    'delivery location',
    'room',
  ],
  building: ['building', 'bldg', 'site'],
  floor: ['floor', 'level', 'storey'],
  deliveryInstructions: ['delivery instructions', 'instructions', 'delivery notes', 'directions'],
  notes: ['notes', 'note', 'comments', 'comment', 'remarks'],
  role: ['role', 'team role', 'access', 'permission', 'access level'],
};

const TYPE_VALUES: Record<string, EntryType> = {
  recipient: 'recipient',
  recipients: 'recipient',
  person: 'recipient',
  people: 'recipient',
  employee: 'recipient',
  resident: 'recipient',
  department: 'department',
  departments: 'department',
  dept: 'department',
  location: 'location',
  locations: 'location',
  place: 'location',
  mailstop: 'location',
  'team member': 'team member',
  'team members': 'team member',
  member: 'team member',
  user: 'team member',
  staff: 'team member',
  teammate: 'team member',
};

const ROLE_VALUES: Record<string, Role> = {
  ...Object.fromEntries(ROLES.map((r) => [r, r])),
  administrator: 'admin',
  'read only': 'viewer',
  readonly: 'viewer',
  'viewer read only': 'viewer',
  reviewer: 'viewer',
};

const normalize = (s: string) =>
  s
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

const HEADER_FIELD = new Map<string, Field>(FIELDS.flatMap((f) => ALIASES[f].map((a) => [a, f] as [string, Field])));

/** The field a header means, or null when it is none of ours. */
export const fieldOfHeader = (header: string): Field | null => HEADER_FIELD.get(normalize(header)) ?? null;
export const entryTypeOf = (value: string): EntryType | null => TYPE_VALUES[normalize(value)] ?? null;

export interface CsvIssue {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  line: number;
  message: string;
}

export interface ParsedRow {
  line: number;
  values: Partial<Record<Field, string>>;
}

export interface ParsedFile {
  /** The fields the file's columns carry (a field absent here is left as it is on update). */
  fields: Set<Field>;
  /** Headers that mean nothing to the import (shown, not an error). */
  ignoredHeaders: string[];
  rows: ParsedRow[];
  /** Problems with the file as a whole (no header, a broken quote). */
  fileErrors: CsvIssue[];
}

export const MAX_IMPORT_ROWS = 20_000;

/** Parses CSV text into rows of known fields. Never throws on bad input: it reports it. */
export function parseDirectoryCsv(text: string): ParsedFile {
  const body = text.replace(/^\uFEFF/, '');
  // Papa guesses the separator (, ; tab |) from the first rows; blank rows would spoil its guess on a
  // short file, and the real parse keeps them so line numbers match the spreadsheet's.
  const { delimiter } = Papa.parse<string[]>(body, { preview: 10, skipEmptyLines: 'greedy' }).meta;
  const parsed = Papa.parse<string[]>(body, { skipEmptyLines: false, delimiter });
  const fileErrors: CsvIssue[] = parsed.errors
    // A one-column file has no separator to guess; that is not an error.
    .filter((e) => e.code !== 'UndetectableDelimiter')
    .map((e) => ({ line: (e.row ?? 0) + 1, message: `${e.message} (the file may be cut off or have a stray quote)` }));
  const records = parsed.data;
  const blank = (r: string[]) => r.every((c) => !c || !c.trim());
  const headerIndex = records.findIndex((r) => !blank(r));
  if (headerIndex < 0) return { fields: new Set(), ignoredHeaders: [], rows: [], fileErrors: [{ line: 1, message: 'The file is empty' }] };
  const columns = records[headerIndex]!.map((h) => fieldOfHeader(h));
  const fields = new Set(columns.filter((f): f is Field => f !== null));
  const ignoredHeaders = records[headerIndex]!.filter((h, i) => columns[i] === null && h.trim()).map((h) => h.trim());
  if (
    !fields.has('name') &&
    !fields.has('firstName') &&
    !fields.has('lastName') &&
    !fields.has('email') &&
    !fields.has('department') &&
    !fields.has('defaultLocation')
  ) {
    fileErrors.push({ line: headerIndex + 1, message: 'The first row must name the columns (for example Name, Email, Department)' });
  }
  const rows: ParsedRow[] = [];
  for (let i = headerIndex + 1; i < records.length; i++) {
    const r = records[i]!;
    if (blank(r)) continue;
    const values: ParsedRow['values'] = {};
    r.forEach((cell, c) => {
      const f = columns[c];
      // The first column of a field wins; a repeated one fills only what the first left empty.
      // A quote before = + - @ is how exports (ours too) keep spreadsheets from running formulas.
      if (f && !values[f]?.trim()) values[f] = cell.trim().replace(/^'(?=[=+\-@])/, '');
    });
    rows.push({ line: i + 1, values });
  }
  if (rows.length > MAX_IMPORT_ROWS) {
    fileErrors.push({ line: rows[MAX_IMPORT_ROWS]!.line, message: `A file may hold at most ${MAX_IMPORT_ROWS.toLocaleString('en')} rows` });
  }
  return { fields, ignoredHeaders, rows, fileErrors };
}

// ---------------------------------------------------------------------------------------------
// Rows → entries

export interface RecipientEntry {
  type: 'recipient';
  line: number;
  name: string;
  email: string | null;
  phone: string | null;
  employeeId: string | null;
  department: string | null;
  defaultLocation: string | null;
  notes: string | null;
}
export interface DepartmentEntry {
  type: 'department';
  line: number;
  name: string;
}
export interface LocationEntry {
  type: 'location';
  line: number;
  name: string;
  building: string | null;
  floor: string | null;
  deliveryInstructions: string | null;
}
export interface MemberEntry {
  type: 'team member';
  line: number;
  name: string | null;
  email: string;
  role: Role;
}
export type DirectoryEntry = RecipientEntry | DepartmentEntry | LocationEntry | MemberEntry;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The type of a row: its `type` cell, else the file's type (a per-type file, chosen by the person
 * or guessed from its columns).
 */
export function guessFileType(fields: Set<Field>): EntryType {
  if (fields.has('role')) return 'team member';
  if (['email', 'phone', 'employeeId', 'firstName', 'lastName'].some((f) => fields.has(f as Field))) return 'recipient';
  if (['building', 'floor', 'deliveryInstructions'].some((f) => fields.has(f as Field))) return 'location';
  if (fields.has('department') && !fields.has('name')) return 'department';
  if (fields.has('defaultLocation') && !fields.has('name')) return 'location';
  return 'recipient';
}

type Checked<T> = { ok: true; entry: T } | { ok: false; message: string };

/** Validates one row as an entry of its type; a message in words when it is not one. */
export function toEntry(row: ParsedRow, fileType: EntryType | null): Checked<DirectoryEntry> {
  const v = row.values;
  const type = v.type?.trim() ? entryTypeOf(v.type) : fileType;
  if (!type) return { ok: false, message: `Unknown type “${v.type}”: use recipient, department, location or team member` };
  const opt = (s: string | undefined) => (s?.trim() ? s.trim() : null);
  const tooLong = (label: string, s: string | null, max: number) =>
    s && s.length > max ? `${label} is longer than ${max} characters` : null;
  const fail = (...messages: (string | null)[]) => {
    const m = messages.filter(Boolean);
    return m.length ? ({ ok: false, message: m.join('; ') } as const) : null;
  };
  const fullName = opt(v.name) ?? opt([v.firstName, v.lastName].filter((s) => s?.trim()).join(' '));

  if (type === 'department') {
    const name = opt(v.name) ?? opt(v.department);
    const bad = fail(name ? null : 'A department needs a name', tooLong('The name', name, DIRECTORY_LIMITS.departmentName));
    return bad ?? { ok: true, entry: { type, line: row.line, name: name! } };
  }
  if (type === 'location') {
    const name = opt(v.name) ?? opt(v.defaultLocation);
    const e = {
      type,
      line: row.line,
      name: name!,
      building: opt(v.building),
      floor: opt(v.floor),
      deliveryInstructions: opt(v.deliveryInstructions),
    };
    const bad = fail(
      name ? null : 'A location needs a name',
      tooLong('The name', name, DIRECTORY_LIMITS.locationName),
      tooLong('Building', e.building, DIRECTORY_LIMITS.building),
      tooLong('Floor', e.floor, DIRECTORY_LIMITS.floor),
      tooLong('Delivery instructions', e.deliveryInstructions, DIRECTORY_LIMITS.deliveryInstructions),
    );
    return bad ?? { ok: true, entry: e };
  }
  const email = opt(v.email)?.toLowerCase() ?? null;
  const badEmail = email && (!EMAIL.test(email) || email.length > DIRECTORY_LIMITS.email) ? `“${v.email}” is not an email address` : null;
  if (type === 'team member') {
    const role = v.role?.trim() ? (ROLE_VALUES[normalize(v.role)] ?? null) : null;
    const bad = fail(
      email ? badEmail : 'A team member needs an email address (the invitation goes there)',
      role
        ? null
        : v.role?.trim()
          ? `Unknown role “${v.role}”: use admin, operator, courier or viewer`
          : 'A team member needs a role (admin, operator, courier or viewer)',
    );
    return bad ?? { ok: true, entry: { type, line: row.line, name: fullName, email: email!, role: role! } };
  }
  const e: RecipientEntry = {
    type,
    line: row.line,
    name: fullName!,
    email,
    phone: opt(v.phone),
    employeeId: opt(v.employeeId),
    department: opt(v.department),
    defaultLocation: opt(v.defaultLocation),
    notes: opt(v.notes),
  };
  const bad = fail(
    fullName ? null : 'A recipient needs a name',
    tooLong('The name', fullName, DIRECTORY_LIMITS.name),
    badEmail,
    tooLong('Phone', e.phone, DIRECTORY_LIMITS.phone),
    tooLong('Employee id', e.employeeId, DIRECTORY_LIMITS.employeeId),
    tooLong('Notes', e.notes, DIRECTORY_LIMITS.notes),
  );
  return bad ?? { ok: true, entry: e };
}

// ---------------------------------------------------------------------------------------------
// Entries + the directory as it is → what to write

/** The directory as it is; the rows' shapes are the synced ones (sync/rows.ts). */
export interface ExistingDirectory {
  recipients: readonly Pick<
    RecipientRow,
    'id' | 'name' | 'email' | 'phone' | 'employeeId' | 'departmentId' | 'defaultLocationId' | 'notes'
  >[];
  departments: readonly Pick<DepartmentRow, 'id' | 'name'>[];
  locations: readonly Pick<LocationRow, 'id' | 'name' | 'building' | 'floor' | 'deliveryInstructions'>[];
}

/**
 * One write of the import, with every argument of its mutation given (the catalog's shape,
 * sync/mutations.ts) except a recipient's channels: imported people keep theirs, new ones start with
 * the facility's defaults.
 */
type Planned<N extends 'department.upsert' | 'location.upsert' | 'recipient.upsert'> = {
  line: number;
  name: N;
  args: Required<Omit<MutationArgs<N>, 'notifyEmail' | 'notifySms'>>;
};
export type PlannedMutation = Planned<'department.upsert'> | Planned<'location.upsert'> | Planned<'recipient.upsert'>;

export type RowAction = 'create' | 'update' | 'unchanged' | 'invite' | 'error';
export interface PlannedRow {
  line: number;
  type: EntryType | null;
  name: string;
  action: RowAction;
  message?: string;
}

export interface ImportPlan {
  total: number;
  valid: number;
  created: number;
  updated: number;
  errors: CsvIssue[];
  mutations: PlannedMutation[];
  /** Team members to invite; whether they already are one is the server's to say. */
  members: MemberEntry[];
  rows: PlannedRow[];
  ignoredHeaders: string[];
}

const key = (s: string) => s.trim().toLowerCase();

/**
 * Decides, for each row, what the import does against the directory as it is: create, update
 * (only the fields the file has columns for), nothing (the same file twice changes nothing), or an
 * error in words. Recipients match on email or employee id (never a second copy of a person), or
 * on their exact name when the row has neither; departments and locations match by name, ignoring
 * case, and a recipient's department or location must exist or be created by the same file.
 */
export function planImport(file: ParsedFile, existing: ExistingDirectory, newId: () => string, fileType?: EntryType): ImportPlan {
  const type = fileType ?? (file.fields.has('type') ? null : guessFileType(file.fields));
  const rows: PlannedRow[] = [];
  const errors: CsvIssue[] = [...file.fileErrors];
  const mutations: PlannedMutation[] = [];
  const members: MemberEntry[] = [];
  const entries: DirectoryEntry[] = [];
  for (const r of file.rows) {
    const c = toEntry(r, type);
    if (c.ok) entries.push(c.entry);
    else {
      errors.push({ line: r.line, message: c.message });
      rows.push({ line: r.line, type: null, name: r.values.name ?? '', action: 'error', message: c.message });
    }
  }
  const refuse = (e: DirectoryEntry, message: string) => {
    errors.push({ line: e.line, message });
    rows.push({ line: e.line, type: e.type, name: e.name ?? e.type, action: 'error', message });
  };
  const count = { create: 0, update: 0 };
  const done = (e: DirectoryEntry, action: RowAction) => {
    if (action === 'create' || action === 'update') count[action]++;
    rows.push({ line: e.line, type: e.type, name: e.name ?? (e as MemberEntry).email, action });
  };

  // Departments, then locations, then people: a person may name either, from the same file.
  const departments = new Map(existing.departments.map((d) => [key(d.name), d.id]));
  const deptLines = new Map<string, number>();
  for (const e of entries.filter((x): x is DepartmentEntry => x.type === 'department')) {
    const k = key(e.name);
    if (deptLines.has(k)) refuse(e, `The department “${e.name}” is already on line ${deptLines.get(k)}`);
    else if (departments.has(k)) {
      deptLines.set(k, e.line);
      done(e, 'unchanged');
    } else {
      const id = newId();
      departments.set(k, id);
      deptLines.set(k, e.line);
      mutations.push({ line: e.line, name: 'department.upsert', args: { id, name: e.name } });
      done(e, 'create');
    }
  }

  const locations = new Map(existing.locations.map((l) => [key(l.name), l]));
  const locLines = new Map<string, number>();
  for (const e of entries.filter((x): x is LocationEntry => x.type === 'location')) {
    const k = key(e.name);
    if (locLines.has(k)) {
      refuse(e, `The location “${e.name}” is already on line ${locLines.get(k)}`);
      continue;
    }
    locLines.set(k, e.line);
    const was = locations.get(k);
    const next = {
      id: was?.id ?? newId(),
      name: was?.name ?? e.name,
      building: file.fields.has('building') ? e.building : (was?.building ?? null),
      floor: file.fields.has('floor') ? e.floor : (was?.floor ?? null),
      deliveryInstructions: file.fields.has('deliveryInstructions') ? e.deliveryInstructions : (was?.deliveryInstructions ?? null),
    };
    if (was && was.building === next.building && was.floor === next.floor && was.deliveryInstructions === next.deliveryInstructions) {
      done(e, 'unchanged');
      continue;
    }
    locations.set(k, next);
    mutations.push({ line: e.line, name: 'location.upsert', args: next });
    done(e, was ? 'update' : 'create');
  }

  const byEmail = new Map<string, ExistingDirectory['recipients'][number]>();
  const byEmployee = new Map<string, ExistingDirectory['recipients'][number]>();
  const byName = new Map<string, ExistingDirectory['recipients'][number][]>();
  for (const r of existing.recipients) {
    if (r.email) byEmail.set(key(r.email), r);
    if (r.employeeId) byEmployee.set(key(r.employeeId), r);
    byName.set(key(r.name), [...(byName.get(key(r.name)) ?? []), r]);
  }
  const seen = new Map<string, number>();
  for (const e of entries.filter((x): x is RecipientEntry => x.type === 'recipient')) {
    const ids = [
      e.email && `email:${key(e.email)}`,
      e.employeeId && `emp:${key(e.employeeId)}`,
      !e.email && !e.employeeId && `name:${key(e.name)}`,
    ].filter((x): x is string => !!x);
    const twice = ids.find((i) => seen.has(i));
    if (twice) {
      refuse(
        e,
        `The same ${twice.startsWith('email') ? 'email' : twice.startsWith('emp') ? 'employee id' : 'name'} is already on line ${seen.get(twice)}`,
      );
      continue;
    }
    const problems: string[] = [];
    const departmentId = e.department ? departments.get(key(e.department)) : null;
    if (e.department && !departmentId)
      problems.push(`The department “${e.department}” is not in the directory: add a department row for it`);
    const defaultLocationId = e.defaultLocation ? locations.get(key(e.defaultLocation))?.id : null;
    if (e.defaultLocation && !defaultLocationId)
      problems.push(`The location “${e.defaultLocation}” is not in the directory: add a location row for it`);
    const a = e.email ? byEmail.get(key(e.email)) : undefined;
    const b = e.employeeId ? byEmployee.get(key(e.employeeId)) : undefined;
    if (a && b && a.id !== b.id) problems.push(`The email belongs to ${a.name} but the employee id to ${b.name}`);
    const named = !e.email && !e.employeeId ? (byName.get(key(e.name)) ?? []) : [];
    if (named.length > 1) problems.push(`${named.length} people are called ${e.name}: add an email or employee id to say which`);
    if (problems.length) {
      refuse(e, problems.join('; '));
      continue;
    }
    for (const i of ids) seen.set(i, e.line);
    const was = a ?? b ?? named[0];
    const has = (f: Field) => file.fields.has(f);
    const next = {
      id: was?.id ?? newId(),
      name: e.name,
      email: has('email') || !was ? e.email : was.email,
      phone: has('phone') || !was ? e.phone : was.phone,
      employeeId: has('employeeId') || !was ? e.employeeId : was.employeeId,
      departmentId: has('department') || !was ? (departmentId ?? null) : was.departmentId,
      defaultLocationId: has('defaultLocation') || !was ? (defaultLocationId ?? null) : was.defaultLocationId,
      notes: has('notes') || !was ? e.notes : was.notes,
    };
    if (was && (Object.keys(next) as (keyof typeof next)[]).every((k) => (was[k] ?? null) === next[k])) {
      done(e, 'unchanged');
      continue;
    }
    mutations.push({ line: e.line, name: 'recipient.upsert', args: next });
    done(e, was ? 'update' : 'create');
  }

  const memberLines = new Map<string, number>();
  for (const e of entries.filter((x): x is MemberEntry => x.type === 'team member')) {
    if (memberLines.has(e.email)) {
      refuse(e, `${e.email} is already on line ${memberLines.get(e.email)}`);
      continue;
    }
    memberLines.set(e.email, e.line);
    members.push(e);
    done(e, 'invite');
  }

  rows.sort((x, y) => x.line - y.line);
  errors.sort((x, y) => x.line - y.line);
  return {
    total: file.rows.length,
    valid: rows.filter((r) => r.action !== 'error').length,
    created: count.create,
    updated: count.update,
    errors,
    mutations,
    members,
    rows,
    ignoredHeaders: file.ignoredHeaders,
  };
}

// ---------------------------------------------------------------------------------------------
// Templates and export

/** The columns of a template or export, in order; headers are the first alias people know. */
const COLUMNS: Record<EntryType, [Field, string][]> = {
  recipient: [
    ['name', 'Name'],
    ['email', 'Email'],
    ['phone', 'Phone'],
    ['employeeId', 'Employee ID'],
    ['department', 'Department'],
    ['defaultLocation', 'Default location'],
    ['notes', 'Notes'],
  ],
  department: [['name', 'Name']],
  location: [
    ['name', 'Name'],
    ['building', 'Building'],
    ['floor', 'Floor'],
    ['deliveryInstructions', 'Delivery instructions'],
  ],
  'team member': [
    ['name', 'Name'],
    ['email', 'Email'],
    ['role', 'Role'],
  ],
};

const ALL_COLUMNS: [Field, string][] = [
  ['type', 'Type'],
  ...[...new Map(ENTRY_TYPES.flatMap((t) => COLUMNS[t]).map(([f, h]) => [f, h] as [Field, string])).entries()],
];

export type CsvRecord = Partial<Record<Field, string | null>>;

/** CSV text with a BOM (Excel then reads it as UTF-8) and CRLF line ends. */
export function toCsv(records: CsvRecord[], type?: EntryType): string {
  const cols = type ? COLUMNS[type] : ALL_COLUMNS;
  return CSV_BOM + [cols.map(([, h]) => h), ...records.map((r) => cols.map(([f]) => r[f] ?? ''))].map(csvLine).join('');
}

const EXAMPLES: Record<EntryType, CsvRecord[]> = {
  department: [{ type: 'department', name: 'Engineering' }],
  location: [{ type: 'location', name: 'Mailroom shelf A', building: 'Main', floor: '1', deliveryInstructions: 'Ring at the side door' }],
  recipient: [
    {
      type: 'recipient',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+1 555 0100',
      employeeId: 'E-1001',
      department: 'Engineering',
      defaultLocation: 'Mailroom shelf A',
    },
  ],
  'team member': [{ type: 'team member', name: 'Grace Hopper', email: 'grace@example.com', role: 'operator' }],
};

/**
 * A template: one type's columns, or every column with a `type` column, with example rows that
 * import as they are (a recipients-only file can name only departments and locations that exist).
 */
export const templateCsv = (type?: EntryType) =>
  type
    ? toCsv(
        EXAMPLES[type].map((r) => (type === 'recipient' ? { ...r, department: null, defaultLocation: null } : r)),
        type,
      )
    : toCsv(
        ENTRY_TYPES.flatMap((t) => EXAMPLES[t]),
        type,
      );

/** Import bodies are limited to this (10,000 rows of a wide export are ~2 MB). */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * The file's text: UTF-8 (with or without a BOM), or — when the bytes are not valid UTF-8 — the
 * Windows code page Excel's plain "CSV" export writes.
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
