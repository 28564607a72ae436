import { fail, type ApiResult } from './envelope';
import { adminInputSchemas, type AdminFunctionKey, type AdminParsedInput } from './functions';
import { fieldsFromZodError, summariseFields } from './zod-fields';

/**
 * Parses a function's raw payload. The resolver and the admin page (before sending) both use it, so
 * both answer with the same VALIDATION fields. An absent payload means {} (the bridge sends undefined).
 */
export function parseAdminInput<K extends AdminFunctionKey>(
  key: K,
  raw: unknown,
): { ok: true; data: AdminParsedInput<K> } | Extract<ApiResult<never>, { ok: false }> {
  const schema = adminInputSchemas[key];
  const parsed = schema.safeParse(raw === undefined || raw === null ? {} : raw);
  if (parsed.success) return { ok: true, data: parsed.data as AdminParsedInput<K> };
  const fields = fieldsFromZodError(parsed.error);
  return fail('VALIDATION', summariseFields(fields), fields) as Extract<ApiResult<never>, { ok: false }>;
}
