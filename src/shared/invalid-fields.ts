import type { z } from 'zod';

/**
 * The fields a zod validation rejected, for an error message: each distinct dotted path once, in order, joined
 * with `, ` (e.g. `message.chat.id, message.date`). An issue about the value as a whole is named `rootLabel`
 * (e.g. `(body)`). Only the paths are listed, not zod's messages nor the values that failed.
 */
export function invalidFields(error: z.ZodError, rootLabel = ''): string {
  return [...new Set(error.issues.map((issue) => issue.path.join('.') || rootLabel))].join(', ');
}
