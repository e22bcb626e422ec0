/**
 * Test support (never imported by production code): runs `fn` once with process.env.TZ set to each zone, as
 * Node reads TZ again when it is set, and restores it after. Throws when the zones gave no different offsets:
 * then the runtime ignored TZ, and a test that a result does not depend on the zone would prove nothing.
 */
export async function inTimeZones(zones: readonly string[], fn: (zone: string) => void | Promise<void>): Promise<void> {
  const previous = process.env.TZ;
  const offsets = new Set<number>();
  try {
    for (const zone of zones) {
      process.env.TZ = zone;
      offsets.add(new Date(Date.UTC(2026, 0, 15, 12)).getTimezoneOffset());
      await fn(zone);
    }
  } finally {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  }
  if (offsets.size !== zones.length) throw new Error(`TZ was not honoured: ${zones.join(', ')} gave ${offsets.size} different offsets`);
}
