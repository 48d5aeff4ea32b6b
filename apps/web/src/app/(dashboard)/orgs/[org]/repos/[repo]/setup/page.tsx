// The Setup tab: per-distribution instructions from the same setup answer as GET /setup, with copy buttons.
import { buildSetup, getRepository, type SetupAnswer } from '@pallet/core';
import Link from 'next/link';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { CodeBlock } from '@/components/ui/copy-button';
import { Label, Select } from '@/components/ui/field';
import { getCore } from '@/lib/core';
import { loadOr404 } from '../../../../../_lib/dashboard';

export const metadata = { title: 'Setup' };

const COMMON = [
  'debian/bookworm',
  'debian/trixie',
  'ubuntu/noble',
  'ubuntu/jammy',
  'el/9',
  'el/10',
  'fedora/41',
  'opensuse/15.6',
];

export default async function SetupPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string; repo: string }>;
  searchParams: Promise<{ distribution?: string }>;
}) {
  const { org, repo } = await params;
  const sp = await searchParams;
  const r = await loadOr404((core, actor) => getRepository(core, actor, org, repo));
  const own = r.distributions ?? [];
  const choices = [...own, ...COMMON.filter((d) => !own.includes(d))];
  const distribution =
    sp.distribution && choices.includes(sp.distribution)
      ? sp.distribution
      : (choices[0] ?? 'debian/bookworm');
  const setup = await loadOr404((core, actor) => buildSetup(core, actor, org, repo, { distribution }));
  const apiUrl = `${getCore().config.appUrl}/api/v1/orgs/${org}/repos/${repo}/setup?distribution=${encodeURIComponent(distribution)}`;
  const oneLine = `curl -fsSL -H "Authorization: Bearer $PALLET_TOKEN" '${apiUrl}' | jq -r .script | sudo ${
    setup.visibility === 'private' ? 'PALLET_TOKEN="$PALLET_TOKEN" ' : ''
  }sh`;

  return (
    <div className="space-y-6">
      <form method="get" className="flex flex-wrap items-end gap-2">
        <div className="space-y-1">
          <Label htmlFor="distribution">Distribution</Label>
          <Select id="distribution" name="distribution" defaultValue={distribution}>
            {own.length ? (
              <optgroup label="In this repository">
                {own.map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </optgroup>
            ) : null}
            <optgroup label="Other distributions">
              {COMMON.filter((d) => !own.includes(d)).map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </optgroup>
          </Select>
        </div>
        <button type="submit" className={buttonClass('secondary')}>
          Show instructions
        </button>
      </form>

      {!own.includes(distribution) ? (
        <Alert tone="warning">
          This repository has no packages for {distribution} yet; these instructions work once you{' '}
          <Link className="underline" href={`/orgs/${org}/repos/${repo}/upload`}>
            upload one
          </Link>
          .
        </Alert>
      ) : null}

      {setup.credentials ? (
        <Alert tone="info" title="This repository is private">
          Machines authenticate with a read token: {setup.credentials.note} Replace{' '}
          <code>{setup.credentials.password}</code> below, or set <code>PALLET_TOKEN</code> for the script.{' '}
          <Link className="underline" href={`/orgs/${org}/tokens`}>
            Create a read token
          </Link>
          .
        </Alert>
      ) : null}

      <Card>
        <CardHeader
          title="Quick setup"
          description={`Runs every step below for ${setup.distribution} (as root).`}
        />
        <CardBody className="space-y-4">
          <CodeBlock
            title="One-line setup"
            text={oneLine}
            hint="needs curl, jq and a token in PALLET_TOKEN"
          />
          <CodeBlock
            title="Setup script"
            text={setup.script}
            hint="save as setup.sh, run with sudo sh setup.sh"
          />
        </CardBody>
      </Card>

      {setup.format === 'deb' ? <AptSteps setup={setup} id={`${org}-${repo}`} /> : <RpmSteps setup={setup} />}
    </div>
  );
}

function AptSteps({ setup, id }: { setup: SetupAnswer; id: string }) {
  const apt = setup.apt;
  if (!apt) return null;
  return (
    <Card>
      <CardHeader title="Step by step (APT)" description="For Debian, Ubuntu and their derivatives." />
      <CardBody className="space-y-4">
        <CodeBlock
          title="1. Install the signing key"
          text={`sudo curl -fsSL${setup.credentials ? ' -u "token:$PALLET_TOKEN"' : ''} '${setup.keyringUrl}' -o '${apt.keyringPath}'`}
        />
        {apt.authConf ? (
          <CodeBlock title="2. Credentials" hint={apt.authConfPath} text={apt.authConf} />
        ) : null}
        <CodeBlock
          title="Sources (deb822)"
          hint={`/etc/apt/sources.list.d/${id}.sources`}
          text={apt.deb822}
        />
        <CodeBlock
          title="Sources (one-line format)"
          hint={`/etc/apt/sources.list.d/${id}.list (instead of the above)`}
          text={apt.sourcesLine}
        />
        <Fingerprints setup={setup} />
      </CardBody>
    </Card>
  );
}

function RpmSteps({ setup }: { setup: SetupAnswer }) {
  return (
    <Card>
      <CardHeader
        title="Step by step (DNF, YUM, zypper)"
        description="For RHEL and its rebuilds, Fedora and openSUSE."
      />
      <CardBody className="space-y-4">
        {setup.yum ? (
          <CodeBlock title="dnf / yum .repo file" hint={setup.yum.repoFilePath} text={setup.yum.repoFile} />
        ) : null}
        {setup.zypper ? (
          <CodeBlock
            title="zypper .repo file"
            hint={setup.zypper.repoFilePath}
            text={setup.zypper.repoFile}
          />
        ) : null}
        {setup.zypper?.credentialsFile ? (
          <CodeBlock
            title="zypper credentials"
            hint={setup.zypper.credentialsPath}
            text={setup.zypper.credentialsFile}
          />
        ) : null}
        <Fingerprints setup={setup} />
      </CardBody>
    </Card>
  );
}

function Fingerprints({ setup }: { setup: SetupAnswer }) {
  return (
    <p className="text-sm text-slate-700">
      Signing key fingerprint{setup.keyFingerprints.length === 1 ? '' : 's'}:{' '}
      {setup.keyFingerprints.map((f) => (
        <code key={f} className="mr-2 text-xs break-all">
          {f}
        </code>
      ))}
      · key at <code className="text-xs break-all">{setup.keyUrl}</code>
    </p>
  );
}
