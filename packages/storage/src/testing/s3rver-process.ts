// Runs s3rver (a real S3-protocol server) as its own process, for end-to-end tests and benchmarks whose
// test process blocks on spawnSync (apt-get, dnf): an in-process server would freeze with it.
// Prints one JSON line `{"endpoint","bucket"}` on stdout once the bucket exists; stops on SIGTERM.
import { startS3TestServer } from './s3-test-server';

const bucket = process.argv[2] ?? 'pallet-test';
const server = await startS3TestServer(bucket);
process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint, bucket })}\n`);
const stop = () => {
  server.stop().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
