import { describe, expect, it } from 'vitest';
import { debFileName, poolPath, poolPrefix, sourcePackageName } from './pool-path';

describe('poolPath', () => {
  it('uses the first letter of the source name', () => {
    expect(
      poolPath({
        release: 'bookworm',
        component: 'main',
        name: 'hello',
        version: '2.10-3',
        architecture: 'amd64',
      }),
    ).toBe('pool/bookworm/main/h/hello/hello_2.10-3_amd64.deb');
  });

  it('uses lib plus a letter and the Source name without its version', () => {
    expect(
      poolPath({
        release: 'bookworm',
        component: 'main',
        name: 'libbz2-1.0',
        source: 'bzip2 (1.0.8-5)',
        version: '1.0.8-5+b1',
        architecture: 'amd64',
      }),
    ).toBe('pool/bookworm/main/b/bzip2/libbz2-1.0_1.0.8-5+b1_amd64.deb');
    expect(
      poolPath({ release: 'r', component: 'main', name: 'libxml2', version: '1', architecture: 'all' }),
    ).toBe('pool/r/main/libx/libxml2/libxml2_1_all.deb');
  });

  it('drops the epoch from the file name', () => {
    expect(debFileName({ name: 'a0', version: '2:1.0-1', architecture: 'all' })).toBe('a0_1.0-1_all.deb');
  });

  it('refuses anything that could leave its directory', () => {
    const base = { release: 'r', component: 'main', name: 'ok', version: '1', architecture: 'all' };
    expect(() => poolPath({ ...base, name: '../x' })).toThrow(TypeError);
    expect(() => poolPath({ ...base, source: '../../x' })).toThrow(TypeError);
    expect(() => poolPath({ ...base, version: '1/../../x' })).toThrow(TypeError);
    expect(() => poolPath({ ...base, architecture: '../x' })).toThrow(TypeError);
    expect(() => poolPath({ ...base, release: '..' })).toThrow(TypeError);
    expect(() => poolPath({ ...base, release: 'a/../b' })).toThrow(TypeError);
    expect(() => poolPath({ ...base, component: '' })).toThrow(TypeError);
    expect(poolPath({ ...base, release: 'debian/bookworm' })).toBe(
      'pool/debian/bookworm/main/o/ok/ok_1_all.deb',
    );
  });

  it('exposes its parts', () => {
    expect(poolPrefix('lib')).toBe('l');
    expect(sourcePackageName({ name: 'x', source: 'y (1.0)' })).toBe('y');
  });
});
