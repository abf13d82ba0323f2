// POST /api/ai/label (first cut: the shape; the Claude call follows).
import type { AiLabelAnswer } from '../../../src/lib/domain/ai.ts';
import type { Deps } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { authorize, type Actor } from './resolve-actor.ts';

export interface LabelRequest {
  contentType: string;
  read: () => Promise<Buffer>;
  barcode?: string;
}

export async function readLabel(_deps: Deps, actor: Actor, _req: LabelRequest): Promise<AiLabelAnswer> {
  authorize(actor, 'ai.label');
  throw new AppError(503, 'ai_unavailable', 'AI label reading is not available');
}
