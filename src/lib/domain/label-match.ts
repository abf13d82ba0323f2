// Who a label's recipient name is (issue 12, "Recipient matching"): the device's fuzzy directory
// search first; Claude (POST /api/ai/match) only when that is ambiguous — two or more close
// candidates, or none close — and then with the label's name and at most 10 candidate ids, never
// the directory. Pure: the intake screen feeds it the local matches and the label answer's
// candidates.
import { CLEAR_MATCH, MATCH_MAX_CANDIDATES, nameScore } from './ai';

/** A candidate's name is "close" to the label's from this score on (ai.ts nameScore, 0..1). */
export const CLOSE_MATCH = 0.75;

export type RecipientDecision =
  /** One person clearly: pick them, no call. */
  | { kind: 'clear'; id: string }
  /** Ask Claude to choose among these (1..10 ids, closest first). */
  | { kind: 'ask'; ids: string[] }
  /** Nobody to ask about: the operator picks or creates. */
  | { kind: 'none' };

/**
 * Decides from the local matches (best first, as the fuzzy search ranks them) and any candidates
 * the server found for the label. One close name that is also clear (≥ CLEAR_MATCH) and alone
 * among the close ones is the person; otherwise the closest few go to Claude.
 */
export function decideRecipient(
  labelName: string,
  local: readonly { id: string; name: string }[],
  server: readonly { recipientId: string; name: string }[] = [],
): RecipientDecision {
  if (!labelName.trim()) return { kind: 'none' };
  const seen = new Set<string>();
  const all: { id: string; score: number; order: number }[] = [];
  for (const c of [...local, ...server.map((s) => ({ id: s.recipientId, name: s.name }))]) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    all.push({ id: c.id, score: nameScore(labelName, c.name), order: all.length });
  }
  const close = all.filter((c) => c.score >= CLOSE_MATCH);
  if (close.length === 1 && close[0]!.score >= CLEAR_MATCH) return { kind: 'clear', id: close[0]!.id };
  const ranked = [...all].sort((a, b) => b.score - a.score || a.order - b.order).slice(0, MATCH_MAX_CANDIDATES);
  return ranked.length ? { kind: 'ask', ids: ranked.map((c) => c.id) } : { kind: 'none' };
}
