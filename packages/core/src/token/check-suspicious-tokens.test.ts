import { describe, expect, it } from 'vitest';
import { judgeTokenUsage, type SuspicionRule } from './check-suspicious-tokens';

const rule: SuspicionRule = {
  windowMinutes: 60,
  historyDays: 7,
  minAddresses: 20,
  addressFactor: 4,
  minRequests: 5000,
  requestFactor: 10,
  cooldownHours: 24,
};

describe('judgeTokenUsage', () => {
  it('flags many more addresses than the token ever used in an hour', () => {
    expect(judgeTokenUsage({ addresses: 25, requests: 50, maxAddresses: 2, maxRequests: 40 }, rule)).toMatch(
      /25 addresses/,
    );
    expect(judgeTokenUsage({ addresses: 25, requests: 50, maxAddresses: 0, maxRequests: 0 }, rule)).toMatch(
      /25 addresses/,
    );
  });

  it('does not flag a fleet that always used that many addresses, nor a few addresses', () => {
    expect(
      judgeTokenUsage({ addresses: 25, requests: 50, maxAddresses: 30, maxRequests: 40 }, rule),
    ).toBeNull();
    expect(
      judgeTokenUsage({ addresses: 19, requests: 50, maxAddresses: 0, maxRequests: 0 }, rule),
    ).toBeNull();
  });

  it('flags a far higher rate than its history, above the floor', () => {
    expect(
      judgeTokenUsage({ addresses: 1, requests: 6000, maxAddresses: 1, maxRequests: 100 }, rule),
    ).toMatch(/6000 requests/);
    expect(
      judgeTokenUsage({ addresses: 1, requests: 6000, maxAddresses: 1, maxRequests: 1000 }, rule),
    ).toBeNull();
    expect(
      judgeTokenUsage({ addresses: 1, requests: 4000, maxAddresses: 1, maxRequests: 0 }, rule),
    ).toBeNull();
  });
});
