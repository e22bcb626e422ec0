// planer ships no types; the benchmark uses its text API only.
declare module 'planer' {
  const planer: { extractFromPlain(body: string): string };
  export default planer;
}
