import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EffectContext } from './flow-context.ts';
import {
  type CommandDefinition,
  defineCommand,
  defineFlow,
  type FlowDefinition,
  finish,
  perform,
} from './flow-kit.ts';

// The kit itself: results reach the handler of their effect's type; a command chains effects and ends in the
// turn it starts; a step performing an effect it has no handler for fails the turn, naming both.

type Effects = {
  count: { effect: { readonly type: 'count'; readonly from: number }; result: number };
  name: { effect: { readonly type: 'name' }; result: string };
};

const runners = {
  count: async (effect: { readonly from: number }) => effect.from + 1,
  name: async () => 'An',
};

const ctx: EffectContext = {
  language: 'vi',
  channel: 'twilio-sms',
  address: '+84905123456',
  phone: '+84905123456',
  citizen: null,
  now: new Date('2026-11-27T03:00:00Z'),
  ref: 'ref-1',
};

describe('defineCommand', () => {
  it('runs effects one after the other and answers in the same turn, storing nothing', async () => {
    const command: CommandDefinition<Effects> = {
      id: 'test-command',
      start: (_ctx, args, run) =>
        run({ type: 'count', from: Number(args) }, (counted) =>
          run({ type: 'name' }, (name) => finish({ text: `${name} ${counted}` })),
        ),
    };
    const flow = defineCommand(command, runners);

    await expect(flow.start(ctx, '41')).resolves.toEqual({ next: null, replies: [{ text: 'An 42' }] });
    await expect(flow.resume({ step: 'anything' }, 'hi', ctx)).resolves.toBeNull();
    expect(flow.prompt({ step: 'anything' }, ctx)).toEqual([]);
  });
});

describe('defineFlow', () => {
  const StateSchema = z.discriminatedUnion('step', [
    z.object({ step: z.literal('counting') }),
    z.object({ step: z.literal('naming') }),
  ]);
  type State = z.infer<typeof StateSchema>;
  const definition: FlowDefinition<State, Effects> = {
    id: 'test-flow',
    version: 1,
    stateSchema: StateSchema,
    start: (_ctx, args) =>
      args === 'name'
        ? perform({ step: 'counting' }, { type: 'name' })
        : perform({ step: 'counting' }, { type: 'count', from: 1 }),
    steps: {
      counting: {
        onMessage: () => finish(),
        onResult: {
          count: (_state, counted) => perform({ step: 'naming' }, { type: 'name' }, { text: `${counted}` }),
        },
      },
      naming: {
        onMessage: () => finish(),
        onResult: { name: (_state, name) => finish({ text: name }) },
      },
    },
  };

  it('hands each result to the handler of its effect type in the step that performed it', async () => {
    await expect(defineFlow(definition, runners).start(ctx, '')).resolves.toEqual({
      next: null,
      replies: [{ text: '2' }, { text: 'An' }],
    });
  });

  it('fails the turn when a step performs an effect it has no handler for', async () => {
    await expect(defineFlow(definition, runners).start(ctx, 'name')).rejects.toThrow(
      'flow test-flow step counting performs name without an onResult handler for it',
    );
  });
});
