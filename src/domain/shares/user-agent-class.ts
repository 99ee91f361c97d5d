import type { ShareView } from './share.ts';

/** The class of device a share page was opened with. */
export type UserAgentClass = ShareView['userAgentClass'];

// Crawlers, link previews (messengers fetch a link to show its card), scripts and headless browsers.
const BOT =
  /bot\b|bot\/|crawl|spider|slurp|preview|facebookexternalhit|embedly|headless|curl\/|wget\/|python-|go-http-client|okhttp|java\/|node-fetch|undici|axios\//i;
// Phones and tablets, feature phones included (KaiOS, Opera Mini, Series 40).
const MOBILE = /mobi|android|iphone|ipad|ipod|windows phone|opera mini|kaios|series ?40|blackberry|tablet/i;
const DESKTOP = /windows nt|macintosh|mac os x|x11|linux|cros/i;

/**
 * Sorts a User-Agent header into `bot`, `mobile`, `desktop` or `other` (missing or unknown). Only the class is
 * kept: the full header could help identify the viewer.
 */
export function userAgentClass(userAgent: string | undefined): UserAgentClass {
  if (userAgent === undefined || userAgent.trim() === '') return 'other';
  if (BOT.test(userAgent)) return 'bot';
  if (MOBILE.test(userAgent)) return 'mobile';
  if (DESKTOP.test(userAgent)) return 'desktop';
  return 'other';
}
