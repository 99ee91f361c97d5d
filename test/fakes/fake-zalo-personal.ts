/**
 * A fake logged-in Zalo personal account implementing `ZaloPersonalPort`, for tests of the `zalo-personal`
 * adapter. It emits the REAL zca-js model objects (`UserMessage`, `GroupMessage`, friend events built by
 * `initializeFriendEvent`) with the real `ThreadType` numbers, so `threadId`/`isSelf` are derived exactly as the
 * library does, and it throws the real `ZaloApiError`.
 *
 * ```ts
 * const zalo = createFakeZaloPersonal({ ownId: '7000000000000000001' });
 * const adapter = createZaloPersonalAdapter({ connect: () => zalo.connect() });
 * await adapter.listen(sink);
 * zalo.receiveText('8000000000000000002', 'Đăng ký');   // a direct message, as the socket would emit it
 * zalo.close(1006, '');                                 // the socket dies; the adapter reconnects
 * zalo.failNextSend(122);                               // the next sendMessage throws ZaloApiError 122
 * ```
 */
import { EventEmitter } from 'node:events';
import {
  type FriendEvent,
  FriendEventType,
  GroupMessage,
  initializeFriendEvent,
  type MessageContent,
  type SendMessageResponse,
  type TGroupMessage,
  type ThreadType,
  type TMessage,
  UserMessage,
  ZaloApiError,
} from 'zca-js';
import type {
  ZaloPersonalListenerPort,
  ZaloPersonalPort,
} from '../../adapters/zalo-personal/zalo-personal.port.ts';

/**
 * A fake of zca-js's `Listener`: an `EventEmitter` whose `start`/`stop` are recorded. Like the real one, `start`
 * throws "Already started" while running and emits `connected` asynchronously; `stop` emits `disconnected` and
 * `closed` with 1000 asynchronously.
 */
export class FakeZaloListener extends EventEmitter implements ZaloPersonalListenerPort {
  /** Every `start` call, in order: its options, and how many `error` listeners were attached at that moment. */
  readonly starts: { options: { retryOnClose?: boolean }; errorListeners: number }[] = [];
  /** How many times `stop` was called. */
  stops = 0;
  /** Whether a (fake) socket is open. */
  running = false;
  /** When false, `start` does not emit `connected` (a socket that never opens). */
  connectOnStart = true;

  start(options?: { retryOnClose?: boolean }): void {
    if (this.running) throw new ZaloApiError('Already started');
    this.running = true;
    this.starts.push({ options: options ?? {}, errorListeners: this.listenerCount('error') });
    if (!this.connectOnStart) return;
    const generation = this.starts.length;
    setImmediate(() => {
      if (this.running && this.starts.length === generation) this.emit('connected');
    });
  }

  stop(): void {
    this.stops++;
    if (!this.running) return;
    this.running = false;
    setImmediate(() => {
      this.emit('disconnected', 1000, '');
      this.emit('closed', 1000, '');
    });
  }
}

/** One message the fake "sent". */
export interface SentZaloMessage {
  readonly threadId: string;
  readonly type: ThreadType | undefined;
  readonly msg: string;
  readonly msgId: number;
  readonly at: Date;
}

/** Options of {@link receiveText} and friends. */
export interface ReceiveOptions {
  /** Zalo's message id; a fresh numeric string by default. */
  readonly msgId?: string;
  /** Zalo's timestamp, epoch milliseconds; now by default. */
  readonly ts?: number;
}

