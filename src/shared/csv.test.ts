import { describe, expect, it } from 'vitest';
import { toCsv, UTF8_BOM } from './csv.ts';

describe('toCsv', () => {
  it('writes a header and rows with CRLF, behind a UTF-8 byte-order mark', () => {
    expect(toCsv(['day', 'team', 'n'], [['2026-11-01', 'Tổ Hải Vân', 3]])).toBe(
      `${UTF8_BOM}day,team,n\r\n2026-11-01,Tổ Hải Vân,3\r\n`,
    );
  });

  it('quotes a field with a comma, a quote or a line break, doubling its quotes', () => {
    expect(toCsv(['a', 'b', 'c'], [['Tổ 1, TDP 2', 'say "hi"', 'two\nlines']])).toBe(
      `${UTF8_BOM}a,b,c\r\n"Tổ 1, TDP 2","say ""hi""","two\nlines"\r\n`,
    );
  });

  it('writes nothing for a null cell', () => {
    expect(toCsv(['a', 'b'], [[null, 0]])).toBe(`${UTF8_BOM}a,b\r\n,0\r\n`);
  });

  it('never lets a text cell be read as a formula', () => {
    const row = ['=1+1', '+84905', '-2', '@SUM(A1)', '\tx', '=HYPERLINK("http://x","y")', 'a=b'];
    expect(toCsv(['x'], [row])).toBe(
      `${UTF8_BOM}x\r\n'=1+1,'+84905,'-2,'@SUM(A1),'\tx,"'=HYPERLINK(""http://x"",""y"")",a=b\r\n`,
    );
  });

  it('writes numbers as they are, negative ones too', () => {
    expect(toCsv(['n'], [[-3], [2.5]])).toBe(`${UTF8_BOM}n\r\n-3\r\n2.5\r\n`);
  });
});
