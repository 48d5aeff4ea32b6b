import { describe, expect, it } from 'vitest';
import { planRetention } from './plan-retention';

const now = new Date('2026-12-05T12:00:00Z');
const day = 86_400_000;
const row = (id: string, version: string, ageDays = 0, name = 'hello', architecture = 'amd64') => ({
  id,
  name,
  architecture,
  version,
  createdAt: new Date(now.getTime() - ageDays * day),
});

describe('planRetention', () => {
  it('keeps the newest N versions per name and architecture in dpkg order', () => {
    const rows = [
      row('a', '1.0'),
      row('b', '1.10'),
      row('c', '1.9'),
      row('d', '1:0.1'),
      row('e', '1.0', 0, 'hello', 'arm64'),
    ];
    const removed = planRetention('DEB', rows, { keepVersions: 2, maxAgeDays: null }, now);
    // 1:0.1 > 1.10 > 1.9 > 1.0; the arm64 build is its own group and its only version.
    expect(removed.map((r) => r.id).sort()).toEqual(['a', 'c']);
  });

  it('orders rpm versions by epoch, version and release', () => {
    const rows = [row('a', '1.0-2'), row('b', '1.0-10'), row('c', '2:0.5-1'), row('d', '1.0~rc1-1')];
    const removed = planRetention('RPM', rows, { keepVersions: 1, maxAgeDays: null }, now);
    expect(removed.map((r) => r.id).sort()).toEqual(['a', 'b', 'd']);
  });

  it('drops versions older than maxAgeDays but never the newest one', () => {
    const rows = [row('new', '3.0', 40), row('mid', '2.0', 20), row('old', '1.0', 5)];
    const removed = planRetention('DEB', rows, { keepVersions: 10, maxAgeDays: 10 }, now);
    expect(removed.map((r) => r.id)).toEqual(['mid']);
    const only = planRetention('DEB', [row('x', '1.0', 400)], { keepVersions: 1, maxAgeDays: 1 }, now);
    expect(only).toEqual([]);
  });
});