/** The fake account. */
export interface FakeZaloPersonal extends ZaloPersonalPort {
  readonly listener: FakeZaloListener;
  /** The account's uid, as `getOwnId()` returns it. */
  readonly ownId: string;
  /** The display name used in the mention text of {@link receiveGroupText}. */
  readonly ownName: string;
  /** Messages sent, oldest first (live array). Failed sends are not recorded. */
  readonly sent: SentZaloMessage[];
  /** `sendMessage` calls, whatever their outcome. */
  readonly sendAttempts: number;
  /** Uids whose friend request was accepted. */
  readonly accepted: string[];
  /** How many times {@link connect} was called. */
  readonly connects: number;
  /** Plays `new Zalo().login()`: counts the call and resolves with this fake (or fails once, see below). */
  connect(): Promise<FakeZaloPersonal>;
  /** Makes the next `connect` reject with `error` (default: a `ZaloApiError` without code). */
  failNextConnect(error?: Error): void;
  /** Emits a direct text message from `fromUid` (a real `UserMessage`, `msgType: 'webchat'`). */
  receiveText(fromUid: string, text: string, options?: ReceiveOptions): UserMessage;
  /** Emits a direct non-text message from `fromUid` (default: a sticker). */
  receiveAttachment(
    fromUid: string,
    options?: ReceiveOptions & { msgType?: string; content?: TMessage['content'] },
  ): UserMessage;
  /** Emits a group message; with `mentionOwn` the text starts with `@<ownName> ` and mentions the account. */
  receiveGroupText(
    groupId: string,
    fromUid: string,
    text: string,
    options?: ReceiveOptions & { mentionOwn?: boolean },
  ): GroupMessage;
  /** Emits the echo of a message the account itself sent to `toUid` (`isSelf`), as with `selfListen: true`. */
  receiveSelf(toUid: string, text: string, options?: ReceiveOptions): UserMessage;
  /** Emits a friend request from `fromUid` (a real `FriendEvent` of type REQUEST). */
  friendRequest(fromUid: string, message?: string): FriendEvent;
  /** The socket closes with `code` (e.g. 1006, 3000): emits `disconnected` then `closed` at once. */
  close(code: number, reason?: string): void;
  /** Makes the next `sendMessage` throw a real `ZaloApiError` with `code` (null: an HTTP failure). */
  failNextSend(code: number | null): void;
  /** Makes the next `acceptFriendRequest` throw a real `ZaloApiError` with `code`. */
  failNextAccept(code: number): void;
  /** Resolves once `n` messages were sent; rejects after `timeoutMs` (2 s). */
  waitForSent(n: number, timeoutMs?: number): Promise<SentZaloMessage[]>;
}

