/** What a verify helper answers: which secret matched, or why nothing did (safe to show or log). */
export type VerifyResult = { valid: true; matchedSecretIndex: number } | { valid: false; reason: string };
