// OIDC trust subject patterns: a glob over the ID token's `sub` claim, matched in full. CI providers
// build `sub` from `:`-separated fields (GitHub `repo:acme/app:ref:refs/heads/main`, GitLab
// `project_path:acme/app:ref_type:branch:ref:main`), so `*` matches within one field and never a `:` —
// `repo:acme/*:ref:refs/heads/main` cannot be satisfied by a subject with extra fields — while `**`
// matches across fields for those who mean it. `?` is one character other than `:`.

export function subjectPatternToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += '[^:]*';
    else if (c === '?') source += '[^:]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

export function subjectMatches(pattern: string, subject: string): boolean {
  return subjectPatternToRegExp(pattern).test(subject);
}
