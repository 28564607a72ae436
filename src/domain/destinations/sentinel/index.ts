import { classifyResponse } from '../../delivery/outcome';
import type { DestinationModule } from '../contract';
import { settingsSchemaOf } from '../settings-schema';
import { sentinelAnswer } from './answers';
import { sentinelBody } from './records';
import { SENTINEL_FIELDS, dcrImmutableIdOf, refineSentinel, sentinelClientOf, streamNameOf, tenantIdOf, tokenUrlOf } from './settings';

export * from './stream';

/** The Logs Ingestion API version the requests name. */
export const LOGS_INGESTION_API_VERSION = '2023-01-01';

/**
 * The Logs Ingestion API takes at most 1 MB per call (Azure Monitor service limits, Logs Ingestion
 * API); 900,000 bytes of JSON leaves room whether that MB is 10^6 or 2^20 bytes.
 */
export const SENTINEL_MAX_BYTES = 900_000;

/** Public-cloud logs ingestion hosts: a DCE's `<name>.<region>-1.ingest.monitor.azure.com` or a DCR's own endpoint. */
const PUBLIC_INGEST_SUFFIX = '.ingest.monitor.azure.com';
const SOVEREIGN_INGEST = /\.ingest\.monitor\.azure\.(us|cn)$/;

/**
 * Microsoft Sentinel (a Log Analytics workspace) through the Azure Monitor Logs Ingestion API: a JSON
 * array of flat records (stream.ts) per request to a data collection rule's stream, with an Entra ID
 * client-credentials token for an app registration that holds Monitoring Metrics Publisher on the rule.
 */
export const sentinelDestination: DestinationModule = {
  kind: 'sentinel',
  label: 'Microsoft Sentinel',
  summary: 'Records in a Log Analytics custom table, through the Azure Monitor Logs Ingestion API.',
  common: {
    url: 'entered',
    urlLabel: 'Logs ingestion endpoint',
    urlHelp: "The data collection endpoint's Logs ingestion URL, or the rule's own logs ingestion endpoint (JSON view, endpoints.logsIngestion); no path.",
    urlPlaceholder: 'https://my-dce-abcd.westeurope-1.ingest.monitor.azure.com',
    method: false,
    signing: false,
    authorization: false,
    headers: false,
  },
  commonNotUsed: 'the Microsoft Sentinel kind authenticates with its app registration settings and sends requests the app builds',
  fields: SENTINEL_FIELDS,
  settingsSchema: settingsSchemaOf('Microsoft Sentinel', SENTINEL_FIELDS, refineSentinel),
  urlProblems: (url) => {
    const problems: string[] = [];
    if (SOVEREIGN_INGEST.test(url.hostname)) {
      problems.push(
        'Use an Azure public cloud endpoint (ending in .ingest.monitor.azure.com): Azure Government and Azure operated by 21Vianet sign in and authorize at other hosts, which this destination does not support.',
      );
    } else if (/\.handler\.control\.monitor\.azure\.com$/.test(url.hostname)) {
      problems.push('This is the configuration access endpoint (handler.control): use the Logs ingestion endpoint (.ingest.monitor.azure.com) of the same data collection endpoint.');
    } else if (!url.hostname.endsWith(PUBLIC_INGEST_SUFFIX)) {
      problems.push(
        'Use the logs ingestion endpoint of your data collection endpoint or rule: its host ends in .ingest.monitor.azure.com (Azure public cloud only), e.g. https://my-dce-abcd.westeurope-1.ingest.monitor.azure.com.',
      );
    }
    if (url.pathname !== '/' && url.pathname !== '') {
      problems.push(`Give the endpoint without a path (${url.origin}): the app adds /dataCollectionRules/... from the DCR immutable ID and Stream name.`);
    }
    if (url.search !== '') problems.push('Remove the query (?...) from the URL: the app adds the api-version itself.');
    return problems;
  },
  // Reads no secret: egress is checked from the saved, non-secret settings.
  egressUrls: (url, settings) => [sentinelDestination.requestUrl(url, settings), tokenUrlOf(tenantIdOf(settings))],
  batch: { defaultEvents: 100, maxEvents: 100, maxBytes: SENTINEL_MAX_BYTES },
  pacing: { parallel: 2, spacingMs: 0 },
  contentType: 'application/json',
  requestUrl: (url, settings) => {
    const base = url.replace(/\/+$/, '');
    const dcr = encodeURIComponent(dcrImmutableIdOf(settings));
    const stream = encodeURIComponent(streamNameOf(settings));
    return `${base}/dataCollectionRules/${dcr}/streams/${stream}?api-version=${LOGS_INGESTION_API_VERSION}`;
  },
  render: (items, _settings, context) => sentinelBody(items, context),
  auth: (settings) => ({ type: 'oauth-client-credentials', client: sentinelClientOf(settings) }),
  classify: (response) => ({ whole: classifyResponse(response, sentinelAnswer) }),
};
