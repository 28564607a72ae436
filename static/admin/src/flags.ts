import { showFlag } from '@forge/bridge';

let next = 0;

/**
 * A Jira flag after a change (created, saved, deleted, switched on or off): Jira shows it at the bottom
 * left, outside the app's frame, and dismisses a success by itself. Flags are a courtesy: a bridge that
 * cannot show one never turns a change that succeeded into an error.
 */
export function flag(options: { title: string; description?: string; appearance?: 'success' | 'info' | 'warning' | 'error' }): void {
  const appearance = options.appearance ?? 'success';
  try {
    next += 1;
    showFlag({
      id: `audit-webhooks-${next}`,
      title: options.title,
      ...(options.description ? { description: options.description } : {}),
      type: appearance,
      appearance,
      isAutoDismiss: appearance === 'success' || appearance === 'info',
    });
  } catch {
    // Outside Jira (or an old bridge) there is nowhere to show it.
  }
}
