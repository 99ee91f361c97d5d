import type { Listening } from '../messaging/channel-adapter.ts';
import type { Services } from './services.ts';

/** The running listeners of the channels that pull updates or hold a socket. */
export interface Listeners {
  readonly channels: readonly string[];
  close(): Promise<void>;
}

/**
 * Starts the listener of every configured channel that has one (Telegram in polling mode, a Zalo personal
 * account). Their events take the same path as webhook events: a message is stored in the inbox and its turn
 * queued; a delivery report updates the outbox. Run it in ONE process: Telegram allows one poller per bot and a
 * Zalo account one web session.
 */
export async function startListeners(services: Services): Promise<Listeners> {
  const running: { channel: string; listening: Listening }[] = [];
  for (const adapter of services.adapters.values()) {
    if (!adapter.listen) continue;
    const listening = await adapter.listen(async (event) => {
      if (event.type === 'message') await services.acceptInbound(event.message);
      else if (event.type === 'delivery')
        await services.outbox.applyDeliveryReport(adapter.channel, event.report);
    });
    running.push({ channel: adapter.channel, listening });
    services.logger.info({ channel: adapter.channel }, 'listening');
  }
  return {
    channels: running.map((r) => r.channel),
    async close() {
      await Promise.allSettled(running.map((r) => r.listening.stop()));
    },
  };
}
