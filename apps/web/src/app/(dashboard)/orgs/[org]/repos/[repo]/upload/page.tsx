// The Upload tab: drag-and-drop or choose .deb/.rpm files; each uploads with its own progress bar.
import { getRepository } from '@pallet/core';
import { loadOr404 } from '../../../../../_lib/dashboard';
import { UploadForm } from './upload-form';

export const metadata = { title: 'Upload' };

export default async function UploadPage({ params }: { params: Promise<{ org: string; repo: string }> }) {
  const { org, repo } = await params;
  const r = await loadOr404((core, actor) => getRepository(core, actor, org, repo));
  const firstOf = (format: 'deb' | 'rpm') =>
    (r.distributions ?? []).find((d) => {
      const distro = d.split('/')[0] ?? '';
      return format === 'deb' ? DEB.has(distro) : !DEB.has(distro) && distro !== 'any';
    });
  return (
    <UploadForm
      org={org}
      repo={repo}
      defaultDeb={firstOf('deb') ?? 'debian/bookworm'}
      defaultRpm={firstOf('rpm') ?? 'el/9'}
    />
  );
}

const DEB = new Set(['debian', 'ubuntu', 'raspbian', 'linuxmint', 'elementaryos', 'pop', 'kali', 'devuan']);
