import { describe, expect, it } from 'vitest';
import type { CoreContext } from '../context/core-context';
import { checkIssuer } from './create-oidc-trust';

const ctx = (allowHttp: boolean) =>
  ({ config: { oidcAllowHttpIssuers: allowHttp } }) as unknown as CoreContext;

describe('checkIssuer', () => {
  it('takes https issuers, and http ones only with the operator setting', () => {
    expect(() => checkIssuer(ctx(false), 'https://token.actions.githubusercontent.com')).not.toThrow();
    expect(() => checkIssuer(ctx(false), 'http://127.0.0.1:8080')).toThrow(/https/);
    expect(() => checkIssuer(ctx(true), 'http://127.0.0.1:8080')).not.toThrow();
  });

  it('refuses issuers with credentials, a query or a fragment', () => {
    expect(() => checkIssuer(ctx(false), 'https://u:p@gitlab.example.com')).toThrow();
    expect(() => checkIssuer(ctx(false), 'https://gitlab.example.com?x=1')).toThrow();
    expect(() => checkIssuer(ctx(false), 'not a url')).toThrow();
  });
});
