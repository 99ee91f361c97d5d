import { describe, expect, it } from 'vitest';
import { type Command, type KeywordRule, matchCommand } from './commands.ts';

const register: Command = { type: 'start', flowId: 'registration' };
const status: Command = { type: 'start', flowId: 'status' };
const rules: KeywordRule[] = [
  { keywords: ['DK', 'Đăng ký', 'TK'], command: register, takesArguments: true },
  { keywords: ['TT'], command: status },
  { keywords: ['HUY'], command: { type: 'cancel' } },
  { keywords: ['tro giup', '?'], command: { type: 'menu' } },
];
const menu = [register, status];

describe('matchCommand', () => {
  it.each([
    ['DK', register, ''],
    ['dk', register, ''],
    ['  Dk  ', register, ''],
    ['Đăng ký', register, ''],
    ['dang ky', register, ''],
    ['ĐĂNG KÝ', register, ''],
    ['DK Nguyen Van An, 048090001234, 15/02/1990', register, 'Nguyen Van An, 048090001234, 15/02/1990'],
    ['TK,Nguyen Van An,048090001234,15/02/1990', register, 'Nguyen Van An,048090001234,15/02/1990'],
    ['dang ky Nguyễn Văn An 048090001234 15021990', register, 'Nguyễn Văn An 048090001234 15021990'],
    ['TT', status, ''],
    ['tt.', status, ''],
    ['?', { type: 'menu' }, ''],
    ['Tro Giup', { type: 'menu' }, ''],
    ['1', register, ''],
    ['2', status, ''],
  ])('reads %j as a command', (text, command, args) => {
    expect(matchCommand(text, rules, menu, { flowActive: false })).toEqual({ command, args });
  });

  it.each([['hello'], ['DKX'], ['TT 123'], ['9'], ['']])('does not take %j for a command', (text) => {
    expect(matchCommand(text, rules, menu, { flowActive: false })).toBeNull();
  });

  it('takes the longest keyword a message starts with, and a whole keyword before any with arguments', () => {
    const papers: Command = { type: 'start', flowId: 'documents' };
    const withPapers: KeywordRule[] = [
      ...rules,
      { keywords: ['GT', 'giấy tờ', 'giấy tờ của tôi'], command: papers, takesArguments: true },
    ];
    const read = (text: string) => matchCommand(text, withPapers, menu, { flowActive: false });

    expect(read('giấy tờ của tôi')).toEqual({ command: papers, args: '' });
    expect(read('Giay to cua toi 2')).toEqual({ command: papers, args: '2' });
    expect(read('giấy tờ 2')).toEqual({ command: papers, args: '2' });
    expect(read('GT 2')).toEqual({ command: papers, args: '2' });
  });

  it('takes only whole keywords while a flow waits for an answer', () => {
    expect(matchCommand('HUY', rules, menu, { flowActive: true })).toEqual({
      command: { type: 'cancel' },
      args: '',
    });
    expect(matchCommand('DK Nguyen Van An', rules, menu, { flowActive: true })).toBeNull();
    expect(matchCommand('1', rules, menu, { flowActive: true })).toBeNull();
    expect(matchCommand('Đặng Kỳ', rules, menu, { flowActive: true })).toBeNull();
    expect(matchCommand('dk', rules, menu, { flowActive: true })).toEqual({ command: register, args: '' });
  });

  it('tries idle-only rules first, and only while no flow waits and they are not skipped', () => {
    const answer: Command = { type: 'start', flowId: 'consent-answer' };
    const optIn: Command = { type: 'optIn' };
    const withAnswers: KeywordRule[] = [
      ...rules,
      { keywords: ['YES', 'START'], command: optIn },
      { keywords: ['CO', 'YES', 'KHONG'], command: answer, idleOnly: true },
    ];
    const read = (text: string, options: { flowActive: boolean; skipIdleOnly?: boolean }) =>
      matchCommand(text, withAnswers, menu, options);

    expect(read('yes', { flowActive: false })).toEqual({ command: answer, args: '', idleOnly: true });
    expect(read('Có', { flowActive: false })).toEqual({ command: answer, args: '', idleOnly: true });
    expect(read('START', { flowActive: false })).toEqual({ command: optIn, args: '' });
    expect(read('YES', { flowActive: false, skipIdleOnly: true })).toEqual({ command: optIn, args: '' });
    expect(read('CO', { flowActive: false, skipIdleOnly: true })).toBeNull();
    expect(read('YES', { flowActive: true })).toEqual({ command: optIn, args: '' });
    expect(read('KHONG', { flowActive: true })).toBeNull();
  });

  it('skips the idle-only rules whose flows were tried, so the next one with the word gets it', () => {
    const notice: Command = { type: 'start', flowId: 'datarequest-yes' };
    const neighbour: Command = { type: 'start', flowId: 'consent-yes' };
    const both: KeywordRule[] = [
      ...rules,
      { keywords: ['CO'], command: notice, idleOnly: true },
      { keywords: ['CO'], command: neighbour, idleOnly: true },
    ];
    const read = (skipIdleFlows: ReadonlySet<string>) =>
      matchCommand('co', both, menu, { flowActive: false, skipIdleFlows });

    expect(read(new Set())).toEqual({ command: notice, args: '', idleOnly: true });
    expect(read(new Set(['datarequest-yes']))).toEqual({ command: neighbour, args: '', idleOnly: true });
    expect(read(new Set(['datarequest-yes', 'consent-yes']))).toBeNull();
  });
});
