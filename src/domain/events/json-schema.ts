/**
 * The JSON Schema (draft 2020-12) of the webhook payload, generated from AuditEventSchema (see docs/events.md).
 * Generated in input mode so objects stay open (no additionalProperties: false): receivers must ignore
 * fields they do not know, and new optional fields can be added without breaking their validators.
 */
import { z } from 'zod';
import { AuditEventSchema } from './model';

export const AUDIT_EVENT_JSON_SCHEMA = z.toJSONSchema(AuditEventSchema, { target: 'draft-2020-12', io: 'input' });
