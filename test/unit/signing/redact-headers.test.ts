import { redactHeaders } from '../../../src/domain/signing';

describe('redactHeaders', () => {
  it('keeps order, casing and signatures; masks credentials to their first 3 characters', () => {
    const headers = {
      'Content-Type': 'application/json',
      Authorization: 'Splunk 0b1c2d3e-aaaa-bbbb-cccc-1234567890ab',
      'X-Tenant-Token': 'tok_1234567890',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      'DD-API-KEY': 'abcdefabcdef',
    };
    const redacted = redactHeaders(headers, ['x-tenant-token']);
    expect(redacted).toEqual({
      'Content-Type': 'application/json',
      Authorization: 'Spl…',
      'X-Tenant-Token': 'tok…',
      'webhook-signature': headers['webhook-signature'],
      'DD-API-KEY': 'abc…',
    });
    expect(Object.keys(redacted)).toEqual(Object.keys(headers));
  });

  it('masks short secrets entirely, since 3 characters would give most of them away', () => {
    expect(redactHeaders({ 'x-api-key': 'abc12' })).toEqual({ 'x-api-key': '…' });
  });

  it('does not modify its input', () => {
    const headers = { authorization: 'Bearer secret-token' };
    redactHeaders(headers);
    expect(headers.authorization).toBe('Bearer secret-token');
  });
});
