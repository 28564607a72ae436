import type { DestinationModule } from './contract';
import { customDestination } from './custom';
import { datadogDestination } from './datadog';
import { elasticDestination } from './elastic';
import { DESTINATION_KINDS, isDestinationKind, type DestinationKindName } from './kinds';
import { pagerdutyDestination } from './pagerduty';
import { qradarDestination } from './qradar';
import { sentinelDestination } from './sentinel';
import { slackDestination } from './slack';
import { splunkDestination } from './splunk';
import { teamsDestination } from './teams';

const MODULES: Readonly<Record<DestinationKindName, DestinationModule>> = {
  custom: customDestination,
  slack: slackDestination,
  teams: teamsDestination,
  elastic: elasticDestination,
  sentinel: sentinelDestination,
  splunk: splunkDestination,
  datadog: datadogDestination,
  qradar: qradarDestination,
  pagerduty: pagerdutyDestination,
};

/** A kind the registry does not know, e.g. from a record written by a newer version of the app. */
export class UnknownDestinationError extends Error {
  constructor(readonly kind: string) {
    super(`Unknown destination kind "${kind}": this version of the app knows ${DESTINATION_KINDS.join(', ')}.`);
    this.name = 'UnknownDestinationError';
  }
}

/** The module of a kind; an unknown kind is an error, never a fallback to another kind. */
export const destinationModule = (kind: string): DestinationModule => {
  if (!isDestinationKind(kind)) throw new UnknownDestinationError(kind);
  return MODULES[kind];
};

/** Every kind's module, in the order the admin page offers them. */
export const destinationModules = (): readonly DestinationModule[] => DESTINATION_KINDS.map((kind) => MODULES[kind]);
