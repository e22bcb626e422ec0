// Public API of @mailroute/evaluation: named exports only.
export {};
