import { ApiFailure } from '../../contract/envelope';
import type { AdminParsedInput } from '../../contract/functions';
import type { EndpointHealth } from '../../domain/delivery/health';
import { buildAuthorization } from '../../domain/webhook/authorization-rules';
import { constantTimeEqual } from '../../domain/webhook/constant-time';
import { isCredentialHeaderName } from '../../domain/webhook/header-rules';
import { SECRET_GRACE_DEFAULT_HOURS, SECRETS_MAX_ACTIVE } from '../../domain/webhook/limits';
import type { MaskMode } from '../../domain/webhook/model';
import { defaultSecretLabel, previewSecret, secretFingerprint } from '../../domain/webhook/secret-rules';
import { originOf, sameOrigin } from '../../domain/webhook/origin';
import { normaliseSigning } from '../../domain/webhook/signing-rules';
import type { DestinationModule } from '../../domain/destinations/contract';
import { UnknownDestinationError, destinationModule } from '../../domain/destinations/registry';
import { effectiveMaskMode } from '../../domain/destinations/url-check';
import { maskUrl } from '../../domain/webhook/url-masking';
import { auditSnapshot, diffSnapshots, hiddenChange } from './audit-snapshot';
import type { ConfigAuditType, ConfigChange } from './config-audit';
import { checkAuthorizationFree, urlOf, type PlanContext } from './plan-create';
import { checkBatchEvents, mergedSettings, planSettings } from './kind-settings';
import { Problems } from './problems';
import { addTemplateProblems } from './template-check';
import { checkKeptSecretsForMode, checkNewSecretsForMode } from './secret-mode-check';
import { checkCredentialsFollowOrigin, checkEvents, checkHeadersAgainstSigning, checkKindUsesOnly, checkUniqueName, checkUrl } from './webhook-checks';
import { isActiveSecret, type SecretMetadata, type StoredHeader, type WebhookRecord, type WebhookSecretMaterial } from './webhook-record';
import { isEffectivelyEnabled } from './webhook-repository';

export interface UpdatePlan {
  record: WebhookRecord;
  material: WebhookSecretMaterial;
  /** Re-enabling starts from a clean slate: the engine's failure run and auto-disable are forgotten. */
  resetHealth: boolean;
  audit: { type: ConfigAuditType; changes: ConfigChange[] }[];
}

type UpdateInput = AdminParsedInput<'webhooks.update'>;

const MASK_STRENGTH: Record<MaskMode, number> = { none: 0, query: 1, 'path-and-query': 2 };

/**
 * Applies an update to the stored webhook: checks version, then every rule, then builds the next
 * record and material. Throws CONFLICT, VALIDATION or LIMIT before anything is written. Answers
 * undefined when the update changes nothing (no version bump, no audit event).
 */
