/** Why a template could not be used, in words for an admin: never a stack trace or a JS error name. */
export interface TemplateProblem {
  message: string;
  /** The character (1-based) JSONata points at, when it says. */
  position?: number;
}

/** The shape JSONata throws (plain objects with a code, not Error instances). */
interface JsonataFailure {
  code?: unknown;
  position?: unknown;
  token?: unknown;
  message?: unknown;
}

const asFailure = (error: unknown): JsonataFailure => (typeof error === 'object' && error !== null ? (error as JsonataFailure) : {});

/** JSONata's own message (it has already filled in its templates), without trailing spaces. */
const jsonataMessage = (failure: JsonataFailure): string | undefined => (typeof failure.message === 'string' && failure.message.trim() !== '' ? failure.message.trim() : undefined);

/**
 * "The template failed at character 12 (near "foo"): Expected ")", got "}"." JSONata's positions count
 * from 1 at the character after the token, which is what an admin counts in the textarea.
 */
/** JSONata's guardrail codes, said as what to look for; its own texts ("Check for infinite loop") stay for the rest. */
const GUARDRAIL_MESSAGES: Readonly<Record<string, string>> = {
  D1011: 'it nests calls too deeply: check for a function that calls itself without an end.',
  D1012: 'it ran out of time: check for a loop, or a very large list or text.',
  D2014: 'it builds a range too large (such as [1..10000000]): keep lists to at most 10,000 items.',
  D2015: 'it builds a list too large: keep lists to at most 10,000 items.',
};

export const problemFromJsonata = (error: unknown, what: 'is not valid' | 'failed'): TemplateProblem => {
  const failure = asFailure(error);
  const position = typeof failure.position === 'number' && failure.position > 0 ? failure.position : undefined;
  const token = typeof failure.token === 'string' && failure.token !== '' ? ` (near "${failure.token.slice(0, 40)}")` : '';
  const where = position === undefined ? '' : ` at character ${position}`;
  const detail = (typeof failure.code === 'string' ? GUARDRAIL_MESSAGES[failure.code] : undefined) ?? jsonataMessage(failure) ?? 'it could not be evaluated.';
  return { message: `The template ${what}${where}${token}: ${detail}`, ...(position === undefined ? {} : { position }) };
};
