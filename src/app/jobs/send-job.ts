import { UnrecoverableError } from 'bullmq';
import { SendFailedError } from '../../shared/errors.ts';
import { maskPhone } from '../../shared/phone.ts';
import type { Services } from '../services.ts';

/**
 * Sends one stored outbound message through its channel's adapter. Never sends twice once the provider accepted
 * it, never sends to an opted-out address (except the opt-out confirmation itself), records permanent provider
 * refusals without retrying, and records the last error of each temporary failure (BullMQ retries those).
 */
export function createSendJob(services: Services) {
  const { outbox, contacts, adapters, metrics, logger } = services;
  return async (
    { outboundId }: { outboundId: number },
    attempt: { attemptsMade: number; maxAttempts: number },
  ) => {
    const record = await outbox.get(outboundId);
    if (record?.status !== 'pending') return;
    const { message } = record;
    const log = logger.child({ outboundId, channel: message.channel, to: maskPhone(message.to) });

    const contact = await contacts.find(message.channel, message.to);
    if (contact?.optedOutAt && record.purpose !== 'opt_out_confirmation') {
      await outbox.markFinal(outboundId, 'suppressed', 'OPTED_OUT');
      metrics.messagesOut.inc({ channel: message.channel, result: 'suppressed' });
      log.info('not sent: the recipient opted out');
      return;
    }
    const adapter = adapters.get(message.channel);
    if (!adapter) {
      await outbox.markFinal(outboundId, 'suppressed', 'CHANNEL_OFF');
      metrics.messagesOut.inc({ channel: message.channel, result: 'suppressed' });
      log.warn('not sent: the channel is not configured');
      return;
    }

    try {
      const receipt = await adapter.send(message);
      await outbox.markSent(outboundId, receipt.providerMessageId, receipt.segments);
      metrics.messagesOut.inc({ channel: message.channel, result: 'sent' });
      log.info({ segments: receipt.segments }, 'message sent');
    } catch (error) {
      const code = error instanceof SendFailedError ? (error.providerCode ?? error.code) : 'SEND_ERROR';
      const permanent = error instanceof SendFailedError && !error.retryable;
      const lastAttempt = attempt.attemptsMade + 1 >= attempt.maxAttempts;
      if (permanent || lastAttempt) {
        await outbox.markFinal(outboundId, 'failed', code);
        metrics.messagesOut.inc({ channel: message.channel, result: 'failed' });
        log.warn({ code, permanent }, 'message not sent');
        if (permanent) throw new UnrecoverableError(`provider refused the message (${code})`);
      } else {
        await outbox.recordAttempt(outboundId, code);
        log.info({ code, attempt: attempt.attemptsMade + 1 }, 'send failed, will retry');
      }
      throw error;
    }
  };
}
