import { describe, expect, it } from 'vitest';
import { scheduleNextPublication } from './schedule-publication';

const timing = { quietMs: 300, maxDelayMs: 3000 };
const T = Date.UTC(2026, 0, 1, 12, 0, 0); // a whole second

describe('scheduleNextPublication', () => {
  it('lets a first publication run at once', () => {
    expect(scheduleNextPublication({ now: T + 10 }, timing)).toBeLessThanOrEqual(T + 10);
    expect(scheduleNextPublication({ now: T + 10, newestChange: T }, timing)).toBe(T + 300);
  });

  it('never publishes twice in one second: the next publication waits for the next second', () => {
    expect(scheduleNextPublication({ now: T + 400, currentDate: T, currentMadeAt: T + 200 })).toBe(T + 1000);
    expect(scheduleNextPublication({ now: T + 1000, currentDate: T })).toBe(T + 1000);
    expect(scheduleNextPublication({ now: T + 5000, currentDate: T })).toBe(T + 5000);
  });

  it('waits out a current Date that is ahead of the clock instead of publishing an older one', () => {
    expect(scheduleNextPublication({ now: T, currentDate: T + 20_000 })).toBe(T + 21_000);
  });

  it('publishes an upload after a quiet spell once the shortest pause has passed', () => {
    const state = { now: T + 60_000, currentDate: T, currentMadeAt: T + 100, newestChange: T + 60_000 };
    expect(scheduleNextPublication(state, timing)).toBe(T + 60_300);
  });

  it('waits longer for a pause while changes keep arriving, never holding one past the maximum delay', () => {
    // changes 800 ms apart: wait 1.2 s after the newest one
    const stream = { now: T + 5000, currentDate: T, currentMadeAt: T + 100, newestChange: T + 4800 };
    expect(
      scheduleNextPublication({ ...stream, previousChange: T + 4000, oldestChange: T + 3200 }, timing),
    ).toBe(T + 6000);
    // the oldest pending change has waited nearly the maximum: publish at its deadline
    expect(
      scheduleNextPublication({ ...stream, previousChange: T + 4000, oldestChange: T + 2500 }, timing),
    ).toBe(T + 5500);
    // a burst (changes 20 ms apart) waits only the shortest pause
    expect(
      scheduleNextPublication({ ...stream, previousChange: T + 4780, oldestChange: T + 4000 }, timing),
    ).toBe(T + 5100);
  });

  it('still keeps to one publication per second when the debounce would allow sooner', () => {
    const state = { now: T + 1100, currentDate: T + 1000, currentMadeAt: T + 1050, newestChange: T + 1090 };
    expect(scheduleNextPublication({ ...state, oldestChange: T - 5000 }, timing)).toBe(T + 2000);
  });
});
