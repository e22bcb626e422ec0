/** `1 prediction`, `2 predictions`: a count with its noun, plural when it is not 1 (`many` for an irregular one). */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
