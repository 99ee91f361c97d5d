import { generateAccountCode } from './account-code.ts';
import type { Citizen } from './citizen.ts';
import type { CitizenRepository, NewCitizen } from './citizen-repository.ts';

/** What a citizen asked for when opening an account. */
export type OpenAccountRequest = Omit<NewCitizen, 'accountCode'>;

/** The outcome of {@link openProvisionalAccount}. */
export type OpenAccountOutcome =
  | { readonly type: 'opened'; readonly citizen: Citizen }
  | { readonly type: 'phone_has_account'; readonly citizen: Citizen }
  | { readonly type: 'cccd_taken' };

const CODE_ATTEMPTS = 5;

/**
 * Opens a provisional account. One phone holds one account (asking again returns the existing one); a CCCD
 * that belongs to another account is refused and the attempt is audited. Idempotent on `createdByRef`.
 */
export async function openProvisionalAccount(
  repository: CitizenRepository,
  request: OpenAccountRequest,
  generateCode: () => string = generateAccountCode,
): Promise<OpenAccountOutcome> {
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt += 1) {
    const outcome = await repository.create({ ...request, accountCode: generateCode() });
    switch (outcome.type) {
      case 'created':
        return { type: 'opened', citizen: outcome.citizen };
      case 'phone_taken':
        return { type: 'phone_has_account', citizen: outcome.citizen };
      case 'cccd_taken':
        await repository.recordCccdConflict({ channel: request.createdVia, phone: request.phone });
        return { type: 'cccd_taken' };
      case 'code_taken':
        continue;
    }
  }
  throw new Error(`could not find a free account code in ${CODE_ATTEMPTS} attempts`);
}
