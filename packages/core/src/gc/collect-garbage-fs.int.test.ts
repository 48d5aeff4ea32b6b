// Garbage collection on filesystem storage: see collect-garbage.scenario.ts.
import { collectGarbageScenario } from './collect-garbage.scenario';

collectGarbageScenario('fs');
