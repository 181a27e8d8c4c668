/**
 * Whether SQLite failed for lack of room: `SQLITE_FULL` (a full disk), or an I/O error, which is
 * what a write past a file size limit (`EFBIG`) and a shared-memory file without room become.
 */
export function refusedByDisk(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR'));
}
