// The session shape Pallet's callbacks produce (lib/auth-options.ts): our user id and email.
import 'next-auth';

declare module 'next-auth' {
  interface Session {
    user: { id: string; email: string };
  }
}
