/**
 * Which phones the development phones (channel `dev-sms`, docs/channels/web.md) may show texts to and answer as:
 * only the phones development mode "adopted", that is phones that had no account when it first texted them or
 * first answered as them. So they never become a way into a real account. The service implements it over
 * PostgreSQL (`src/app/dev-phones.ts`).
 */
export interface DevPhoneAdoption {
  /**
   * Adopts `phone` (E.164) when it has no account and was not adopted yet; resolves whether it is adopted (now or
   * before). A phone with an account that was never adopted stays refused (`false`), however often it is asked.
   */
  adopt(phone: string, at: Date): Promise<boolean>;
}
