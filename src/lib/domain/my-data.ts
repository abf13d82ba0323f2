// "Download my data" (privacy policy §8): the shape of GET /api/me/export and its CSV form. The
// CSV download is a zip with one file per section (profile.csv, memberships.csv, …): each section
// has its own columns, so separate files open cleanly in a spreadsheet, and every file carries a
// BOM and neutralised formula cells like the product's other exports.
import { csvTable } from './csv';
import { z } from 'zod';

const iso = z.string();

/** The profile a user sees and corrects (PATCH /api/me answers it). */
export const myProfileSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  emailOptOut: z.boolean(),
  /** When a link sent to the address was used (an accepted invitation, a password reset); null: unproven. */
  emailVerifiedAt: iso.nullable(),
  createdAt: iso,
});
export type MyProfile = z.infer<typeof myProfileSchema>;

export const myDataSchema = z.strictObject({
  exportedAt: iso,
  profile: myProfileSchema,
  organizationsOwned: z.array(z.strictObject({ id: z.string(), name: z.string() })),
  memberships: z.array(
    z.strictObject({ facilityId: z.string(), facilityName: z.string(), organizationName: z.string(), role: z.string(), since: iso }),
  ),
  /** Signed-in devices: when each session began and when it runs out (the session token never). */
  sessions: z.array(z.strictObject({ createdAt: iso, expiresAt: iso, current: z.boolean() })),
  invitationsSent: z.array(
    z.strictObject({
      email: z.string(),
      role: z.string(),
      facilityName: z.string(),
      createdAt: iso,
      expiresAt: iso,
      acceptedAt: iso.nullable(),
    }),
  ),
  /** What the user recorded in the custody log of each facility they belong to. */
  custodyActions: z.array(
    z.strictObject({
      type: z.string(),
      at: iso,
      trackingNumber: z.string().nullable(),
      carrier: z.string().nullable(),
      facilityName: z.string(),
    }),
  ),
  /** The changes the user made to those facilities' directory, team and settings (the activity log). */
  facilityChanges: z.array(z.strictObject({ type: z.string(), at: iso, subjectType: z.string(), facilityName: z.string() })),
  /** Directory entries of those facilities with the user's email address. */
  recipientRecords: z.array(
    z.strictObject({
      facilityName: z.string(),
      name: z.string(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      employeeId: z.string().nullable(),
      notes: z.string().nullable(),
      createdAt: iso,
    }),
  ),
  notifications: z.array(
    z.strictObject({
      facilityName: z.string(),
      kind: z.string(),
      channel: z.string(),
      status: z.string(),
      createdAt: iso,
      sentAt: iso.nullable(),
    }),
  ),
});
export type MyData = z.infer<typeof myDataSchema>;

type Section = Exclude<keyof MyData, 'exportedAt'>;

const COLUMNS: Record<Section, string[]> = {
  profile: ['id', 'name', 'email', 'emailOptOut', 'emailVerifiedAt', 'createdAt'],
  organizationsOwned: ['id', 'name'],
  memberships: ['facilityId', 'facilityName', 'organizationName', 'role', 'since'],
  sessions: ['createdAt', 'expiresAt', 'current'],
  invitationsSent: ['email', 'role', 'facilityName', 'createdAt', 'expiresAt', 'acceptedAt'],
  custodyActions: ['type', 'at', 'trackingNumber', 'carrier', 'facilityName'],
  facilityChanges: ['type', 'at', 'subjectType', 'facilityName'],
  recipientRecords: ['facilityName', 'name', 'email', 'phone', 'employeeId', 'notes', 'createdAt'],
  notifications: ['facilityName', 'kind', 'channel', 'status', 'createdAt', 'sentAt'],
};

const FILE_NAMES: Record<Section, string> = {
  profile: 'profile.csv',
  organizationsOwned: 'organizations-owned.csv',
  memberships: 'memberships.csv',
  sessions: 'sessions.csv',
  invitationsSent: 'invitations-sent.csv',
  custodyActions: 'custody-actions.csv',
  facilityChanges: 'facility-changes.csv',
  recipientRecords: 'directory-records.csv',
  notifications: 'notifications.csv',
};

/** The files of the CSV download: file name → CSV text, one per section (empty sections keep their header). */
export function myDataCsvFiles(data: MyData): Record<string, string> {
  const files: Record<string, string> = {};
  for (const section of Object.keys(COLUMNS) as Section[]) {
    const value = data[section];
    const rows = (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
    files[FILE_NAMES[section]] = csvTable(COLUMNS[section], rows);
  }
  return files;
}
