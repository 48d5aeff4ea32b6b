import { describe, expect, it } from 'vitest';
import { subjectMatches } from './subject-pattern';

describe('subjectMatches', () => {
  it('matches GitHub subjects of any repository of an org on main', () => {
    const p = 'repo:acme/*:ref:refs/heads/main';
    expect(subjectMatches(p, 'repo:acme/app:ref:refs/heads/main')).toBe(true);
    expect(subjectMatches(p, 'repo:acme/app:ref:refs/heads/feature')).toBe(false);
    expect(subjectMatches(p, 'repo:other/app:ref:refs/heads/main')).toBe(false);
  });

  it('keeps * within one colon-separated field', () => {
    const p = 'repo:acme/*:ref:refs/heads/main';
    expect(subjectMatches(p, 'repo:acme/app:environment:prod:ref:refs/heads/main')).toBe(false);
    expect(subjectMatches('repo:acme/app:**', 'repo:acme/app:environment:prod')).toBe(true);
  });

  it('matches the whole subject and treats regex characters literally', () => {
    expect(subjectMatches('repo:acme/app', 'repo:acme/app:ref:x')).toBe(false);
    expect(subjectMatches('a.b', 'aXb')).toBe(false);
    expect(
      subjectMatches(
        'project_path:grp/app:ref_type:branch:ref:v?',
        'project_path:grp/app:ref_type:branch:ref:v1',
      ),
    ).toBe(true);
  });
});
