import type { Citizen, ConsentRecord } from '../citizens/citizen.ts';
import type { CitizenRepository } from '../citizens/citizen-repository.ts';
import { openProvisionalAccount } from '../citizens/open-account.ts';
import type { AssistedRequest, AssistedRequestRepository } from './assisted-request.ts';

/** The outcome of {@link openAssistedAccount}. */
export type OpenAssistedOutcome =
  | { readonly type: 'opened'; readonly citizen: Citizen }
  | { readonly type: 'phone_taken' }
  | { readonly type: 'cccd_taken' };

/**
 * Opens the account of a consented request exactly as self-registration opens one (`openProvisionalAccount`), for
 * the neighbour's phone, attributed to the volunteer (`actor` volunteer with the member id, `registeredBy` the team
 * and member), with the consent recorded as the neighbour's, given `how` (reply or code) with that volunteer. Then
 * marks the request opened, or failed when the phone has an account or the CCCD is taken by now. Idempotent: the
 * account is created once per request (`createdByRef` is the request), so a replayed or concurrent call opens
 * nothing twice.
 */
export async function openAssistedAccount(
  deps: { readonly citizens: CitizenRepository; readonly assisted: AssistedRequestRepository },
  request: AssistedRequest,
  opening: { readonly channel: string; readonly consent: Omit<ConsentRecord, 'assisted'>; readonly at: Date },
): Promise<OpenAssistedOutcome> {
  const how = request.how ?? 'reply';
  const outcome = await openProvisionalAccount(deps.citizens, {
    phone: request.neighbourPhone,
    fullName: request.fullName,
    cccd: request.cccd,
    dateOfBirth: request.dateOfBirth,
    createdVia: opening.channel,
    createdByRef: `assisted-${request.id}`,
    actor: { kind: 'volunteer', id: request.memberId },
    registeredBy: { teamId: request.teamId, memberId: request.memberId },
    consent: {
      ...opening.consent,
      assisted: { how, teamId: request.teamId, memberId: request.memberId, requestId: request.id },
    },
  });
  switch (outcome.type) {
    case 'opened':
      await deps.assisted.markOpened(request.id, outcome.citizen.id, opening.at);
      return { type: 'opened', citizen: outcome.citizen };
    case 'phone_has_account':
      await deps.assisted.markFailed(request.id, 'phone_taken', opening.at);
      return { type: 'phone_taken' };
    case 'cccd_taken':
      await deps.assisted.markFailed(request.id, 'cccd_taken', opening.at);
      return { type: 'cccd_taken' };
  }
}
