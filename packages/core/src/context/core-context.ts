// Everything a core service needs, built once per process by createCoreContext.
import type { Config } from '@pallet/config';
import { type Db, getDb } from '@pallet/db';
import { createJobQueues, type JobQueues } from '@pallet/jobs';
import { createStorage, type Storage } from '@pallet/storage';
import { countStorageErrors } from '../metrics/pallet-metrics';
import { createLogger, type Logger } from './logger';

export interface CoreContext {
  config: Config;
  db: Db;
  storage: Storage;
  queues: JobQueues;
  log: Logger;
}

export function createCoreContext(config: Config, opts: { log?: Logger } = {}): CoreContext {
  return {
    config,
    db: getDb(config.databaseUrl),
    storage: countStorageErrors(
      createStorage(config.storage, {
        endpoint: config.s3.endpoint,
        region: config.s3.region,
        accessKeyId: config.s3.accessKeyId,
        secretAccessKey: config.s3.secretAccessKey,
        forcePathStyle: config.s3.forcePathStyle,
      }),
    ),
    queues: createJobQueues({ redisUrl: config.redisUrl, prefix: config.redisPrefix }),
    log: opts.log ?? createLogger(config.logLevel),
  };
}
