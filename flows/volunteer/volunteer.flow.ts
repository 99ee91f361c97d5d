import type { FlowContext } from '../../src/engine/flow-context.ts';
import { type CommandDefinition, finish } from '../../src/engine/flow-kit.ts';
import { isSimulatedChannel, isSmsChannel } from '../../src/messaging/channel.ts';
import { foldForMatch } from '../../src/shared/text.ts';
import { vietnamDates } from '../../src/shared/vietnam-time.ts';
import { copyOf, say } from '../kit/answers.ts';
import { TEAM_NAME_SMS_CHARACTERS, volunteerCopy } from './volunteer.copy.ts';
import type { TeamLine, VolunteerEffects } from './volunteer.effects.ts';

/** What follows `TNV` to leave the team: `TNV ROI`, `TNV rời`, `volunteer leave`... (folded). */
const LEAVE_WORDS: ReadonlySet<string> = new Set(['roi', 'roi to', 'roi khoi to', 'thoat', 'leave']);

const t = copyOf(volunteerCopy);

/** The team's name as this channel shows it: cut by SMS, so the answer stays one segment. */
function teamName(ctx: FlowContext, name: string): string {
  if (!isSmsChannel(ctx.channel) || name.length <= TEAM_NAME_SMS_CHARACTERS) return name;
  return `${name.slice(0, TEAM_NAME_SMS_CHARACTERS - 3).trimEnd()}...`;
}

/** The name, ward and role words of a team line, in the sender's language. */
function named(ctx: FlowContext, team: TeamLine): [string, string, string] {
  return [teamName(ctx, team.name), team.wardName, t(ctx).role(team.role)];
}

/**
 * `TNV <invite code>` joins a community digital-technology team (the first member leads it); `TNV` alone shows
 * the sender's team and role, or how to join; `TNV ROI` leaves the team. Teams know volunteers by their proven
 * phone: SMS always has one, a messenger chat only once linked (`LK`). No account is needed. A simulated chat
 * (the console's Simulator) cannot join a team.
 */
export const volunteerCommand: CommandDefinition<VolunteerEffects> = {
  id: 'volunteer',
  start: (ctx, args, run) => {
    if (ctx.phone === null) return finish(say(t(ctx).linkFirst()));
    const words = foldForMatch(args);
    if (words === '') {
      return run({ type: 'showTeam' }, (team) =>
        finish(say(team ? t(ctx).membership(...named(ctx, team)) : t(ctx).notMember())),
      );
    }
    if (LEAVE_WORDS.has(words)) {
      return run({ type: 'leaveTeam' }, (team) =>
        finish(say(team ? t(ctx).left(teamName(ctx, team.name)) : t(ctx).nothingToLeave())),
      );
    }
    // A simulated user (the console's Simulator) never joins a team: a team's members sign in to the console and
    // take real hand-offs.
    if (isSimulatedChannel(ctx.channel)) return finish(say(t(ctx).simulated()));
    return run({ type: 'joinTeam', code: args }, (joined) => {
      switch (joined.type) {
        case 'joined':
          return finish(say(t(ctx).joined(...named(ctx, joined.team))));
        case 'already_member':
          return finish(say(t(ctx).alreadyMember(...named(ctx, joined.team))));
        case 'in_other_team':
          return finish(say(t(ctx).inOtherTeam(teamName(ctx, joined.team.name), joined.team.wardName)));
        case 'wrong_code':
          return finish(say(t(ctx).wrongCode()));
        case 'blocked':
          return finish(say(t(ctx).blocked(vietnamDates.time(joined.until))));
      }
    });
  },
};
