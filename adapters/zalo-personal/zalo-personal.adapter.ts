import { setTimeout as sleep } from 'node:timers/promises';
import { type FriendEvent, FriendEventType, type Message, ThreadType } from 'zca-js';
import {
  type ChannelAdapter,
  type ChannelRateLimits,
  type EventSink,
  type Listening,
  type OutboundMessage,
  renderSmsText,
  type SendReceipt,
  type WebhookEvent,
} from '../../src/messaging/index.ts';
import { AppError, SendFailedError } from '../../src/shared/errors.ts';
import { errorLabel, toSendFailedError } from './zalo-personal.errors.ts';
import { inboundFromZalo } from './zalo-personal.inbound.ts';
import type { ZaloPersonalPort } from './zalo-personal.port.ts';

const CHANNEL = 'zalo-personal';
/** WebSocket close codes zca-js names: 3000 Zalo Web opened elsewhere, 3003 kicked by a login elsewhere. */
const DUPLICATE_CONNECTION = 3000;
const KICKED = 3003;

/**
 * Sending limits of a personal account. Zalo publishes none and bans accounts that look like spam, so they are
 * deliberately slow: one message every 2 s overall, one every 3 s to the same person. Operators override them
 * with `OUTBOUND_RATE_LIMITS`, e.g. `zalo-personal=1/2s,zalo-personal:recipient=1/3s`.
 */
export const ZALO_PERSONAL_RATE_LIMITS: ChannelRateLimits = {
  overall: { limit: 1, intervalMs: 2000 },
  perRecipient: { limit: 1, intervalMs: 3000 },
};

/** A log-safe event: a name and small details (codes, counts, delays); never uids, phone numbers or text. */
export type ZaloPersonalLog = (event: string, details?: Record<string, string | number | boolean>) => void;

/** Options of {@link createZaloPersonalAdapter}. */
export interface ZaloPersonalAdapterOptions {
  /**
   * Logs in and resolves with the account's API (`() => connectZaloPersonal(path)` in production). Called once
   * for the adapter's shared connection, and again when a dead listener has to log in anew.
   */
  readonly connect: () => Promise<ZaloPersonalPort>;
  /** Back-off between reconnections: doubling from `initialDelayMs` (1 s) up to `maxDelayMs` (60 s), + ≤20% jitter. */
  readonly reconnect?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  /** Redelivery of a message whose sink call failed: `attempts` calls in all (5), doubling from `initialDelayMs` (1 s). */
  readonly sinkRetry?: { readonly attempts?: number; readonly initialDelayMs?: number };
  /** Receives log-safe events (`zalo-personal.connected`, `zalo-personal.sink_failed`…). */
  readonly log?: ZaloPersonalLog;
  /** The clock, for messages without a usable Zalo timestamp. */
  readonly now?: () => Date;
}

/** The adapter: a `ChannelAdapter` that always listens (it has no webhooks). */
export interface ZaloPersonalAdapter extends ChannelAdapter {
  listen(sink: EventSink): Promise<Listening>;
}

/** One `listen()` call, until its `stop()`. */
interface Session {
  readonly sink: EventSink;
  readonly abort: AbortController;
  /** The API whose listener this session started; its `closed` triggers a reconnection. */
  api: ZaloPersonalPort | null;
  /** Reconnection attempts since the last `connected`. */
  failures: number;
  timer: NodeJS.Timeout | undefined;
  readonly deliveries: Set<Promise<void>>;
}

/**
 * The Zalo personal-account channel (`zalo-personal`), for community teams without an Official Account. It
 * drives a real Zalo account through zca-js (unofficial: the account may be banned), so it has no webhooks: it
 * listens on Zalo Web's WebSocket and sends through Zalo Web's API. See docs/channels/zalo-personal.md.
 *
 * - `listen(sink)` logs in (retrying with back-off), hands direct messages, and group messages that mention the
 *   account as private messages from their sender, to `sink` (redelivering a few times when it fails), accepts
 *   friend requests, and reconnects on its own when the socket closes. `stop()` ends it for good.
 * - `send(message)` renders the reply like a unicode SMS (`renderSmsText`: full diacritics, NFC; the reply's text
 *   names the numbers and keywords to answer with, since personal Zalo has no buttons; `requestPhone` is text
 *   only) and sends it to the person's direct thread, logging in lazily when nothing is connected yet. One
 *   connection is shared by both.
 */
