import type { AdminParsedInput } from '../../contract/functions';
import { buildAuthorization } from '../../domain/webhook/authorization-rules';
import { TIMEOUT_DEFAULT_SECONDS } from '../../domain/webhook/limits';
import { constantTimeEqual } from '../../domain/webhook/constant-time';
import { isCredentialHeaderName } from '../../domain/webhook/header-rules';
import { defaultSecretLabel, previewSecret, secretFingerprint } from '../../domain/webhook/secret-rules';
import { normaliseSigning } from '../../domain/webhook/signing-rules';
import type { DestinationModule, Settings } from '../../domain/destinations/contract';
import { destinationModule } from '../../domain/destinations/registry';
import { effectiveMaskMode } from '../../domain/destinations/url-check';
import { maskUrl } from '../../domain/webhook/url-masking';
import { commonUrlProblems } from '../../domain/webhook/url-rules';
import type { EgressPolicy, IdSource } from '../ports';
import { auditSnapshot } from './audit-snapshot';
import type { ConfigChange } from './config-audit';
import { Problems } from './problems';
import { checkBatchEvents, mergedSettings, planSettings } from './kind-settings';
import { checkEvents, checkHeadersAgainstSigning, checkKindUsesOnly, checkUniqueName, checkUrl } from './webhook-checks';
import type { WebhookRecord, WebhookSecretMaterial } from './webhook-record';
import { addTemplateProblems, type TemplateCheck } from './template-check';
import { checkNewSecretsForMode } from './secret-mode-check';

export interface PlanContext {
  now: Date;
  ids: IdSource;
  egress: EgressPolicy;
  catalogue: readonly string[];
  /** The other stored webhooks (for unique names). */
  others: readonly WebhookRecord[];
  /** The payload template run over samples of the subscribed events (template-check.ts), when the save has one. */
  template?: TemplateCheck;
}

export interface CreatePlan {
  record: WebhookRecord;
  material: WebhookSecretMaterial;
  changes: ConfigChange[];
}

