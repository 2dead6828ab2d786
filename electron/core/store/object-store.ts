/**
 * Where locker objects live. Names are '/'-separated: `config`, `keyslots`,
 * `packs/<2 hex>/<64 hex>`, `indexes/<64 hex>`, `manifests/<64 hex>`.
 * Every object but `keyslots` is written once and never changed. A local folder
 * implements this now; S3 implements the same interface later.
 */
export interface ObjectStore {
  /** Shown in messages, e.g. the store folder. */
  readonly location: string;
  /** Whole object; throws OBJECT_MISSING naming it when absent. */
  get(name: string): Promise<Buffer>;
  /**
   * Part of an object, into `into` when given (else a new buffer); throws
   * OBJECT_TRUNCATED when the object ends before offset + length.
   */
  getRange(name: string, offset: number, length: number, into?: Buffer): Promise<Buffer>;
  /** Writes atomically and durably: readers see the old object or the whole new one. */
  put(name: string, parts: readonly Uint8Array[]): Promise<void>;
  /** Starts an object whose name is known only at the end (a pack, named by its content). */
  writer(): ObjectWriter;
  /** Names under a prefix such as `packs/`, `indexes/`, `manifests/`. */
  list(prefix: string): Promise<string[]>;
  exists(name: string): Promise<boolean>;
  /** Size in bytes; throws OBJECT_MISSING naming it when absent. */
  size(name: string): Promise<number>;
  /** Removes leftovers of interrupted writes. */
  cleanup(): Promise<void>;
}

export const packName = (id: string): string => `packs/${id.slice(0, 2)}/${id}`;
export const indexName = (id: string): string => `indexes/${id}`;
export const manifestName = (id: string): string => `manifests/${id}`;
/** The id at the end of a store name. */
export const idOf = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

/** An object being written piece by piece; nothing is visible under a name before commit. */
export interface ObjectWriter {
  append(part: Uint8Array): void;
  /** Makes the object durable under its name. */
  commit(name: string): Promise<void>;
  /** Drops an object that will not be committed. */
  abort(): void;
}
