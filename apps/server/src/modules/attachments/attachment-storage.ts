import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { createPrivateDirectory, privateFileMode } from '../../db/private-files.js';
import { deleteAttachmentContent, findAttachmentContent, hasAttachmentContent, insertAttachmentContent } from './attachment.repository.js';

/** Where attachment bytes live, addressed by their SHA-256 (hex). */
export interface AttachmentStorage {
  saveContent(sha256: string, content: Buffer): Promise<void>;
  /** The bytes as a stream or a buffer; undefined when they are missing. */
  openContent(sha256: string): Promise<Readable | Buffer | undefined>;
  hasContent(sha256: string): Promise<boolean>;
  /** Deletes the bytes; on PostgreSQL in the given transaction, so they go only if it commits. */
  removeContent(executor: DatabaseExecutor, sha256: string): Promise<void>;
}

/**
 * PostgreSQL keeps the bytes in a table, so every instance behind a load balancer serves them;
 * SQLite runs as one instance and keeps them as private files in the data directory.
 */
export function createAttachmentStorage(context: ServiceContext, directory: string | undefined): AttachmentStorage {
  if (context.engine === 'postgres') {
    return {
      saveContent: (sha256, content) => insertAttachmentContent(context.db, sha256, content),
      openContent: (sha256) => findAttachmentContent(context.db, sha256),
      hasContent: (sha256) => hasAttachmentContent(context.db, sha256),
      removeContent: (executor, sha256) => deleteAttachmentContent(executor, sha256),
    };
  }
  function requireDirectory(): string {
    if (!directory) throw new Error('Attachments on SQLite need a directory: pass attachments.directory to createServices.');
    return directory;
  }
  return {
    async saveContent(sha256, content) {
      const root = requireDirectory();
      const file = path.join(root, sha256);
      if (fs.existsSync(file)) return;
      createPrivateDirectory(root);
      // Written aside and renamed, so a reader never sees half a file under its final name.
      const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
      await fs.promises.writeFile(partial, content, { mode: privateFileMode });
      await fs.promises.rename(partial, file);
    },
    async openContent(sha256) {
      const file = path.join(requireDirectory(), sha256);
      return fs.existsSync(file) ? fs.createReadStream(file) : undefined;
    },
    async hasContent(sha256) {
      return fs.existsSync(path.join(requireDirectory(), sha256));
    },
    async removeContent(_executor, sha256) {
      await fs.promises.rm(path.join(requireDirectory(), sha256), { force: true });
    },
  };
}
