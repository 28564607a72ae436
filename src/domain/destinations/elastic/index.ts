import type { DestinationModule } from '../contract';
import { settingsSchemaOf, textSetting } from '../settings-schema';
import { classifyBulkAnswer } from './answers';
import { bulkBody } from './bulk-body';
import { ELASTIC_FIELDS, dataStreamOf, refineElastic } from './settings';

/**
 * Asks Elasticsearch for the status and error of each item only (see answers.ts): the answer stays small
 * and is read whole even for 100 events.
 */
const FILTER_PATH = 'errors,items.*.status,items.*.error.type,items.*.error.reason';

/**
 * Bulk limits. 100 events per request, the size of one delivery job. 5 MB per request: Elastic's
 * indexing-speed guide warns against going beyond a couple of tens of megabytes per bulk request,
 * the cluster's http.max_content_length defaults to 100 MB, and managed offerings set lower caps
 * (10 MiB on small AWS OpenSearch/Elasticsearch instances); 5 MB stays below all of them.
 */
export const ELASTIC_MAX_BYTES = 5_000_000;

/** Elastic Cloud's Kibana hosts carry `.kb.` where the Elasticsearch endpoint has `.es.`. */
const isKibanaHost = (hostname: string): boolean => /^[^.]+\.kb\./.test(hostname);

/**
 * Elasticsearch `_bulk` into a data stream: each event a `create` of a document whose `_id` is the
 * event id (so a resent batch indexes nothing twice), authenticated with an API key. Answers are read
 * per event: only the events Elasticsearch refused or could not index yet are retried.
 */
export const elasticDestination: DestinationModule = {
  kind: 'elastic',
  label: 'Elasticsearch',
  summary: 'Events as documents in an Elasticsearch data stream, through the bulk API with an API key.',
  common: {
    url: 'entered',
    urlLabel: 'Elasticsearch endpoint',
    urlHelp: 'The base URL of Elasticsearch, no path: Elastic Cloud > your deployment > Copy endpoint (port 443).',
    urlPlaceholder: 'https://my-deployment.es.us-east-1.aws.elastic.cloud',
    method: false,
    signing: false,
    authorization: false,
    headers: false,
  },
  commonNotUsed: 'the Elasticsearch kind authenticates with its API key setting and sends a bulk request the app builds',
  fields: ELASTIC_FIELDS,
  settingsSchema: settingsSchemaOf('Elasticsearch', ELASTIC_FIELDS, refineElastic),
  urlProblems: (url) => {
    const problems: string[] = [];
    if (isKibanaHost(url.hostname)) {
      problems.push('This is a Kibana address (.kb.): use the Elasticsearch endpoint (.es.), from Elastic Cloud > your deployment > Copy endpoint.');
    }
    if (url.pathname !== '/' && url.pathname !== '') {
      problems.push(`Give the base URL of Elasticsearch without a path (${url.origin}): the app adds /_bulk itself.`);
    }
    if (url.search !== '') problems.push('Remove the query (?...) from the URL: the app adds the parameters the bulk API needs.');
    return problems;
  },
  egressUrls: (url, settings) => [elasticDestination.requestUrl(url, settings)],
  batch: { defaultEvents: 100, maxEvents: 100, maxBytes: ELASTIC_MAX_BYTES },
  pacing: { parallel: 2, spacingMs: 0 },
  contentType: 'application/x-ndjson',
  requestUrl: (url, settings) => {
    const base = url.replace(/\/+$/, '');
    const pipeline = textSetting(settings, 'pipeline');
    const query = `filter_path=${FILTER_PATH}${pipeline ? `&pipeline=${encodeURIComponent(pipeline)}` : ''}`;
    return `${base}/_bulk?${query}`;
  },
  render: (items, settings, context) => bulkBody(items, dataStreamOf(settings), context),
  auth: (settings) => {
    const apiKey = textSetting(settings, 'apiKey');
    if (apiKey === undefined) throw new Error('Elasticsearch settings carry no API key');
    return { type: 'headers', headers: { Authorization: `ApiKey ${apiKey}` } };
  },
  classify: (response, items) => classifyBulkAnswer(response, items),
};
