// Test helpers for other workspaces' tests (end-to-end suite, benchmarks); never imported by Pallet.
export { listStorageKeys } from './list-keys';
export { S3RVER_CREDENTIALS, type S3TestServer, startS3TestServer } from './s3-test-server';
