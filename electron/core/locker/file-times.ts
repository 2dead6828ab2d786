/** File times: stored in nanoseconds, restorable to the microsecond. */

/**
 * Seconds for utimes, which carries a double: microsecond precision. The half
 * microsecond keeps the kernel's truncation from landing one microsecond low.
 */
export function nsToSeconds(ns: string): number {
  return (Number(BigInt(ns) / 1000n) + 0.5) / 1e6;
}

/** Times as restored compare equal at the microsecond, the precision utimes keeps. */
export function sameMicrosecond(a: string, b: string): boolean {
  return BigInt(a) / 1000n === BigInt(b) / 1000n;
}
