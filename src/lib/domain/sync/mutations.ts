// The mutation catalog v1 (sync-protocol.md). Names and argument shapes are a contract: a changed
// shape gets a new name, and old names stay while devices may still hold them queued.
import { z } from 'zod';
import { TRACKING_MAX, TRACKING_RULE_MESSAGE, isTrackingNumber } from '../tracking-number';

const id = z.string().uuid();
const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1).max(max);
const optional = (max: number) => text(max).nullish();
const optionalId = id.nullish();
const instant = z.string().datetime({ offset: true });
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 as 64 lowercase hex digits');

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
  'package.update': z.strictObject({
    id,
    patch: z.strictObject({
      trackingNumber: required(120).optional(),
      carrier: required(40).optional(),
      recipientId: optionalId,
      recipientName: required(200).optional(),
      sender: optional(200),
      locationId: optionalId,
      notes: optional(2000),
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
