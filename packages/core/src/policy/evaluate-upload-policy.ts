// Checks an upload against its repository's policy while the request is open: a refusal reaches the
// client as 422 and nothing is stored. The vulnerability rule is one advisory query on the package's
// name, source name and version (find-advisory-matches.ts).
import type { RawSql, Tx } from '@pallet/db';
import { findAdvisoryMatches, type PackageIdentity } from '../advisory/find-advisory-matches';
import { severityRank } from '../advisory/severity';
import { globToRegExp, type PolicyRule, storedRules } from './policy-rules';

export interface UploadCandidate extends PackageIdentity {
  format: 'deb' | 'rpm';
  /** the SPDX expressions the package declares (Package.licenses); empty when it declares none */
  licenses: string[];
  /** rpm only: whether the upload carries an OpenPGP header signature */
  signed?: boolean;
}

export interface PolicyDecision {
  action: 'accept' | 'refuse' | 'quarantine';
  /** one sentence per rule that matched */
  reasons: string[];
}

/**
 * The license ids an SPDX expression names. Every one must be allowed, `OR` choices included: a
 * conservative reading (an allow list admits `MIT OR GPL-3.0-only` only when it admits both).
 */
function licensesIn(expression: string): string[] {
  return expression
    .split(/\s+(?:AND|OR|WITH)\s+|[()]/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

async function ruleReason(
  db: Tx | RawSql,
  rule: PolicyRule,
  pkg: UploadCandidate,
): Promise<string | undefined> {
  switch (rule.kind) {
    case 'vulnerability': {
      const matches = (await findAdvisoryMatches(db, pkg)).filter(
        (m) => severityRank(m.severity) >= severityRank(rule.minSeverity),
      );
      if (matches.length === 0) return undefined;
      const list = matches
        .map((m) => `${m.advisoryId} (${m.severity}${m.fixedVersion ? `, fixed in ${m.fixedVersion}` : ''})`)
        .join(', ');
      return `${pkg.name} ${pkg.version} has known vulnerabilities at or above ${rule.minSeverity}: ${list}.`;
    }
    case 'license': {
      const allowed = new Set(rule.allow.map((l) => l.toLowerCase()));
      const refused = [...new Set(pkg.licenses.flatMap(licensesIn))].filter(
        (l) => !allowed.has(l.toLowerCase()),
      );
      return refused.length > 0
        ? `${pkg.name} declares ${pkg.licenses.join(' AND ')}; not in the allowed licenses: ${refused.join(', ')}.`
        : undefined;
    }
    case 'name':
      return globToRegExp(rule.pattern).test(pkg.name)
        ? `${pkg.name} matches the name pattern ${rule.pattern}.`
        : undefined;
    case 'unsigned-rpm':
      return pkg.format === 'rpm' && pkg.signed === false
        ? `${pkg.name} is an rpm without a signature.`
        : undefined;
  }
}

/** `storedPolicy` is RepositoryPolicy.rules as read (authorizeRepositoryUpload reads it with the repository). */
export async function evaluateUploadPolicy(
  db: Tx | RawSql,
  storedPolicy: unknown,
  pkg: UploadCandidate,
): Promise<PolicyDecision> {
  const rules = storedRules(storedPolicy);
  const refuse: string[] = [];
  const quarantine: string[] = [];
  for (const rule of rules) {
    const reason = await ruleReason(db, rule, pkg);
    if (reason) (rule.action === 'refuse' ? refuse : quarantine).push(reason);
  }
  if (refuse.length > 0) return { action: 'refuse', reasons: refuse };
  if (quarantine.length > 0) return { action: 'quarantine', reasons: quarantine };
  return { action: 'accept', reasons: [] };
}
