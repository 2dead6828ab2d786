/**
 * Verify: every object authenticates, every manifest's references resolve, the
 * manifest chain is intact, and nothing is older than the keyslots allow.
 * Collects every problem (each naming its object) instead of stopping at one.
 */
import { EnvelockError, toEnvelockError, type ErrorInfo } from '../../../shared/errors.js';
import type { VerifyReport } from '../../../shared/lockers.js';
import type { ProgressEvent } from '../../../shared/progress.js';
import { idOf, indexName, manifestName, packName } from '../store/object-store.js';
import { CryptoPool } from './crypto-pool.js';
import type { FileEntry, Manifest } from './manifest.js';
import { forEachConcurrently } from '../concurrency.js';
import { stopIfCancelled, type Observer } from '../cancel.js';
import { PackChecker } from './pack-check.js';
import { readIndex, readManifest, type Repository } from './repository.js';
import type { PackEntry } from './index-object.js';
import { TAG_BYTES } from '../crypto/aead.js';
import { KEYSLOTS_NAME } from './keyslots.js';

export async function verifyRepository(repo: Repository, { onProgress, signal }: Observer = {}): Promise<VerifyReport> {
  const problems: ErrorInfo[] = [];
  const note = (error: unknown) => problems.push(toEnvelockError(error).toInfo());
  const store = repo.store;

  const indexIds = (await store.list('indexes/')).map(idOf);
  const indexes = new Map<string, PackEntry[]>();
  for (const id of indexIds) {
    try {
      indexes.set(id, await readIndex(repo, id));
    } catch (error) {
      note(error);
    }
  }

  const chunkLengths = new Map<string, number>();
  const chunkIndexes = new Map<string, Set<string>>();
  const packsToCheck = new Map<string, PackEntry>();
  for (const [index, packs] of indexes) {
    for (const pack of packs) {
      packsToCheck.set(pack.pack, pack);
      for (const blob of pack.blobs) {
        chunkLengths.set(blob.id, blob.length - TAG_BYTES);
        let set = chunkIndexes.get(blob.id);
        if (set === undefined) chunkIndexes.set(blob.id, (set = new Set()));
        set.add(index);
      }
    }
  }

  const storedPacks = new Set((await store.list('packs/')).map(idOf));
  const progress: ProgressEvent = { phase: 'Verifying', bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: packsToCheck.size, cancellable: signal !== undefined };
  for (const pack of packsToCheck.values()) for (const blob of pack.blobs) progress.bytesTotal += blob.length;
  const badChunks = new Set<string>();
  const pool = new CryptoPool(repo.keys);
  const checker = new PackChecker(repo, pool);
  let bytes = 0;
  try {
    await forEachConcurrently([...packsToCheck.values()], 2, async (pack) => {
      stopIfCancelled(signal, 'verify stopped before checking every object; nothing was changed.');
      if (!storedPacks.has(pack.pack)) {
        note(new EnvelockError('OBJECT_MISSING', `Store object ${packName(pack.pack)} is missing from ${store.location}.`, { subject: packName(pack.pack) }));
        for (const blob of pack.blobs) badChunks.add(blob.id);
        return;
      }
      try {
        const authenticated = await checker.check(pack, true);
        bytes += authenticated; // not `bytes += await …`: that reads bytes before the await and loses the other lane's sum
      } catch (error) {
        note(error);
        for (const blob of pack.blobs) badChunks.add(blob.id);
      }
      progress.filesDone++;
      for (const blob of pack.blobs) progress.bytesDone += blob.length;
      onProgress?.({ ...progress });
    });
  } finally {
    await pool.close();
  }

  const manifestIds = (await store.list('manifests/')).map(idOf);
  const manifests = new Map<string, Manifest>();
  for (const id of manifestIds) {
    try {
      manifests.set(id, await readManifest(repo, id));
    } catch (error) {
      note(error);
    }
  }
  for (const [id, manifest] of manifests) {
    const subject = manifestName(id);
    const fail = (why: string) => problems.push(new EnvelockError('OBJECT_CORRUPTED', `Store object ${subject} ${why}.`, { subject }).toInfo());
    for (const index of manifest.indexes) {
      if (!indexes.has(index)) problems.push(new EnvelockError('OBJECT_MISSING', `Store object ${subject} refers to ${indexName(index)}, which is missing or damaged.`, { subject: indexName(index) }).toInfo());
    }
    const listed = new Set(manifest.indexes);
    for (const entry of manifest.entries) {
      if (entry.type !== 'file') continue;
      let size = 0;
      for (const chunk of (entry as FileEntry).chunks) {
        const inIndexes = chunkIndexes.get(chunk);
        if (inIndexes === undefined || ![...inIndexes].some((i) => listed.has(i))) {
          fail(`refers to a chunk of ${JSON.stringify(entry.path)} that its indexes do not list`);
          break;
        }
        if (badChunks.has(chunk)) {
          fail(`has file ${JSON.stringify(entry.path)} whose data is in a damaged or missing pack`);
          break;
        }
        size += chunkLengths.get(chunk) ?? 0;
      }
      if (size !== entry.size && !problems.some((p) => p.subject === subject)) fail(`says ${JSON.stringify(entry.path)} has ${entry.size} bytes but its chunks hold ${size}`);
    }
    for (const parent of manifest.parents) {
      const parentManifest = manifests.get(parent);
      if (parentManifest === undefined) fail(`names parent snapshot ${parent}, which is missing or damaged`);
      else if (parentManifest.seq >= manifest.seq) fail(`has sequence ${manifest.seq}, not above its parent's ${parentManifest.seq}`);
    }
    if (manifest.keyslotGeneration > repo.keyslots.generation) {
      problems.push(
        new EnvelockError('ROLLBACK_DETECTED', `The ${KEYSLOTS_NAME} object is generation ${repo.keyslots.generation}, older than generation ${manifest.keyslotGeneration} named by ${subject}: an old keyslots file was put back.`, { subject: KEYSLOTS_NAME }).toInfo(),
      );
    }
  }

  const referencedIndexes = new Set<string>();
  for (const manifest of manifests.values()) for (const index of manifest.indexes) referencedIndexes.add(index);
  const unreferenced = [
    ...[...storedPacks].filter((p) => !packsToCheck.has(p)).map(packName),
    ...[...indexes.keys()].filter((i) => !referencedIndexes.has(i)).map(indexName),
  ];
  let latest: { id: string; seq: number } | undefined;
  for (const [id, manifest] of manifests) if (latest === undefined || manifest.seq > latest.seq) latest = { id, seq: manifest.seq };
  const report: VerifyReport = {
    ok: problems.length === 0,
    problems,
    unreferenced,
    counts: { packs: packsToCheck.size, indexes: indexes.size, manifests: manifests.size, chunks: chunkLengths.size, bytes },
    latest: latest ?? null,
  };
  return report;
}
