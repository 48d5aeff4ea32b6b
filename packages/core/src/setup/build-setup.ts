// Everything a client machine needs for one distribution (contract "Setup answer"): URLs, key
// fingerprints, apt/dnf/zypper configuration and a one-shot install script. Secrets are placeholders.
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { distroAccepts, type Format, parseDistributionName } from '../distribution/distribution-name';
import { InvalidRequest } from '../errors/domain-errors';
import { loadPublicKeys } from '../signing-key/load-signing-keys';
import { keyringPackageName, keyringPaths } from '../signing-key/publish-keyring-packages';

export const TOKEN_PLACEHOLDER = 'YOUR_READ_TOKEN';

export interface SetupAnswer {
  format: Format;
  distribution: string;
  visibility: 'public' | 'private';
  baseUrl: string;
  keyUrl: string;
  keyringUrl: string;
  keyFingerprints: string[];
  /** the repository's keyring package (installed by the script): new keys arrive with ordinary upgrades */
  keyringPackage?: { name: string; path: string };
  apt?: {
    sourcesLine: string;
    deb822: string;
    keyringPath: string;
    authConf?: string;
    authConfPath?: string;
  };
  yum?: { repoFile: string; repoFilePath: string };
  zypper?: { repoFile: string; repoFilePath: string; credentialsFile?: string; credentialsPath?: string };
  credentials?: { username: string; password: string; note: string };
  script: string;
}

