/**
 * The conversation engine against grammY with `@grammyjs/conversations` (v2) and its Redis storage adapter, on
 * the same registration conversation (ask the name, the 12-digit CCCD, the date of birth, then a yes to confirm,
 * with the same checks), the same Redis, in the same run. Both run in this process with no network: ours through
 * the real flows and the Redis conversation store (encrypted, as in production) with in-memory stores for the
 * rest; grammY's bot handles Telegram updates with its API calls answered by a transformer. Conversations run 50
 * at a time, each turn waiting for the previous reply. Each side is built once, as a worker builds it, and
 * serves many people: grammY one bot, ours one world (flows over in-memory stores) per lane, each person with
 * their own CCCD (one account per CCCD). Both sides first run a tenth of the conversations unmeasured, so
 * neither is measured while its code is still being compiled, then take turns over four rounds. Beside them, the
 * floor of any conversation kept in Redis: two round trips a turn and nothing else. Target: ours at least 2×
 * grammY.
 */
import { randomBytes } from 'node:crypto';
import {
  type Conversation,
  type ConversationFlavor,
  conversations,
  createConversation,
} from '@grammyjs/conversations';
import { RedisAdapter } from '@grammyjs/storage-redis';
import { Bot, type Context } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { Redis } from 'ioredis';
import { createDataCipher } from '../../src/shared/crypto.ts';
import { createRedisConversationStore } from '../../src/storage/redis/redis-conversation-store.ts';
import { PrivateRedis } from '../../test/support/private-redis.ts';
import { Transcript } from '../../test/support/transcript.ts';
import type { Figure } from '../lib/report.ts';

const SCRIPT = ['DK', 'Nguyễn Văn An', '048090001234', '15/02/1990', 'CO'];
/** Our script for conversation `i`: the same messages, with a CCCD of its own (one account per CCCD). */
const scriptOf = (i: number) =>
  SCRIPT.map((text, at) => (at === 2 ? `048090${String(i).padStart(6, '0')}` : text));
const LANES = 50;

/** How one side did over its measured conversations. */
interface Measured {
  readonly turnsPerSecond: number;
  /** CPU time of this process (user and system) per turn, in microseconds. */
  readonly cpuPerTurn: number;
  /** Commands sent to Redis per turn, each a round trip (the turns are not pipelined). */
  readonly roundTripsPerTurn: number;
  /** Commands the Redis server ran per turn, those run by Lua scripts included. */
  readonly redisPerTurn: number;
}

/** One side of the comparison: `converse(i, lane)` holds conversation `i` on lane `lane` (0 to LANES - 1). */
type Converse = (i: number, lane: number) => Promise<void>;

/** Measured rounds per side; the sides take turns, so a burst of load on the shared machine hits both alike. */
const ROUNDS = 4;

/**
 * Runs `count` conversations on each side, `LANES` at a time, after `count / 10` unmeasured ones each (so no side
 * is measured while its code is still being compiled), in {@link ROUNDS} rounds, the order of the sides turned
 * round each time.
 */
async function compare(
  count: number,
  sides: readonly Converse[],
  redis: Redis,
  sent: () => number,
): Promise<Measured[]> {
  const next = sides.map(() => 0);
  const totals = sides.map(() => ({ ms: 0, cpu: 0, roundTrips: 0, commands: 0, conversations: 0 }));
  // The server is this scenario's own: what it processed during a run is that side's (INFO adds its own one).
  const processed = async () =>
    Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1] ?? Number.NaN);
  const run = async (side: number, conversations: number) => {
    const converse = sides[side];
    if (!converse) throw new Error(`no side ${side}`);
    const until = (next[side] ?? 0) + conversations;
    const roundTrips = sent();
    const commands = await processed();
    const started = performance.now();
    const cpu = process.cpuUsage();
    await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        while ((next[side] ?? 0) < until) {
          const i = next[side] ?? 0;
          next[side] = i + 1;
          await converse(i, lane);
        }
      }),
    );
    const used = process.cpuUsage(cpu);
    const ms = performance.now() - started;
    const ran = (await processed()) - commands - 1;
    // Less the two INFO commands.
    return {
      ms,
      cpu: used.user + used.system,
      roundTrips: sent() - roundTrips - 2,
      commands: ran,
      conversations,
    };
  };
  const order = sides.map((_, side) => side);
  for (const side of order) await run(side, Math.ceil(count / 10));
  for (let round = 0; round < ROUNDS; round += 1) {
    const conversations = Math.ceil(count / ROUNDS);
    for (const side of round % 2 === 0 ? order : [...order].reverse()) {
      const done = await run(side, conversations);
      const total = totals[side];
      if (!total) throw new Error(`no side ${side}`);
      total.ms += done.ms;
      total.cpu += done.cpu;
      total.commands += done.commands;
      total.roundTrips += done.roundTrips;
      total.conversations += done.conversations;
    }
  }
  return totals.map(({ ms, cpu, roundTrips, commands, conversations }) => ({
    turnsPerSecond: (conversations * SCRIPT.length) / (ms / 1000),
    cpuPerTurn: cpu / (conversations * SCRIPT.length),
    roundTripsPerTurn: roundTrips / (conversations * SCRIPT.length),
    redisPerTurn: commands / (conversations * SCRIPT.length),
  }));
}

