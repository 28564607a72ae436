import { z } from 'zod';
import type { KeyValueStore, SecretStore } from '../ports';

/**
 * Where an authorization-code grant lives, per webhook:
 * - `oauth-code-grant:<webhook id>` in the SecretStore: the access and refresh tokens (credentials; never
 *   in the KVS proper, a log or an answer) and which client issued them;
 * - `oauth-code:status:<webhook id>` in the KVS: what the admin page shows (authorized when and by whom,
 *   or revoked and why), no token in it.
 */
export const grantSecretKey = (webhookId: string): string => `oauth-code-grant:${webhookId}`;
export const grantStatusKey = (webhookId: string): string => `oauth-code:status:${webhookId}`;
export const grantLeaseKey = (webhookId: string): string => `oauth-code-lease:${webhookId}`;

export const StoredGrantSchema = z.object({
  clientKey: z.string(),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  /** When this app stops using the access token: its expiry less the margin (usableForMs). */
  expiresAtMs: z.number().finite(),
  fetchedAtMs: z.number().finite(),
});
export type StoredGrant = z.infer<typeof StoredGrantSchema>;

export const GrantStatusSchema = z.object({
  state: z.enum(['authorized', 'revoked']),
  clientKey: z.string(),
  authorizedAt: z.string(),
  /** The account id of the admin who authorized. */
  authorizedBy: z.string(),
  revokedAt: z.string().optional(),
  reason: z.string().optional(),
});
export type GrantStatus = z.infer<typeof GrantStatusSchema>;

export const readGrant = async (secrets: SecretStore, webhookId: string): Promise<StoredGrant | undefined> => {
  const parsed = StoredGrantSchema.safeParse(await secrets.get<unknown>(grantSecretKey(webhookId)));
  return parsed.success ? parsed.data : undefined;
};

export const readGrantStatus = async (kvs: KeyValueStore, webhookId: string): Promise<GrantStatus | undefined> => {
  const parsed = GrantStatusSchema.safeParse(await kvs.get<unknown>(grantStatusKey(webhookId)));
  return parsed.success ? parsed.data : undefined;
};
