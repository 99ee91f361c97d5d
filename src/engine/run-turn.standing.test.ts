import { describe, expect, it } from 'vitest';
import { InMemoryConversationStore } from '../../test/fakes/in-memory-conversation-store.ts';
import type { KeywordRule } from './commands.ts';
import type { Flow } from './flow-kit.ts';
import { type EngineDeps, type Person, runTurn, type StandingFlow, type SystemCopy } from './run-turn.ts';

// The engine's standing flows, with hand-written flows: while the environment says a person's conversation is
// held, every message goes to the standing flow (its state recomputed each turn, never stored), except what is
// escaped with its prefix and opting out; what was in progress waits and resumes once the hold is gone.

/** A standing flow that echoes what it gets, with the state it was given. */
const echo: Flow = {
  id: 'echo',
  version: 1,
  start: async () => ({ next: null, replies: [{ text: 'echo started' }] }),
  resume: async (stored, text) => ({
    next: stored,
    replies: [{ text: `echo ${JSON.stringify(stored)}: ${text}` }],
  }),
  prompt: () => [],
};
/** A two-step flow: asks a name, then says it. */
const ask: Flow = {
  id: 'ask',
  version: 1,
  start: async () => ({ next: { step: 'name' }, replies: [{ text: 'your name?' }] }),
  resume: async (_stored, text) => ({ next: null, replies: [{ text: `hello ${text}` }] }),
  prompt: () => [{ text: 'your name?' }],
};
/** Waits for "code"; anything else it was not waiting for: it ends without a word. */
const waiter: Flow = {
  id: 'waiter',
  version: 1,
  start: async () => ({ next: { step: 'code' }, replies: [{ text: 'waiting for a code' }] }),
  resume: async (_stored, text) =>
    text === 'code' ? { next: null, replies: [{ text: 'code taken' }] } : { next: null, replies: [] },
  prompt: () => [],
};
/** A one-shot command. */
const status: Flow = {
  id: 'status',
  version: 1,
  start: async () => ({ next: null, replies: [{ text: 'status: fine' }] }),
  resume: async () => null,
  prompt: () => [],
};

const copy: SystemCopy = {
  menu: () => ({ text: 'menu' }),
  notUnderstood: () => ({ text: 'not understood' }),
  cancelled: () => ({ text: 'cancelled' }),
  nothingToCancel: () => ({ text: 'nothing to cancel' }),
  languageChanged: () => ({ text: 'language changed' }),
  optedOut: () => ({ text: 'opted out' }),
  optedIn: () => ({ text: 'opted in' }),
  restarted: () => ({ text: 'restarted' }),
  welcome: () => ({ text: 'welcome' }),
  notOwnPhone: () => ({ text: 'not your phone' }),
  failed: () => ({ text: 'failed' }),
};
const keywords: KeywordRule[] = [
  { keywords: ['ASK'], command: { type: 'start', flowId: 'ask' } },
  { keywords: ['TT'], command: { type: 'start', flowId: 'status' } },
  { keywords: ['WAIT'], command: { type: 'start', flowId: 'waiter' } },
  { keywords: ['NEWS'], command: { type: 'start', flowId: 'status' }, takesArguments: true },
  { keywords: ['HUY'], command: { type: 'cancel' } },
  { keywords: ['STOP'], command: { type: 'optOut', confirm: false } },
];

function world() {
  let standing: StandingFlow | null = null;
  let optedOut = false;
  const said: string[] = [];
  const deps: EngineDeps = {
    store: new InMemoryConversationStore({ ttlSeconds: 600 }),
    environment: {
      loadPerson: async (): Promise<Person> => ({
        language: 'vi',
        optedOut,
        phone: null,
        citizen: null,
        standing,
      }),
      proveVouchedPhone: async () => null,
      setLanguage: async () => {},
      setOptedOut: async (_channel, _address, value) => {
        optedOut = value;
      },
    },
    flows: new Map([echo, ask, status, waiter].map((flow) => [flow.id, flow])),
    keywords,
    menu: [],
    copy,
    phoneShared: { type: 'start', flowId: 'ask' },
    deliver: async (_ref, _message, replies) => {
      said.push(...replies.map((r) => r.reply.text));
    },
  };
  let n = 0;
  return {
    deps,
    hold(flow: StandingFlow | null) {
      standing = flow;
    },
    get optedOut() {
      return optedOut;
    },
    async send(text: string) {
      n += 1;
      const before = said.length;
      const summary = await runTurn(deps, {
        key: 'conv',
        ref: `ref-${n}`,
        message: {
          channel: 'twilio-sms',
          providerMessageId: `M${n}`,
          from: '+84905123456',
          text,
          receivedAt: '2026-11-27T03:00:00Z',
        },
      });
      return { said: said.slice(before), summary };
    },
  };
}

