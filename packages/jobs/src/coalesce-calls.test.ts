// A burst of calls for one key becomes two runs: the one under way and one after it for the rest.
import { expect, it } from 'vitest';
import { coalesceCalls } from './coalesce-calls';

function deferredRuns() {
  const runs: { key: string; startedAt: number; finish: (err?: Error) => void }[] = [];
  let clock = 0;
  const run = (key: string) =>
    new Promise<void>((resolve, reject) => {
      runs.push({ key, startedAt: clock++, finish: (err) => (err ? reject(err) : resolve()) });
    });
  return { runs, run, tick: () => clock++ };
}

it('shares one next run among the calls made while a run is under way, per key', async () => {
  const { runs, run } = deferredRuns();
  const call = coalesceCalls(run);
  const first = call('a');
  const others = [call('a'), call('a'), call('a')];
  const b = call('b');
  expect(runs.map((r) => r.key)).toEqual(['a', 'b']);
  runs[0]!.finish();
  await first;
  await Promise.resolve();
  // The three later calls share the run that started after the first settled.
  expect(runs.map((r) => r.key)).toEqual(['a', 'b', 'a']);
  runs[2]!.finish();
  await Promise.all(others);
  runs[1]!.finish();
  await b;
  // Nothing under way: the next call runs at once.
  const again = call('a');
  expect(runs).toHaveLength(4);
  runs[3]!.finish();
  await again;
});

it("gives each caller its run's failure, and a failed run does not stop the next", async () => {
  const { runs, run } = deferredRuns();
  const call = coalesceCalls(run);
  const first = call('a');
  const second = call('a');
  runs[0]!.finish(new Error('redis down'));
  await expect(first).rejects.toThrow('redis down');
  await new Promise((r) => setTimeout(r, 0));
  expect(runs).toHaveLength(2);
  runs[1]!.finish();
  await expect(second).resolves.toBeUndefined();
});
