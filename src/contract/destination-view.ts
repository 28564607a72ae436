import type { BatchLimits, CommonFields, SettingField, SettingValue } from '../domain/destinations/contract';

export type { BatchLimits, CommonFields, SettingField, SettingValue };

/**
 * A destination kind as the admin page renders it (webhooks.list `destinations`): the serialisable part
 * of its registry module, so the page has no kind-specific code.
 */
export interface DestinationView {
  kind: string;
  label: string;
  summary: string;
  common: CommonFields;
  fields: SettingField[];
  /** The URL is the credential (Slack) and always masked: the form offers no mask choice. */
  urlAlwaysMasked: boolean;
  /** Set for kinds that send several events per request; `batchEvents` on a webhook goes up to maxEvents. */
  batch?: BatchLimits;
}
