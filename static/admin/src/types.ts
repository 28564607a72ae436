/**
 * The admin API types, straight from the shared contract (src/contract): a renamed field fails to
 * compile here and in the resolver alike. Type-only imports, so no zod reaches the bundle.
 */
export type {
  AdminClient,
  AdminFunctionKey,
  AdminInput,
  AdminResult,
  ApiError,
  ApiResult,
  AttemptView,
  AuthorizationInput,
  CreateWebhookInput,
  DeliveryStatsInput,
  DeliveryStatsView,
  DeliveryStatus,
  DeliveryView,
  DestinationView,
  ErrorClass,
  ErrorCode,
  EventTypeInfo,
  HeaderUpdateInput,
  ListDeliveriesInput,
  RequestView,
  ResponseView,
  SecretView,
  SetAsideStageView,
  SetAsideView,
  TemplatePreview,
  PreviewTemplateInput,
  SettingField,
  SettingsView,
  StatsBucketView,
  ListSetAsideInput,
  TestWebhookResult,
  UpdateSettingsInput,
  UpdateWebhookInput,
  WebhookView,
} from '../../../src/contract';
export type { HttpMethod, MaskMode, SigningMode, WebhookKind } from '../../../src/domain/webhook/model';

import type { RequestView, ResponseView } from '../../../src/contract';

/** A request as the page shows it: a test carries its body, a logged attempt does not. */
export type HttpRequestView = RequestView & { body?: string };
/** A response as the page shows it: a test carries its duration, an attempt has it on the attempt. */
export type HttpResponseView = ResponseView & { durationMs?: number };
