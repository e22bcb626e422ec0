/**
 * An `s3://<bucket>/<key>` URI read as a folder: its bucket, its key, the key as a prefix ending in `/` (so that
 * `.../output/model` does not take in `.../output/model.tar.gz` beside it), and whether that prefix has an empty, `.`
 * or `..` segment. Undefined for anything else. The register and feedback-export Lambdas read their events' URIs so.
 */
export function s3Folder(uri: string): { bucket: string; key: string; prefix: string; badSegment: boolean } | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) return undefined;
  const [, bucket, key] = match;
  const prefix = key.endsWith('/') ? key : `${key}/`;
  return { bucket, key, prefix, badSegment: prefix.slice(0, -1).split('/').some((part) => part === '' || part === '.' || part === '..') };
}
