import { ensureChromium } from './browser.ts';

/** Once before the integration tests: what they need that `npm ci` does not bring (Debian's Chromium). */
export default function setup(): void {
  ensureChromium();
}
