import { createRequire } from 'node:module';
import type { Answer } from '../receiver';
import { headerOf, type VendorRequest } from './request';

/**
 * Microsoft's Adaptive Cards library (npm `adaptivecards`). Its `lib/` build is ES modules without file
 * extensions, which Node cannot load, so the bundled `dist/` build is loaded; it parses cards without a DOM.
 */
const AdaptiveCards = createRequire(__filename)('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

/** What a Teams Workflow answers once its trigger has the request (before the card is posted). */
export const TEAMS_ACCEPTED: Answer = { status: 202, body: '' };

/** Teams refuses messages over about 28 KB; the stricter reading of that, in bytes. */
export const TEAMS_MESSAGE_LIMIT_BYTES = 28_000;

export interface TeamsCheck {
  /** What Teams or the Workflow would refuse or misread, one sentence each; empty when the request is as documented. */
  problems: string[];
  /** Adaptive Cards in the message. */
  cards: number;
  /** Events the message reports: 1 for a card about one event, N for a digest titled "N Jira audit events". */
  events: number;
  /** Event ids the message shows (a single-event card shows its event's id). */
  ids: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const header = headerOf;

/**
 * Parses one card with Microsoft's library and answers every parse event (unknown element or property,
 * invalid value...) and validation failure as text: a card Teams renders as sent answers none.
 */
export function adaptiveCardProblems(card: unknown): string[] {
  const parsed = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext();
  parsed.parse(card as Parameters<typeof parsed.parse>[0], context);
  const problems: string[] = [];
  for (let index = 0; index < context.eventCount; index += 1) {
    const event = context.getEventAt(index);
    problems.push(`Adaptive Cards parse: ${event.message}`);
  }
  for (const event of parsed.validateProperties().validationEvents) {
    problems.push(`Adaptive Cards validation: ${event.message}`);
  }
  return problems;
}

/** The plain texts of a card's body (TextBlock text, TextRun text, fact titles and values), in order. */
export function cardTexts(card: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isRecord(node)) return;
    if ((node.type === 'TextBlock' || node.type === 'TextRun') && typeof node.text === 'string') texts.push(node.text);
    if (isRecord(node) && Array.isArray(node.facts)) {
      for (const fact of node.facts) if (isRecord(fact)) texts.push(`${String(fact.title)}: ${String(fact.value)}`);
    }
    for (const key of ['body', 'inlines', 'items', 'columns']) if (key in node) walk(node[key]);
  };
  walk(isRecord(card) ? card.body : undefined);
  return texts;
}

/**
 * Checks a request against what a Teams Workflow made from "Send webhook alerts to a channel" reads: a
 * POST of JSON, at most 28,000 bytes, `{"type":"message","attachments":[...]}` whose attachments are
 * Adaptive Cards (contentType application/vnd.microsoft.card.adaptive, a version of 1.4 or lower, so that
 * Teams renders them) that Microsoft's library parses with no warning.
 */
export function checkTeamsRequest(request: VendorRequest): TeamsCheck {
  const problems: string[] = [];
  const result: TeamsCheck = { problems, cards: 0, events: 0, ids: [] };
  if (request.method !== 'POST') problems.push(`A Workflow trigger takes POST, got ${request.method}.`);
  if (!/[?&]sig=[^&]+/.test(request.path)) problems.push('The request URL carries no sig= token.');
  const contentType = header(request, 'content-type');
  if (!contentType?.toLowerCase().startsWith('application/json')) problems.push(`Content-Type is ${contentType ?? 'missing'}, not application/json.`);
  for (const name of ['authorization', 'webhook-signature']) if (header(request, name) !== undefined) problems.push(`The request carries ${name}, which a Workflow ignores.`);
  const bytes = Buffer.byteLength(request.body, 'utf8');
  if (bytes > TEAMS_MESSAGE_LIMIT_BYTES) problems.push(`The body has ${bytes} bytes, over Teams' 28 KB (${TEAMS_MESSAGE_LIMIT_BYTES} bytes): "Request Entity too large".`);
  let message: unknown;
  try {
    message = JSON.parse(request.body);
  } catch {
    problems.push('The body is not JSON (HTTP 400).');
    return result;
  }
  if (!isRecord(message) || message.type !== 'message' || !Array.isArray(message.attachments)) {
    problems.push('The body is not {"type":"message","attachments":[...]}, which the Workflow template reads.');
    return result;
  }
  if (message.attachments.length === 0) problems.push('The message has no attachments: the Workflow posts nothing.');
  message.attachments.forEach((attachment, index) => {
    const where = `Attachment ${index}`;
    if (!isRecord(attachment) || attachment.contentType !== 'application/vnd.microsoft.card.adaptive' || !isRecord(attachment.content)) {
      problems.push(`${where} is not an Adaptive Card (contentType application/vnd.microsoft.card.adaptive with a content object).`);
      return;
    }
    const card = attachment.content;
    result.cards += 1;
    if (card.type !== 'AdaptiveCard') problems.push(`${where}: the content's type is ${String(card.type)}, not AdaptiveCard.`);
    const version = typeof card.version === 'string' ? Number(card.version) : Number.NaN;
    if (!(version > 0 && version <= 1.4)) problems.push(`${where}: version ${String(card.version)} is not 1.4 or lower.`);
    for (const problem of adaptiveCardProblems(card)) problems.push(`${where}: ${problem}`);
    const texts = cardTexts(card);
    const digest = texts.map((text) => /^(\d+) Jira audit events$/.exec(text)).find((match) => match !== null);
    if (digest) {
      result.events += Number(digest[1]);
      return;
    }
    const id = texts.map((text) => /^Event (\S+)/.exec(text)).find((match) => match !== null);
    result.events += 1;
    if (id?.[1]) result.ids.push(id[1]);
  });
  return result;
}
