import { z } from 'zod';

/**
 * Delivery states of an outbound message, in the order they can happen. A report never moves a message back
 * (a late `sent` after `delivered` is ignored): see {@link deliveryStatusRank}.
 */
export const DeliveryStatusSchema = z.enum([
  'pending',
  'queued',
  'sent',
  'delivered',
  'undelivered',
  'failed',
]);
/** A delivery state. */
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

const RANK: Record<DeliveryStatus, number> = {
  pending: 0,
  queued: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
};

/** The rank of a state: a report is applied only when it ranks higher than the stored state. */
export function deliveryStatusRank(status: DeliveryStatus): number {
  return RANK[status];
}

/** A delivery report from a provider, normalised. */
export interface DeliveryReport {
  readonly providerMessageId: string;
  readonly status: DeliveryStatus;
  readonly errorCode?: string;
}
