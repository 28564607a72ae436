/** The hosts and (made-up) credentials the SIEM integration tests configure, in one place. */
export const SPLUNK = 'splunk.example.test';
export const ELASTIC = 'es.example.test';
export const SENTINEL = 'jira-dce-a1b2.westeurope-1.ingest.monitor.azure.com';
export const ENTRA = 'login.microsoftonline.com';

export const SPLUNK_TOKEN = '7c0f6d0e-2b8a-4f5e-9a71-3c2d1e0f9b8a';
export const ELASTIC_KEY = Buffer.from('VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw').toString('base64');
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CLIENT = '11111111-2222-3333-4444-555555555555';
export const CLIENT_SECRET = 'Qx8~s3cr3t.Value_that-Entra.gave_us';
export const DCR = 'dcr-0123456789abcdef0123456789abcdef';
