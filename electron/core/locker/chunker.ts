/**
 * Content-defined chunking, FastCDC-style with normalized chunking
 * (docs/FORMAT.md §6). A gear hash over a keyed table (derived from the locker
 * key, so cut points reveal nothing about content to someone without the key)
 * decides the cut points; an edit moves only the chunks around it.
 */
export const MIN_CHUNK = 512 * 1024;
export const AVG_CHUNK = 1024 * 1024;
export const MAX_CHUNK = 4 * 1024 * 1024;
/** Top 22 bits: cutting is harder before the average size... */
const MASK_HARD = 0xfffffc00 | 0;
/** ...and top 18 bits: easier after it, pulling sizes toward the average. */
const MASK_EASY = 0xffffc000 | 0;

/**
 * Length of the next chunk of data[start, end). The caller passes at least
 * MAX_CHUNK bytes unless the file ends inside the range (then the last chunk
 * may be shorter than MIN_CHUNK).
 */
export function nextCut(gear: Int32Array, data: Uint8Array, start: number, end: number): number {
  const available = end - start;
  if (available <= MIN_CHUNK) return available;
  const limit = Math.min(available, MAX_CHUNK);
  const normal = Math.min(AVG_CHUNK, limit);
  let hash = 0;
  let i = start + MIN_CHUNK;
  const normalEnd = start + normal;
  // Four bytes a turn (still testing after each): the loop's own bookkeeping
  // was a third of the time, and this is the one step of a seal that every
  // byte of a big file passes through on the main thread.
  for (const end4 = normalEnd - 3; i < end4; i += 4) {
    hash = ((hash << 1) + (gear[data[i] as number] as number)) | 0;
    if ((hash & MASK_HARD) === 0) return i + 1 - start;
    hash = ((hash << 1) + (gear[data[i + 1] as number] as number)) | 0;
    if ((hash & MASK_HARD) === 0) return i + 2 - start;
    hash = ((hash << 1) + (gear[data[i + 2] as number] as number)) | 0;
    if ((hash & MASK_HARD) === 0) return i + 3 - start;
    hash = ((hash << 1) + (gear[data[i + 3] as number] as number)) | 0;
    if ((hash & MASK_HARD) === 0) return i + 4 - start;
  }
  for (; i < normalEnd; i++) {
    hash = ((hash << 1) + (gear[data[i] as number] as number)) | 0;
    if ((hash & MASK_HARD) === 0) return i + 1 - start;
  }
  const limitEnd = start + limit;
  for (const end4 = limitEnd - 3; i < end4; i += 4) {
    hash = ((hash << 1) + (gear[data[i] as number] as number)) | 0;
    if ((hash & MASK_EASY) === 0) return i + 1 - start;
    hash = ((hash << 1) + (gear[data[i + 1] as number] as number)) | 0;
    if ((hash & MASK_EASY) === 0) return i + 2 - start;
    hash = ((hash << 1) + (gear[data[i + 2] as number] as number)) | 0;
    if ((hash & MASK_EASY) === 0) return i + 3 - start;
    hash = ((hash << 1) + (gear[data[i + 3] as number] as number)) | 0;
    if ((hash & MASK_EASY) === 0) return i + 4 - start;
  }
  for (; i < limitEnd; i++) {
    hash = ((hash << 1) + (gear[data[i] as number] as number)) | 0;
    if ((hash & MASK_EASY) === 0) return i + 1 - start;
  }
  return limit;
}
