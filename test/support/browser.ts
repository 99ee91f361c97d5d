import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

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

/** An accessibility violation axe-core found, as a test reports it. */
export interface A11yViolation {
  readonly id: string;
  readonly impact: string | null | undefined;
  readonly help: string;
  readonly nodes: number;
}

/**
 * Runs axe-core (served from node_modules, never a CDN) in `page` and resolves the violations of impact `serious`
 * or `critical`: a page passes the project's accessibility check when this is empty.
 */
export async function seriousA11yViolations(page: Page): Promise<A11yViolation[]> {
  // Evaluated through the DevTools protocol, so a page's strict Content-Security-Policy does not block it.
  await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    type AxeViolation = { id: string; impact?: string | null; help: string; nodes: unknown[] };
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * The checks every page of ours passes: no serious or critical accessibility violation, and nothing scrolls
 * sideways at `width` pixels; then a full-page screenshot is saved at `screenshot` for people to look at.
 */
export async function checkPage(page: Page, screenshot: string, width: number): Promise<void> {
  const name = path.basename(screenshot);
  expect(await seriousA11yViolations(page), name).toEqual([]);
  const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
  expect(scrollWidth, `${name} scrolls sideways`).toBeLessThanOrEqual(width);
  await page.screenshot({ path: screenshot, fullPage: true });
}
