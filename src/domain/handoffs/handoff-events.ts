import { z } from 'zod';

/**
 * What happened to a hand-off, as pages that show it are told (the console's Inbox): which one and what kind of
 * change, and the ward whose teams see it (null: every team), so each page is told only of what it may see. Never
 * any text or address: a page that is told reads the hand-off again, with its own session's rights.
 */
export const HandoffEventSchema = z.object({
  id: z.number().int().positive(),
  kind: z.enum(['opened', 'taken', 'message', 'closed', 'released']),
  wardCode: z.string().nullable(),
});
export type HandoffEvent = z.infer<typeof HandoffEventSchema>;
export type HandoffEventKind = HandoffEvent['kind'];

/** Hears about hand-off changes made in any process. */
export interface HandoffEventSource {
  /** Calls `listener` with every change from now on; resolves the stop. */
  subscribe(listener: (event: HandoffEvent) => void): Promise<() => void>;
}
