import type { z } from 'zod';
import { utf8Bytes } from '../../formats/utf8';
import type { SettingField, Settings } from '../contract';
import { textSetting } from '../settings-schema';

/**
 * The data stream the events go to by default. It follows Elastic's data stream naming scheme
 * (`<type>-<dataset>-<namespace>`), so the built-in `logs-*-*` index template of a default cluster makes
 * it a data stream on the first write (the API key needs `auto_configure` for that).
 */
export const DEFAULT_DATA_STREAM = 'logs-jira.audit-default';

export const ELASTIC_FIELDS: readonly SettingField[] = [
  {
    key: 'apiKey',
    label: 'API key',
    type: 'secret',
    required: true,
    help: 'Kibana > Stack Management > API keys > Create API key: copy the Encoded value (base64 of id:api_key). Stored encrypted and never shown again.',
  },
  {
    key: 'dataStream',
    label: 'Data stream',
    type: 'text',
    required: false,
    defaultValue: DEFAULT_DATA_STREAM,
    help: 'The data stream the events are written to; the API key needs create_doc (and auto_configure to create it) on it.',
    placeholder: DEFAULT_DATA_STREAM,
  },
  {
    key: 'pipeline',
    label: 'Ingest pipeline',
    type: 'text',
    required: false,
    help: "An ingest pipeline to run on each event instead of the data stream's default pipeline; leave empty for none.",
  },
];

const labelOf = (key: string): string => ELASTIC_FIELDS.find((field) => field.key === key)?.label ?? key;

/** Decodes standard base64 to text (Latin-1 per byte); undefined when it is not standard base64. */
function decodeBase64(text: string): string | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text) || text === '') return undefined;
  try {
    return atob(text);
  } catch {
    return undefined;
  }
}

/**
 * Elasticsearch's ApiKey scheme takes base64(id:api_key), which Kibana shows as "Encoded" (the
 * create-API-key answer's `encoded`). What admins paste instead: the `api_key` part alone, `id:api_key`
 * in clear, or the whole header. Each gets a message saying what to paste.
 */
export function apiKeyProblem(value: string): string | undefined {
  const label = labelOf('apiKey');
  if (/^apikey\s/i.test(value)) return `Paste only the Encoded value into ${label}, without the "ApiKey " prefix: the app adds it.`;
  if (/\s/.test(value)) return `Remove the spaces from ${label}: the Encoded value is one base64 word.`;
  if (/^[^:]+:[^:]+$/.test(value)) return `${label} looks like id:api_key in clear text: paste the Encoded value Kibana shows instead (base64 of id:api_key).`;
  const decoded = decodeBase64(value);
  const match = decoded === undefined ? null : /^([\x21-\x7e]+):([\x21-\x7e]+)$/.exec(decoded);
  if (!match || match[1]?.includes(':')) {
    return `${label} is not an Encoded API key: paste the Encoded value Kibana shows when the key is created (base64 of id:api_key), not the api_key part alone.`;
  }
  return undefined;
}

const FORBIDDEN_STREAM_CHARACTERS = ['\\', '/', '*', '?', '"', '<', '>', '|', ',', '#', ':', ' '];
const MAX_STREAM_BYTES = 255;

/** Elasticsearch's data stream name rules (create data stream API, path parameters), one message per rule broken. */
export function dataStreamProblems(name: string): string[] {
  const label = labelOf('dataStream');
  const problems: string[] = [];
  if (name !== name.toLowerCase()) problems.push(`Write ${label} in lower case: Elasticsearch refuses upper-case data stream names.`);
  const forbidden = FORBIDDEN_STREAM_CHARACTERS.filter((character) => name.includes(character));
  if (forbidden.length > 0) {
    const shown = forbidden.map((character) => (character === ' ' ? 'spaces' : character)).join(' ');
    problems.push(`Remove ${shown} from ${label}: data stream names cannot contain \\ / * ? " < > | , # : or spaces.`);
  }
  if (/^[-_+]/.test(name) || name.startsWith('.ds-')) problems.push(`Start ${label} with a letter or digit: names cannot start with -, _, + or .ds-.`);
  if (name === '.' || name === '..') problems.push(`Choose another ${label}: "." and ".." are not allowed.`);
  if (utf8Bytes(name) > MAX_STREAM_BYTES) problems.push(`Shorten ${label} to at most ${MAX_STREAM_BYTES} bytes.`);
  return problems;
}

/** Pipeline ids are free text on Elastic's side; here they must be one word that fits a query parameter. */
export function pipelineProblem(name: string): string | undefined {
  if (/\s/.test(name)) return `Remove the spaces from ${labelOf('pipeline')}: enter the pipeline's id as shown in Kibana > Stack Management > Ingest Pipelines.`;
  return undefined;
}

export const refineElastic = (settings: Settings, ctx: z.RefinementCtx): void => {
  const apiKey = textSetting(settings, 'apiKey');
  const keyProblem = apiKey === undefined ? undefined : apiKeyProblem(apiKey);
  if (keyProblem !== undefined) ctx.addIssue({ code: 'custom', path: ['apiKey'], message: keyProblem });
  for (const message of dataStreamProblems(dataStreamOf(settings))) ctx.addIssue({ code: 'custom', path: ['dataStream'], message });
  const pipeline = textSetting(settings, 'pipeline');
  const problem = pipeline === undefined ? undefined : pipelineProblem(pipeline);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['pipeline'], message: problem });
};

export const dataStreamOf = (settings: Settings): string => textSetting(settings, 'dataStream') ?? DEFAULT_DATA_STREAM;