/** Creates a fake account with uid `ownId`. */
export function createFakeZaloPersonal(options: { ownId: string; ownName?: string }): FakeZaloPersonal {
  const ownId = options.ownId;
  const ownName = options.ownName ?? 'Tổ công nghệ số';
  const listener = new FakeZaloListener();
  const sent: SentZaloMessage[] = [];
  const accepted: string[] = [];
  const sentWaiters = new Set<() => void>();
  let nextId = 7_300_000_000_000;
  let connects = 0;
  let sendAttempts = 0;
  let connectFailure: Error | null = null;
  let sendFailure: ZaloApiError | null = null;
  let acceptFailure: ZaloApiError | null = null;

  /** A `TMessage` shaped like the decoded cmd 501/521 frames zca-js turns into model objects. */
  function messageData(
    uidFrom: string,
    idTo: string,
    content: TMessage['content'],
    msgType: string,
    cmd: number,
    opts: ReceiveOptions,
  ): TMessage {
    const msgId = opts.msgId ?? String(nextId++);
    return {
      actionId: String(nextId++),
      msgId,
      cliMsgId: String((opts.ts ?? Date.now()) + 1),
      msgType,
      uidFrom,
      idTo,
      dName: 'Nguyễn Văn A',
      ts: String(opts.ts ?? Date.now()),
      status: 1,
      content,
      notify: '1',
      ttl: 0,
      userId: '0',
      uin: '0',
      topOut: '0',
      topOutTimeOut: '0',
      topOutImprTimeOut: '0',
      propertyExt: { color: 0, size: 0, type: 0, subType: 0, ext: '{"shouldParseLinkOrContact":0}' },
      paramsExt: { countUnread: 1, containType: 0, platformType: 1 },
      cmd,
      st: 3,
      at: 5,
      realMsgId: '0',
      quote: undefined,
    };
  }

  const fake: FakeZaloPersonal = {
    listener,
    ownId,
    ownName,
    sent,
    accepted,
    get sendAttempts() {
      return sendAttempts;
    },
    get connects() {
      return connects;
    },

    async connect() {
      connects++;
      if (connectFailure) {
        const error = connectFailure;
        connectFailure = null;
        throw error;
      }
      return fake;
    },
    failNextConnect(error = new ZaloApiError('Đăng nhập thất bại')) {
      connectFailure = error;
    },

    getOwnId: () => ownId,

    async sendMessage(
      message: MessageContent | string,
      threadId: string,
      type?: ThreadType,
    ): Promise<SendMessageResponse> {
      sendAttempts++;
      if (sendFailure) {
        const error = sendFailure;
        sendFailure = null;
        throw error;
      }
      const msg = typeof message === 'string' ? message : message.msg;
      if (!msg) throw new ZaloApiError('Missing message content');
      const msgId = nextId++;
      sent.push({ threadId, type, msg, msgId, at: new Date() });
      for (const wake of sentWaiters) wake();
      return { message: { msgId }, attachment: [] };
    },

    async acceptFriendRequest(friendId: string): Promise<''> {
      if (acceptFailure) {
        const error = acceptFailure;
        acceptFailure = null;
        throw error;
      }
      accepted.push(friendId);
      return '';
    },

    receiveText(fromUid, text, opts = {}) {
      const message = new UserMessage(ownId, messageData(fromUid, '0', text, 'webchat', 501, opts));
      listener.emit('message', message);
      return message;
    },

    receiveAttachment(fromUid, opts = {}) {
      const content = opts.content ?? {
        title: '',
        description: '',
        href: 'https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid=46991&size=130',
        thumb: '',
        childnumber: 0,
        action: '',
        params: '',
        type: '',
      };
      const data = messageData(fromUid, '0', content, opts.msgType ?? 'chat.sticker', 501, opts);
      const message = new UserMessage(ownId, data);
      listener.emit('message', message);
      return message;
    },

    receiveGroupText(groupId, fromUid, text, opts = {}) {
      const mention = `@${ownName}`;
      const content = opts.mentionOwn ? `${mention} ${text}` : text;
      const data: TGroupMessage = {
        ...messageData(fromUid, groupId, content, 'webchat', 521, opts),
        mentions: opts.mentionOwn ? [{ uid: ownId, pos: 0, len: mention.length, type: 0 }] : undefined,
      };
      const message = new GroupMessage(ownId, data);
      listener.emit('message', message);
      return message;
    },

    receiveSelf(toUid, text, opts = {}) {
      const message = new UserMessage(ownId, messageData('0', toUid, text, 'webchat', 501, opts));
      listener.emit('message', message);
      return message;
    },

    friendRequest(fromUid, message = 'Xin chào, mình muốn kết bạn') {
      const event = initializeFriendEvent(
        ownId,
        { toUid: ownId, fromUid, src: 85, message },
        FriendEventType.REQUEST,
      );
      listener.emit('friend_event', event);
      return event;
    },

    close(code, reason = '') {
      listener.running = false;
      listener.emit('disconnected', code, reason);
      listener.emit('closed', code, reason);
    },

    failNextSend(code) {
      sendFailure =
        code === null
          ? new ZaloApiError('Request failed with status code 502')
          : new ZaloApiError('Không thể gửi tin nhắn', code);
    },

    failNextAccept(code) {
      acceptFailure = new ZaloApiError('Không thể chấp nhận lời mời', code);
    },

    waitForSent(n, timeoutMs = 2000) {
      if (sent.length >= n) return Promise.resolve(sent.slice());
      return new Promise((resolve, reject) => {
        const wake = () => {
          if (sent.length < n) return;
          cleanup();
          resolve(sent.slice());
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`expected ${n} sent Zalo messages, got ${sent.length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          sentWaiters.delete(wake);
        };
        sentWaiters.add(wake);
      });
    },
  };
  return fake;
}
