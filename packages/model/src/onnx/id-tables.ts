import p from 'onnx-proto';

const { onnx } = p;

/** A table of the graph that the ids input indexes: its initializer's name and its row count. */
export interface IdTable {
  name: string;
  rows: number;
}

/**
 * The tables the ONNX graph gathers by the ids input directly (an `ngram-bag` graph: each part's embedding,
 * or a compact table's `row_of`), read from the initializers' dims. A featurizer whose buckets differ from
 * their rows makes ids the graph cannot hold (onnxruntime fails every run) or never reaches most of them
 * (wrong answers, no error). Protobuf decoding keeps the tensors' bytes as views of `bytes`: no copy.
 */
export function idTablesOf(bytes: Uint8Array, idsInput: string): IdTable[] {
  const graph = onnx.ModelProto.decode(bytes).graph;
  const dims = new Map((graph?.initializer ?? []).map((tensor) => [tensor.name ?? '', (tensor.dims ?? []).map(Number)]));
  const tables: IdTable[] = [];
  for (const node of graph?.node ?? []) {
    if (node.opType !== 'Gather' || node.input?.[1] !== idsInput) continue;
    const name = node.input[0];
    const shape = dims.get(name);
    if (shape !== undefined && shape.length > 0) tables.push({ name, rows: shape[0] });
  }
  return tables;
}
