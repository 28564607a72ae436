/** Jira Software sprint and board events -> the parts of an AuditEvent. */
import { z } from 'zod';
import { type Change, type ObjectRef } from './model';
import {
  IdSchema,
  compact,
  displayValue,
  optional,
  type Parsed,
} from './parse';
import {
  type Built,
  phrase,
  quoted,
  family,
} from './product-event-shared';

const SprintEventSchema = z.object({
  sprint: z.object({
    id: IdSchema,
    name: optional(z.string()),
    state: optional(z.string()),
    goal: optional(z.string()),
    originBoardId: optional(IdSchema),
    startDate: optional(z.string()),
    endDate: optional(z.string()),
    completeDate: optional(z.string()),
  }),
  oldValue: optional(z.record(z.string(), z.unknown())),
});

export const buildSprint = family(SprintEventSchema, (payload, ctx): Parsed<Built> => {
  const { sprint, oldValue } = payload;
  const current = sprint as Record<string, unknown>;
  const changes: Change[] | undefined = oldValue
    ? Object.entries(oldValue).map(([field, before]) => {
        const from = displayValue(before);
        const to = displayValue(current[field]);
        return { field, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
      })
    : undefined;
  return {
    ok: true,
    value: {
      object: compact({
        type: 'sprint',
        id: sprint.id,
        name: sprint.name,
        parent: sprint.originBoardId ? { type: 'board', id: sprint.originBoardId } : undefined,
      }) as ObjectRef,
      summary: `Sprint${quoted(sprint.name) || ` ${sprint.id}`} ${phrase(ctx.action)}${changes && changes.length > 0 ? `: ${changes.map((c) => c.field).join(', ')} changed` : ''}`,
      changes: changes && changes.length > 0 ? changes : undefined,
      details: compact({
        sprintId: sprint.id,
        sprintName: sprint.name,
        state: sprint.state,
        goal: sprint.goal,
        boardId: sprint.originBoardId,
        startDate: sprint.startDate,
        endDate: sprint.endDate,
        completeDate: sprint.completeDate,
      }),
    },
  };
});

const BoardEventSchema = z.object({
  board: z.object({ id: IdSchema, name: optional(z.string()), type: optional(z.string()) }),
});

export const buildBoard = family(BoardEventSchema, (payload, ctx): Parsed<Built> => {
  const { board } = payload;
  return {
    ok: true,
    value: {
      object: compact({ type: 'board', id: board.id, name: board.name }) as ObjectRef,
      summary: `Board${quoted(board.name) || ` ${board.id}`} ${phrase(ctx.action)}`,
      details: compact({ boardId: board.id, boardName: board.name, boardType: board.type }),
    },
  };
});

const BoardConfigurationEventSchema = z.object({
  configuration: z.object({
    id: IdSchema,
    name: optional(z.string()),
    type: optional(z.string()),
    location: optional(z.object({ type: optional(z.string()), id: optional(IdSchema), key: optional(z.string()), name: optional(z.string()) })),
    filter: optional(z.object({ id: optional(IdSchema) })),
    estimation: optional(z.object({ type: optional(z.string()), field: optional(z.object({ fieldId: optional(z.string()), displayName: optional(z.string()) })) })),
  }),
});

export const buildBoardConfiguration = family(BoardConfigurationEventSchema, (payload): Parsed<Built> => {
  const { configuration } = payload;
  const location = configuration.location;
  const parent = location && (location.id || location.key)
    ? (compact({ type: location.type ?? 'project', id: location.id, key: location.key, name: location.name }) as ObjectRef['parent'])
    : undefined;
  return {
    ok: true,
    value: {
      object: compact({ type: 'board', id: configuration.id, name: configuration.name, parent }) as ObjectRef,
      summary: `Board${quoted(configuration.name) || ` ${configuration.id}`} configuration was changed`,
      details: compact({
        boardId: configuration.id,
        boardName: configuration.name,
        boardType: configuration.type,
        filterId: configuration.filter?.id,
        estimationField: configuration.estimation?.field?.displayName,
      }),
    },
  };
});
