import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { monotonicMs, requestLine } from '../../src/cloud/http.js';

describe('requestLine (one debug line per request)', () => {
  it('says service, method, path, status, duration and request id', () => {
    expect(requestLine('GitHub', 'POST /repos/acme/infra/check-runs', '201', monotonicMs(), 'ABCD:1234:5678')).toMatch(
      /^GitHub POST \/repos\/acme\/infra\/check-runs 201 \d+ ms request-id ABCD:1234:5678$/,
    );
  });

  it('a hostile request id or path never carries a command, a line break or arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (path, id) => {
        const line = requestLine('Pulumi', `GET /${path}`, '200', 0, id);
        expect(line).not.toMatch(/[\r\n\u0000-\u001f\u007f-\uffff]/);
        expect(line).not.toContain('##[');
        expect(line.startsWith('Pulumi GET /')).toBe(true);
        const shownId = line.slice(line.lastIndexOf('request-id ') + 'request-id '.length);
        expect(shownId === '-' || /^[A-Za-z0-9:._-]{1,100}$/.test(shownId)).toBe(true);
      }),
    );
  });
});
