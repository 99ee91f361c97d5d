import type { FastifyRequest } from 'fastify';
import type { ConsoleSession, ResolveConsoleSession } from '../access-control.ts';
import type { EventStream } from '../sse.ts';

/** How often an open console event stream checks that its session still exists (and before every event). */
export const SESSION_RECHECK_MS = 30_000;

/**
 * Ties a console page's event stream (Inbox, Simulator) to the session that opened it: every
 * {@link SESSION_RECHECK_MS}, and whenever the route calls the returned check (before each event), the request's
 * session is looked up again; signed out, expired, removed from the team or moved to another (role or team
 * changed), the stream ends. The check resolves whether the stream may go on. Without `resolve` (no console
 * sessions wired), it always may.
 */
export function followConsoleSession(
  stream: EventStream,
  request: FastifyRequest,
  session: ConsoleSession,
  resolve: ResolveConsoleSession | undefined,
): () => Promise<boolean> {
  const stillValid = async () => {
    if (!resolve || stream.closed) return !stream.closed;
    const current = await resolve(request).catch(() => session);
    const same = current?.role === session.role && current.teamId === session.teamId;
    if (!same) stream.end();
    return same;
  };
  const recheck = setInterval(() => void stillValid(), SESSION_RECHECK_MS);
  stream.onClose(() => clearInterval(recheck));
  return stillValid;
}
