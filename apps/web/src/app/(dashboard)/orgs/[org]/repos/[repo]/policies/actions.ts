'use server';
// Saves a repository's upload policy with the same core service as PUT /api/v1/orgs/{org}/repos/{repo}/policies.
import { type PolicyRule, updatePolicy } from '@pallet/core';
import { revalidatePath } from 'next/cache';
import { act } from '../../../../../_lib/dashboard';

export type PolicyFormState = { ok: boolean; message: string } | null;

type Action = 'refuse' | 'quarantine';

function actionOf(form: FormData, field: string): Action {
  return form.get(field) === 'quarantine' ? 'quarantine' : 'refuse';
}

/** One rule per kind from the form; an empty field leaves its rule out. */
function rulesFrom(form: FormData): unknown[] {
  const rules: unknown[] = [];
  const severity = String(form.get('minSeverity') ?? '');
  if (severity)
    rules.push({
      kind: 'vulnerability',
      minSeverity: severity,
      action: actionOf(form, 'vulnerabilityAction'),
    });
  const allow = String(form.get('licenseAllow') ?? '')
    .split(/[\s,]+/)
    .filter(Boolean);
  if (allow.length > 0) rules.push({ kind: 'license', allow, action: actionOf(form, 'licenseAction') });
  const pattern = String(form.get('namePattern') ?? '').trim();
  if (pattern) rules.push({ kind: 'name', pattern, action: actionOf(form, 'nameAction') });
  if (form.get('unsignedRpm') === 'on')
    rules.push({ kind: 'unsigned-rpm', action: actionOf(form, 'unsignedAction') });
  return rules;
}

export async function savePolicyAction(
  org: string,
  repo: string,
  _prev: PolicyFormState,
  form: FormData,
): Promise<PolicyFormState> {
  const rules = rulesFrom(form);
  const result = await act({ org, repo, rules }, (core, actor) =>
    updatePolicy(core, actor, org, repo, { rules: rules as PolicyRule[] }),
  );
  revalidatePath(`/orgs/${org}/repos/${repo}/policies`);
  return result.ok
    ? { ok: true, message: `Policy saved: ${rules.length} rule${rules.length === 1 ? '' : 's'}.` }
    : { ok: false, message: result.error };
}
