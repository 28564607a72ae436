/**
 * Slack incoming webhooks (https://api.slack.com/messaging/webhooks) look like
 * https://hooks.slack.com/services/T<team>/B<bot>/<token>. GovSlack serves the same shape on
 * hooks.slack-gov.com. Workflow Builder trigger URLs (hooks.slack.com/triggers/...) are refused: they
 * accept only the variables the workflow defines, not the message blocks this app posts.
 */
export const SLACK_HOSTS = ['hooks.slack.com', 'hooks.slack-gov.com'] as const;
const INCOMING_WEBHOOK_PATH = /^\/services\/T[A-Z0-9]{2,20}\/B[A-Z0-9]{2,20}\/[A-Za-z0-9]{16,64}$/;

export const isSlackHost = (hostname: string): boolean => (SLACK_HOSTS as readonly string[]).includes(hostname);

/** Problems with a parsed https URL given for a Slack webhook; empty when it is an incoming webhook. */
export function slackUrlProblems(url: URL): string[] {
  if (!isSlackHost(url.hostname)) {
    return ['Use the Slack incoming webhook URL, which starts with https://hooks.slack.com/services/ (Slack app > Incoming Webhooks > Copy).'];
  }
  if (url.pathname.startsWith('/triggers/')) {
    return [
      'This is a Slack Workflow Builder trigger URL, which accepts only its workflow variables. Create an incoming webhook instead (Slack app > Incoming Webhooks) and paste its https://hooks.slack.com/services/... URL.',
    ];
  }
  const problems: string[] = [];
  if (url.port !== '') problems.push('Remove the port: Slack incoming webhooks are served on the default port 443.');
  if (url.search !== '' || url.hash !== '') problems.push('Remove the ?query or #fragment: a Slack incoming webhook URL has neither.');
  if (!INCOMING_WEBHOOK_PATH.test(url.pathname)) {
    problems.push('The path must look like /services/T.../B.../<token>, as Slack shows it; copy the whole URL again from Slack.');
  }
  return problems;
}
