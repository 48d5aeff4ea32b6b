// next-auth (v4) for the dashboard: email + password through core's verifyCredentials, optional GitHub and
// OIDC providers switched on by configuration, short-lived JWT sessions in an httpOnly cookie.
import { DomainError, signInWithOAuth, verifyCredentials } from '@pallet/core';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import GitHubProvider from 'next-auth/providers/github';
import type { Provider } from 'next-auth/providers/index';
import { ipFromHeaders } from './client-ip';
import { getCore } from './core';
import { safeCallbackPath } from './safe-redirect';
import { sessionCookieName, usesSecureCookies } from './session-cookie';

export { sessionCookieName, usesSecureCookies };

/** A session lasts 8 hours; the cookie is re-issued (sliding) whenever the dashboard reads the session. */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;
const SESSION_UPDATE_AGE_SECONDS = 15 * 60;

/** next-auth hands authorize() the request headers as a plain object. */
function headerIp(headers: Record<string, unknown> | undefined): string | undefined {
  const entries = Object.entries(headers ?? {}).filter(
    (e): e is [string, string] => typeof e[1] === 'string',
  );
  return ipFromHeaders(new Headers(entries));
}

function providers(): Provider[] {
  const { oauth } = getCore().config;
  const list: Provider[] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'Email and password',
      credentials: {
        email: { label: 'Email', type: 'email' },
        password: { label: 'Password', type: 'password' },
      },
      async authorize(credentials, req) {
        try {
          const user = await verifyCredentials(getCore(), credentials ?? {}, headerIp(req.headers));
          return { id: user.userId, email: user.email };
        } catch (err) {
          // next-auth passes the thrown message to the sign-in page as `?error=`: a stable code, no detail.
          if (err instanceof DomainError) throw new Error(err.code);
          throw err;
        }
      },
    }),
  ];
  if (oauth.github) {
    list.push(GitHubProvider({ clientId: oauth.github.clientId, clientSecret: oauth.github.clientSecret }));
  }
  if (oauth.oidc) {
    list.push({
      id: 'oidc',
      name: oauth.oidc.name,
      type: 'oauth',
      wellKnown: `${oauth.oidc.issuer}/.well-known/openid-configuration`,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      checks: ['pkce', 'state'],
      clientId: oauth.oidc.clientId,
      clientSecret: oauth.oidc.clientSecret,
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? null };
      },
    });
  }
  return list;
}

let cached: NextAuthOptions | undefined;

export function getAuthOptions(): NextAuthOptions {
  cached ??= {
    secret: getCore().config.authSecret,
    useSecureCookies: usesSecureCookies(),
    providers: providers(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS, updateAge: SESSION_UPDATE_AGE_SECONDS },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/sign-in', error: '/sign-in' },
    callbacks: {
      // next-auth's default accepts any `url` starting with `/`, which a browser may read as another host.
      async redirect({ url, baseUrl }) {
        return `${baseUrl}${safeCallbackPath(url, baseUrl)}`;
      },
      async signIn({ user, account }) {
        if (account?.type !== 'oauth') return true;
        try {
          const signedIn = await signInWithOAuth(getCore(), {
            provider: account.provider,
            providerAccountId: account.providerAccountId,
            email: user.email,
            name: user.name,
          });
          // The jwt callback receives this same object: carry our user id, not the provider's.
          user.id = signedIn.userId;
          user.email = signedIn.email;
          return true;
        } catch (err) {
          if (err instanceof DomainError) return `/sign-in?error=${encodeURIComponent(err.code)}`;
          throw err;
        }
      },
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.email = user.email;
        }
        return token;
      },
      async session({ session, token }) {
        session.user = { id: token.sub ?? '', email: token.email ?? '' };
        return session;
      },
    },
  };
  return cached;
}

/** The options object itself, for `getServerSession(authOptions)` in pages and server actions. */
export const authOptions: NextAuthOptions = new Proxy({} as NextAuthOptions, {
  get: (_target, prop) => getAuthOptions()[prop as keyof NextAuthOptions],
  has: (_target, prop) => prop in getAuthOptions(),
  ownKeys: () => Reflect.ownKeys(getAuthOptions()),
  getOwnPropertyDescriptor: (_target, prop) => Reflect.getOwnPropertyDescriptor(getAuthOptions(), prop),
});
