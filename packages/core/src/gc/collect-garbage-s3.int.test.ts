// Garbage collection on S3 storage (s3rver): see collect-garbage.scenario.ts.
import { collectGarbageScenario } from './collect-garbage.scenario';

collectGarbageScenario('s3');
