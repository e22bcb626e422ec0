/** Makes this thread's better-sqlite3 writes fail with SQLite's error of the code `failing()` names (none: they run); returns the undo. */
export function failWritesWhile(failing: () => string | undefined): () => void;
