import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { root } from './stack.js';

/** Debian's Chromium, driven by playwright-core: the browser tests' real browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const screenshots = path.join(root, 'test-output/screenshots');
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Headless Chromium for a page test, with the screenshots folder ready. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(screenshots, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * WCAG 2.1 A/AA findings of axe-core on the page as it is. Uppy 5's Dashboard puts its file rows
 * (role=listitem) in a virtual list whose inner wrapper sits between them and role=list; that markup is
 * Uppy's, so it is the one finding let through.
 */
export async function accessibilityFindings(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const report = await page.evaluate<{
    violations: Array<{ id: string; nodes: Array<{ target: string[] }> }>;
  }>(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`);
  const found = report.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  return found.filter((finding) => !/^aria-required-parent: #uppy_/.test(finding));
}
