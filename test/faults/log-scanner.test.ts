import { describe, expect, it } from 'vitest';
import { citizen, personalDataIn } from './support/campaign.ts';

// The fault suite's log scan finds what it looks for: a campaign citizen's CCCD, phone in every form and name,
// and nothing in numbers that only look alike (timestamps, other citizens' numbers inside longer digit runs).

describe('the fault suite scanning logs for personal data', () => {
  const c = citizen(7);
  const other = citizen(8);

  it('finds ID numbers, phones in every form and names', () => {
    const national = c.phone.slice(3);
    const logs = [
      `{"level":30,"to":"${c.phone}"}`,
      `{"msg":"from 84${national}"}`,
      `{"msg":"call 0${national} or ${national}"}`,
      `{"cccd":${c.cccd}}`,
      `{"text":"DK ${c.name}, ..."}`,
    ].join('\n');
    expect(personalDataIn(logs, [c, other]).sort()).toEqual(
      [
        `number ${c.phone.slice(1)}`,
        `number 0${national}`,
        `number ${national}`,
        `number ${c.cccd}`,
        `name ${c.name}`,
      ].sort(),
    );
  });

  it('finds nothing in masked phones, timestamps and longer digit runs', () => {
    const logs = `{"time":1733350000000,"to":"+84902****07","id":"9${c.cccd}1","x":"${other.cccd}0"}`;
    expect(personalDataIn(logs, [c, other])).toEqual([]);
  });
});
