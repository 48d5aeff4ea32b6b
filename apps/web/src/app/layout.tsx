// Root layout of the dashboard and public pages.
import type { ReactNode } from 'react';

export const metadata = { title: 'Pallet', description: 'Signed APT and YUM/DNF repositories' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