export function planUpdate(
  current: WebhookRecord,
  health: EndpointHealth,
  material: WebhookSecretMaterial,
  input: UpdateInput,
  ctx: PlanContext,
): UpdatePlan | undefined {
  if (input.version !== current.version) {
    throw new ApiFailure(
      'CONFLICT',
      `This webhook changed since you loaded it (you sent version ${input.version}, it is now version ${current.version}). Reload it and apply your change again.`,
      { version: `Reload: the current version is ${current.version}.` },
    );
  }
  const problems = new Problems();
  const now = ctx.now;
  const at = now.toISOString();

  if (input.name !== undefined && input.name !== current.name) checkUniqueName(problems, input.name, ctx.others);
  const kind = knownKind(current.kind);
  const storedSettings = { ...(current.settings ? { settings: current.settings } : {}), ...(material.credentials ? { credentials: material.credentials } : {}) };
  const kindSettings = planSettings(problems, kind, input.settings, storedSettings);
  const rulesSettings = kindSettings ? mergedSettings(kindSettings) : {};
  const settingsChanged = input.settings !== undefined && kindSettings !== undefined && JSON.stringify(rulesSettings) !== JSON.stringify(mergedSettings(storedSettings));
  // A derived URL follows its settings; an entered one is checked again when it or the settings change.
  const newUrl = kind.common.url === 'derived' ? urlOf(problems, kind, input.url, settingsChanged ? rulesSettings : undefined) : input.url;
  if (newUrl !== undefined && (newUrl !== material.url || settingsChanged)) checkUrl(problems, newUrl, kind, rulesSettings, ctx.egress, kind.common.url === 'derived' ? ['settings'] : ['url']);
  else if (settingsChanged) checkUrl(problems, material.url, kind, rulesSettings, ctx.egress, ['settings']);
  if (newUrl === undefined && material.url === '') problems.add(['url'], 'Enter the URL again: its stored copy is missing.');
  if (input.maskUrl !== undefined && input.url === undefined && MASK_STRENGTH[input.maskUrl] < MASK_STRENGTH[current.maskUrl]) {
    // Unmasking would reveal what was hidden when saved (a token in the query or path): re-entering
    // the URL proves the admin already knows it.
    problems.add(['maskUrl'], 'Enter the URL again to show more of it: parts hidden when it was saved stay hidden until the URL is re-entered.');
  }
  const events = input.events !== undefined ? checkEvents(problems, input.events, ctx.catalogue) : current.events;
  const signing = input.signing !== undefined ? normaliseSigning(input.signing) : current.signing;

  checkKindUsesOnly(
    problems,
    kind,
    {
      secrets: (input.secretsAdd ?? []).length > 0,
      authorization: input.authorization != null,
      headers: (input.headers ?? []).length > 0,
      signing: input.signing !== undefined && input.signing.mode !== current.signing.mode,
      method: input.method,
    },
    { secrets: 'secretsAdd' },
  );
  const keepsAuthorization = input.authorization !== null && (input.authorization !== undefined || current.authorization !== null);
  if (kindSettings && keepsAuthorization) checkAuthorizationFree(problems, kind, rulesSettings);
  checkBatchEvents(problems, kind, input.batchEvents);
  addTemplateProblems(problems, kind, ctx.template, input.template);

  const headers = input.headers !== undefined ? nextHeaders(problems, input.headers, current.headers, material.sensitiveHeaders) : undefined;
  checkHeadersAgainstSigning(problems, headers?.stored ?? current.headers, signing);

  const authorization = input.authorization ? buildAuthorization(input.authorization) : undefined;
  checkOriginMove(problems, current, material, { ...input, ...(newUrl === undefined ? {} : { url: newUrl }) });
  if (newUrl !== undefined && !Object.hasOwn(problems.fields, 'url') && !sameOrigin(newUrl, material.url)) {
    // Like the Authorization and sensitive headers: a saved credential setting never follows the URL to another origin.
    for (const key of current.secretSettings ?? []) {
      if (input.settings?.[key] === undefined) problems.add(['settings', key], `Enter ${labelOf(kind, key)} again for ${originOf(newUrl) ?? 'the new URL'}, or clear it: the URL moves to another origin, and the app sends a saved credential only to the origin it was given for.`);
    }
  }
  const secrets = nextSecrets(problems, current.secrets, material.secrets, input, ctx);
  checkNewSecretsForMode(problems, 'secretsAdd', (input.secretsAdd ?? []).map((secret) => secret.value), signing.mode);
  if (signing.mode !== current.signing.mode) {
    const labels = new Map(secrets.metadata.map((secret, position) => [secret.id, secret.label ?? `Secret ${position + 1}`]));
    const kept = secrets.material.filter((entry) => !secrets.added.some((added) => added.id === entry.id));
    checkKeptSecretsForMode(problems, kept.map((entry) => ({ label: labels.get(entry.id) ?? 'a secret', value: entry.value })), signing.mode);
  }
  problems.throwIfAny();

  if (!kindSettings) throw new Error('planUpdate: checks passed without settings');
  const url = newUrl ?? material.url;
  const mode = effectiveMaskMode(current.kind, input.maskUrl ?? current.maskUrl);
  const displayUrl = maskUrl(url, mode);
  const wasEnabled = isEffectivelyEnabled(current, health);
  const enable = input.enabled === true && !wasEnabled;
  const disable = input.enabled === false && current.enabled;

  const nextMaterial: WebhookSecretMaterial = {
    url,
    secrets: secrets.material,
    ...(input.authorization === null
      ? {}
      : authorization?.ok
        ? { authorization: authorization.value }
        : material.authorization !== undefined
          ? { authorization: material.authorization }
          : {}),
    sensitiveHeaders: headers?.sensitiveValues ?? material.sensitiveHeaders,
    ...(kindSettings.secretKeys.length > 0 ? { credentials: kindSettings.credentials } : {}),
  };
  const next: WebhookRecord = {
    ...current,
    name: input.name ?? current.name,
    events,
    enabled: enable ? true : disable ? false : current.enabled,
    method: input.method ?? current.method,
    timeoutSeconds: input.timeoutSeconds ?? current.timeoutSeconds,
    signing,
    maskUrl: mode,
    displayUrl,
    urlMasked: displayUrl !== url,
    secrets: secrets.metadata,
    authorization: input.authorization === null ? null : authorization?.ok ? { scheme: authorization.scheme } : current.authorization,
    headers: headers?.stored ?? current.headers,
    settings: kindSettings.settings,
    secretSettings: kindSettings.secretKeys,
  };
  if (input.batchEvents === null) delete next.batchEvents;
  else if (input.batchEvents !== undefined) next.batchEvents = input.batchEvents;
  if (input.template === null) delete next.template;
  else if (input.template !== undefined) next.template = input.template;
  // null, or lists that normalise to nothing, remove the filters; absent keeps them.
  if (input.filters === null || (input.filters === undefined && 'filters' in input)) delete next.filters;
  else if (input.filters !== undefined) next.filters = input.filters;
  if (input.retryPolicy === null || input.retryPolicy?.mode === 'default') delete next.retryPolicy;
  else if (input.retryPolicy !== undefined) next.retryPolicy = input.retryPolicy;
  if (enable) delete next.disabledAt;
  if (disable) next.disabledAt = at;

  const audit: UpdatePlan['audit'] = [];
  const changes = [...diffSnapshots(auditSnapshot(current), auditSnapshot(next)), ...hiddenChanges(current, next, material, nextMaterial)];
  if (changes.length > 0) audit.push({ type: 'webhook.updated', changes });
  if (enable) audit.push({ type: 'webhook.enabled', changes: [{ field: 'enabled', from: false, to: true }] });
  if (disable && wasEnabled) audit.push({ type: 'webhook.disabled', changes: [{ field: 'enabled', from: true, to: false }] });
  for (const secret of secrets.added) audit.push({ type: 'webhook.secret_added', changes: [{ field: 'secrets', to: secret.id }] });
  for (const removal of secrets.removed) {
    audit.push({ type: 'webhook.secret_removed', changes: [{ field: 'secrets', from: removal.id, to: removal.expiresAt ? `expires ${removal.expiresAt}` : null }] });
  }
  for (const rename of secrets.renamed) audit.push({ type: 'webhook.updated', changes: [{ field: `secrets.${rename.id}.label`, from: rename.from, to: rename.to }] });
  const recordChanged = JSON.stringify(next) !== JSON.stringify(current);
  if (audit.length === 0 && !recordChanged && JSON.stringify(nextMaterial) === JSON.stringify(material)) return undefined;
  // Secrets stored before labels and fingerprints get them now that their values are at hand; only on a
  // write the admin asked for, so an update that changes nothing still writes nothing.
  const withMetadata = { ...next, secrets: completeSecretMetadata(next.secrets, nextMaterial.secrets) };
  return { record: { ...withMetadata, version: current.version + 1, updatedAt: at }, material: nextMaterial, resetHealth: enable, audit };
}