/** Validates a create against stored state and builds what to store; throws VALIDATION before any write. */
export function planCreate(input: AdminParsedInput<'webhooks.create'>, ctx: PlanContext): CreatePlan {
  const problems = new Problems();
  const kind = destinationModule(input.kind);
  const kindSettings = planSettings(problems, kind, input.settings);
  const rulesSettings = kindSettings ? mergedSettings(kindSettings) : {};
  const url = urlOf(problems, kind, input.url, kindSettings && rulesSettings);
  if (url !== undefined) checkUrl(problems, url, kind, rulesSettings, ctx.egress, kind.common.url === 'derived' ? ['settings'] : ['url']);
  checkUniqueName(problems, input.name, ctx.others);
  const events = checkEvents(problems, input.events, ctx.catalogue);
  const signing = normaliseSigning(input.signing);
  const headers = input.headers ?? [];
  const secrets = input.secrets ?? [];
  checkKindUsesOnly(
    problems,
    kind,
    { secrets: secrets.length > 0, authorization: input.authorization !== undefined, headers: headers.length > 0, signing: input.signing !== undefined, method: input.method },
    { secrets: 'secrets' },
  );
  if (kindSettings && input.authorization !== undefined) checkAuthorizationFree(problems, kind, rulesSettings);
  checkBatchEvents(problems, kind, input.batchEvents);
  addTemplateProblems(problems, kind, ctx.template, input.template);
  checkHeadersAgainstSigning(problems, headers, signing);
  secrets.forEach((secret, index) => {
    if (secrets.slice(0, index).some((earlier) => constantTimeEqual(earlier.value, secret.value))) {
      problems.add(['secrets', index], 'This secret is listed twice; keep one.');
    }
  });
  checkNewSecretsForMode(problems, 'secrets', secrets.map((secret) => secret.value), signing.mode);
  const authorization = input.authorization ? buildAuthorization(input.authorization) : undefined;
  problems.throwIfAny();
  if (url === undefined || !kindSettings) throw new Error('planCreate: checks passed without a URL or settings');

  const at = ctx.now.toISOString();
  const mode = effectiveMaskMode(input.kind, input.maskUrl ?? 'none');
  const displayUrl = maskUrl(url, mode);
  const secretEntries = secrets.map((secret) => ({ id: ctx.ids.id('sec'), value: secret.value }));
  const given = secrets.flatMap((secret) => (secret.label === undefined ? [] : [secret.label]));
  const labels: string[] = [];
  secrets.forEach((secret, index) => labels.push(secret.label ?? defaultSecretLabel(index + 1, [...given, ...labels])));
  const record: WebhookRecord = {
    schema: 1,
    id: ctx.ids.id('wh'),
    version: 1,
    kind: input.kind,
    name: input.name,
    events,
    enabled: input.enabled ?? true,
    ...(input.enabled === false ? { disabledAt: at } : {}),
    method: input.method ?? 'POST',
    timeoutSeconds: input.timeoutSeconds ?? TIMEOUT_DEFAULT_SECONDS,
    signing,
    maskUrl: mode,
    displayUrl,
    urlMasked: displayUrl !== url,
    secrets: secretEntries.map((secret, index) => ({
      id: secret.id,
      preview: previewSecret(secret.value),
      label: labels[index] ?? `Secret ${index + 1}`,
      fingerprint: secretFingerprint(secret.value),
      createdAt: at,
    })),
    authorization: authorization?.ok ? { scheme: authorization.scheme } : null,
    headers: headers.map((header) => (isSensitive(header) ? { name: header.name, sensitive: true } : { name: header.name, sensitive: false, value: header.value })),
    settings: kindSettings.settings,
    secretSettings: kindSettings.secretKeys,
    ...(input.batchEvents === undefined ? {} : { batchEvents: input.batchEvents }),
    ...(input.template === undefined ? {} : { template: input.template }),
    ...(input.filters ? { filters: input.filters } : {}),
    // The default schedule is stored as no policy, so records written before policies read the same.
    ...(input.retryPolicy && input.retryPolicy.mode !== 'default' ? { retryPolicy: input.retryPolicy } : {}),
    createdAt: at,
    updatedAt: at,
  };
  const material: WebhookSecretMaterial = {
    url,
    secrets: secretEntries,
    ...(authorization?.ok ? { authorization: authorization.value } : {}),
    sensitiveHeaders: Object.fromEntries(headers.filter(isSensitive).map((header) => [header.name, header.value])),
    ...(kindSettings.secretKeys.length > 0 ? { credentials: kindSettings.credentials } : {}),
  };
  const snapshot = auditSnapshot(record);
  const changes: ConfigChange[] = [
    ...Object.entries(snapshot).map(([field, to]) => ({ field, to })),
    { field: 'enabled', to: record.enabled },
    { field: 'secrets', to: record.secrets.map((secret) => secret.id) },
  ];
  return { record, material, changes };
}

/**
 * The webhook's URL: entered by the admin, or built by the kind from its settings (Datadog's site).
 * `settings` is undefined when they had problems (then a derived URL cannot be built yet).
 */
export function urlOf(problems: Problems, kind: DestinationModule, given: string | undefined, settings: Settings | undefined): string | undefined {
  if (kind.common.url === 'derived') {
    if (given !== undefined) problems.add(['url'], `Remove url: ${kind.label} builds it from its settings.`);
    return settings && kind.derivedUrl ? kind.derivedUrl(settings) : undefined;
  }
  if (given === undefined) problems.add(['url'], commonUrlProblems('').join(' '));
  return given;
}

/** A kind that authenticates with an OAuth 2.0 token sends the Authorization header itself. */
export function checkAuthorizationFree(problems: Problems, kind: DestinationModule, settings: Settings): void {
  if (kind.auth(settings).type.startsWith('oauth-')) {
    problems.add(['authorization'], 'Remove authorization: the OAuth 2.0 access token is sent as the Authorization header; use one or the other.');
  }
}

/** Marked sensitive, or named like a credential (X-Api-Key...): then the value is write-only either way. */
const isSensitive = (header: { name: string; sensitive?: boolean }): boolean => header.sensitive === true || isCredentialHeaderName(header.name);
