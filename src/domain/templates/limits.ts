/**
 * How far a payload template may go. A template runs inside the delivery consumer for every event it
 * shapes, so a bad one must cost little and fail the same way every time: a step budget (counted, so
 * the same template fails the same way on a slow or a fast machine), a wall-clock deadline as the
 * backstop for a step that is slow on its own (one huge regular expression), a cap on nesting (JSONata
 * recurses through the JS stack for non-tail calls) and caps on what it may build.
 */
export const TEMPLATE_LIMITS = {
  /** Characters of template text: a reshaping template is a few lines; this keeps the webhook record small. */
  maxTemplateChars: 8_000,
  /**
   * Evaluation steps per event (JSONata's entry hook counts each node it evaluates). A template that
   * reshapes an event takes tens to hundreds; JSONata runs some 50,000 a second on a busy core, so a
   * loop stops within about a fifth of a second.
   */
  maxSteps: 10_000,
  /** Milliseconds per event, the backstop for one slow step (a huge regular expression); the step budget trips first for loops. */
  deadlineMs: 1_000,
  /** Nested evaluations: deep enough for real templates, far short of Node's stack. */
  maxDepth: 200,
  /** Items of one sequence or array, including a range such as [1..10000000]. */
  maxSequence: 10_000,
  /** Characters of one string built while evaluating (string doubling stops here, not at V8's limit). */
  maxStringChars: 64 * 1024,
  /**
   * Bytes of the serialized body. A template shapes one event, and a stored event is at most 64 KiB
   * (MAX_EVENT_BYTES, src/app/pipeline/render-body.ts), so a body need not be larger than that.
   */
  maxOutputBytes: 64 * 1024,
} as const;

export type TemplateLimits = { readonly [K in keyof typeof TEMPLATE_LIMITS]: number };
