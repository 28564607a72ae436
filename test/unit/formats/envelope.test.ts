import { envelopeBody, envelopeOf } from '../../../src/domain/formats';
import { issueUpdated } from './fixtures';

describe('generic JSON envelope', () => {
  it('is { id, type, timestamp, data } in that order, whatever the event key order', () => {
    const event = issueUpdated();
    const shuffled = { data: event.data, timestamp: event.timestamp, type: event.type, id: event.id };
    const body = envelopeBody(shuffled);
    expect(Object.keys(JSON.parse(body) as object)).toEqual(['id', 'type', 'timestamp', 'data']);
    expect(body).toBe(envelopeBody(event));
    expect(JSON.parse(body)).toEqual(envelopeOf(event));
  });

  it('drops nothing but extra top-level keys', () => {
    const event = { ...issueUpdated(), internalRouting: 'x' };
    expect(JSON.parse(envelopeBody(event))).not.toHaveProperty('internalRouting');
  });
});
