import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { z } from 'zod';
import { createPrivateDirectory, privateFileMode } from '../db/private-files.js';

/** A plucked column of names as SQLite answers it. */
const nameListSchema = z.array(z.string());

/** The table of a SQLite backup that carries the attachment files; never a table of the database itself. */
const backupAttachmentFilesTable = 'backup_attachment_files';
const sha256Pattern = /^[0-9a-f]{64}$/;
const attachmentFileRowSchema = z.object({ sha256: z.string().regex(sha256Pattern), content: z.instanceof(Buffer) });

/**
 * Adds the bytes of every attachment the backup's rows point at to the backup file itself, so one
 * file restores everything. Answers how many files it copied; a missing file is left out (its
 * download answered 404 before the backup too).
 */
export function copyAttachmentFilesIntoBackup(file: string, directory: string | undefined): number {
  const backup = new SqliteDatabase(file, { fileMustExist: true });
  try {
    backup.exec(`create table ${backupAttachmentFilesTable} (sha256 text primary key, content blob not null)`);
    const hasAttachments = backup.prepare("select 1 from sqlite_master where type = 'table' and name = 'attachments'").get() !== undefined;
    if (!directory || !hasAttachments) return 0;
    const hashes = nameListSchema.parse(backup.prepare('select distinct sha256 from attachments').pluck().all());
    const insert = backup.prepare(`insert into ${backupAttachmentFilesTable} (sha256, content) values (?, ?)`);
    let copied = 0;
    for (const sha256 of hashes) {
      if (!sha256Pattern.test(sha256)) continue;
      const source = path.join(directory, sha256);
      if (!fs.existsSync(source)) continue;
      insert.run(sha256, fs.readFileSync(source));
      copied += 1;
    }
    return copied;
  } finally {
    backup.close();
  }
}

/** Writes the attachment files a SQLite backup carries into the attachment directory; answers how many. */
export function restoreAttachmentFiles(file: string, directory: string | undefined): number {
  if (!directory) return 0;
  const backup = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const carriesFiles =
      backup.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(backupAttachmentFilesTable) !== undefined;
    if (!carriesFiles) return 0;
    createPrivateDirectory(directory);
    let restored = 0;
    for (const row of backup.prepare(`select sha256, content from ${backupAttachmentFilesTable}`).iterate()) {
      const { sha256, content } = attachmentFileRowSchema.parse(row);
      // Aside, then renamed: a file is there whole under its name, or not at all.
      const target = path.join(directory, sha256);
      const partial = `${target}.${randomBytes(6).toString('hex')}.partial`;
      fs.writeFileSync(partial, content, { mode: privateFileMode });
      fs.renameSync(partial, target);
      restored += 1;
    }
    return restored;
  } finally {
    backup.close();
  }
}
