export * from './channel.ts';
export * from './channel-adapter.ts';
export * from './delivery-status.ts';
export * from './inbound-message.ts';
export * from './merge-replies.ts';
export * from './outbound-message.ts';
export * from './provider-token-store.ts';
export * from './sms-render.ts';
