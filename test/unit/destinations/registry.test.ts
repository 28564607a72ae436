import { JOB_SIZE } from '../../../src/app/delivery/job';
import { DESTINATION_KINDS, UnknownDestinationError, destinationModule, destinationModules } from '../../../src/domain/destinations';

describe('destination registry', () => {
  it('answers a module for every kind, under its own name, in the order the admin page offers them', () => {
    expect(destinationModules().map((module) => module.kind)).toEqual([...DESTINATION_KINDS]);
    for (const kind of DESTINATION_KINDS) expect(destinationModule(kind).kind).toBe(kind);
  });

  it('refuses an unknown kind instead of falling back to another', () => {
    expect(() => destinationModule('fax')).toThrow(UnknownDestinationError);
    expect(() => destinationModule('fax')).toThrow(/Unknown destination kind "fax": this version of the app knows custom, slack/);
    expect(() => destinationModule('__proto__')).toThrow(UnknownDestinationError);
  });

  it.each(DESTINATION_KINDS.map((kind) => [kind]))('%s: a form contract the admin page can render and the engine can honour', (kind) => {
    const module = destinationModule(kind);
    const keys = module.fields.map((field) => field.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const field of module.fields) {
      expect(field.label).toMatch(/^[A-Z]/);
      expect(field.help.length).toBeGreaterThan(10);
      if (field.type === 'select') expect(field.options?.length).toBeGreaterThan(0);
      if (field.type === 'secret') expect(field.defaultValue).toBeUndefined();
    }
    expect(module.common.url === 'derived').toBe(module.derivedUrl !== undefined);
    if (module.batch) {
      // A request never carries more than one delivery job's events, and the default is within the maximum.
      expect(module.batch.maxEvents).toBeLessThanOrEqual(JOB_SIZE);
      expect(module.batch.defaultEvents).toBeLessThanOrEqual(module.batch.maxEvents);
      expect(module.batch.maxBytes).toBeGreaterThan(64 * 1024);
    }
    expect(module.pacing.parallel).toBeGreaterThanOrEqual(1);
    expect(module.commonNotUsed.length).toBeGreaterThan(10);
  });
});
