/**
 * The URLs a Teams Workflow ("When a Teams webhook request is received", the trigger of the "Send webhook
 * alerts to a channel" template) is reached at. Seen in Workflows copied today:
 *
 *   https://<environment>.<nn>.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/<32 hex>/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=<token>
 *
 * (some with `/direct/cu/<nn>/workflows/`). Power Automate moved HTTP and Teams webhook trigger URLs off
 * `*.logic.azure.com` to this host, the old ones to stop working after 30 November 2025 (Microsoft's notice as
 * quoted in swisscom/backman#102, atc0005/send2teams#723, PostHog/posthog#41202). Azure Logic Apps keep
 * `prod-<nn>.<region>.logic.azure.com:443/workflows/<32 hex>/triggers/manual/paths/invoke?...&sig=...`, which a
 * Logic App posting to Teams still uses, so that host stays accepted.
 *
 * Refused: the retired Office 365 connector URLs (`*.webhook.office.com/webhookb2/...`,
 * `outlook.office.com/webhook/...`), and the Power Automate portal (`make.powerautomate.com`,
 * `flow.microsoft.com`), which serves pages, not triggers.
 */
export const TEAMS_WORKFLOW_HOST_SUFFIXES = ['.environment.api.powerplatform.com', '.logic.azure.com'] as const;

const RETIRED_CONNECTOR_HOSTS = /(^|\.)(webhook\.office\.com|outlook\.office\.com|outlook\.office365\.com)$/;
const PORTAL_HOSTS = /(^|\.)(powerautomate\.com|flow\.microsoft\.com)$/;
/** The trigger path of both hosts: .../workflows/<id>/triggers/<name>/paths/invoke (or /run, Logic Apps' older form). */
const TRIGGER_PATH = /\/workflows\/[0-9A-Za-z]{16,64}\/triggers\/[^/]+\/(paths\/invoke\/?|run\/?)(\/.*)?$/;

export const isTeamsWorkflowHost = (hostname: string): boolean => {
  const host = hostname.toLowerCase();
  return TEAMS_WORKFLOW_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
};

/** Problems with a parsed https URL given for a Teams Workflow; empty when it is a Workflow trigger URL. */
export function teamsUrlProblems(url: URL): string[] {
  const host = url.hostname.toLowerCase();
  if (RETIRED_CONNECTOR_HOSTS.test(host)) {
    return [
      'This is an Office 365 connector (Incoming Webhook) URL, which Microsoft has retired. In Teams, create a Workflow instead: channel > ••• > Workflows > "Send webhook alerts to a channel", then paste the URL it shows.',
    ];
  }
  if (PORTAL_HOSTS.test(host)) {
    return [
      'This is a Power Automate page, not a Workflow trigger URL. Open the Workflow, select its trigger "When a Teams webhook request is received" and copy the HTTP URL (it ends with &sig=...).',
    ];
  }
  if (!isTeamsWorkflowHost(host)) {
    return [
      'Use the URL of a Teams Workflow: it is on a host ending in .environment.api.powerplatform.com (or .logic.azure.com for an Azure Logic App). In Teams: channel > ••• > Workflows > "Send webhook alerts to a channel", then copy the URL it shows.',
    ];
  }
  const problems: string[] = [];
  if (url.port !== '') problems.push('Remove the port: Workflow URLs are served on the default port 443.');
  if (url.hash !== '') problems.push('Remove the #fragment: a Workflow URL has none.');
  if (!TRIGGER_PATH.test(url.pathname)) {
    problems.push('The path must end like /workflows/<id>/triggers/manual/paths/invoke, as the Workflow shows it; copy the whole URL again from the trigger.');
  }
  const sig = url.searchParams.get('sig');
  if (sig === null || sig === '') {
    problems.push(
      'The URL has no sig= token, so the Workflow accepts only signed-in Microsoft users. In the trigger "When a Teams webhook request is received", set "Who can trigger the flow" to Anyone, save, and copy the URL again (it then ends with &sig=...).',
    );
  }
  return problems;
}
