// Public API of @mailroute/aws: named exports only.
export {};
