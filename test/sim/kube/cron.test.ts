// The CronJob schedule parser: the forms teams write (*/N, fixed minute and hour, ranges, lists,
// names, @macros) give the next runs cron gives, and a bad schedule says why.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CronError, nextRun, parseCron } from '../../../src/sim/kube/cron.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

/** The next `count` runs after `from`. */
function runs(schedule: string, from: string, count: number): Array<string | undefined> {
  const parsed = parseCron(schedule);
  const out: Array<string | undefined> = [];
  let t: number | undefined = at(from);
  for (let i = 0; i < count && t !== undefined; i += 1) {
    t = nextRun(parsed, t);
    out.push(iso(t));
  }
  return out;
}

describe('cron schedules', () => {
  it('*/5 runs on every fifth minute, strictly after the given instant', () => {
    assert.deepEqual(runs('*/5 * * * *', '2020-12-11T13:24:30Z', 3), [
      '2020-12-11T13:25:00.000Z',
      '2020-12-11T13:30:00.000Z',
      '2020-12-11T13:35:00.000Z',
    ]);
    assert.deepEqual(runs('*/5 * * * *', '2020-12-11T13:25:00Z', 1), ['2020-12-11T13:30:00.000Z']);
  });

  it('a fixed minute and hour runs once a day; crossing month and year ends', () => {
    assert.deepEqual(runs('30 2 * * *', '2020-12-31T03:00:00Z', 2), [
      '2021-01-01T02:30:00.000Z',
      '2021-01-02T02:30:00.000Z',
    ]);
  });

  it('macros: @hourly, @daily, @weekly (Sunday), @monthly, @yearly', () => {
    assert.deepEqual(runs('@hourly', '2020-12-11T13:24:00Z', 2), [
      '2020-12-11T14:00:00.000Z',
      '2020-12-11T15:00:00.000Z',
    ]);
    assert.deepEqual(runs('@daily', '2020-12-11T13:24:00Z', 1), ['2020-12-12T00:00:00.000Z']);
    assert.deepEqual(runs('@weekly', '2020-12-11T13:24:00Z', 1), ['2020-12-13T00:00:00.000Z']);
    assert.deepEqual(runs('@monthly', '2020-12-11T13:24:00Z', 1), ['2021-01-01T00:00:00.000Z']);
    assert.deepEqual(runs('@yearly', '2020-12-11T13:24:00Z', 1), ['2021-01-01T00:00:00.000Z']);
  });

  it('ranges, lists, steps over ranges and names; weekday 7 is Sunday', () => {
    // 2020-12-11 is a Friday.
    assert.deepEqual(runs('0 9 * * mon-fri', '2020-12-11T10:00:00Z', 2), [
      '2020-12-14T09:00:00.000Z',
      '2020-12-15T09:00:00.000Z',
    ]);
    assert.deepEqual(runs('15,45 8-10/2 * * *', '2020-12-11T08:20:00Z', 3), [
      '2020-12-11T08:45:00.000Z',
      '2020-12-11T10:15:00.000Z',
      '2020-12-11T10:45:00.000Z',
    ]);
    assert.deepEqual(runs('0 0 * * 7', '2020-12-11T00:00:00Z', 1), ['2020-12-13T00:00:00.000Z']);
    assert.deepEqual(runs('0 0 1 feb *', '2020-12-11T00:00:00Z', 1), ['2021-02-01T00:00:00.000Z']);
  });

  it('day of month and day of week both restricted: either matches', () => {
    // The 13th, or any Monday: Sunday 13 Dec, then Monday 14 Dec.
    assert.deepEqual(runs('0 0 13 * 1', '2020-12-11T00:00:00Z', 2), [
      '2020-12-13T00:00:00.000Z',
      '2020-12-14T00:00:00.000Z',
    ]);
  });

  it('a schedule that never comes (30 February) has no next run', () => {
    assert.equal(nextRun(parseCron('0 0 30 2 *'), at('2020-12-11T00:00:00Z')), undefined);
  });

  it('bad schedules are refused with the reason', () => {
    assert.throws(() => parseCron('* * * *'), new CronError('expected exactly 5 fields, found 4: * * * *'));
    assert.throws(() => parseCron('61 * * * *'), /minute "61" is not between 0 and 59/);
    assert.throws(() => parseCron('*/0 * * * *'), /minute step "0" is not a positive number/);
    assert.throws(() => parseCron('@fortnightly'), /unrecognized descriptor: @fortnightly/);
    assert.throws(() => parseCron('5-1 * * * *'), /minute range "5-1" runs backwards/);
  });
});
