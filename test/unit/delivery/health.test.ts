import {
  healthAt,
  initialHealth,
  recordAttempt,
  reenable,
  type DeliveryOutcome,
  type EndpointHealth,
} from '../../../src/domain/delivery';
import { FAILING_AFTER_FAILURES, neverDelivered } from '../../../src/domain/delivery/health';

const T0 = new Date('2026-03-01T00:00:00Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
const MIN = 60;
const HOUR = 3600;
const DAY = 24 * HOUR;

const OK: DeliveryOutcome = { kind: 'delivered', httpStatus: 200 };
const E503: DeliveryOutcome = { kind: 'retry', errorClass: 'http', httpStatus: 503, message: 'HTTP 503 from receiver.' };
const REFUSED: DeliveryOutcome = { kind: 'retry', errorClass: 'refused', message: 'Connection refused by the receiver (ECONNREFUSED).' };
const GONE: DeliveryOutcome = { kind: 'disable', errorClass: 'http', httpStatus: 410, message: 'HTTP 410 Gone from receiver: the endpoint says it no longer exists.' };

function run(steps: [number, DeliveryOutcome][], start: EndpointHealth = initialHealth(T0)): EndpointHealth {
  return steps.reduce((health, [seconds, outcome]) => recordAttempt(health, outcome, at(seconds)), start);
}

describe('endpoint health', () => {
  it('stays healthy through a short blip and forgets it on success', () => {
    const blip = run([[0, E503], [30, E503]]);
    expect(blip).toMatchObject({ state: 'healthy', since: T0.toISOString(), failingSince: T0.toISOString(), reason: 'HTTP 503 from receiver.' });
    const recovered = recordAttempt(blip, OK, at(150));
    expect(recovered).toEqual({ state: 'healthy', since: T0.toISOString() });
  });

  it('restarts "healthy since" when recovering from failing', () => {
    const failing = run([[0, E503], [20 * MIN, E503]]);
    expect(recordAttempt(failing, OK, at(HOUR))).toEqual({ state: 'healthy', since: at(HOUR).toISOString() });
  });

  it('turns failing once failures have lasted 15 minutes, dated from the first failure', () => {
    const health = run([[0, E503], [14 * MIN, REFUSED], [15 * MIN, REFUSED]]);
    expect(health).toMatchObject({ state: 'failing', since: T0.toISOString(), reason: 'Connection refused by the receiver (ECONNREFUSED).' });
  });

  it('shows failing between attempts once 15 minutes have passed without success', () => {
    const health = run([[0, E503], [30, E503]]);
    expect(healthAt(health, at(14 * MIN)).state).toBe('healthy');
    expect(healthAt(health, at(15 * MIN))).toMatchObject({ state: 'failing', since: T0.toISOString() });
  });

  it('disables after 5 days of continuous failure', () => {
    const steps: [number, DeliveryOutcome][] = [];
    for (let t = 0; t <= 5 * DAY; t += 8 * HOUR) steps.push([t, E503]);
    const justBefore = run(steps.filter(([t]) => t < 5 * DAY));
    expect(justBefore.state).toBe('failing');
    const health = run([...steps, [5 * DAY, E503]]);
    expect(health).toMatchObject({ state: 'disabled', since: at(5 * DAY).toISOString() });
    expect(health.reason).toMatch(/^Failing continuously for 5 days; last error: HTTP 503/);
  });

  it('does not count a gap of more than 24 h without attempts as continuous failure', () => {
    const health = run([[0, E503], [HOUR, E503], [5 * DAY, E503]]);
    expect(health).toMatchObject({ state: 'healthy', failingSince: at(5 * DAY).toISOString() });
  });

  it('a success resets the failure clock', () => {
    const health = run([[0, E503], [3 * DAY, E503], [3 * DAY + 1, OK], [3 * DAY + 2, E503], [3 * DAY + 20 * MIN, E503]]);
    expect(health.state).toBe('failing');
    expect(health.failingSince).toBe(at(3 * DAY + 2).toISOString());
  });

  it('disables at once on a disable outcome, and stays disabled until re-enabled', () => {
    const disabled = run([[0, GONE]]);
    expect(disabled).toMatchObject({ state: 'disabled', since: T0.toISOString(), reason: GONE.kind === 'disable' ? GONE.message : '' });
    expect(recordAttempt(disabled, OK, at(10))).toBe(disabled);
    expect(healthAt(disabled, at(DAY))).toBe(disabled);
    // Re-enabled: nothing delivered since, so not "healthy" until something is.
    expect(reenable(at(20))).toEqual({ state: 'never-delivered', since: at(20).toISOString() });
  });

  it('never delivered: stays so through a blip, turns healthy on the first success', () => {
    const fresh = neverDelivered(T0);
    const blip = recordAttempt(fresh, E503, at(10));
    expect(blip).toMatchObject({ state: 'never-delivered', since: T0.toISOString(), failingSince: at(10).toISOString(), consecutiveFailures: 1 });
    expect(recordAttempt(blip, OK, at(20))).toEqual({ state: 'healthy', since: at(20).toISOString() });
    expect(recordAttempt(fresh, OK, at(30))).toEqual({ state: 'healthy', since: at(30).toISOString() });
  });

  it('never delivered turns failing like healthy does (3 in a row, or 15 minutes between attempts)', () => {
    expect(run([[0, E503], [1, E503], [2, E503]], neverDelivered(T0))).toMatchObject({ state: 'failing', consecutiveFailures: 3 });
    const two = run([[0, E503], [1, E503]], neverDelivered(T0));
    expect(healthAt(two, at(15 * MIN)).state).toBe('failing');
  });

  it(`turns failing after ${FAILING_AFTER_FAILURES} failed requests in a row, within seconds, counting permanent refusals`, () => {
    const E400: DeliveryOutcome = { kind: 'permanent', errorClass: 'http', httpStatus: 400, message: 'HTTP 400 from receiver: the receiver rejected the payload.' };
    const two = run([[0, E400], [1, E400]]);
    expect(two).toMatchObject({ state: 'healthy', consecutiveFailures: 2 });
    const three = recordAttempt(two, E400, at(2));
    expect(three).toMatchObject({ state: 'failing', since: T0.toISOString(), failingSince: T0.toISOString(), consecutiveFailures: 3, reason: E400.kind === 'permanent' ? E400.message : '' });
    // Mixed kinds count together: the endpoint refused or failed every request.
    expect(run([[0, E503], [1, E400], [2, REFUSED]])).toMatchObject({ state: 'failing', consecutiveFailures: 3 });
  });

  it('a success in between starts the count again', () => {
    const health = run([[0, E503], [1, E503], [2, OK], [3, E503], [4, E503]]);
    expect(health).toMatchObject({ state: 'healthy', consecutiveFailures: 2, failingSince: at(3).toISOString() });
  });

  it('failures more than 24 h apart are not "in a row"', () => {
    const health = run([[0, E503], [1, E503], [2 * DAY, E503]]);
    expect(health).toMatchObject({ state: 'healthy', consecutiveFailures: 1 });
  });

  it('returns the same object when nothing changes (no needless KVS write)', () => {
    const healthy = initialHealth(T0);
    expect(recordAttempt(healthy, OK, at(5))).toBe(healthy);
  });
});
