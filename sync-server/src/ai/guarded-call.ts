// The one way a use case calls Claude: AI available for the facility (a key, the admin's switch),
// a call taken from the facility's daily cap, the call itself under its deadline, the model's tool
// input validated with the caller's zod schema, and the outcome recorded (shape, never content).
// Every way it can fail is 503 ai_unavailable (the client uses its local path), the cap 429.
import type { z } from 'zod';
import { AI_ERROR } from '../../../src/lib/domain/ai.ts';
import type { Deps } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { finishAiCall, takeAiCall } from '../repositories/ai-requests.ts';
import { newId } from '../services/ids.ts';
import type { Actor } from '../services/resolve-actor.ts';
import { AiFailure, aiAvailable, callTool, requestShape, type AiOutcome, type ToolCall } from './claude.ts';

export type AiFeature = 'label' | 'match' | 'search';

const unavailable = (message: string) => new AppError(503, AI_ERROR.unavailable, message);

/** 503 unless the AI path may be tried for the actor's facility (checked before any work is done). */
export function assertAiAvailable(deps: Deps, actor: Actor): void {
  if (!deps.env.ANTHROPIC_API_KEY) throw unavailable('AI is not configured on this server; use the local path');
  if (!aiAvailable(deps.env, actor.facility)) throw unavailable('An admin has switched AI off for this facility; use the local path');
}

/** The start of the current UTC day: caps reset at midnight UTC. */
export const capDayStart = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

export async function guardedCall<S extends z.ZodType>(
  deps: Deps,
  actor: Actor,
  feature: AiFeature,
  call: ToolCall,
  answer: S,
): Promise<z.output<S>> {
  assertAiAvailable(deps, actor);
  const id = newId();
  const now = new Date();
  const taken = await deps.db.withFacility(actor.facilityId, (tx) =>
    takeAiCall(tx, actor.facilityId, { id, feature, requestShape: requestShape(call) as object }, capDayStart(now), deps.env.AI_DAILY_CAP),
  );
  if (!taken) {
    const tomorrow = capDayStart(now).getTime() + 86_400_000;
    throw new AppError(
      429,
      AI_ERROR.capReached,
      "This facility's AI calls for today are used up; use the local path until tomorrow (UTC)",
      {
        retryAfterSeconds: Math.max(1, Math.ceil((tomorrow - now.getTime()) / 1000)),
      },
    );
  }
  const started = performance.now();
  let outcome: AiOutcome = 'error';
  try {
    const input = await callTool(deps.env, call);
    const parsed = answer.safeParse(input);
    if (!parsed.success) throw new AiFailure('invalid_answer', 'Claude answered outside the schema');
    outcome = 'ok';
    return parsed.data;
  } catch (e) {
    if (!(e instanceof AiFailure)) throw e;
    outcome = e.outcome;
    throw unavailable(
      e.outcome === 'timeout'
        ? 'AI took too long; use the local path'
        : e.outcome === 'invalid_answer'
          ? 'The AI answer could not be used; use the local path'
          : 'AI could not be reached; use the local path',
    );
  } finally {
    const latency = Math.round(performance.now() - started);
    await deps.db.withFacility(actor.facilityId, (tx) => finishAiCall(tx, actor.facilityId, id, outcome, latency));
  }
}
