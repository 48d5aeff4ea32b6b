// Create a repository: name, visibility, description and the signing key's algorithm.
import Link from 'next/link';
import { PageHeader } from '@/components/ui/page-header';
import { CreateRepositoryForm } from './create-repository-form';

export const metadata = { title: 'New repository' };

export default async function NewRepositoryPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href={`/orgs/${org}/repos`} className="hover:underline">
            ← Repositories
          </Link>
        }
        title="New repository"
        description="A repository serves both APT (.deb) and DNF/zypper (.rpm) packages; each distribution you upload to gets its own signed index."
      />
      <div className="max-w-xl rounded-lg border border-slate-200 bg-white p-5 shadow-xs">
        <CreateRepositoryForm org={org} />
      </div>
    </>
  );
}
