import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ProcessorBuilder, ValidationTypes, validate } from '@forge/manifest';
import { FORGE_PRODUCT_EVENTS } from '../../../src/domain/events';

const root = path.resolve(__dirname, '../../..');
const manifestPath = path.join(root, 'manifest.yml');

interface ManifestShape {
  modules: { function: { key: string; handler: string }[]; trigger: { events: string[] }[] };
  resources: { path: string }[];
}
const manifest = parse(fs.readFileSync(manifestPath, 'utf8')) as ManifestShape;

interface ValidationError {
  message: string;
  level: string;
}
const errorsOf = (result: { errors?: ValidationError[] }) => (result.errors ?? []).filter((e) => e.level === 'error').map((e) => e.message);

// @forge/manifest resolves handler files and resources relative to the working directory.
const inRoot = async <T>(work: () => Promise<T>): Promise<T> => {
  const previous = process.cwd();
  process.chdir(root);
  try {
    return await work();
  } finally {
    process.chdir(previous);
  }
};

describe('manifest.yml', () => {
  it('passes @forge/manifest FULL validation with zero errors', async () => {
    expect(fs.existsSync(path.join(root, manifest.resources[0]!.path, 'index.html'))).toBe(true);
    const result = await inRoot(() => validate(false, manifestPath));
    expect(errorsOf(result)).toEqual([]);
  });

  it('passes PRODUCT_TRIGGER validation (every event has its scope) with zero errors', async () => {
    const result = await inRoot(() => ProcessorBuilder.instance().withValidation(ValidationTypes.PRODUCT_TRIGGER).build().process(manifestPath));
    expect(errorsOf(result)).toEqual([]);
  });

  it('names only handlers that src/ exports where it says', () => {
    for (const fn of manifest.modules.function) {
      const [file, exported] = fn.handler.split('.');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(root, 'src', file!)) as Record<string, unknown>;
      expect({ key: fn.key, type: typeof mod[exported!] }).toEqual({ key: fn.key, type: 'function' });
    }
  });

  it('subscribes to every product event the event model normalises', () => {
    const subscribed = new Set(manifest.modules.trigger.flatMap((t) => t.events));
    const normalised = FORGE_PRODUCT_EVENTS.flatMap((group) => group.events);
    expect(normalised.filter((event) => !subscribed.has(event))).toEqual([]);
  });
});
