/**
 * The size of every fault test's campaign: FAULT_CITIZENS citizens (default 500, the least the suite promises),
 * FAULT_LANES of them at once (default 50). A smaller campaign is for trying a change quickly, never for CI.
 */
export const CITIZENS = Number(process.env.FAULT_CITIZENS ?? 500);
/** Citizens writing at once. */
export const LANES = Number(process.env.FAULT_LANES ?? 50);
