// The name of next-auth's session cookie, apart from the next-auth options so that the API's cookie check
// (auth.ts) does not load next-auth's providers (the front process serves uploads without them).
import { getCore } from './core';

export function usesSecureCookies(): boolean {
  return getCore().config.appUrl.startsWith('https://');
}

/** The cookie next-auth keeps the session JWT in (read by lib/auth.ts for API calls). */
export function sessionCookieName(): string {
  return `${usesSecureCookies() ? '__Secure-' : ''}next-auth.session-token`;
}
