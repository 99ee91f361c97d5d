import type { FriendEvent, Message, MessageContent, SendMessageResponse, ThreadType } from 'zca-js';

/**
 * The part of zca-js's `Listener` (a typed `EventEmitter` holding Zalo Web's WebSocket) the adapter uses.
 * `closed` and `disconnected` carry a `CloseReason` (1000 manual, 1006 abnormal, 3000 duplicate connection,
 * 3003 kicked) or any other WebSocket close code, hence `number`.
 */
export interface ZaloPersonalListenerPort {
  on(event: 'message', listener: (message: Message) => void): unknown;
  on(event: 'friend_event', listener: (event: FriendEvent) => void): unknown;
  on(event: 'connected', listener: () => void): unknown;
  on(event: 'disconnected' | 'closed', listener: (code: number, reason: string) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  /**
   * Opens the socket. Throws "Already started" while a socket is open; after a close (`closed`) it may be
   * called again (the library resets its socket on every close). `retryOnClose` lets the library retry the
   * close codes Zalo's server settings list, emitting `disconnected` for each close and `closed` only when it
   * gives up.
   */
  start(options?: { retryOnClose?: boolean }): void;
  /** Closes the socket with 1000 (`closed` follows asynchronously); a no-op when no socket is open. */
  stop(): void;
}

/**
 * The narrow port of a logged-in Zalo personal account the adapter depends on. zca-js's `API` (what
 * `new Zalo().login(credentials)` resolves to) satisfies it structurally; tests use
 * `test/fakes/fake-zalo-personal.ts`.
 */
export interface ZaloPersonalPort {
  readonly listener: ZaloPersonalListenerPort;
  /** Sends a message; throws zca-js's `ZaloApiError` (`code` = Zalo's error code, or null on HTTP failure). */
  sendMessage(
    message: MessageContent | string,
    threadId: string,
    type?: ThreadType,
  ): Promise<SendMessageResponse>;
  /** The uid of the logged-in account. */
  getOwnId(): string;
  /** Accepts a pending friend request from `friendId`. */
  acceptFriendRequest(friendId: string): Promise<unknown>;
}
