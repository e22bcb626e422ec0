import { describe, expect, it } from 'vitest';
import { findPython, PYTHON_CANDIDATES } from './python.js';

describe('findPython', () => {
  it("tries Debian's /usr/bin/python3, then python3 on PATH, and takes the first that imports sklearn", () => {
    expect(PYTHON_CANDIDATES).toEqual(['/usr/bin/python3', 'python3']);
    const tried: string[] = [];
    const onlyOnPath = (p: string) => {
      tried.push(p);
      return p === 'python3';
    };
    expect(findPython(PYTHON_CANDIDATES, onlyOnPath)).toBe('python3');
    expect(tried).toEqual(['/usr/bin/python3', 'python3']);
    expect(findPython(PYTHON_CANDIDATES, () => true)).toBe('/usr/bin/python3');
    expect(findPython(PYTHON_CANDIDATES, () => false)).toBeUndefined();
  });
});
