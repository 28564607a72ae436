import { z } from 'zod';
import { buildAuthorization } from '../domain/webhook/authorization-rules';
import { headerListProblems } from '../domain/webhook/header-rules';
import {
  BATCH_EVENTS_MAX,
  HEADERS_MAX,
  SECRETS_MAX_ACTIVE,
  SECRET_GRACE_MAX_HOURS,
  TIMEOUT_MAX_SECONDS,
  TIMEOUT_MIN_SECONDS,
} from '../domain/webhook/limits';
import { HTTP_METHODS, MASK_MODES, SIGNING_MODES, WEBHOOK_KINDS, type FieldProblem } from '../domain/webhook/model';
import { nameProblem } from '../domain/webhook/name-rules';
import { anySecretProblem, secretLabelProblem } from '../domain/webhook/secret-rules';
import { signatureHeaderProblem } from '../domain/webhook/signing-rules';
import { commonUrlProblems } from '../domain/webhook/url-rules';
import { flag, idOf, inputObject, oneOf, text, wholeNumber } from './fields';
import { TEMPLATE_LIMITS } from '../domain/templates/limits';
import { filtersSchema } from './webhook-filters';
import { retryPolicySchema } from './retry-policy-input';

/**
 * Inputs of webhooks.* as zod schemas. Single-field rules from domain/webhook run here, so the admin
 * page shows the same messages before sending; rules that need stored state (unique names, egress,
 * the event catalogue, secret counts across an update) run in the use case.
 */

const addProblems = (ctx: z.RefinementCtx, problems: readonly FieldProblem[]): void => {
  for (const problem of problems) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
};
const rule =
  <T>(check: (value: T) => string | undefined) =>
  (value: T, ctx: z.RefinementCtx): void => {
    const message = check(value);
    if (message !== undefined) ctx.addIssue({ code: 'custom', message });
  };

export const webhookIdSchema = idOf('webhook');
export const secretIdSchema = idOf('secret');

export const webhookNameSchema = text('a name').trim().superRefine(rule(nameProblem));

export const webhookUrlSchema = text('the receiver URL').superRefine((url, ctx) => {
  for (const message of commonUrlProblems(url)) ctx.addIssue({ code: 'custom', message });
});

export const eventsSchema = z
  .array(text('an event type').min(1, { error: 'Remove the empty event type.' }).max(200, { error: 'Event types are at most 200 characters.' }), {
    error: 'Send events as a list of event types, or ["*"] for all.',
  })
  .min(1, { error: 'Choose at least one event type, or ["*"] for all of them.' })
  .max(500, { error: 'List at most 500 event types, or use ["*"] for all.' });

export const webhookKindSchema = oneOf('the kind', WEBHOOK_KINDS);
export const httpMethodSchema = oneOf('the HTTP method', HTTP_METHODS);
export const timeoutSecondsSchema = wholeNumber('the timeout in seconds', TIMEOUT_MIN_SECONDS, TIMEOUT_MAX_SECONDS);
export const maskUrlSchema = oneOf('what to mask in the URL', MASK_MODES);

export const signingSchema = z
  .strictObject(
    {
      mode: oneOf('the signing mode', SIGNING_MODES),
      header: text('the signature header name').optional(),
    },
    { error: 'Send signing as { mode, header? }, e.g. { "mode": "standard" }.' },
  )
  .superRefine((signing, ctx) => {
    if (signing.header === undefined) return;
    if (signing.mode !== 'base64-list') {
      ctx.addIssue({ code: 'custom', path: ['header'], message: `Remove header: only base64-list signing uses a header you name (${signing.mode} uses fixed headers).` });
      return;
    }
    const problem = signatureHeaderProblem(signing.header);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['header'], message: problem });
  });

export const secretValueSchema = text('the secret (whsec_...)').superRefine(rule(anySecretProblem));

export const authorizationInputSchema = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('raw'), value: text('the Authorization value, "<scheme> <credentials>"') }),
      z.strictObject({ type: z.literal('basic'), username: text('the user name'), password: text('the password') }),
      z.strictObject({ type: z.literal('bearer'), token: text('the token') }),
    ],
    { error: "Choose the authorization type: 'raw', 'basic' or 'bearer'." },
  )
  .superRefine((spec, ctx) => {
    const check = buildAuthorization(spec);
    if (!check.ok) addProblems(ctx, check.problems);
  });

