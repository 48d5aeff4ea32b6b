import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRpm } from './build-rpm';
import { parseRpm } from './parse-rpm';
import { bytesChunks, makeTempDir } from './test-support/rpm-fixtures';

const KEY = new TextEncoder().encode(
  '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxx\n-----END PGP PUBLIC KEY BLOCK-----\n',
);
const input = {
  name: 'acme-tools-archive-keyring',
  version: '3',
  release: '1',
  summary: 'Signing keys of acme/tools',
  description: 'The OpenPGP keys acme/tools is signed with.',
  license: 'CC0-1.0',
  url: 'https://pallet.invalid/acme/tools',
  files: [{ path: '/etc/pki/rpm-gpg/RPM-GPG-KEY-acme-tools', bytes: KEY }],
  mtime: 1_700_000_000,
};

describe('buildRpm', () => {
  it('builds an rpm that rpm reads, verifies (digests) and installs, and that Pallet parses', async () => {
    const bytes = buildRpm(input);
    expect(buildRpm(input)).toEqual(bytes);
    const dir = makeTempDir('pallet-build-rpm-');
    const file = join(dir, 'k.rpm');
    writeFileSync(file, bytes);
    writeFileSync(join(dir, '.rpmmacros'), '%_dbpath /var/lib/rpm\n');
    const env = { ...process.env, HOME: dir, LC_ALL: 'C' };
    const q = execFileSync(
      'rpm',
      ['-qp', '--qf', '%{NAME}|%{VERSION}|%{RELEASE}|%{ARCH}|%{SOURCERPM}\\n', file],
      {
        env,
        encoding: 'utf8',
      },
    );
    expect(q).toBe('acme-tools-archive-keyring|3|1|noarch|acme-tools-archive-keyring-3-1.src.rpm\n');
    expect(execFileSync('rpm', ['-qpl', file], { env, encoding: 'utf8' })).toBe(
      '/etc/pki/rpm-gpg/RPM-GPG-KEY-acme-tools\n',
    );
    const k = spawnSync('rpmkeys', ['-Kv', file], { env, encoding: 'utf8' });
    expect(k.stdout).toMatch(/Header SHA256 digest: OK/);
    expect(k.stdout).toMatch(/Payload SHA256 digest: OK/);
    expect(k.stdout).toMatch(/MD5 digest: OK/);
    const root = join(dir, 'root');
    mkdirSync(join(root, 'var/lib/rpm'), { recursive: true });
    execFileSync('rpm', ['--root', root, '--initdb'], { env });
    const install = spawnSync('rpm', ['--root', root, '-i', '--nosignature', file], {
      env,
      encoding: 'utf8',
    });
    expect(install.status, install.stderr).toBe(0);
    expect(readFileSync(join(root, 'etc/pki/rpm-gpg/RPM-GPG-KEY-acme-tools'))).toEqual(Buffer.from(KEY));
    const verify = spawnSync('rpm', ['--root', root, '-V', 'acme-tools-archive-keyring'], {
      env,
      encoding: 'utf8',
    });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    const parsed = await parseRpm(bytesChunks(bytes, 4096));
    expect(parsed).toMatchObject({
      name: 'acme-tools-archive-keyring',
      version: '3',
      release: '1',
      arch: 'noarch',
    });
  });

  it('refuses names and paths it cannot represent', () => {
    expect(() => buildRpm({ ...input, version: '1-2' })).toThrow(/version/);
    expect(() => buildRpm({ ...input, files: [] })).toThrow(/file/);
    expect(() => buildRpm({ ...input, files: [{ path: '/a/../b', bytes: KEY }] })).toThrow(/path/);
  });
});
