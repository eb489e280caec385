import { describe, expect, it } from 'vitest';
import { table } from '../../src/format/table.ts';
import { showValue } from '../../src/format/value.ts';

describe('how dalli shows values and tables', () => {
  it('shows text as is, valid UTF-8 bytes as text, other bytes as hex, the rest as indented JSON', () => {
    expect(showValue('plain')).toBe('plain');
    expect(showValue(Buffer.from('héllo'))).toBe('héllo');
    expect(showValue(Buffer.from([0xc3, 0x28]))).toBe('hex:c328');
    expect(showValue({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(showValue(42)).toBe('42');
  });

  it('aligns columns by their visible width, ignoring colour sequences', () => {
    expect(
      table([
        ['A', 'B'],
        ['\u001b[31mlong\u001b[0m', 'x'],
      ]),
    ).toBe('A     B\n\u001b[31mlong\u001b[0m  x\n');
  });
});
