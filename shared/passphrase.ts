/**
 * A passphrase strength estimate shared by the UI's meter and the engine's
 * refusal, so what the meter calls weak is exactly what init refuses. It is a
 * conservative guess (character classes, length, repeats and runs, a few very
 * common words), not a cracking model: it errs towards "weak".
 */

export const MIN_PASSPHRASE_LENGTH = 10;
/** Below this estimate a passphrase is refused. */
export const MIN_PASSPHRASE_BITS = 45;

export type StrengthLabel = 'too short' | 'weak' | 'fair' | 'strong' | 'very strong';

export interface PassphraseStrength {
  /** 0 (refused) … 4. */
  score: 0 | 1 | 2 | 3 | 4;
  label: StrengthLabel;
  /** Estimated bits of guessing work, rounded down. */
  bits: number;
  acceptable: boolean;
  /** What to do to make it stronger; empty when it is strong. */
  hint: string;
}

const COMMON = ['password', 'passphrase', 'qwerty', 'letmein', 'welcome', 'admin', 'iloveyou', 'monkey', 'dragon', '123456', 'abc123', 'envelock', 'secret'];

function poolSize(chars: readonly string[]): number {
  let pool = 0;
  if (chars.some((c) => /[a-z]/.test(c))) pool += 26;
  if (chars.some((c) => /[A-Z]/.test(c))) pool += 26;
  if (chars.some((c) => /[0-9]/.test(c))) pool += 10;
  if (chars.some((c) => c === ' ')) pool += 1;
  if (chars.some((c) => /[^a-zA-Z0-9 ]/.test(c) && c.charCodeAt(0) < 128)) pool += 32;
  if (chars.some((c) => c.charCodeAt(0) >= 128)) pool += 100;
  return Math.max(pool, 1);
}

/** Characters that add little: repeats of the previous one, and steps of an ascending/descending run. */
function predictableCount(chars: readonly string[]): number {
  let count = 0;
  for (let i = 1; i < chars.length; i++) {
    const prev = chars[i - 1]!.codePointAt(0)!;
    const cur = chars[i]!.codePointAt(0)!;
    if (cur === prev || Math.abs(cur - prev) === 1) count++;
  }
  return count;
}

export function passphraseStrength(passphrase: string): PassphraseStrength {
  const chars = [...passphrase];
  let effective = chars.length - predictableCount(chars) * 0.75;
  const lower = passphrase.toLowerCase();
  for (const word of COMMON) if (lower.includes(word)) effective -= word.length * 0.8;
  const distinct = new Set(chars).size;
  if (distinct < 5) effective = Math.min(effective, distinct * 2);
  const bits = Math.max(0, Math.floor(Math.max(effective, 0) * Math.log2(poolSize(chars))));
  if (chars.length < MIN_PASSPHRASE_LENGTH) {
    return { score: 0, label: 'too short', bits, acceptable: false, hint: `Use at least ${MIN_PASSPHRASE_LENGTH} characters; four or five random words are strong and easy to type.` };
  }
  if (bits < MIN_PASSPHRASE_BITS) {
    return { score: 1, label: 'weak', bits, acceptable: false, hint: 'Too easy to guess: avoid repeats, keyboard runs and common words; add a few random words.' };
  }
  if (bits < 60) return { score: 2, label: 'fair', bits, acceptable: true, hint: 'Acceptable; one or two more random words make it strong.' };
  if (bits < 80) return { score: 3, label: 'strong', bits, acceptable: true, hint: '' };
  return { score: 4, label: 'very strong', bits, acceptable: true, hint: '' };
}
