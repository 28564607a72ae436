import { ApiFailure } from '../../contract/envelope';
import { summariseFields } from '../../contract/zod-fields';
import type { FieldProblem } from '../../domain/webhook/model';

/** Collects every problem of one request, so the admin fixes them all in one round trip. */
export class Problems {
  /** Own properties only (no prototype), so no path can collide with Object.prototype's names. */
  readonly fields: Record<string, string> = Object.create(null) as Record<string, string>;

  add(path: readonly (string | number)[], message: string): void {
    const key = path.join('.');
    if (!Object.hasOwn(this.fields, key)) this.fields[key] = message;
  }

  addAll(prefix: readonly (string | number)[], problems: readonly FieldProblem[]): void {
    for (const problem of problems) this.add([...prefix, ...problem.path], problem.message);
  }

  /** Throws VALIDATION with every field when any was added; nothing has been written yet. */
  throwIfAny(): void {
    if (Object.keys(this.fields).length > 0) throw new ApiFailure('VALIDATION', summariseFields(this.fields), this.fields);
  }
}
