// Structured logging (pino) with secrets redacted at the source: credentials, passwords and tokens
// never reach a log line, whatever object a caller passes.
import { pino } from 'pino';

export type Logger = pino.Logger;

export const REDACTED_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'cookie',
  '*.cookie',
  'privateKey',
  '*.privateKey',
  'passwordHash',
  '*.passwordHash',
  'tokenHash',
  '*.tokenHash',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { app: 'pallet' } },
    destination,
  );
}
