// Form validation in words, from the shared mutation schemas (mutations.ts): the receive form and
// the create-recipient form show the same limits the server enforces, as `maxlength` on each field
// and as a sentence naming the field — never a raw schema message ("Too big: expected string to
// have <=200 characters").
import type { z } from 'zod';
import { trackingNumberProblem } from './tracking-number';

type Labels = Record<string, string>;

/** The longest string a field of an object schema accepts (through optional/nullable/default). */
export function maxLengthOf(schema: z.ZodObject, field: string): number | undefined {
  let s = schema.shape[field] as unknown as { maxLength?: number | null; unwrap?: () => unknown; options?: unknown[] } | undefined;
  for (let i = 0; s && i < 5; i++) {
    if (typeof s.maxLength === 'number') return s.maxLength;
    if (s.unwrap) s = s.unwrap() as typeof s;
    else if (Array.isArray(s.options)) s = s.options[0] as typeof s;
    else break;
  }
  return undefined;
}

/** The max length of every labelled field, for `maxlength` attributes. */
export function maxLengths<L extends Labels>(schema: z.ZodObject, labels: L): { [K in keyof L]: number | undefined } {
  return Object.fromEntries(Object.keys(labels).map((k) => [k, maxLengthOf(schema, k)])) as { [K in keyof L]: number | undefined };
}

/**
 * Problems with the labelled fields of `values`, one sentence per field. Fields without a label
 * (ids, times the form fills itself) are the form's own business, not the person's.
 */
export function formProblems<L extends Labels>(
  schema: z.ZodObject,
  values: Record<string, unknown>,
  labels: L,
): Partial<Record<keyof L, string>> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return {};
  const out: Partial<Record<keyof L, string>> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (!(field in labels) || out[field as keyof L]) continue;
    out[field as keyof L] = inWords(labels[field]!, field, issue, values[field]);
  }
  return out;
}

function inWords(label: string, field: string, issue: z.core.$ZodIssue, value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (field === 'trackingNumber') {
    const p = trackingNumberProblem(text);
    if (p) return p;
  }
  if (issue.code === 'too_big' && 'maximum' in issue) {
    return `${label} is too long: ${[...text].length} characters, at most ${String(issue.maximum)}`;
  }
  if (issue.code === 'too_small') return `${label} is required`;
  if (issue.code === 'invalid_format' && 'format' in issue && issue.format === 'email') return `${label} is not an email address`;
  return `${label} is not valid`;
}
