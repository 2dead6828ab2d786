/** File times: stored in nanoseconds, restorable to the microsecond. */

/**
 * Seconds for utimes, which carries a double: microsecond precision. The half
 * microsecond (away from zero) keeps the kernel's truncation toward zero from
 * landing one microsecond short. Returned as a string because Node replaces a
 * negative *number* with the current time; times before 1970 are real (old
 * archives, `touch -d 1960-…`) and must come back unchanged.
 */
export function nsToSeconds(ns: string): string {
  const us = BigInt(ns) / 1000n;
  return String((Number(us) + (us < 0n ? -0.5 : 0.5)) / 1e6);
}

/** Times as restored compare equal at the microsecond, the precision utimes keeps. */
export function sameMicrosecond(a: string, b: string): boolean {
  return BigInt(a) / 1000n === BigInt(b) / 1000n;
}
