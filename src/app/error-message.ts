/** The message of anything thrown, for a log line or an answer (a thrown value need not be an Error). */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
