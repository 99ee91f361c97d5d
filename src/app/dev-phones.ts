import type { CitizenRepository } from '../domain/citizens/citizen-repository.ts';
import type { DevPhoneAdoption } from '../messaging/dev-phones.ts';
import type { DevPhoneStore } from '../storage/postgres/dev-phone-store.ts';

/**
 * The adoption rule of the development phones (docs/channels/web.md): a phone already adopted stays adopted; a
 * phone with no account is adopted the first time development mode texts it or answers as it; a phone with an
 * account that was never adopted (made outside development mode, or by the console's simulator) is refused.
 */
export function createDevPhoneAdoption(deps: {
  store: Pick<DevPhoneStore, 'touch' | 'adopt'>;
  citizens: Pick<CitizenRepository, 'findByPhone'>;
}): DevPhoneAdoption {
  return {
    async adopt(phone, at) {
      if (await deps.store.touch(phone, at)) return true;
      if ((await deps.citizens.findByPhone(phone)) !== null) return false;
      await deps.store.adopt(phone, at);
      return true;
    },
  };
}
