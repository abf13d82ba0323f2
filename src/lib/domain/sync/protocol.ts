// Wire format of the sync protocol v1 (sync-protocol.md). Validated with these schemas on both
// ends; unknown fields are refused.
import { z } from 'zod';
import { SYNCED_TABLES } from './rows';

export const PROTOCOL_VERSION = 1;
/** The data shape version this build speaks; the server answers 426 to any other. */
export const SCHEMA_VERSION = 1;
export const SUPPORTED_SCHEMA_VERSIONS: readonly number[] = [1];

/** Mutation ids are Postgres integers. */
export const MAX_MUTATION_ID = 2_147_483_647;
export const MAX_MUTATIONS_PER_PUSH = 1000;

export const mutationEnvelope = z.strictObject({
  id: z.number().int().min(1).max(MAX_MUTATION_ID),
  name: z.string().min(1).max(64),
  args: z.unknown(),
  clientTime: z.string().datetime({ offset: true }),
});
export type MutationEnvelope = z.infer<typeof mutationEnvelope>;

const envelope = {
  protocolVersion: z.literal(PROTOCOL_VERSION),
  schemaVersion: z.number().int().min(0).max(1_000_000),
  facilityId: z.string().uuid(),
  clientId: z.string().uuid(),
};

export const pushRequest = z.strictObject({
  ...envelope,
  mutations: z.array(mutationEnvelope).max(MAX_MUTATIONS_PER_PUSH),
});
export type PushRequest = z.infer<typeof pushRequest>;

export const mutationResult = z.object({
  id: z.number().int(),
  status: z.enum(['applied', 'alreadyProcessed', 'rejected']),
  code: z.string().optional(),
  message: z.string().optional(),
});
export type MutationResult = z.infer<typeof mutationResult>;

export const pushResponse = z.object({ lastMutationId: z.number().int(), results: z.array(mutationResult) });
export type PushResponse = z.infer<typeof pushResponse>;

export const pullRequest = z.strictObject({ ...envelope, cookie: z.string().max(512).nullable() });
export type PullRequest = z.infer<typeof pullRequest>;

export const patchOp = z.discriminatedUnion('op', [
  z.object({ op: z.literal('clear') }),
  z.object({ op: z.literal('put'), table: z.enum(SYNCED_TABLES), id: z.string(), row: z.record(z.string(), z.unknown()) }),
  z.object({ op: z.literal('del'), table: z.enum(SYNCED_TABLES), id: z.string() }),
]);
export type PatchOp = z.infer<typeof patchOp>;

export const pullResponse = z.object({
  cookie: z.string(),
  lastMutationId: z.number().int(),
  more: z.boolean(),
  patch: z.array(patchOp),
});
export type PullResponse = z.infer<typeof pullResponse>;
