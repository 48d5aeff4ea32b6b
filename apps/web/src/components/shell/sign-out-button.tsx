'use client';
// Ends the next-auth session and returns to the sign-in page.
import { LogOut } from 'lucide-react';
import { signOut } from 'next-auth/react';
import { Button } from '../ui/button';

export function SignOutButton() {
  return (
    <Button variant="ghost" size="sm" onClick={() => signOut({ callbackUrl: '/sign-in' })}>
      <LogOut size={14} aria-hidden="true" />
      Sign out
    </Button>
  );
}
