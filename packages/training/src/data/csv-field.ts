/** One CSV field as training reads it back: quoted (its quotes doubled) when it holds a quote, the delimiter or a line break. */
export function csvField(value: string, delimiter = ','): string {
  return value.includes('"') || value.includes(delimiter) || /[\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