/**
 * A URL on another origin takes no saved credential along: each one the update would keep (Authorization
 * absent from the input, a sensitive header without value, or headers absent) must be restated or removed.
 * Checked only for a URL that is otherwise valid, so a typo is reported alone.
 */
function checkOriginMove(problems: Problems, current: WebhookRecord, material: WebhookSecretMaterial, input: UpdateInput): void {
  const to = input.url !== undefined ? originOf(input.url) : undefined;
  if (input.url === undefined || to === undefined || Object.hasOwn(problems.fields, 'url') || sameOrigin(input.url, material.url)) return;
  const storedSensitive = (name: string): boolean =>
    current.headers.some((header) => header.sensitive && header.name.toLowerCase() === name.toLowerCase() && material.sensitiveHeaders[header.name] !== undefined);
  const keptHeaders =
    input.headers === undefined
      ? current.headers.flatMap((header, index) => (header.sensitive ? [{ path: ['headers', index, 'value'], name: header.name }] : []))
      : input.headers.flatMap((header, index) => (header.value === undefined && storedSensitive(header.name) ? [{ path: ['headers', index, 'value'], name: header.name }] : []));
  checkCredentialsFollowOrigin(
    problems,
    { from: originOf(material.url), to },
    { authorization: input.authorization === undefined && material.authorization !== undefined, headers: keptHeaders },
  );
}