type BotContext = Context & ConversationFlavor<Context>;

/** The registration conversation written with @grammyjs/conversations, with the checks our flow makes. */
async function register(conversation: Conversation<BotContext, Context>, ctx: Context): Promise<void> {
  await ctx.reply('Đăng ký tài khoản công dân số (bước 1/3): gửi họ và tên của bạn.');
  const name =
    (
      await conversation.waitUntil(
        (c) => {
          const text = c.msg?.text ?? '';
          return text.trim().length >= 2;
        },
        { otherwise: (c) => c.reply('Gửi họ và tên, ví dụ Nguyễn Văn An.') },
      )
    ).msg?.text ?? '';
  await ctx.reply('Bước 2/3: gửi số CCCD (12 chữ số) của bạn.');
  const cccd =
    (
      await conversation.waitUntil(
        (c) => {
          const text = c.msg?.text ?? '';
          return /^\d{12}$/.test(text.replace(/\s/g, ''));
        },
        { otherwise: (c) => c.reply('Số CCCD có 12 chữ số.') },
      )
    ).msg?.text ?? '';
  await ctx.reply('Bước 3/3: gửi ngày sinh, ví dụ 15/02/1990.');
  const born =
    (
      await conversation.waitUntil(
        (c) => {
          const text = c.msg?.text ?? '';
          return /^\d{1,2}\/\d{1,2}\/\d{4}$/.test(text.trim());
        },
        { otherwise: (c) => c.reply('Gửi ngày sinh dạng ngày/tháng/năm.') },
      )
    ).msg?.text ?? '';
  await ctx.reply(`${name}, CCCD ${cccd}, NS ${born}. Đúng không? Trả lời CO hoặc KHONG.`);
  const yes =
    (
      await conversation.waitUntil(
        (c) => {
          const text = c.msg?.text ?? '';
          return /^(co|có|khong|không)$/i.test(text.trim());
        },
        { otherwise: (c) => c.reply('Trả lời CO hoặc KHONG.') },
      )
    ).msg?.text ?? '';
  await ctx.reply(/^c/i.test(yes) ? 'Đã mở tài khoản tạm thời.' : 'Đã huỷ.');
}

