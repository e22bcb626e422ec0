// Public API of @mailroute/training: named exports only.
export {};
