// Claude through Anthropic's SDK (docs/ai.md): one forced tool call per request, the fixed
// instructions marked for prompt caching, a deadline over the whole call (retries included), and
// every failure reduced to an outcome the routes answer 503 ai_unavailable for. The SDK is pointed
// at ANTHROPIC_BASE_URL, so tests and any Messages-API-compatible server stand in for Anthropic.
import Anthropic from '@anthropic-ai/sdk';
import type { Env } from '../env.ts';

export type AiEnv = Pick<Env, 'ANTHROPIC_API_KEY' | 'ANTHROPIC_BASE_URL' | 'ANTHROPIC_MODEL' | 'AI_MAX_RETRIES'>;

/** Whether the AI path can be tried for a facility: a key is configured and an admin has not switched it off. */
export const aiAvailable = (env: Pick<Env, 'ANTHROPIC_API_KEY'>, facility: { aiEnabled: boolean }) =>
  Boolean(env.ANTHROPIC_API_KEY) && facility.aiEnabled;

/** How a call ended, as ai_requests.outcome records it. */
export type AiOutcome = 'ok' | 'invalid_answer' | 'timeout' | 'rate_limited' | 'overloaded' | 'refused' | 'error';

export class AiFailure extends Error {
  constructor(
    readonly outcome: Exclude<AiOutcome, 'ok'>,
    message: string,
  ) {
    super(message);
  }
}

export interface ToolCall {
  /** The fixed instructions (cached). */
  system: string;
  tool: { name: string; description: string; input_schema: Record<string, unknown> };
  /** The user turn: the only per-request data Claude sees. */
  content: Anthropic.ContentBlockParam[];
  maxTokens: number;
  /** The whole call, retries included. */
  timeoutMs: number;
}

/** The Messages API body of a tool call (exported so the minimum-data rule can be read in one place). */
export function messageBody(model: string, call: ToolCall): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model,
    max_tokens: call.maxTokens,
    // The tools and the system prompt are the same on every request: one cache breakpoint after
    // them lets Claude reuse the prefix (effective once the prefix passes the model's minimum size).
    system: [{ type: 'text', text: call.system, cache_control: { type: 'ephemeral' } }],
    tools: [
      { name: call.tool.name, description: call.tool.description, input_schema: call.tool.input_schema as Anthropic.Tool.InputSchema },
    ],
    tool_choice: { type: 'tool', name: call.tool.name },
    messages: [{ role: 'user', content: call.content }],
  };
}

const clients = new Map<string, Anthropic>();

function clientFor(env: AiEnv): Anthropic {
  const key = `${env.ANTHROPIC_BASE_URL ?? ''}\n${env.AI_MAX_RETRIES}\n${env.ANTHROPIC_API_KEY}`;
  let client = clients.get(key);
  if (!client) {
    client = new Anthropic({
      apiKey: env.ANTHROPIC_API_KEY!,
      authToken: null,
      // Explicit, so the SDK never falls back to a process-wide variable the env validation did not see.
      baseURL: env.ANTHROPIC_BASE_URL ?? 'https://api.anthropic.com',
      // 429, 529 and 5xx are retried with the SDK's backoff (honouring retry-after), within the deadline.
      maxRetries: env.AI_MAX_RETRIES,
    });
    clients.set(key, client);
  }
  return client;
}

/** Calls Claude with one forced tool and answers the tool call's input (unvalidated: the caller's zod schema decides). */
export async function callTool(env: AiEnv, call: ToolCall): Promise<unknown> {
  if (!env.ANTHROPIC_API_KEY) throw new AiFailure('error', 'No ANTHROPIC_API_KEY');
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), call.timeoutMs);
  try {
    const message = await clientFor(env).messages.create(messageBody(env.ANTHROPIC_MODEL, call), {
      signal: deadline.signal,
      timeout: call.timeoutMs,
    });
    const use = message.content.find((b) => b.type === 'tool_use' && b.name === call.tool.name);
    if (!use || use.type !== 'tool_use') throw new AiFailure('invalid_answer', 'Claude answered without the tool call');
    return use.input;
  } catch (e) {
    throw toFailure(e, deadline.signal.aborted);
  } finally {
    clearTimeout(timer);
  }
}

function toFailure(e: unknown, timedOut: boolean): AiFailure {
  if (e instanceof AiFailure) return e;
  if (timedOut || e instanceof Anthropic.APIConnectionTimeoutError || e instanceof Anthropic.APIUserAbortError)
    return new AiFailure('timeout', 'Claude did not answer in time');
  if (e instanceof Anthropic.RateLimitError) return new AiFailure('rate_limited', 'Claude is rate limited');
  if (e instanceof Anthropic.APIError && e.status === 529) return new AiFailure('overloaded', 'Claude is overloaded');
  if (e instanceof Anthropic.APIError && e.status !== undefined && e.status < 500)
    return new AiFailure('refused', `Claude refused the request (${e.status})`);
  // The response could not be parsed as JSON, the connection failed, a 5xx after retries.
  return new AiFailure('error', e instanceof Error ? e.name : 'Claude could not be reached');
}

/**
 * What a request sends, by shape only (ai_requests.requestShape, docs/ai.md): block types, sizes
 * and the tool's name, never text or image bytes, so the minimum-data promise can be audited.
 */
export function requestShape(call: ToolCall): Record<string, unknown> {
  return {
    tool: call.tool.name,
    systemChars: call.system.length,
    blocks: call.content.map((b) => {
      if (b.type === 'text') return { type: 'text', chars: b.text.length };
      if (b.type === 'image' && b.source.type === 'base64')
        return { type: 'image', mediaType: b.source.media_type, bytes: Math.floor((b.source.data.length * 3) / 4) };
      return { type: b.type };
    }),
  };
}