/** Runs the comparison with `count` conversations each. */
export async function engineVsGrammy(count: number): Promise<Figure[]> {
  const redisServer = await PrivateRedis.start();
  const redis = new Redis(redisServer.url);
  // Every command sent, counted on the way out (the same few nanoseconds on both sides).
  let sent = 0;
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((...args: Parameters<Redis['sendCommand']>) => {
    sent += 1;
    return send(...args);
  }) as Redis['sendCommand'];
  try {
    const cipher = createDataCipher(randomBytes(32));
    const store = createRedisConversationStore({ redis, cipher, prefix: 'bench', ttlSeconds: 1800 });
    // One world a lane: the flows and their stores are built once and serve that lane's people.
    const worlds = Array.from({ length: LANES }, () => new Transcript({ channel: 'sms-gateway', store }));
    const ours: Converse = async (i, lane) => {
      const chat = worlds[lane]?.party('sms-gateway', `+8490${String(1_000_000 + i).padStart(7, '0')}`);
      if (!chat) throw new Error(`no world for lane ${lane}`);
      let last: string[] = [];
      for (const text of scriptOf(i)) {
        last = await chat.send(text);
        if (last.length === 0) throw new Error('our engine gave no reply');
      }
      if (!last.some((reply) => reply.startsWith('Da mo tai khoan tam thoi'))) {
        throw new Error(`our engine did not open the account: ${last.join(' / ')}`);
      }
    };

    const botInfo: UserFromGetMe = {
      id: 1,
      is_bot: true,
      first_name: 'Bench',
      username: 'bench_bot',
      can_join_groups: false,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    } as UserFromGetMe;
    let replies = 0;
    // The Bot API is answered in process: no network, the same cost for every call.
    let opened = 0;
    const fetchApi = async (url: string | URL | Request, init?: { body?: unknown }) => {
      if (String(url).endsWith('/sendMessage')) replies += 1;
      if (typeof init?.body === 'string' && init.body.includes('Đã mở tài khoản tạm thời')) opened += 1;
      const result = { message_id: replies, date: 0, chat: { id: 0, type: 'private' } };
      return new Response(JSON.stringify({ ok: true, result }), {
        headers: { 'content-type': 'application/json' },
      });
    };
    const bot = new Bot<BotContext>('1:bench', {
      botInfo,
      client: {
        fetch: fetchApi as unknown as NonNullable<
          NonNullable<ConstructorParameters<typeof Bot>[1]>['client']
        >['fetch'],
      },
    });
    bot.use(conversations({ storage: new RedisAdapter({ instance: redis, ttl: 1800 }) }));
    bot.use(createConversation(register, 'register'));
    bot.hears('DK', (ctx) => ctx.conversation.enter('register'));
    let updateId = 0;
    const updateFrom = (user: number, text: string): Update => ({
      update_id: ++updateId,
      message: {
        message_id: updateId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user, type: 'private', first_name: 'A' },
        from: { id: user, is_bot: false, first_name: 'A' },
        text,
      },
    });
    const grammy: Converse = async (i) => {
      const before = replies;
      for (const text of SCRIPT) await bot.handleUpdate(updateFrom(10_000 + i, text));
      if (replies - before < SCRIPT.length) throw new Error('grammY gave fewer replies than turns');
    };
    // The floor: what any conversation kept in Redis costs, two round trips a turn (read it, write it back with
    // a time-to-live) and nothing else.
    const blank = 'x'.repeat(300);
    const floor: Converse = async (i) => {
      for (let turn = 0; turn < SCRIPT.length; turn += 1) {
        await redis.get(`floor:${i}`);
        await redis.set(`floor:${i}`, blank, 'EX', 1800);
      }
    };
    const [measured, baseline, bare] = await compare(count, [ours, grammy, floor], redis, () => sent);
    if (!measured || !baseline || !bare) throw new Error('a side was not measured');
    const held = Math.ceil(count / 10) + ROUNDS * Math.ceil(count / ROUNDS);
    if (opened !== held) throw new Error(`grammY opened ${opened} accounts for ${held} conversations`);

    const name = `registration conversations over Redis, ${LANES} at a time (${count} × ${SCRIPT.length} turns)`;
    const them = 'grammY + @grammyjs/conversations + storage-redis';
    return [
      {
        scenario: 'engine',
        name,
        value: measured.turnsPerSecond,
        unit: 'turns/s',
        better: 'higher',
        target: 2 * baseline.turnsPerSecond,
        baseline: { name: them, value: baseline.turnsPerSecond },
      },
      {
        scenario: 'engine',
        name: `${name}: CPU time of the process per turn`,
        value: measured.cpuPerTurn,
        unit: 'µs',
        better: 'lower',
        baseline: { name: them, value: baseline.cpuPerTurn },
        note: `Redis round trips per turn: ours ${measured.roundTripsPerTurn.toFixed(2)}, grammY ${baseline.roundTripsPerTurn.toFixed(2)}; commands run by Redis (Lua's included): ours ${measured.redisPerTurn.toFixed(2)}, grammY ${baseline.redisPerTurn.toFixed(2)}`,
      },
      {
        scenario: 'engine',
        name: `the floor: two Redis round trips per turn and nothing else (GET, SET with a TTL; ${LANES} at a time)`,
        value: bare.turnsPerSecond,
        unit: 'turns/s',
        better: 'higher',
        note: `CPU time of the process per turn ${bare.cpuPerTurn.toFixed(0)} µs; our engine reaches ${((100 * measured.turnsPerSecond) / bare.turnsPerSecond).toFixed(0)} % of it`,
      },
    ];
  } finally {
    redis.disconnect();
    await redisServer.destroy();
  }
}
