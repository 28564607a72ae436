import { z } from 'zod';
import type { SettingField, SettingValue, Settings } from './contract';

/** Settings text is short: identifiers, host names, tags. Credentials and token URLs fit with room to spare. */
export const SETTING_TEXT_MAX = 2_000;

const fieldSchema = (field: SettingField): z.ZodType<SettingValue | undefined> => {
  const name = field.label;
  if (field.type === 'number') {
    const min = field.min ?? 0;
    const max = field.max ?? Number.MAX_SAFE_INTEGER;
    return z
      .int({ error: `Enter ${name} as a whole number from ${min} to ${max}.` })
      .min(min, { error: `Use at least ${min} for ${name}.` })
      .max(max, { error: `Use at most ${max} for ${name}.` })
      .optional();
  }
  if (field.type === 'select') {
    const values = (field.options ?? []).map((option) => option.value);
    return z
      .string({ error: `Choose ${name}: ${values.join(', ')}.` })
      .refine((value) => values.includes(value), { error: `Choose ${name}: ${values.join(', ')}.` })
      .optional();
  }
  return z
    .string({ error: `Enter ${name} as text.` })
    .trim()
    .max(SETTING_TEXT_MAX, { error: `Shorten ${name} to at most ${SETTING_TEXT_MAX} characters.` })
    // eslint-disable-next-line no-control-regex
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), { error: `Remove line breaks and control characters from ${name}.` })
    .optional();
};

/**
 * The settings object of a kind: exactly its fields (an unknown key is refused by name), each checked by
 * its type, empty text treated as absent, defaults applied, required fields present. `refine` adds the
 * kind's own rules on the parsed object.
 */
export const settingsSchemaOf = (
  kindLabel: string,
  fields: readonly SettingField[],
  refine?: (settings: Settings, ctx: z.RefinementCtx) => void,
): z.ZodType<Settings> => {
  const shape: Record<string, z.ZodType<SettingValue | undefined>> = {};
  for (const field of fields) shape[field.key] = fieldSchema(field);
  const known = fields.map((field) => field.key).join(', ') || 'none';
  return z
    .strictObject(shape, { error: `Send the ${kindLabel} settings as an object with these fields: ${known}.` })
    .transform((input, ctx): Settings => {
      const settings: Record<string, SettingValue> = {};
      for (const field of fields) {
        const given = input[field.key];
        const value = given === '' || given === undefined ? field.defaultValue : given;
        if (value === undefined) {
          if (field.required) ctx.addIssue({ code: 'custom', path: [field.key], message: `Enter ${field.label}: ${field.help}` });
          continue;
        }
        settings[field.key] = value;
      }
      refine?.(settings, ctx);
      return settings;
    });
};

/** The text value of a setting, or undefined. */
export const textSetting = (settings: Settings, key: string): string | undefined => {
  const value = settings[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** The number value of a setting, or the fallback. */
export const numberSetting = (settings: Settings, key: string, fallback: number): number => {
  const value = settings[key];
  return typeof value === 'number' ? value : fallback;
};
