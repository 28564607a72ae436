/** The JSON Schema (draft 2020-12) of the webhook payload, generated from AuditEventSchema (see docs/events.md). */
import { z } from 'zod';
import { AuditEventSchema } from './model';

export const AUDIT_EVENT_JSON_SCHEMA = z.toJSONSchema(AuditEventSchema, { target: 'draft-2020-12', io: 'output' });
