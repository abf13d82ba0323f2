// The one permission table (SPEC "Tenancy and roles"). The server decides every action with
// `can`; the UI reads the same table only to hide what a role cannot do.

export const ROLES = ['admin', 'operator', 'courier', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  operator: 'Operator',
  courier: 'Courier',
  viewer: 'Viewer (read-only)',
};

export const ACTIONS = [
  // reading the facility's data
  'facility.read',
  'package.read',
  'recipient.read',
  // packages (sync-protocol.md mutation catalog, column "who")
  'package.receive',
  'package.receive.v2',
  'package.undoReceive',
  'package.update',
  'package.update.v2',
  'package.hold',
  'package.hold.v2',
  'package.deliver',
  'package.deliver.v2',
  'package.return',
  'package.return.v2',
  'package.attachPhoto',
  'package.reopen',
  'package.delete',
  // Reminding the recipients of selected packages now (the desk's bulk Remind).
  'package.remind',
  'recipient.upsert',
  'recipient.delete',
  'recipient.merge',
  // A recipient's notification channels (email, SMS) on recipient.upsert.
  'recipient.notifications',
  'department.upsert',
  'department.delete',
  'location.upsert',
  'location.delete',
  // administration
  'directory.manage',
  'facility.update',
  'facility.create',
  'team.read',
  'team.invite',
  'team.manage',
  'organization.read',
  'organization.manage',
  'integrations.manage',
  'notifications.read',
  'notifications.resend',
  'billing.manage',
  'reports.read',
  // AI (issue 12): reading a label photo and matching its name at intake; plain-language search at the desk.
  'ai.label',
  'ai.search',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Who may do what, per facility role. `billing.manage` also needs organization ownership. */
const TABLE: Record<Action, readonly Role[]> = {
  'facility.read': ['admin', 'operator', 'courier', 'viewer'],
  'package.read': ['admin', 'operator', 'courier', 'viewer'],
  'recipient.read': ['admin', 'operator', 'courier', 'viewer'],
  'package.receive': ['admin', 'operator'],
  'package.receive.v2': ['admin', 'operator'],
  // Further limited to the person who logged the package, shortly after (undo-receive.ts).
  'package.undoReceive': ['admin', 'operator'],
  'package.update': ['admin', 'operator'],
  'package.update.v2': ['admin', 'operator'],
  'package.hold': ['admin', 'operator'],
  'package.hold.v2': ['admin', 'operator'],
  'package.deliver': ['admin', 'operator', 'courier'],
  'package.deliver.v2': ['admin', 'operator', 'courier'],
  'package.return': ['admin', 'operator'],
  'package.return.v2': ['admin', 'operator'],
  'package.attachPhoto': ['admin', 'operator', 'courier'],
  // Further limited to the person who closed it, shortly after, unless an admin (handoff.ts).
  'package.reopen': ['admin', 'operator', 'courier'],
  'package.delete': ['admin'],
  'package.remind': ['admin'],
  'recipient.upsert': ['admin', 'operator'],
  'recipient.delete': ['admin'],
  // The directory is the admins'; operators create recipients on the spot at intake (above).
  'recipient.merge': ['admin'],
  // Operators add people at intake; which channels notify them is the admins' call.
  'recipient.notifications': ['admin'],
  'department.upsert': ['admin'],
  'department.delete': ['admin'],
  'location.upsert': ['admin'],
  'location.delete': ['admin'],
  'directory.manage': ['admin'],
  'facility.update': ['admin'],
  'facility.create': ['admin'],
  'team.read': ['admin'],
  'team.invite': ['admin'],
  // Changing a member's role, removing a member, resending or revoking an invitation.
  'team.manage': ['admin'],
  // The organization page: its facilities and their state (owners too, see OWNER_ANY_ROLE).
  'organization.read': ['admin'],
  // Renaming the organization, deactivating and reactivating its facilities: owners only.
  'organization.manage': [],
  'integrations.manage': ['admin'],
  // The delivery log and captured outbox (who was told what, and where), and sending a failed one again.
  'notifications.read': ['admin'],
  'notifications.resend': ['admin'],
  'billing.manage': ['admin'],
  // The facility's numbers: admins, and viewers (who see and export but change nothing).
  'reports.read': ['admin', 'viewer'],
  // Label reading and recipient matching help whoever logs packages.
  'ai.label': ['admin', 'operator'],
  // Plain-language search belongs to the desk (admins and viewers).
  'ai.search': ['admin', 'viewer'],
};

/**
 * Who works at the admin desk (the packages table, exports): admins and viewers on a big screen.
 * Operators and couriers keep the device list; every member may still export through the API.
 */
export const worksAtDesk = (role: Role | null | undefined) => role === 'admin' || role === 'viewer';

/** Actions that belong to the organization's owner whatever their facility role. */
const OWNER_ONLY: ReadonlySet<Action> = new Set<Action>(['billing.manage']);

/** Actions the organization's owner may take whatever their role in the facility at hand. */
const OWNER_ANY_ROLE: ReadonlySet<Action> = new Set<Action>(['facility.create', 'organization.read', 'organization.manage']);

export interface Actor {
  /** The actor's role in the facility in question; null when they have no membership there. */
  role: Role | null;
  /** Whether the actor owns the organization the facility belongs to. */
  isOrganizationOwner?: boolean;
}

export function can(actor: Actor, action: Action): boolean {
  if (OWNER_ONLY.has(action) && !actor.isOrganizationOwner) return false;
  if (actor.isOrganizationOwner && OWNER_ANY_ROLE.has(action)) return true;
  return actor.role !== null && TABLE[action].includes(actor.role);
}

/** The roles that may perform an action (for documentation and the UI). */
export function rolesFor(action: Action): readonly Role[] {
  return TABLE[action];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