/**
 * The replacement header list. A sensitive header sent without value keeps its stored value, so the
 * admin page never needs to know it; un-hiding a value requires typing it again.
 */
function nextHeaders(
  problems: Problems,
  input: NonNullable<UpdateInput['headers']>,
  current: readonly StoredHeader[],
  sensitiveValues: Readonly<Record<string, string>>,
): { stored: StoredHeader[]; sensitiveValues: Record<string, string> } {
  const stored: StoredHeader[] = [];
  const values: Record<string, string> = {};
  input.forEach((header, index) => {
    // A header named like a credential stays write-only whatever `sensitive` says.
    const credential = isCredentialHeaderName(header.name);
    if (header.value !== undefined) {
      const sensitive = (header.sensitive ?? false) || credential;
      stored.push(sensitive ? { name: header.name, sensitive } : { name: header.name, sensitive, value: header.value });
      if (sensitive) values[header.name] = header.value;
      return;
    }
    const existing = current.find((candidate) => candidate.name.toLowerCase() === header.name.toLowerCase());
    const kept = existing?.sensitive ? sensitiveValues[existing.name] : undefined;
    if (kept === undefined) {
      problems.add(['headers', index, 'value'], 'Enter the header value: only a saved sensitive header may be sent without one.');
    } else if (header.sensitive === false && !credential) {
      problems.add(['headers', index, 'value'], 'Enter the value again to make this header non-sensitive.');
    } else {
      stored.push({ name: header.name, sensitive: true });
      values[header.name] = kept;
    }
  });
  return { stored, sensitiveValues: values };
}

interface SecretsPlan {
  metadata: SecretMetadata[];
  material: { id: string; value: string }[];
  added: SecretMetadata[];
  removed: { id: string; expiresAt?: string }[];
  renamed: { id: string; from: string; to: string }[];
}

/** Fills in the label ("Secret N", as the view showed it) and fingerprint of secrets stored before they existed. */
function completeSecretMetadata(metadata: readonly SecretMetadata[], values: readonly { id: string; value: string }[]): SecretMetadata[] {
  return metadata.map((secret, index) => {
    const value = values.find((entry) => entry.id === secret.id)?.value;
    return {
      ...secret,
      label: secret.label ?? `Secret ${index + 1}`,
      ...(secret.fingerprint === undefined && value !== undefined ? { fingerprint: secretFingerprint(value) } : {}),
    };
  });
}

