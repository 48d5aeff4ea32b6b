// A frozen distribution refuses every change to its package set (423) until it is unfrozen; it still serves.
import { Locked } from '../errors/domain-errors';

export function assertNotFrozen(dist: { name: string; frozen: boolean }, change: string): void {
  if (dist.frozen) {
    throw new Locked(
      `Distribution ${dist.name} is frozen: ${change} is refused until it is unfrozen.`,
      'distribution_frozen',
    );
  }
}
