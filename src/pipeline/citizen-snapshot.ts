import { formatAccountCode } from '../domain/citizens/account-code.ts';
import type { Citizen } from '../domain/citizens/citizen.ts';
import type { CitizenSnapshot } from '../engine/flow-context.ts';

/** What a flow may know of an account (see {@link CitizenSnapshot}). */
export function citizenSnapshot(citizen: Citizen): CitizenSnapshot {
  return {
    id: citizen.id,
    accountCode: formatAccountCode(citizen.accountCode),
    status: citizen.status,
    mismatchField: citizen.mismatchField,
    purgeAfter: citizen.closedAt === null ? null : citizen.purgeAfter,
  };
}
