// Stands in for tsx in the serve bundle: a worker entry that registers the TypeScript loader (so that it
// starts the same under tsx and vitest) needs none once bundled, since its imports are JavaScript by then.
export function register() {
  return async () => {};
}
