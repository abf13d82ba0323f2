// The mutation catalog v1 (sync-protocol.md). Names and argument shapes are a contract: a changed
// shape gets a new name, and old names stay while devices may still hold them queued.
import { z } from 'zod';
import { TRACKING_MAX, TRACKING_RULE_MESSAGE, isTrackingNumber } from '../tracking-number';
import { HOLD_REASONS, RETURN_REASONS, type HoldReason, type ReturnReason } from '../handoff';

const id = z.string().uuid();
const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1).max(max);
const optional = (max: number) => text(max).nullish();
const optionalId = id.nullish();
const instant = z.string().datetime({ offset: true });
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 as 64 lowercase hex digits');

const keys = <T extends string>(o: Record<T, string>) => Object.keys(o) as [T, ...T[]];
/** "Other" says what it is: a reason from the list, or words. */
const otherNeedsNote = (a: { reason: string; note?: string | null }) => a.reason !== 'other' || !!a.note?.trim();
const OTHER_NOTE = { message: 'Say why in the note when the reason is “Other”', path: ['note'] };

const updatePatchV1 = {
  trackingNumber: required(120).optional(),
  carrier: required(40).optional(),
  recipientId: optionalId,
  recipientName: required(200).optional(),
  sender: optional(200),
  locationId: optionalId,
  notes: optional(2000),
};

const receiveV1 = {
  id,
  trackingNumber: required(120),
  carrier: required(40),
  recipientId: optionalId,
  recipientName: required(200),
  sender: optional(200),
  locationId: optionalId,
  notes: optional(2000),
  receivedAt: instant,
};

export const mutationArgs = {
  'package.receive': z.strictObject(receiveV1),
  // package.receive plus the intake details; the tracking number holds only what barcodes carry.
  'package.receive.v2': z.strictObject({
    ...receiveV1,
    trackingNumber: required(TRACKING_MAX).refine(isTrackingNumber, TRACKING_RULE_MESSAGE),
    shelf: optional(40),
    perishable: z.boolean().optional(),
    needsSignature: z.boolean().optional(),
  }),
  // Withdraws a package logged by mistake: the same person, shortly after (mutators.ts).
  'package.undoReceive': z.strictObject({ id }),
  'package.update': z.strictObject({ id, patch: z.strictObject(updatePatchV1) }),
  // package.update plus the intake details, so a correction can reach every field intake sets.
  'package.update.v2': z.strictObject({
    id,
    patch: z.strictObject({
      ...updatePatchV1,
      shelf: optional(40),
      perishable: z.boolean().optional(),
      needsSignature: z.boolean().optional(),
    }),
  }),
  'package.hold': z.strictObject({ id, note: required(2000) }),
  'package.deliver': z.strictObject({
    id,
    deliveredTo: required(200),
    signatureHash: sha256Hex.nullish(),
    photoHash: sha256Hex.nullish(),
    at: instant,
  }),
  'package.return': z.strictObject({ id, note: optional(2000) }),
  // A hold with a reason from the list (handoff.ts); "other" needs the note.
  'package.hold.v2': z
    .strictObject({ id, reason: z.enum(keys<HoldReason>(HOLD_REASONS)), note: optional(2000) })
    .refine(otherNeedsNote, OTHER_NOTE),
  // A hand-off with its proof: to whom (a proxy needs a reason), signature, photo; the facility's
  // "signature at every hand-off" and the package's needs-signature are enforced (handoff.ts).
  'package.deliver.v2': z.strictObject({
    id,
    deliveredTo: required(200),
    proxyReason: optional(500),
    signatureHash: sha256Hex.nullish(),
    photoHash: sha256Hex.nullish(),
    at: instant,
  }),
  'package.return.v2': z
    .strictObject({ id, reason: z.enum(keys<ReturnReason>(RETURN_REASONS)), note: optional(2000), carrier: optional(40), at: instant })
    .refine(otherNeedsNote, OTHER_NOTE),
  // Takes back a delivery or a return (undo on the device, or an admin's correction later).
  'package.reopen': z.strictObject({ id, reason: required(500) }),
  'package.attachPhoto': z.strictObject({ id, hash: sha256Hex, kind: z.enum(['intake', 'delivery']) }),
  'package.delete': z.strictObject({ id }),
  'recipient.upsert': z.strictObject({
    id,
    name: required(200),
    email: z
      .string()
      .trim()
      .max(254)
      .email()
      .nullish()
      .or(z.literal('').transform(() => null)),
    phone: optional(40),
    employeeId: optional(80),
    departmentId: optionalId,
    defaultLocationId: optionalId,
    notes: optional(2000),
    /**
     * The channels that notify them (SPEC "Notifications"): admins set them, and the recipient
     * through their account page or an unsubscribe link; left out, a new recipient takes the
     * facility's defaults and an update keeps them.
     */
    notifyEmail: z.boolean().optional(),
    notifySms: z.boolean().optional(),
  }),
  'recipient.delete': z.strictObject({ id }),
  /** Merges a duplicate (`id`) into the recipient kept (`intoId`); see mutators.ts for the rule. */
  'recipient.merge': z.strictObject({ id, intoId: id }),
  'department.upsert': z.strictObject({ id, name: required(120) }),
  'department.delete': z.strictObject({ id }),
  'location.upsert': z.strictObject({
    id,
    name: required(120),
    building: optional(120),
    floor: optional(40),
    deliveryInstructions: optional(2000),
  }),
  'location.delete': z.strictObject({ id }),
} as const;

/** Field lengths of the directory, for forms and the CSV import (the same limits as the mutations). */
export const DIRECTORY_LIMITS = {
  name: 200,
  email: 254,
  phone: 40,
  employeeId: 80,
  notes: 2000,
  departmentName: 120,
  locationName: 120,
  building: 120,
  floor: 40,
  deliveryInstructions: 2000,
} as const;

export type MutationName = keyof typeof mutationArgs;
export const MUTATION_NAMES = Object.keys(mutationArgs) as MutationName[];
export type MutationArgs<N extends MutationName> = z.output<(typeof mutationArgs)[N]>;
export type MutationInput<N extends MutationName> = z.input<(typeof mutationArgs)[N]>;

export const isMutationName = (name: string): name is MutationName => Object.hasOwn(mutationArgs, name);