const headerListRules = (headers: readonly { name: string; value?: string }[], ctx: z.RefinementCtx): void => {
  // The signature header is checked against the list in the use case, where signing is known.
  addProblems(ctx, headerListProblems(headers));
};

const headersMax = { error: `Use at most ${HEADERS_MAX} headers.` };

export const headerInputSchema = z.strictObject(
  {
    name: text('the header name'),
    value: text('the header value'),
    sensitive: flag('the value is sensitive').optional(),
  },
  { error: 'Send each header as { name, value, sensitive? }.' },
);
export const headersSchema = z.array(headerInputSchema, { error: 'Send headers as a list of { name, value, sensitive? }.' }).max(HEADERS_MAX, headersMax).superRefine(headerListRules);

/** In an update a sensitive header may come without value: the stored value is kept. */
export const headerUpdateSchema = headerInputSchema.extend({ value: text('the header value').optional() });
export const headersUpdateSchema = z.array(headerUpdateSchema, { error: 'Send headers as a list of { name, value?, sensitive? }.' }).max(HEADERS_MAX, headersMax).superRefine(headerListRules);

export const secretLabelSchema = text('the secret label').trim().superRefine(rule(secretLabelProblem));

const NEW_SECRET_SHAPE = 'Enter each new secret as text ("whsec_...") or as { value: "whsec_...", label?: "Rotation Nov 2026" }.';

/**
 * A new secret: its value alone (as before labels), or { value, label? }. Checked by hand after the shape,
 * so each problem keeps its own path (secretsAdd.0 for the value, secretsAdd.0.label for the label).
 */
export const secretAddSchema = z
  .union([z.string(), z.strictObject({ value: z.string(), label: z.string().optional() })], { error: NEW_SECRET_SHAPE })
  .superRefine((secret, ctx) => {
    const value = typeof secret === 'string' ? secret : secret.value;
    const valueProblem = anySecretProblem(value);
    if (valueProblem !== undefined) ctx.addIssue({ code: 'custom', message: valueProblem, path: [] });
    const label = typeof secret === 'string' ? undefined : secret.label?.trim();
    const labelProblem = label === undefined ? undefined : secretLabelProblem(label);
    if (labelProblem !== undefined) ctx.addIssue({ code: 'custom', message: labelProblem, path: ['label'] });
  })
  .transform((secret): { value: string; label?: string } => {
    if (typeof secret === 'string') return { value: secret };
    const label = secret.label?.trim();
    return label === undefined ? { value: secret.value } : { value: secret.value, label };
  });

const secretsMax = { error: `Use at most ${SECRETS_MAX_ACTIVE} secrets per webhook.` };
export const secretsSchema = z.array(secretAddSchema, { error: 'Send secrets as a list of whsec_... texts, or of { value, label? } objects.' }).max(SECRETS_MAX_ACTIVE, secretsMax);

export const secretRenameSchema = z.strictObject(
  { id: idOf('secret'), label: secretLabelSchema },
  { error: 'Send each rename as { id, label }, e.g. { "id": "sec_...", "label": "Rotation Nov 2026" }.' },
);

/**
 * A kind's own settings (webhooks.list `destinations[].fields`); the kind's schema checks them in the use
 * case, which knows the kind. In an update, a secret setting left out keeps its stored value and null
 * clears a setting.
 */
const settingValueSchema = z.union([z.string(), z.number()], { error: 'Send each setting as text or a number.' });
export const settingsInputSchema = z
  .record(z.string().max(100), settingValueSchema, { error: 'Send settings as an object of the fields the destination kind lists.' })
  .refine((settings) => Object.keys(settings).length <= 50, { error: 'Send at most 50 settings.' });
export const settingsUpdateSchema = z
  .record(z.string().max(100), settingValueSchema.nullable(), { error: 'Send settings as an object of the fields the destination kind lists (null clears one).' })
  .refine((settings) => Object.keys(settings).length <= 50, { error: 'Send at most 50 settings.' });
/** Events per request for kinds that batch; the kind's maximum is checked in the use case. */
export const batchEventsSchema = wholeNumber('the events per request', 1, BATCH_EVENTS_MAX);

