// A repository's upload policy: rules checked while an upload is received. Each rule either refuses the
// upload (422, nothing stored) or quarantines the package (stored, visible to the org, never published
// until an admin releases it).
import { z } from 'zod';

const action = z.enum(['refuse', 'quarantine']);

export const policyRule = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('vulnerability'),
    /** packages with a known vulnerability at or above this severity */
    minSeverity: z.enum(['low', 'medium', 'high', 'critical']),
    action,
  }),
  z.object({
    kind: z.literal('license'),
    /** licenses (SPDX ids or the package's own spelling) allowed; a package declaring another is caught */
    allow: z.array(z.string().min(1).max(100)).min(1).max(200),
    action,
  }),
  z.object({
    kind: z.literal('name'),
    /** a glob on the package name: `*` any run of characters, `?` one character */
    pattern: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9.+_*?-]+$/, 'pattern may use letters, digits, . + _ - and the wildcards * ?'),
    action,
  }),
  z.object({
    /** rpm uploads without an OpenPGP header signature */
    kind: z.literal('unsigned-rpm'),
    action,
  }),
]);
export type PolicyRule = z.infer<typeof policyRule>;

export const policyBody = z.object({ rules: z.array(policyRule).max(50) });
export type PolicyView = z.infer<typeof policyBody> & { updatedAt: string | null };

export function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Reads stored rules, dropping any a newer version no longer understands rather than failing uploads. */
export function storedRules(json: unknown): PolicyRule[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((r) => {
    const parsed = policyRule.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  });
}
