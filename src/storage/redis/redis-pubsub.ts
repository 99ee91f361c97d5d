import type { Redis } from 'ioredis';

/** A Redis pub/sub channel as a process uses it: publish from any process, listen in this one. */
export interface RedisTopic {
  /** Publishes `message` to every process listening (nothing is kept for a process that is not). */
  publish(message: string): Promise<void>;
  /** Calls `listener` with every message published from now on, by any process; resolves the stop. */
  subscribe(listener: (message: string) => void): Promise<() => void>;
  /** Closes the subscription connection, if one was opened. */
  close(): Promise<void>;
}

/**
 * One Redis pub/sub channel (`channel`, under the service's prefix): `publish` on the shared connection, and for
 * the listeners of this process one subscriber connection of its own, opened on the first `subscribe` (a
 * connection in subscriber mode can run no other command). Messages are not stored: a listener that was not
 * connected misses them, so what they announce must be readable again from storage (pages re-fetch).
 * Shared by the console's Inbox (hand-off changes) and any page that needs to hear about changes made in
 * another process.
 */
export function createRedisTopic(options: { redis: Redis; channel: string }): RedisTopic {
  const { redis, channel } = options;
  const listeners = new Set<(message: string) => void>();
  let subscriber: Redis | null = null;
  let subscribing: Promise<void> | null = null;

  const connect = () => {
    subscribing ??= (async () => {
      const connection = redis.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
      subscriber = connection;
      connection.on('error', () => {
        // ioredis reconnects (and subscribes again) by itself; meanwhile the listeners hear nothing.
      });
      connection.on('message', (from: string, message: string) => {
        if (from !== channel) return;
        for (const listener of listeners) {
          try {
            listener(message);
          } catch {
            // One listener's failure is not the others'.
          }
        }
      });
      await connection.subscribe(channel);
    })().catch((error: unknown) => {
      subscribing = null;
      throw error;
    });
    return subscribing;
  };

  return {
    async publish(message) {
      await redis.publish(channel, message);
    },
    async subscribe(listener) {
      listeners.add(listener);
      try {
        await connect();
      } catch (error) {
        listeners.delete(listener);
        throw error;
      }
      return () => {
        listeners.delete(listener);
      };
    },
    async close() {
      listeners.clear();
      const connection = subscriber;
      subscriber = null;
      subscribing = null;
      connection?.disconnect();
    },
  };
}
