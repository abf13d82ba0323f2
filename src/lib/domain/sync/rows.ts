// Rows as they travel in pull patches and live in the device's IndexedDB. Timestamps are ISO-8601
// strings (UTC); `version` is the facility's sync counter at the row's last change.
import type { PackageStatus } from '../package-state';

export const SYNCED_TABLES = ['packages', 'recipients', 'departments', 'locations', 'packageEvents', 'attachments'] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

interface Versioned {
  id: string;
  version: number;
  deletedAt: string | null;
}

export interface PackageRow extends Versioned {
  trackingNumber: string;
  carrier: string;
  recipientId: string | null;
  recipientName: string;
  sender: string | null;
  status: PackageStatus;
  locationId: string | null;
  notes: string | null;
  holdNote: string | null;
  returnNote: string | null;
  receivedAt: string;
  notifiedAt: string | null;
  heldAt: string | null;
  deliveredAt: string | null;
  returnedAt: string | null;
  deliveredTo: string | null;
  signatureHash: string | null;
  receivedById: string | null;
  deliveredById: string | null;
  // Intake details (package.receive.v2). Rows pulled before they existed lack them: read as false/null.
  shelf: string | null;
  perishable: boolean;
  needsSignature: boolean;
  /** When the receive was applied, by the clock of whoever applied it (the server's, once synced). */
  loggedAt: string | null;
}

export interface RecipientRow extends Versioned {
  name: string;
  email: string | null;
  phone: string | null;
  employeeId: string | null;
  departmentId: string | null;
  defaultLocationId: string | null;
  notes: string | null;
  notifyEmail: boolean;
  notifySms: boolean;
}

export interface DepartmentRow extends Versioned {
  name: string;
}

export interface LocationRow extends Versioned {
  name: string;
  building: string | null;
  floor: string | null;
  deliveryInstructions: string | null;
}

export interface PackageEventRow extends Versioned {
  packageId: string;
  type: string;
  data: Record<string, unknown>;
  actorId: string | null;
  clientId: string | null;
  mutationId: number | null;
  at: string;
}

export type AttachmentKind = 'intake' | 'delivery' | 'signature';

export interface AttachmentRow extends Versioned {
  packageId: string;
  hash: string;
  kind: AttachmentKind;
  /** Whether the server holds the bytes (a package whose photo is still uploading shows that). */
  uploaded: boolean;
}

export interface RowOf {
  packages: PackageRow;
  recipients: RecipientRow;
  departments: DepartmentRow;
  locations: LocationRow;
  packageEvents: PackageEventRow;
  attachments: AttachmentRow;
}
