// An org's home is its repository list.
import { redirect } from 'next/navigation';

export default async function OrgHome({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  redirect(`/orgs/${org}/repos`);
}