describe('runTurn with a standing flow', () => {
  it('gives every message to the standing flow, commands too, with the state the environment worked out', async () => {
    const w = world();
    w.hold({ flowId: 'echo', state: { handoff: 12 }, escape: null });

    await expect(w.send('TT')).resolves.toMatchObject({ said: ['echo {"handoff":12}: TT'] });
    await expect(w.send('/TT')).resolves.toMatchObject({ said: ['echo {"handoff":12}: /TT'] });
    await expect(w.send('HUY')).resolves.toMatchObject({
      said: ['echo {"handoff":12}: HUY'],
      summary: { flowId: 'echo', outcome: 'replied' },
    });
  });

  it('lets a message with the escape prefix through to the person’s own commands, without the prefix', async () => {
    const w = world();
    w.hold({ flowId: 'echo', state: { handoff: 12 }, escape: '/' });

    await expect(w.send('/TT')).resolves.toMatchObject({ said: ['status: fine'] });
    await expect(w.send('TT')).resolves.toMatchObject({ said: ['echo {"handoff":12}: TT'] });
    await expect(w.send('/ASK')).resolves.toMatchObject({ said: ['your name?'] });
    // The flow started by the escaped command is stored: its answers are escaped too.
    await expect(w.send('/An')).resolves.toMatchObject({ said: ['hello An'] });
  });

  it('never stores the standing state: the next turn uses whatever the environment says then', async () => {
    const w = world();
    w.hold({ flowId: 'echo', state: { handoff: 12 }, escape: null });
    await w.send('hello');

    w.hold(null);

    await expect(w.send('TT')).resolves.toMatchObject({ said: ['status: fine'] });
    await expect(w.send('hello again')).resolves.toMatchObject({ said: ['not understood'] });
  });

  it('leaves what was in progress waiting, and resumes it once the hold is gone', async () => {
    const w = world();
    await expect(w.send('ASK')).resolves.toMatchObject({ said: ['your name?'] });
    w.hold({ flowId: 'echo', state: { handoff: 3 }, escape: null });
    await expect(w.send('An')).resolves.toMatchObject({ said: ['echo {"handoff":3}: An'] });

    w.hold(null);

    await expect(w.send('Bình')).resolves.toMatchObject({ said: ['hello Bình'] });
  });

  it('still lets the person opt out', async () => {
    const w = world();
    w.hold({ flowId: 'echo', state: {}, escape: null });

    await expect(w.send('STOP')).resolves.toMatchObject({ said: [] });

    expect(w.optedOut).toBe(true);
    await expect(w.send('hello')).resolves.toMatchObject({ said: [] });
  });

  it('reads a leading slash as a command when nothing holds the conversation', async () => {
    const w = world();

    await expect(w.send('/TT')).resolves.toMatchObject({ said: ['status: fine'] });
    await expect(w.send('/ not a command')).resolves.toMatchObject({ said: ['not understood'] });
  });
});

describe('runTurn with a waiting flow that ends without a word', () => {
  it('handles the message as if no flow had been waiting: a command with arguments, or the not-understood answer', async () => {
    const w = world();
    await w.send('WAIT');

    // Mid-flow, "NEWS today" would be an answer; the flow was not waiting for it, so it is the command.
    await expect(w.send('NEWS today')).resolves.toMatchObject({
      said: ['status: fine'],
      summary: { flowId: null },
    });
    await w.send('WAIT');
    await expect(w.send('hello')).resolves.toMatchObject({ said: ['not understood'] });
    await w.send('WAIT');
    await expect(w.send('code')).resolves.toMatchObject({ said: ['code taken'] });
  });
});
