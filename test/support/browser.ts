import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** The Chromium the browser tests drive: Debian's package (`CHROMIUM_PATH` points elsewhere). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Makes sure {@link CHROMIUM_PATH} exists before the tests run (vitest `globalSetup`), so `npm test` passes on a
 * fresh machine: when it is missing and the tests run as root, Debian's `chromium` package is installed with
 * apt-get; otherwise the run stops with one line saying how to install it. Playwright's own browser download is
 * not used: it fetches a build from outside the package registries.
 */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM_PATH}: install it with ` +
        '`sudo apt-get install chromium` (Debian/Ubuntu) or set CHROMIUM_PATH.',
    );
  }
  const apt = (...args: string[]) =>
    execFileSync('apt-get', args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  apt('update');
  apt('install', '-y', '--no-install-recommends', 'chromium');
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium, but not at ${CHROMIUM_PATH}`);
}

/**
 * Starts headless Chromium for a test, without the background traffic it would send to hosts this machine
 * cannot reach.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