export async function buildSetup(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  query: { distribution?: string; format?: string },
): Promise<SetupAnswer> {
  if (!query.distribution)
    throw new InvalidRequest('distribution is required, e.g. ?distribution=debian/bookworm');
  const { org, repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'read');
  const dist = parseDistributionName(query.distribution);
  const format: Format =
    query.format === 'rpm' || query.format === 'deb'
      ? query.format
      : distroAccepts(dist.distro, 'deb')
        ? 'deb'
        : 'rpm';
  if (!distroAccepts(dist.distro, format))
    throw new InvalidRequest(`Unknown distribution ${dist.name}.`, 'invalid_distribution');
  const keys = await loadPublicKeys(ctx, repository.id);
  const isPrivate = repository.visibility === 'PRIVATE';
  const root = `${ctx.config.dlUrl}/${org.slug}/${repository.slug}`;
  const id = `${org.slug}-${repository.slug}`;
  const keyUrl = `${root}/gpg.asc`;
  const keyringUrl = `${root}/gpg.gpg`;
  const keyringName = keyringPackageName(org.slug, repository.slug);
  const keyringFiles = keyringPaths(org.slug, repository.slug);
  const withKeyring = ctx.config.keyringPackages;
  const common = {
    format,
    distribution: dist.name,
    visibility: isPrivate ? ('private' as const) : ('public' as const),
    keyUrl,
    keyringUrl,
    keyFingerprints: keys.map((k) => k.fingerprint),
    ...(isPrivate
      ? {
          credentials: {
            username: 'token',
            password: TOKEN_PLACEHOLDER,
            note: 'Create a repo:read token (Tokens page or POST /orgs/{org}/tokens) and use it as the password; any user name works.',
          },
        }
      : {}),
  };
  const curlAuth = isPrivate ? ` -u "token:\${PALLET_TOKEN:?set PALLET_TOKEN to a read token}"` : '';
  // A read token over plain http crosses the network in clear text: the script refuses unless told.
  const insecureGuard =
    isPrivate && root.startsWith('http://')
      ? [
          // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
          'case "${PALLET_ALLOW_INSECURE:-}" in',
          '  1) ;;',
          `  *) echo 'Refusing to configure a private repository over plain http: the read token would cross the network unencrypted. Serve Pallet over https (APP_URL), or set PALLET_ALLOW_INSECURE=1 for a loopback test.' >&2`,
          '     exit 1 ;;',
          'esac',
        ]
      : [];
  if (format === 'deb') {
    const baseUrl = `${root}/deb/${dist.distro}`;
    const dist2 = await ctx.db.distribution.findFirst({
      where: { repositoryId: repository.id, format: 'DEB', name: dist.name },
    });
    const components = (dist2?.components.length ? dist2.components : ['main']).join(' ');
    const keyringPath = `/usr/share/keyrings/${id}.gpg`;
    const sourcesLine = `deb [signed-by=${keyringPath}] ${baseUrl} ${dist.release} ${components}`;
    const deb822 = [
      'Types: deb',
      `URIs: ${baseUrl}`,
      `Suites: ${dist.release}`,
      `Components: ${components}`,
      `Signed-By: ${keyringPath}`,
      '',
    ].join('\n');
    // apt (2.6+) uses credentials over plain http only when the machine line names the scheme.
    const machine = baseUrl.startsWith('https://') ? baseUrl.slice('https://'.length) : baseUrl;
    const authConfPath = `/etc/apt/auth.conf.d/${id}.conf`;
    const authConf = isPrivate
      ? `machine ${machine}\nlogin token\npassword ${TOKEN_PLACEHOLDER}\n`
      : undefined;
    const script = [
      '#!/bin/sh',
      `# Sets up the ${org.slug}/${repository.slug} APT repository for ${dist.name}.`,
      'set -eu',
      ...insecureGuard,
      `curl -fsSL${curlAuth} '${keyringUrl}' -o '${keyringPath}'`,
      `chmod 0644 '${keyringPath}'`,
      ...(isPrivate
        ? [
            `umask 077`,
            `printf 'machine %s\\nlogin token\\npassword %s\\n' '${machine}' "$PALLET_TOKEN" > '${authConfPath}'`,
          ]
        : []),
      `cat > '/etc/apt/sources.list.d/${id}.sources' <<'EOF'`,
      deb822.trimEnd(),
      'EOF',
      'apt-get update',
      ...(withKeyring
        ? [
            `# The keyring package owns ${keyringPath} from now on: upgrades bring the next signing key.`,
            `apt-get install -y '${keyringName}'`,
          ]
        : []),
      '',
    ].join('\n');
    return {
      ...common,
      ...(withKeyring ? { keyringPackage: { name: keyringName, path: keyringFiles.deb } } : {}),
      baseUrl,
      apt: { sourcesLine, deb822, keyringPath, ...(authConf ? { authConf, authConfPath } : {}) },
      script,
    };
  }
  const baseUrl = `${root}/rpm/${dist.distro}/${dist.release}`;
  const creds = isPrivate ? `username=token\npassword=${TOKEN_PLACEHOLDER}\n` : '';
  const repoFile =
    [
      `[${id}]`,
      `name=${org.slug}/${repository.slug} (${dist.name})`,
      `baseurl=${baseUrl}`,
      'enabled=1',
      'gpgcheck=1',
      'repo_gpgcheck=1',
      `gpgkey=${keyUrl}`,
      'metadata_expire=300',
      '',
    ].join('\n') + creds;
  const zypperRepo = [
    `[${id}]`,
    `name=${org.slug}/${repository.slug} (${dist.name})`,
    `baseurl=${baseUrl}${isPrivate ? `?credentials=${id}` : ''}`,
    'type=rpm-md',
    'enabled=1',
    'autorefresh=1',
    'gpgcheck=1',
    'repo_gpgcheck=1',
    'pkg_gpgcheck=1',
    `gpgkey=${keyUrl}`,
    '',
  ].join('\n');
  const script = [
    '#!/bin/sh',
    `# Sets up the ${org.slug}/${repository.slug} RPM repository for ${dist.name} (dnf/yum or zypper).`,
    'set -eu',
    ...insecureGuard,
    `if command -v zypper >/dev/null 2>&1; then`,
    ...(isPrivate
      ? [
          '  umask 077',
          `  printf 'username=token\\npassword=%s\\n' "$PALLET_TOKEN" > '/etc/zypp/credentials.d/${id}'`,
        ]
      : []),
    `  cat > '/etc/zypp/repos.d/${id}.repo' <<'EOF'`,
    zypperRepo.trimEnd(),
    'EOF',
    `  rpm --import '${keyUrl}'`,
    `  zypper --non-interactive refresh '${id}'`,
    ...(withKeyring ? [`  zypper --non-interactive install '${keyringName}'`] : []),
    'else',
    ...(isPrivate ? ['  umask 077'] : []),
    `  cat > '/etc/yum.repos.d/${id}.repo' <<'EOF'`,
    repoFile.replace(TOKEN_PLACEHOLDER, '__PALLET_TOKEN__').trimEnd(),
    'EOF',
    ...(isPrivate ? [`  sed -i "s|__PALLET_TOKEN__|$PALLET_TOKEN|" '/etc/yum.repos.d/${id}.repo'`] : []),
    `  dnf -y makecache --repo '${id}' || yum -y makecache`,
    ...(withKeyring ? [`  dnf -y install '${keyringName}' || yum -y install '${keyringName}'`] : []),
    'fi',
    '',
  ].join('\n');
  return {
    ...common,
    ...(withKeyring ? { keyringPackage: { name: keyringName, path: keyringFiles.rpm } } : {}),
    baseUrl,
    yum: { repoFile, repoFilePath: `/etc/yum.repos.d/${id}.repo` },
    zypper: {
      repoFile: zypperRepo,
      repoFilePath: `/etc/zypp/repos.d/${id}.repo`,
      ...(isPrivate ? { credentialsFile: creds, credentialsPath: `/etc/zypp/credentials.d/${id}` } : {}),
    },
    script,
  };
}
