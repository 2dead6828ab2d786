import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { confirmSecret, readSecret } from '../electron/cli/prompt.js';

/** A PassThrough posing as a TTY; records raw-mode switches. */
function fakeTty(isTTY = true) {
  const stream = new PassThrough();
  const raw: boolean[] = [];
  const setRawMode = vi.fn((mode: boolean) => {
    raw.push(mode);
    Object.assign(stream, { isRaw: mode });
    return stream;
  });
  Object.assign(stream, { isTTY, isRaw: false, setRawMode });
  return { stream, input: stream as unknown as NodeJS.ReadStream, setRawMode, raw };
}

function fakeOutput() {
  let text = '';
  const output = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
  return { output, text: () => text };
}

/** Lets readSecret attach its listeners before keys arrive, as a real terminal would. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('readSecret', () => {
  it('reads up to Enter without echoing, then restores the terminal', async () => {
    const { stream, input, raw } = fakeTty();
    const out = fakeOutput();
    const pending = readSecret('Passphrase: ', { input, output: out.output });
    await tick();
    stream.write('hunter2');
    stream.write('\r');
    await expect(pending).resolves.toBe('hunter2');
    expect(out.text()).toBe('Passphrase: \n');
    expect(raw).toEqual([true, false]);
    expect(stream.isPaused()).toBe(true);
    expect(stream.listenerCount('data')).toBe(0);
  });

  it('handles Backspace and DEL', async () => {
    const { stream, input } = fakeTty();
    const out = fakeOutput();
    const pending = readSecret('> ', { input, output: out.output });
    await tick();
    stream.write('abcd\x7f\x7fx');
    stream.write('yz\b\n');
    await expect(pending).resolves.toBe('abxy');
    expect(out.text()).toBe('> \n');
  });

  it('deletes whole UTF-8 characters, even split across chunks', async () => {
    const { stream, input } = fakeTty();
    const pending = readSecret('> ', { input, output: fakeOutput().output });
    await tick();
    const bytes = Buffer.from('pässwörd😀', 'utf8');
    // Split inside the multi-byte 'ö' and inside the emoji.
    stream.write(bytes.subarray(0, 7));
    stream.write(bytes.subarray(7, 13));
    stream.write(bytes.subarray(13));
    stream.write('\x7f!\r');
    await expect(pending).resolves.toBe('pässwörd!');
  });

  it('accepts a pasted chunk and ignores escape sequences', async () => {
    const { stream, input } = fakeTty();
    const pending = readSecret('> ', { input, output: fakeOutput().output });
    await tick();
    // Bracketed paste markers around the text, then an arrow key.
    stream.write('\x1b[200~correct horse\x1b[201~\x1b[D battery\r');
    await expect(pending).resolves.toBe('correct horse battery');
  });

  it('rejects on Ctrl-C after restoring raw mode', async () => {
    const { stream, input, raw, setRawMode } = fakeTty();
    const out = fakeOutput();
    const pending = readSecret('> ', { input, output: out.output });
    await tick();
    stream.write('secret\x03more');
    await expect(pending).rejects.toThrow('cancelled');
    expect(setRawMode).toHaveBeenLastCalledWith(false);
    expect(raw).toEqual([true, false]);
    expect(stream.isPaused()).toBe(true);
    expect(out.text()).not.toContain('secret');
  });

  it('rejects on Ctrl-D only when nothing was typed', async () => {
    const first = fakeTty();
    const empty = readSecret('> ', { input: first.input, output: fakeOutput().output });
    await tick();
    first.stream.write('\x04');
    await expect(empty).rejects.toThrow('cancelled');
    expect(first.raw).toEqual([true, false]);

    const second = fakeTty();
    const typed = readSecret('> ', { input: second.input, output: fakeOutput().output });
    await tick();
    second.stream.write('ab\x04c\r');
    await expect(typed).resolves.toBe('abc');
  });

  it('rejects when the input ends', async () => {
    const { stream, input, raw } = fakeTty();
    const pending = readSecret('> ', { input, output: fakeOutput().output });
    await tick();
    stream.end('half');
    await expect(pending).rejects.toThrow('cancelled');
    expect(raw).toEqual([true, false]);
  });

  it('rejects with "no terminal" when input is not a TTY, without prompting', async () => {
    const { input, setRawMode } = fakeTty(false);
    const out = fakeOutput();
    await expect(readSecret('> ', { input, output: out.output })).rejects.toThrow('no terminal');
    expect(setRawMode).not.toHaveBeenCalled();
    expect(out.text()).toBe('');
  });

  it('restores raw mode as it found it', async () => {
    const { stream, input, raw } = fakeTty();
    Object.assign(stream, { isRaw: true });
    const pending = readSecret('> ', { input, output: fakeOutput().output });
    await tick();
    stream.write('x\r');
    await expect(pending).resolves.toBe('x');
    expect(raw).toEqual([true, true]);
  });
});

describe('confirmSecret', () => {
  it('returns the secret when both entries match, including from one pasted chunk', async () => {
    const { stream, input } = fakeTty();
    const out = fakeOutput();
    const pending = confirmSecret('New: ', 'Again: ', { input, output: out.output });
    await tick();
    stream.write('tw0 parts\r\ntw0 parts\r');
    await expect(pending).resolves.toBe('tw0 parts');
    expect(out.text()).toBe('New: \nAgain: \n');
  });

  it('rejects with "mismatch" when the entries differ', async () => {
    const { stream, input } = fakeTty();
    const pending = confirmSecret('New: ', 'Again: ', { input, output: fakeOutput().output });
    await tick();
    stream.write('one\r');
    await tick();
    stream.write('two\r');
    await expect(pending).rejects.toThrow('mismatch');
  });
});
