// POST /api/ai/search (first cut: the shape; the Claude call follows).
import type { AiSearchAnswer } from '../../../src/lib/domain/ai.ts';
import type { Deps } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { authorize, type Actor } from './resolve-actor.ts';

export async function searchPackages(_deps: Deps, actor: Actor, _input: { q: string }): Promise<AiSearchAnswer> {
  authorize(actor, 'ai.search');
  throw new AppError(503, 'ai_unavailable', 'AI search is not available');
}
