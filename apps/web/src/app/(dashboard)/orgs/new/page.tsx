// Create another org: separate repositories, tokens, members and audit log.
import { AppHeader } from '@/components/shell/app-header';
import { PageHeader } from '@/components/ui/page-header';
import { currentUser } from '../../_lib/orgs';
import { CreateOrgForm } from './create-org-form';

export const metadata = { title: 'New org' };
// Per request: it reads the session (and the build has no database to read).
export const dynamic = 'force-dynamic';

export default async function NewOrgPage() {
  const { email, orgs } = await currentUser();
  return (
    <>
      <AppHeader email={email} orgs={orgs} />
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
        <PageHeader
          title="New org"
          description="An org keeps its own repositories, tokens, members and audit log. You become its owner."
        />
        <div className="max-w-xl rounded-lg border border-slate-200 bg-white p-5 shadow-xs">
          <CreateOrgForm />
        </div>
      </main>
    </>
  );
}
