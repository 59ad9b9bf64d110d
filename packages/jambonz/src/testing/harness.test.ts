import { describe, expect, it } from 'vitest';
import { jambonzCommandOf, jambonzOutboundProblem } from './harness.js';

describe('jambonzOutboundProblem', () => {
  it('accepts whole samples, the four commands and any other JSON', () => {
    for (const message of [
      new Uint8Array(4),
      '{"type":"killAudio"}',
      '{"type":"mark","data":{"name":"greeting ✓"}}',
      '{"type":"clearMarks"}',
      '{"type":"disconnect"}',
      '{"hello":"world"}',
    ]) {
      expect(jambonzOutboundProblem(message), String(message)).toBeUndefined();
    }
  });

  it('flags a partial sample, text that is not JSON, a malformed command and a name jambonz would mangle', () => {
    expect(jambonzOutboundProblem(new Uint8Array(3))).toMatch(/whole 16-bit samples/);
    expect(jambonzOutboundProblem('{')).toMatch(/not JSON/);
    expect(jambonzOutboundProblem('{"type":"mark","data":{}}')).toMatch(/malformed "mark"/);
    expect(jambonzOutboundProblem('{"type":"mark","data":{"name":"say \\"hi\\""}}')).toMatch(/invalid JSON/);
    expect(jambonzOutboundProblem('{"type":"mark","data":{"name":"a\\nb"}}')).toMatch(/invalid JSON/);
    expect(jambonzCommandOf(new Uint8Array(2))).toBeUndefined();
  });
});
