import { z } from 'zod';

/** Small schema builders whose default messages say what to enter, not what zod expected. */
export const text = (what: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? `Enter ${what}.` : `Enter ${what} as text.`) });

export const flag = (what: string) =>
  z.boolean({ error: (issue) => (issue.input === undefined ? `Say whether ${what} (true or false).` : `Use true or false for whether ${what}.`) });

export const wholeNumber = (what: string, min: number, max: number) =>
  z
    .int({ error: `Enter ${what} as a whole number from ${min} to ${max}.` })
    .min(min, { error: `Use at least ${min} for ${what}.` })
    .max(max, { error: `Use at most ${max} for ${what}.` });

export const oneOf = <const T extends readonly [string, ...string[]]>(what: string, values: T) =>
  z.enum(values, { error: `Choose ${what}: ${values.map((v) => `'${v}'`).join(', ')}.` });

/** Ids the app generated: "wh_...", "sec_...", "dl_...". Bounded so they stay valid inside KVS keys. */
export const idOf = (what: string) =>
  text(`the ${what} id`)
    .min(1, { error: `Enter the ${what} id.` })
    .max(100, { error: `This is not a ${what} id: ids are at most 100 characters.` })
    .regex(/^[A-Za-z0-9_-]+$/, { error: `This is not a ${what} id: use the id the app returned (letters, digits, _ and -).` });

/** A function's whole input: an object with exactly these keys (unknown keys are refused by name). */
export const inputObject = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, { error: 'Send the input as a JSON object with the fields docs/admin-api.md lists for this function.' });

/** Functions that take no input accept {} (and the bridge's undefined, which the handler maps to {}). */
export const emptyInputSchema = inputObject({});
