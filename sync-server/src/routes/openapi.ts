// Shared pieces for route files: the router type with our validation hook, and common schemas.
import { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { invalidInput } from '../http/errors.ts';

export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw invalidInput(result.error);
    },
  });
}

export const errorBody = z.object({ error: z.string(), message: z.string() });

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, json(errorBody, `Error ${s}`)]));
