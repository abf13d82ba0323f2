// POST /api/ai/match (first cut: the shape; the Claude call follows).
import type { AiMatchAnswer, AiMatchInput } from '../../../src/lib/domain/ai.ts';
import type { Deps } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { authorize, type Actor } from './resolve-actor.ts';

export async function matchRecipient(_deps: Deps, actor: Actor, _input: AiMatchInput): Promise<AiMatchAnswer> {
  authorize(actor, 'ai.label');
  throw new AppError(503, 'ai_unavailable', 'AI matching is not available');
}