/** Removals first (graceHours 0 frees a slot at once), then additions, then the active-count limit. */
function nextSecrets(
  problems: Problems,
  current: readonly SecretMetadata[],
  values: readonly { id: string; value: string }[],
  input: UpdateInput,
  ctx: PlanContext,
): SecretsPlan {
  const at = ctx.now.toISOString();
  // Expired secrets are dropped on every write, so storage never keeps a secret longer than needed.
  let metadata = current.filter((secret) => isActiveSecret(secret, ctx.now));
  const removed: SecretsPlan['removed'] = [];
  (input.secretsRemove ?? []).forEach((removal, index) => {
    if (!metadata.some((secret) => secret.id === removal.id)) {
      problems.add(['secretsRemove', index, 'id'], 'No active secret has this id; reload the webhook to see its secrets.');
      return;
    }
    const graceHours = removal.graceHours ?? SECRET_GRACE_DEFAULT_HOURS;
    if (graceHours === 0) {
      metadata = metadata.filter((secret) => secret.id !== removal.id);
      removed.push({ id: removal.id });
    } else {
      const expiresAt = new Date(ctx.now.getTime() + graceHours * 3_600_000).toISOString();
      metadata = metadata.map((secret) => (secret.id === removal.id ? { ...secret, expiresAt } : secret));
      removed.push({ id: removal.id, expiresAt });
    }
  });

  const renamed: SecretsPlan['renamed'] = [];
  (input.secretsLabel ?? []).forEach((rename, index) => {
    const position = metadata.findIndex((secret) => secret.id === rename.id);
    const secret = metadata[position];
    if (secret === undefined) {
      problems.add(['secretsLabel', index, 'id'], 'No active secret has this id; reload the webhook to see its secrets.');
      return;
    }
    const from = secret.label ?? `Secret ${position + 1}`;
    if (from === rename.label) return;
    metadata = metadata.map((candidate) => (candidate.id === rename.id ? { ...candidate, label: rename.label } : candidate));
    renamed.push({ id: rename.id, from, to: rename.label });
  });

  const keptValues = values.filter((entry) => metadata.some((secret) => secret.id === entry.id));
  const adds = input.secretsAdd ?? [];
  const material = [...keptValues];
  const added: SecretMetadata[] = [];
  const taken = (): string[] => [...metadata, ...added].map((secret, position) => secret.label ?? `Secret ${position + 1}`);
  const givenLabels = adds.flatMap((add) => (add.label === undefined ? [] : [add.label]));
  adds.forEach(({ value, label }, index) => {
    if (adds.slice(0, index).some((earlier) => constantTimeEqual(earlier.value, value))) {
      problems.add(['secretsAdd', index], 'This secret is listed twice; keep one.');
    } else if (values.some((entry) => constantTimeEqual(entry.value, value))) {
      problems.add(['secretsAdd', index], 'This webhook already has this secret; generate a new one.');
    } else {
      const position = metadata.length + added.length + 1;
      const secret: SecretMetadata = {
        id: ctx.ids.id('sec'),
        preview: previewSecret(value),
        label: label ?? defaultSecretLabel(position, [...taken(), ...givenLabels]),
        fingerprint: secretFingerprint(value),
        createdAt: at,
      };
      added.push(secret);
      material.push({ id: secret.id, value });
    }
  });
  const activeCount = metadata.length + added.length;
  if (activeCount > SECRETS_MAX_ACTIVE && Object.keys(problems.fields).length === 0) {
    throw new ApiFailure(
      'LIMIT',
      `This webhook would have ${activeCount} active secrets; at most ${SECRETS_MAX_ACTIVE} may sign at once. Remove one first (secretsRemove with graceHours 0 removes it at once).`,
      { secretsAdd: `At most ${SECRETS_MAX_ACTIVE} active secrets, including those still in their grace period.` },
    );
  }
  return { metadata: [...metadata, ...added], material, added, removed, renamed };
}

/** The registry module of a stored webhook's kind; a kind this version does not know is refused, never defaulted. */
const knownKind = (kind: string): DestinationModule => {
  try {
    return destinationModule(kind);
  } catch (error) {
    if (!(error instanceof UnknownDestinationError)) throw error;
    throw new ApiFailure('VALIDATION', `${error.message} Update the app to the version that created this webhook, or delete it.`, { kind: error.message });
  }
};

const labelOf = (kind: DestinationModule, key: string): string => kind.fields.find((field) => field.key === key)?.label ?? key;

/** Changes hidden behind masks: say that they happened, never the values. */
function hiddenChanges(current: WebhookRecord, next: WebhookRecord, before: WebhookSecretMaterial, after: WebhookSecretMaterial): ConfigChange[] {
  const changes: ConfigChange[] = [];
  if (next.displayUrl === current.displayUrl && !constantTimeEqual(before.url, after.url)) changes.push(hiddenChange('url', next.displayUrl));
  const scheme = next.authorization?.scheme ?? null;
  if (scheme !== null && scheme === (current.authorization?.scheme ?? null) && !constantTimeEqual(before.authorization ?? '', after.authorization ?? '')) {
    changes.push(hiddenChange('authorization', scheme));
  }
  for (const [key, value] of Object.entries(after.credentials ?? {})) {
    const old = before.credentials?.[key];
    if (old !== undefined && !constantTimeEqual(old, value)) changes.push(hiddenChange(`settings.${key}`, '•••'));
  }
  for (const [name, value] of Object.entries(after.sensitiveHeaders)) {
    const old = before.sensitiveHeaders[name];
    if (old !== undefined && !constantTimeEqual(old, value)) changes.push(hiddenChange(`headers.${name}`, '•••'));
  }
  return changes;
}
