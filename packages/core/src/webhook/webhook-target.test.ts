import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isNonPublicAddress } from './webhook-target';

describe('isNonPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    '2002:7f00:0001::1',
  ])('refuses %s', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'accepts %s',
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );
});

describe('checkWebhookUrl', () => {
  it('refuses loopback, private and metadata literals and localhost unless allowed', () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://[::1]/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://0x7f000001/hook',
      'http://10.0.0.5/hook',
    ]) {
      expect(checkWebhookUrl(url, false), url).toMatch(/private, loopback/);
      expect(checkWebhookUrl(url, true), url).toBeUndefined();
    }
  });

  it('refuses other schemes, relative URLs and embedded credentials', () => {
    expect(checkWebhookUrl('ftp://example.com/x', true)).toMatch(/http/);
    expect(checkWebhookUrl('/relative', true)).toMatch(/absolute/);
    expect(checkWebhookUrl('https://user:pw@example.com/x', true)).toMatch(/credentials/);
  });

  it('accepts public names and addresses', () => {
    expect(checkWebhookUrl('https://hooks.example.com/pallet', false)).toBeUndefined();
    expect(checkWebhookUrl('http://93.184.216.34/', false)).toBeUndefined();
  });
});
