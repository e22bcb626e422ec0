import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh temporary folder (`prefix` + random) and `file(name, text)`, which writes a file there and returns its path. */
export function tempFiles(prefix: string): { dir: string; file: (name: string, text: string) => string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    file(name, text) {
      const p = path.join(dir, name);
      writeFileSync(p, text);
      return p;
    },
  };
}
