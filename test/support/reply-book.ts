/**
 * The replies the fake SMS gateway received, by phone: a benchmark's citizens wait for their own replies without
 * scanning every message each time.
 */
import type { FakeSmsGateway, RecordedSms } from '../fakes/fake-sms-gateway-server.ts';

/** Replies by phone, read from the gateway every few milliseconds. */
export class ReplyBook {
  readonly #gateway: FakeSmsGateway;
  readonly #byPhone = new Map<string, RecordedSms[]>();
  readonly #waiters = new Map<string, { count: number; resolve: () => void }[]>();
  #read = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(gateway: FakeSmsGateway) {
    this.#gateway = gateway;
    this.#timer = setInterval(() => this.#catchUp(), 2);
  }

  #catchUp(): void {
    const messages = this.#gateway.messages;
    for (; this.#read < messages.length; this.#read += 1) {
      const sms = messages[this.#read];
      if (!sms) continue;
      const list = this.#byPhone.get(sms.to) ?? [];
      list.push(sms);
      this.#byPhone.set(sms.to, list);
      const waiting = this.#waiters.get(sms.to);
      if (!waiting) continue;
      for (const waiter of waiting.filter((w) => list.length >= w.count)) waiter.resolve();
      const still = waiting.filter((w) => list.length < w.count);
      if (still.length > 0) this.#waiters.set(sms.to, still);
      else this.#waiters.delete(sms.to);
    }
  }

  /** The replies `phone` received so far. */
  of(phone: string): readonly RecordedSms[] {
    return this.#byPhone.get(phone) ?? [];
  }

  /** Resolves once `phone` has received `count` replies in all; rejects after `timeoutMs`. */
  waitFor(phone: string, count: number, timeoutMs = 120_000): Promise<readonly RecordedSms[]> {
    this.#catchUp();
    if (this.of(phone).length >= count) return Promise.resolve(this.of(phone));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`a citizen waited ${timeoutMs} ms for reply ${count} (got ${this.of(phone).length})`),
          ),
        timeoutMs,
      );
      const list = this.#waiters.get(phone) ?? [];
      list.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.of(phone));
        },
      });
      this.#waiters.set(phone, list);
    });
  }

  /** Stops reading. */
  close(): void {
    clearInterval(this.#timer);
  }
}
