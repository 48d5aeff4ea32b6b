// The 404 page: unknown pages and resources of other orgs look the same (no existence leak).
import Link from 'next/link';
import { buttonClass } from '@/components/ui/button';

export const metadata = { title: 'Not found' };

export default function NotFound() {
  return (
    <main
      id="main"
      className="mx-auto flex min-h-[70vh] max-w-lg flex-col items-center justify-center px-6 text-center"
    >
      <p className="text-sm font-semibold text-indigo-700">404</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600">
        This page does not exist, or you do not have access to it. Check the address, or go back to your
        repositories.
      </p>
      <Link href="/" className={`${buttonClass('primary')} mt-6`}>
        Go to your dashboard
      </Link>
    </main>
  );
}
