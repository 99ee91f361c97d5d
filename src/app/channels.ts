import type { Logger } from 'pino';
import { createSmsGatewayAdapter } from '../../adapters/sms-gateway/sms-gateway.adapter.ts';
import { createTelegramAdapter } from '../../adapters/telegram/telegram.adapter.ts';
import { createTwilioSmsAdapter } from '../../adapters/twilio-sms/twilio-sms.adapter.ts';
import { createZaloOaAdapter } from '../../adapters/zalo-oa/zalo-oa.adapter.ts';
import { createZaloPersonalAdapter } from '../../adapters/zalo-personal/zalo-personal.adapter.ts';
import { connectZaloPersonal } from '../../adapters/zalo-personal/zalo-personal.connect.ts';
import type { ZaloPersonalPort } from '../../adapters/zalo-personal/zalo-personal.port.ts';
import type { ChannelId } from '../messaging/channel.ts';
import type { ChannelAdapter } from '../messaging/channel-adapter.ts';
import type { ProviderTokenStore } from '../messaging/provider-token-store.ts';
import type { Config } from './config.ts';

/** Parts a test may replace: the login of the Zalo personal account (a fake zca-js API in tests). */
export interface ChannelOverrides {
  readonly zaloPersonalConnect?: () => Promise<ZaloPersonalPort>;
}

/**
 * Builds the adapter of every channel whose variables are set. A channel with nothing set is off: its
 * webhooks are not mounted and messages to it are recorded as not sent.
 */
export function createAdapters(
  config: Config,
  deps: { tokens: ProviderTokenStore; logger: Logger; overrides?: ChannelOverrides | undefined },
): Map<ChannelId, ChannelAdapter> {
  const adapters = new Map<ChannelId, ChannelAdapter>();
  const add = (adapter: ChannelAdapter) => adapters.set(adapter.channel, adapter);

  if (config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN && config.TWILIO_FROM) {
    add(
      createTwilioSmsAdapter({
        accountSid: config.TWILIO_ACCOUNT_SID,
        authToken: config.TWILIO_AUTH_TOKEN,
        from: config.TWILIO_FROM,
        publicBaseUrl: config.PUBLIC_BASE_URL,
        apiUrl: config.TWILIO_API_URL,
        encoding: config.SMS_ENCODING,
        log: warnTo(deps.logger, 'twilio-sms'),
      }),
    );
  }
  if (config.SMS_GATEWAY_URL && config.SMS_GATEWAY_SECRET) {
    add(
      createSmsGatewayAdapter({
        url: config.SMS_GATEWAY_URL,
        secret: config.SMS_GATEWAY_SECRET,
        encoding: config.SMS_ENCODING,
        log: warnTo(deps.logger, 'sms-gateway'),
      }),
    );
  }
  if (config.TELEGRAM_BOT_TOKEN) {
    add(
      createTelegramAdapter({
        token: config.TELEGRAM_BOT_TOKEN,
        mode: config.TELEGRAM_MODE,
        webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
        apiRoot: config.TELEGRAM_API_ROOT,
        log: warnTo(deps.logger, 'telegram'),
      }),
    );
  }
  if (
    config.ZALO_OA_APP_ID &&
    config.ZALO_OA_SECRET_KEY &&
    config.ZALO_OA_APP_SECRET &&
    config.ZALO_OA_REFRESH_TOKEN
  ) {
    add(
      createZaloOaAdapter({
        appId: config.ZALO_OA_APP_ID,
        oaSecretKey: config.ZALO_OA_SECRET_KEY,
        appSecret: config.ZALO_OA_APP_SECRET,
        initialRefreshToken: config.ZALO_OA_REFRESH_TOKEN,
        apiUrl: config.ZALO_OA_API_URL,
        oauthUrl: config.ZALO_OAUTH_URL,
        tokens: deps.tokens,
        log: warnTo(deps.logger, 'zalo-oa'),
      }),
    );
  }
  const zaloPersonal = config.ZALO_PERSONAL_CREDENTIALS;
  const connect =
    deps.overrides?.zaloPersonalConnect ?? (zaloPersonal ? () => connectZaloPersonal(zaloPersonal) : null);
  if (connect) {
    const log = deps.logger.child({ channel: 'zalo-personal' });
    add(
      createZaloPersonalAdapter({
        connect,
        log: (event, details) =>
          event.endsWith('failed') || event.includes('error') || event.includes('duplicate')
            ? log.warn(details ?? {}, event)
            : log.info(details ?? {}, event),
      }),
    );
  }
  return adapters;
}

/** An adapter's log-safe events (codes, flags, our own refs: never addresses or text), logged as warnings. */
function warnTo(logger: Logger, channel: ChannelId) {
  const log = logger.child({ channel });
  return (event: string, details?: Record<string, unknown>) => log.warn(details ?? {}, event);
}

/**
 * The SMS channel that carries phone codes and notification fallbacks: the local gateway first, then Twilio, then
 * the development phones (only there in development mode, when neither is configured).
 */
export function smsChannelOf(adapters: ReadonlyMap<ChannelId, ChannelAdapter>): ChannelId | null {
  if (adapters.has('sms-gateway')) return 'sms-gateway';
  if (adapters.has('twilio-sms')) return 'twilio-sms';
  if (adapters.has('dev-sms')) return 'dev-sms';
  return null;
}
