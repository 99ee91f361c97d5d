import { AppError } from '../../shared/errors.ts';
import { normalizePhone } from '../../shared/phone.ts';
import { parseAccountCode } from './account-code.ts';
import type { Citizen, CitizenStatus } from './citizen.ts';
import type { CitizenRepository } from './citizen-repository.ts';

const CCCD = /^\d{12}$/;

/**
 * Finds the account an agency names: by account code (`ABCD-2345` or `ABCD2345`, any case), by 12-digit CCCD,
 * or by phone number in any common Vietnamese form. An unknown or closed account is `CITIZEN_NOT_FOUND`
 * (the same error whatever the reason, so an agency learns nothing more).
 */
export async function resolveCitizen(citizens: CitizenRepository, reference: string): Promise<Citizen> {
  const text = reference.trim();
  const compact = text.replace(/[\s.-]/g, '');
  let citizen: Citizen | null = null;
  if (CCCD.test(compact)) {
    citizen = await citizens.findByCccd(compact);
  } else {
    const code = parseAccountCode(text);
    if (code) citizen = await citizens.findByAccountCode(code);
    if (!citizen) {
      const phone = normalizePhone(text);
      if (phone) citizen = await citizens.findByPhone(phone);
    }
  }
  if (!citizen || citizen.closedAt !== null) {
    throw new AppError('CITIZEN_NOT_FOUND', 'No open account matches citizen');
  }
  return citizen;
}

/**
 * An account exists but the population registry has not confirmed it (its check is pending: `provisional`, or
 * failed: `not_matched`): it may not receive papers or data requests. `citizenStatus` is shown to the agency.
 */
export class CitizenNotVerifiedError extends AppError {
  readonly citizenStatus: Exclude<CitizenStatus, 'verified'>;

  constructor(citizenStatus: Exclude<CitizenStatus, 'verified'>) {
    super(
      'CITIZEN_NOT_VERIFIED',
      `The account is not verified by the population registry (status ${citizenStatus}); it cannot receive papers or data requests yet`,
      { context: { citizenStatus } },
    );
    this.citizenStatus = citizenStatus;
  }
}

/**
 * {@link resolveCitizen}, for what only verified accounts receive (papers, data requests): an account the
 * registry has not confirmed is {@link CitizenNotVerifiedError} (checked after `CITIZEN_NOT_FOUND`).
 */
export async function resolveVerifiedCitizen(
  citizens: CitizenRepository,
  reference: string,
): Promise<Citizen> {
  const citizen = await resolveCitizen(citizens, reference);
  if (citizen.status !== 'verified') throw new CitizenNotVerifiedError(citizen.status);
  return citizen;
}
