import type { BatchItem, DestinationModule, Settings } from '../../../src/domain/destinations/contract';
import { issueUpdated } from '../formats/fixtures';

/** A kind's settings schema as its unit tests use it: parse, the problems by field path, or the parsed settings. */
export const settingsKit = (kind: DestinationModule) => {
  const parse = (input: unknown) => kind.settingsSchema.safeParse(input);
  const problems = (input: unknown): Record<string, string> => {
    const result = parse(input);
    if (result.success) return {};
    return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
  };
  const settingsOf = (input: Record<string, unknown>): Settings => {
    const result = parse(input);
    if (!result.success) throw new Error(JSON.stringify(result.error.issues));
    return result.data;
  };
  const messages = (input: unknown): string[] => {
    const result = parse(input);
    return result.success ? [] : result.error.issues.map((issue) => issue.message);
  };
  return { parse, problems, messages, settingsOf };
};

/** `count` distinct issue events with message ids, as a request carries them. */
export const issueItems = (count: number): BatchItem[] =>
  Array.from({ length: count }, (_, index) => {
    const event = issueUpdated();
    return { msgId: `msg_${index}`, event: { ...event, id: `${event.id}_${index}` } };
  });