/** A payload template (JSONata); its syntax and limits are checked in the use case, against samples of the subscribed events. */
export const templateSchema = text('the template').max(TEMPLATE_LIMITS.maxTemplateChars, { error: `Shorten the template to at most ${TEMPLATE_LIMITS.maxTemplateChars} characters.` });

export const createWebhookInputSchema = inputObject({
  kind: webhookKindSchema,
  name: webhookNameSchema,
  /** Required for kinds whose URL the admin enters; left out for kinds that build it (Datadog). */
  url: webhookUrlSchema.optional(),
  events: eventsSchema,
  enabled: flag('the webhook is enabled').optional(),
  method: httpMethodSchema.optional(),
  timeoutSeconds: timeoutSecondsSchema.optional(),
  signing: signingSchema.optional(),
  secrets: secretsSchema.optional(),
  authorization: authorizationInputSchema.optional(),
  headers: headersSchema.optional(),
  maskUrl: maskUrlSchema.optional(),
  settings: settingsInputSchema.optional(),
  batchEvents: batchEventsSchema.optional(),
  /** A payload template (JSONata) for custom webhooks (docs/destinations.md "Payload templates"). */
  template: templateSchema.optional(),
  /** Projects, issue types and actors to include or exclude (docs/admin-api.md "Filters"). */
  filters: filtersSchema.optional(),
  /** How failed deliveries are retried (docs/admin-api.md "Retry policy"); absent: the default schedule. */
  retryPolicy: retryPolicySchema.optional(),
});

export const secretRemovalSchema = z.strictObject(
  {
    id: secretIdSchema,
    graceHours: wholeNumber('the grace period in hours', 0, SECRET_GRACE_MAX_HOURS).optional(),
  },
  { error: 'Send each removal as { id, graceHours? }.' },
);

export const updateWebhookInputSchema = inputObject({
  id: webhookIdSchema,
  version: z.int({ error: 'Send the version you last read (webhook.version), so concurrent edits are not lost.' }).min(1, { error: 'Send the version you last read (webhook.version), a whole number from 1.' }),
  name: webhookNameSchema.optional(),
  url: webhookUrlSchema.optional(),
  events: eventsSchema.optional(),
  enabled: flag('the webhook is enabled').optional(),
  method: httpMethodSchema.optional(),
  timeoutSeconds: timeoutSecondsSchema.optional(),
  signing: signingSchema.optional(),
  maskUrl: maskUrlSchema.optional(),
  /** null clears the Authorization header; absent keeps it. */
  authorization: authorizationInputSchema.nullable().optional(),
  headers: headersUpdateSchema.optional(),
  secretsAdd: secretsSchema.optional(),
  /** Renames secrets: [{ id, label }]. */
  secretsLabel: z.array(secretRenameSchema, { error: 'Send secretsLabel as a list of { id, label }.' }).max(SECRETS_MAX_ACTIVE, secretsMax).optional(),
  secretsRemove: z.array(secretRemovalSchema, { error: 'Send secretsRemove as a list of { id, graceHours? }.' }).max(SECRETS_MAX_ACTIVE, secretsMax).optional(),
  settings: settingsUpdateSchema.optional(),
  /** null goes back to the kind's default. */
  batchEvents: batchEventsSchema.nullable().optional(),
  /** null removes the template (the default body again); absent keeps it. */
  template: templateSchema.nullable().optional(),
  /** null (or lists left empty) removes the filters; absent keeps them. */
  filters: filtersSchema.nullable().optional(),
  /** null (or { mode: 'default' }) goes back to the default schedule; absent keeps the policy. */
  retryPolicy: retryPolicySchema.nullable().optional(),
});

export const webhookIdInputSchema = inputObject({ id: webhookIdSchema });

export type CreateWebhookInput = z.input<typeof createWebhookInputSchema>;
export type UpdateWebhookInput = z.input<typeof updateWebhookInputSchema>;
export type WebhookIdInput = z.input<typeof webhookIdInputSchema>;
export type AuthorizationInput = z.input<typeof authorizationInputSchema>;
export type HeaderInput = z.input<typeof headerInputSchema>;
export type HeaderUpdateInput = z.input<typeof headerUpdateSchema>;
export type SigningInput = z.input<typeof signingSchema>;
export type SecretRemovalInput = z.input<typeof secretRemovalSchema>;
export type SecretAddInput = z.input<typeof secretAddSchema>;
export type SecretRenameInput = z.input<typeof secretRenameSchema>;