export function createZaloPersonalAdapter(options: ZaloPersonalAdapterOptions): ZaloPersonalAdapter {
  const log: ZaloPersonalLog = options.log ?? (() => {});
  const now = options.now ?? (() => new Date());
  const initialDelayMs = Math.max(1, options.reconnect?.initialDelayMs ?? 1000);
  const maxDelayMs = Math.max(initialDelayMs, options.reconnect?.maxDelayMs ?? 60_000);
  const sinkAttempts = Math.max(1, options.sinkRetry?.attempts ?? 5);
  const sinkDelayMs = Math.max(1, options.sinkRetry?.initialDelayMs ?? 1000);

  /** The shared login: in progress or done. Dropped when it fails, or when a dead listener logs in anew. */
  let connection: { readonly promise: Promise<ZaloPersonalPort>; api?: ZaloPersonalPort } | null = null;
  /** APIs whose listener carries our handlers (a re-login may hand back the same object). */
  const wired = new WeakSet<ZaloPersonalPort>();
  let session: Session | null = null;

  function connectShared(): Promise<ZaloPersonalPort> {
    if (connection) return connection.promise;
    const current: { promise: Promise<ZaloPersonalPort>; api?: ZaloPersonalPort } = {
      promise: Promise.resolve().then(() => options.connect()),
    };
    connection = current;
    current.promise.then(
      (api) => {
        current.api = api;
      },
      () => {
        if (connection === current) connection = null;
      },
    );
    return current.promise;
  }

  /** Forgets the shared login if it is `stale`, so the next `connectShared` logs in anew. */
  function dropConnection(stale: ZaloPersonalPort | null): void {
    if (connection && (stale === null || connection.api === stale)) connection = null;
  }

  function deliver(s: Session, event: WebhookEvent, providerMessageId: string): void {
    const delivery = (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await s.sink(event);
          return;
        } catch (error) {
          const final = attempt >= sinkAttempts || s.abort.signal.aborted;
          log('zalo-personal.sink_failed', { providerMessageId, attempt, final, error: errorLabel(error) });
          if (final) return;
        }
        try {
          await sleep(sinkDelayMs * 2 ** (attempt - 1), undefined, { signal: s.abort.signal });
        } catch {
          log('zalo-personal.sink_failed', { providerMessageId, attempt, final: true, error: 'stopped' });
          return;
        }
      }
    })();
    s.deliveries.add(delivery);
    void delivery.finally(() => s.deliveries.delete(delivery));
  }

  function onMessage(api: ZaloPersonalPort, message: Message): void {
    const s = session;
    if (!s || s.abort.signal.aborted) return;
    const inbound = inboundFromZalo(message, api.getOwnId(), now());
    if (inbound.type === 'ignored') {
      if (inbound.reason.startsWith('malformed')) log('zalo-personal.malformed_message');
      return;
    }
    deliver(s, { type: 'message', message: inbound.message }, inbound.message.providerMessageId);
  }

  function onFriendEvent(api: ZaloPersonalPort, event: FriendEvent): void {
    if (event.type !== FriendEventType.REQUEST || event.isSelf) return;
    const s = session;
    if (!s || s.abort.signal.aborted) return;
    api.acceptFriendRequest(event.data.fromUid).then(
      () => log('zalo-personal.friend_request_accepted'),
      (error: unknown) => log('zalo-personal.friend_request_failed', { error: errorLabel(error) }),
    );
  }

  function onConnected(api: ZaloPersonalPort): void {
    const s = session;
    if (!s || s.abort.signal.aborted || s.api !== api) {
      // A socket nobody listens to (the library's own retry after stop(), or a replaced login): close it.
      log('zalo-personal.orphan_listener_stopped');
      api.listener.stop();
      return;
    }
    s.failures = 0;
    log('zalo-personal.connected');
  }

  function onClosed(api: ZaloPersonalPort, code: number): void {
    const s = session;
    if (!s || s.abort.signal.aborted || s.api !== api) return;
    scheduleReconnect(s, code);
  }

  /** Attaches our handlers to an API's listener, once. The `error` handler comes first, before any start. */
  function wire(api: ZaloPersonalPort): void {
    if (wired.has(api)) return;
    wired.add(api);
    const listener = api.listener;
    listener.on('error', (error) => log('zalo-personal.listener_error', { error: errorLabel(error) }));
    listener.on('message', (message) => {
      try {
        onMessage(api, message);
      } catch (error) {
        log('zalo-personal.message_failed', { error: errorLabel(error) });
      }
    });
    listener.on('friend_event', (event) => {
      try {
        onFriendEvent(api, event);
      } catch (error) {
        log('zalo-personal.friend_event_failed', { error: errorLabel(error) });
      }
    });
    listener.on('connected', () => onConnected(api));
    listener.on('disconnected', (code) => log('zalo-personal.disconnected', { code }));
    listener.on('closed', (code) => onClosed(api, code));
  }

  function scheduleReconnect(s: Session, code?: number): void {
    if (s.abort.signal.aborted || s.timer !== undefined) return;
    s.failures++;
    const elsewhere = code === DUPLICATE_CONNECTION || code === KICKED;
    if (code === DUPLICATE_CONNECTION) log('zalo-personal.duplicate_connection');
    if (code === KICKED) log('zalo-personal.kicked');
    const base = elsewhere ? maxDelayMs : Math.min(maxDelayMs, initialDelayMs * 2 ** (s.failures - 1));
    const delayMs = Math.round(base + base * 0.2 * Math.random());
    log('zalo-personal.reconnect_scheduled', {
      attempt: s.failures,
      delayMs,
      ...(code === undefined ? {} : { code }),
    });
    s.timer = setTimeout(() => {
      s.timer = undefined;
      void reconnect(s);
    }, delayMs);
  }

  /**
   * The first attempt after a working connection restarts the same listener (zca-js resets its socket on every
   * close, so `start()` works again); later attempts, and a listener that cannot start, log in anew.
   */
  async function reconnect(s: Session): Promise<void> {
    if (s.abort.signal.aborted) return;
    const previous = s.api;
    if (previous !== null && s.failures === 1) {
      try {
        previous.listener.start({ retryOnClose: true });
        log('zalo-personal.listener_restarted');
        return;
      } catch (error) {
        log('zalo-personal.restart_failed', { error: errorLabel(error) });
      }
    }
    dropConnection(previous);
    await startListening(s);
  }

  /** Logs in (or reuses the shared login), wires the listener and starts it; schedules a retry on failure. */
  async function startListening(s: Session): Promise<void> {
    try {
      const api = await connectShared();
      if (s.abort.signal.aborted) return;
      s.api = api;
      wire(api);
      api.listener.start({ retryOnClose: true });
      log('zalo-personal.listener_started');
    } catch (error) {
      log('zalo-personal.connect_failed', { error: errorLabel(error) });
      if (s.api !== null) dropConnection(s.api);
      scheduleReconnect(s);
    }
  }

  async function stopSession(s: Session): Promise<void> {
    if (s.abort.signal.aborted) return;
    s.abort.abort();
    if (s.timer !== undefined) clearTimeout(s.timer);
    s.timer = undefined;
    try {
      s.api?.listener.stop();
    } catch (error) {
      log('zalo-personal.stop_failed', { error: errorLabel(error) });
    }
    if (session === s) session = null;
    await Promise.allSettled([...s.deliveries]);
    log('zalo-personal.stopped');
  }

  return {
    channel: CHANNEL,
    webhooks: [],
    rateLimits: ZALO_PERSONAL_RATE_LIMITS,

    async listen(sink: EventSink): Promise<Listening> {
      if (session) {
        throw new AppError(
          'ZALO_PERSONAL_ALREADY_LISTENING',
          'zalo-personal is already listening; stop it first',
        );
      }
      const s: Session = {
        sink,
        abort: new AbortController(),
        api: null,
        failures: 0,
        timer: undefined,
        deliveries: new Set(),
      };
      session = s;
      // Waits for the first attempt only: when it fails, retries go on in the background and stop() ends them.
      await startListening(s);
      return { stop: () => stopSession(s) };
    },

    async send(message: OutboundMessage): Promise<SendReceipt> {
      let api: ZaloPersonalPort;
      try {
        api = await connectShared();
      } catch (error) {
        throw new SendFailedError(`Zalo personal account could not log in (${errorLabel(error)})`, {
          retryable: true,
          channel: CHANNEL,
        });
      }
      const text = renderSmsText(message.reply, 'unicode');
      let result: Awaited<ReturnType<ZaloPersonalPort['sendMessage']>>;
      try {
        result = await api.sendMessage({ msg: text }, message.to, ThreadType.User);
      } catch (error) {
        throw toSendFailedError(error);
      }
      const msgId = result.message?.msgId ?? result.attachment[0]?.msgId;
      return { providerMessageId: msgId === undefined ? `${CHANNEL}:${message.clientRef}` : String(msgId) };
    },
  };
}
