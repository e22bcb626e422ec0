export * from './prediction.js';
export * from './contracts.js';
export { LocalModelRegistry, createLocalRegistry, ModelVersionSchema, RegistryIndexSchema, type RegistryIndex, type LocalRegistryOptions, type RegistryHooks } from './registry/local-registry.js';
export { RegistryError, type RegistryErrorCode } from './registry/errors.js';
export { withFileLock, type LockOptions } from './registry/lock.js';
export { writeFileAtomic, copyDirDurable } from './registry/fs-atomic.js';
