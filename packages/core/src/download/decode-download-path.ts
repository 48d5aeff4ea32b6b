// Splits a raw request path (as sent, percent-encoded) below a prefix into decoded segments. Malformed
// percent-encoding and NUL characters are client errors (400), not something to look up.
import { InvalidRequest } from '../errors/domain-errors';

export function decodePathSegments(rawPath: string, prefix: string): string[] {
  if (!rawPath.startsWith(prefix)) throw new InvalidRequest(`The path must start with ${prefix}.`);
  const segments: string[] = [];
  for (const raw of rawPath.slice(prefix.length).split('/')) {
    if (raw === '') continue;
    let segment = raw;
    if (raw.includes('%')) {
      try {
        segment = decodeURIComponent(raw);
      } catch {
        throw new InvalidRequest('The path has malformed percent-encoding.', 'invalid_path');
      }
    }
    if (segment.includes('\0'))
      throw new InvalidRequest('The path contains a NUL character.', 'invalid_path');
    segments.push(segment);
  }
  return segments;
}
