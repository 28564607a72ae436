import type { DestinationModule } from '../../domain/destinations/contract';
import { UnknownDestinationError, destinationModule } from '../../domain/destinations/registry';
import { templateProblemFor } from '../../domain/templates/check';
import { acceptsTemplate } from '../../domain/templates/kinds';
import type { Problems } from './problems';

const knownKind = (kind: string): DestinationModule | undefined => {
  try {
    return destinationModule(kind);
  } catch (error) {
    if (error instanceof UnknownDestinationError) return undefined;
    throw error;
  }
};


/** What a save does with the template: the text to keep (undefined: none) and, when it was run, its first problem. */
export interface TemplateCheck {
  template: string | undefined;
  problem?: string;
}

/**
 * The template a save leaves on the webhook (given: string sets, null removes, absent keeps `current`),
 * run over the sample of every event type it will be subscribed to. Async (JSONata evaluates
 * asynchronously), so the use case runs it before its synchronous plan and hands the answer in.
 */
export const checkTemplateFor = async (kindName: string, given: string | null | undefined, current: string | undefined, events: readonly string[]): Promise<TemplateCheck> => {
  const template = given === null ? undefined : (given ?? current);
  const kind = knownKind(kindName);
  // An unknown kind is refused by the plan; a template is only ever run for kinds that take one.
  if (template === undefined || !kind || !acceptsTemplate(kind)) return { template };
  const problem = await templateProblemFor(template, events);
  return problem === undefined ? { template } : { template, problem };
};

/** Adds the template's problem (path `template`) to a save's problems; nothing is saved when there is one. */
export const addTemplateProblems = (problems: Problems, kind: DestinationModule, check: TemplateCheck | undefined, given: string | null | undefined): void => {
  if (given !== undefined && given !== null && !acceptsTemplate(kind)) {
    problems.add(['template'], `Remove the template: ${kind.label} messages have the format the vendor reads; templates reshape custom webhooks only.`);
    return;
  }
  if (check?.problem !== undefined) problems.add(['template'], `${check.problem} Fix the template, or remove it to send the default body.`);
};
