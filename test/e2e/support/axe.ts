/**
 * axe-core accessibility checks of a page in the browser tests. axe-core is a dev dependency (AXE_CORE_JS,
 * a path to axe.min.js, overrides it); without it the check fails, never skips.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';

function axeSourcePath(): string | undefined {
  const fromEnv = process.env.AXE_CORE_JS;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  try {
    return require.resolve('axe-core/axe.min.js');
  } catch {
    return undefined;
  }
}

const AXE_PATH = axeSourcePath();

/** A browser test that runs axe; it fails (in axeViolations) when axe-core is missing. */
export function testWithAxe(name: string, body: () => Promise<void>): void {
  test(name, body);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe (WCAG 2.x A and AA rules) on the element `within` matches, and answers its violations. */
export async function axeViolations(page: Page, within: Locator): Promise<AxeViolation[]> {
  if (!AXE_PATH) throw new Error('axe-core is not installed: npm install --save-dev axe-core (or set AXE_CORE_JS).');
  const hasIt = await page.evaluate(() => 'axe' in window);
  if (!hasIt) await page.addScriptTag({ content: readFileSync(AXE_PATH, 'utf8') });
  const handle = await within.elementHandle();
  if (!handle) throw new Error('axeViolations: nothing to check');
  return handle.evaluate(async (element) => {
    const axe = (window as unknown as { axe: { run: (context: Element, options: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; html: string; failureSummary?: string }[] }[] }> } }).axe;
    const result = await axe.run(element, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    // The element's opening tag beside its selector: generated class names alone do not say which it is.
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => `${n.target.map(String).join(' ')} ${n.html.slice(0, 160)} ${(n.failureSummary ?? '').slice(0, 200)}`) }));
  });
}

/**
 * Expects axe to find nothing in `within`, once Atlaskit's fades and slides have stopped (contrast measured
 * mid-fade is wrong); `state` names the state in the failure, so a test that checks many says which failed.
 */
export async function expectNoAxeViolations(page: Page, within: Locator, state: string): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== 'running'));
  const violations = await axeViolations(page, within);
  expect({ state, violations }).toEqual({ state, violations: [] });
}
