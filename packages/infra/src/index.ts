// Public API of @mailroute/infra: named exports only.
export {};
