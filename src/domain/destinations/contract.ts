import type { z } from 'zod';
import type { DeliveryOutcome, ReceiverResponse } from '../delivery/outcome';
import type { FormattableEvent } from '../formats/formattable-event';
import type { MaskMode } from '../webhook/model';

/**
 * What one destination kind is, in one place (the shape of hookdeck/outpost's destregistry providers):
 * the settings an admin fills in, the URL rules, the egress it needs, the body it sends for one or many
 * events, how it authenticates, how fast it may be sent to, and what its answers mean. The admin API,
 * the admin page and the delivery engine read kinds only through this contract (registry.ts), so a new
 * destination is one new folder under src/domain/destinations/.
 */

/** A setting value as stored and sent by the admin page. */
export type SettingValue = string | number;
/** A kind's settings: the non-secret ones are stored with the webhook, `secret` fields as its material. */
export type Settings = Readonly<Record<string, SettingValue>>;

/** One field of a kind's settings, as the admin page renders it (the page has no kind-specific code). */
export interface SettingField {
  key: string;
  /** Sentence case, as the form shows it; error messages name the field by this label. */
  label: string;
  /** `secret` is write-only: stored encrypted, never answered back (the view says only that it is set). */
  type: 'text' | 'secret' | 'select' | 'number';
  required: boolean;
  /** One line an admin can act on: where to find the value on the vendor's side. */
  help: string;
  placeholder?: string;
  options?: readonly { value: string; label: string }[];
  /** Used when the admin leaves the field empty. */
  defaultValue?: SettingValue;
  min?: number;
  max?: number;
}

/** Which of the common webhook fields a kind takes; the form shows only these and the API refuses others. */
export interface CommonFields {
  /** `entered`: the admin types the URL; `derived`: the kind builds it from its settings (derivedUrl). */
  url: 'entered' | 'derived';
  urlLabel: string;
  urlHelp: string;
  urlPlaceholder: string;
  /** The HTTP method can be chosen (otherwise POST). */
  method: boolean;
  /** HMAC signing secrets and modes (otherwise the request carries webhook-id and webhook-timestamp only). */
  signing: boolean;
  /** A free Authorization header (raw, basic, bearer). */
  authorization: boolean;
  /** Extra request headers. */
  headers: boolean;
}

/** How many events one request may carry. Kinds without `batch` send one event per request. */
export interface BatchLimits {
  /** Events per request when the webhook does not say (the per-webhook setting `batchEvents`). */
  defaultEvents: number;
  /** The most a webhook may set: the vendor's documented limit, or the size of one delivery job. */
  maxEvents: number;
  /** Bytes of one request body, below the vendor's documented limit. */
  maxBytes: number;
}

/** How hard one webhook may be sent to. */
export interface Pacing {
  /** Requests of one delivery run in flight at once, once the endpoint answered slowly. */
  parallel: number;
  /** Least time between two requests to one webhook (0: none). */
  spacingMs: number;
}

/** One event in a request, with the message id the delivery log knows it by. */
export interface BatchItem {
  msgId: string;
  event: FormattableEvent;
}

/** How a request is authenticated beyond the common fields. */
export type AuthSpec =
  | { type: 'none' }
  /** Headers built from the kind's credentials (Splunk's `Authorization: Splunk <token>`, `DD-API-KEY`). */
  | { type: 'headers'; headers: Readonly<Record<string, string>> }
  /** An OAuth 2.0 client-credentials bearer token, fetched and cached by the delivery engine. */
  | { type: 'oauth-client-credentials'; client: ClientCredentials }
  /** An OAuth 2.0 authorization-code grant an admin authorized ("Authorize"); tokens kept and refreshed by the delivery engine. */
  | { type: 'oauth-authorization-code'; client: AuthCodeClient };

export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  audience?: string;
}

/** The client of an authorization-code grant: the client credentials plus where the admin consents and how token requests are encoded. */
export interface AuthCodeClient extends ClientCredentials {
  authorizeUrl: string;
  /** How the token endpoint takes its parameters: `form` (application/x-www-form-urlencoded, RFC 6749) or `json`. */
  tokenFormat: 'form' | 'json';
}

/**
 * What an answer means for the events of one request: one outcome for all of them, or (where the API
 * reports per-item results, as Elastic's _bulk does) one per event, in the order they were sent.
 */
export type AnswerOutcome = { whole: DeliveryOutcome } | { perItem: DeliveryOutcome[] };

export interface RenderContext {
  /** The Jira site the events come from, e.g. "acme.atlassian.net", when known. */
  siteHost?: string;
  /** The site's base URL, e.g. "https://acme.atlassian.net", for links to issues and projects, when known. */
  siteUrl?: string;
  /** The app's admin page (its delivery log) on the site, for "see the delivery log" links, when known. */
  adminPageUrl?: string;
}

/**
 * Kinds that summarise bursts (chat: Slack, Teams): when more than a threshold of one webhook's events are
 * due at once, they go as digest messages of up to `maxEvents` events (render gets several items) instead
 * of one post each. The threshold is the webhook's `thresholdSetting` (a number field; 0 turns digests off).
 */
export interface DigestSpec {
  thresholdSetting: string;
  defaultThreshold: number;
  maxEvents: number;
}

export interface DestinationModule {
  kind: string;
  /** As the kind picker shows it: "Splunk HTTP Event Collector". */
  label: string;
  /** One line under the label. */
  summary: string;
  common: CommonFields;
  /** Why the common fields it does not take are refused: "Slack incoming webhooks are authenticated by the token in their URL and ignore it". */
  commonNotUsed: string;
  /** The kind's own settings, in form order. */
  fields: readonly SettingField[];
  /**
   * Checks a whole settings object (secrets included, defaults not yet applied) and answers it with
   * defaults applied; a problem's path is the field key, its message names the field by its label.
   */
  settingsSchema: z.ZodType<Settings>;
  /** The URL for `derived` kinds (Datadog: from its site). */
  derivedUrl?: (settings: Settings) => string;
  /** The kind's own URL rules, after the common ones passed; each message says what to fix. */
  urlProblems: (url: URL, settings: Settings) => string[];
  /** A mask the kind always applies (Slack's URL is its credential). */
  forcedMask?: MaskMode;
  /** URLs the requests go to, each to be allowed by the egress allowlist: the request URL, a token endpoint. */
  egressUrls: (url: string, settings: Settings) => string[];
  batch?: BatchLimits;
  /** Chat kinds: digests instead of one post per event when a burst is due (render then gets several items). */
  digest?: DigestSpec;
  pacing: Pacing;
  contentType: string;
  /** Where the request goes: the webhook URL, or a URL built from it (Sentinel's stream path). */
  requestUrl: (url: string, settings: Settings) => string;
  /** The body for the events of one request (one event for kinds without `batch`). Pure. */
  render: (items: readonly BatchItem[], settings: Settings, context: RenderContext) => string;
  /** Authentication from the kind's settings and credentials (its `secret` fields). */
  auth: (settings: Settings) => AuthSpec;
  /** What the receiver's answer means for the `items` events sent. */
  classify: (response: ReceiverResponse, items: number) => AnswerOutcome;
}
