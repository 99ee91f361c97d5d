import { AppError } from './errors.ts';

/**
 * Telling an outage from a defect. A transient error is one a later try can get past without any change to the
 * code: a part we depend on (PostgreSQL, Redis, the network) refused, dropped or did not answer in time, or an
 * error we raised ourselves marked `retryable`. Anything else (a `TypeError`, a plain `Error`, an `AppError` not
 * marked retryable, a constraint PostgreSQL refused) is taken for a defect: retrying it gives the same result.
 * Only codes, class names and the fixed messages of the client libraries are read, never anything else.
 */

/** Node and undici codes of a connection refused, reset, timed out or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/**
 * PostgreSQL SQLSTATEs a retry can get past: connection exceptions (class 08), insufficient resources (53),
 * the server shutting down or starting (57P01-57P03), a cancelled statement (57014, a statement timeout), a
 * lock not available (55P03), and a serialization failure or deadlock (40001, 40P01).
 */
function isTransientSqlState(code: string): boolean {
  return (
    /^(08|53)[0-9A-Z]{3}$/.test(code) ||
    ['57P01', '57P02', '57P03', '57014', '55P03', '40001', '40P01'].includes(code)
  );
}

/**
 * The fixed messages node-postgres and ioredis give a lost or refused connection and a command that got no
 * answer, and the Redis replies of a server not ready to serve (loading, replica, failover).
 */
const CLIENT_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|Stream isn't writeable|Command timed out|Reached the max retries per request limit|(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY) )/;

/** Names of client errors that always mean the connection, not the command. */
const TRANSIENT_NAMES = new Set(['MaxRetriesPerRequestError', 'ConnectionTimeoutError']);

/** Whether `error` (or an error it wraps, as `cause` or in an AggregateError) is transient; see above. */
export function isTransientError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  if (error instanceof AppError) return error.retryable || isTransientError(error.cause, depth + 1);
  const { code, name, message, cause, errors } = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || isTransientSqlState(code))) return true;
  if (typeof name === 'string' && TRANSIENT_NAMES.has(name)) return true;
  if (typeof message === 'string' && CLIENT_MESSAGES.test(message)) return true;
  if (Array.isArray(errors) && errors.some((inner) => isTransientError(inner, depth + 1))) return true;
  return cause !== undefined && isTransientError(cause, depth + 1);
}

/** A code or class name: letters, digits and underscores only. */
const SAFE_NAME = /^[A-Za-z0-9_]{1,60}$/;

/**
 * What to record of an error for a person looking into it, without personal data: our own error's code
 * (`UNKNOWN_FLOW`), a client's code (`ECONNREFUSED`, SQLSTATE `23505`), or else the class name (`TypeError`).
 * Never the message, which may quote what a citizen wrote.
 */
export function errorClassOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return typeof error;
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (typeof code === 'string' && SAFE_NAME.test(code)) return code;
  if (typeof name === 'string' && SAFE_NAME.test(name)) return name;
  return 'Error';
}
