import { statSync } from 'node:fs';

/** What became of the file a log opened: still there, gone, or another file at its path. */
export type FileFate = 'same' | 'deleted' | 'replaced';

/**
 * The device and inode of the file a log opened. An open SQLite connection goes on writing into
 * a file that was deleted or replaced under it (the inode lives while it is open), so without
 * this check every record would go where no restart finds it.
 */
export class FileIdentity {
  private readonly dev: number;
  private readonly ino: number;

  /** Reads the identity of the file now at `path` (call it right after opening it). */
  constructor(private readonly path: string) {
    const stat = statSync(path);
    this.dev = stat.dev;
    this.ino = stat.ino;
  }

  /** Compares the file now at the path with the one opened. */
  fate(): FileFate {
    try {
      const stat = statSync(this.path);
      return stat.dev === this.dev && stat.ino === this.ino ? 'same' : 'replaced';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'deleted';
      throw error;
    }
  }
}
