/**
 * Reads a passphrase from the terminal without echoing it.
 * Raw mode is needed because cooked mode would echo every keystroke; in raw mode
 * the terminal no longer handles Enter, Backspace or Ctrl-C, so this module does.
 */

import { StringDecoder } from 'node:string_decoder';

export interface SecretPromptOptions {
  input?: NodeJS.ReadStream;
  output?: NodeJS.WriteStream;
}

const CTRL_C = '\x03';
const CTRL_D = '\x04';
const CTRL_U = '\x15';
const ESC = '\x1b';

/**
 * Resolves with the typed secret. Rejects with Error('cancelled') on Ctrl-C, on Ctrl-D
 * with nothing typed, or when input ends; with Error('no terminal') when input is not a TTY.
 */
export function readSecret(prompt: string, options: SecretPromptOptions = {}): Promise<string> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stderr;
  if (input.isTTY !== true || typeof input.setRawMode !== 'function') {
    return Promise.reject(new Error('no terminal'));
  }
  // An ended stream never emits 'end' again, so waiting on it would hang forever.
  if (input.readableEnded) return Promise.reject(new Error('cancelled'));

  return new Promise<string>((resolve, reject) => {
    const wasRaw = input.isRaw === true;
    // Our own decoder, not input.setEncoding(): that would change stdin for every later reader.
    const decoder = new StringDecoder('utf8');
    const chars: string[] = []; // code points, so Backspace removes a character, not a byte
    let escape: 'none' | 'esc' | 'csi' = 'none';

    const finish = (error: Error | undefined): void => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('error', onError);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
      const secret = chars.join('');
      chars.fill('');
      chars.length = 0;
      if (error === undefined) resolve(secret);
      else reject(error);
    };

    const onData = (chunk: Buffer | string): void => {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      const points = Array.from(text);
      for (let i = 0; i < points.length; i++) {
        const ch = points[i] ?? '';
        if (escape !== 'none') {
          escape = nextEscapeState(escape, ch);
          continue;
        }
        switch (ch) {
          case '\r':
          case '\n': {
            // Give type-ahead (a paste holding both the secret and its confirmation) back to the stream.
            const rest = points.slice(i + 1);
            if (ch === '\r' && rest[0] === '\n') rest.shift();
            finish(undefined);
            // Only after finish() paused the stream: unshifting while flowing re-emits 'data' into this handler.
            if (rest.length > 0) input.unshift(Buffer.from(rest.join(''), 'utf8'));
            return;
          }
          case CTRL_C:
            finish(new Error('cancelled'));
            return;
          case CTRL_D:
            if (chars.length === 0) {
              finish(new Error('cancelled'));
              return;
            }
            break; // like a shell: Ctrl-D with text typed does nothing
          case '\x7f':
          case '\b':
            chars.pop();
            break;
          case CTRL_U:
            chars.length = 0;
            break;
          case ESC:
            // Arrow keys and bracketed-paste markers arrive as escape sequences, never as secret text.
            escape = 'esc';
            break;
          default:
            if (ch === '\t' || ch >= ' ') chars.push(ch);
        }
      }
    };
    const onEnd = (): void => finish(new Error('cancelled'));
    const onError = (err: Error): void => finish(err);

    output.write(prompt);
    input.setRawMode(true);
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onError);
    input.resume();
  });
}

/** Asks twice; rejects with Error('mismatch') when the two entries differ. */
export async function confirmSecret(
  prompt: string,
  repeatPrompt: string,
  options: SecretPromptOptions = {},
): Promise<string> {
  const first = await readSecret(prompt, options);
  const second = await readSecret(repeatPrompt, options);
  if (first !== second) throw new Error('mismatch');
  return first;
}

/** Skips an ESC sequence: ESC + one char, or a CSI/SS3 sequence up to its final byte. */
function nextEscapeState(state: 'esc' | 'csi', ch: string): 'none' | 'esc' | 'csi' {
  if (state === 'esc') return ch === '[' || ch === 'O' ? 'csi' : 'none';
  const code = ch.codePointAt(0) ?? 0;
  return code >= 0x40 && code <= 0x7e ? 'none' : 'csi';
}
