import { z } from 'zod';

/** The normalised event as the pipeline stores and delivers it (see docs/events.md for the full data model). */
export const pipelineEventSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  timestamp: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
});
export type PipelineEvent = z.infer<typeof pipelineEventSchema>;

/** A webhook subscribed to ["*"] gets every type, including types added later. */
export const isSubscribed = (events: readonly string[], type: string): boolean => events.includes('*') || events.includes(type);
