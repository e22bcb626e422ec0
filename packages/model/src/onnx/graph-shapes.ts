import p from 'onnx-proto';

const { onnx } = p;

/** A table of the graph that the ids input indexes: its initializer's name and its row count. */
export interface IdTable {
  name: string;
  rows: number;
}

/** What the manifest is checked against before a session is opened, read from the graph itself. */
export interface GraphShapes {
  /**
   * The tables the ONNX graph gathers by the ids input directly (an `ngram-bag` graph: each part's embedding,
   * or a compact table's `row_of`), read from the initializers' dims. A featurizer whose buckets differ from
   * their rows makes ids the graph cannot hold (onnxruntime fails every run) or never reaches most of them
   * (wrong answers, no error).
   */
  tables: IdTable[];
  /**
   * The width each output declares (its last dim, [batch, labels]), where the graph gives it as a number: a
   * task's labels in the manifest must be as many, or every run fails (one output per task) or, with the
   * combined output, the probabilities of one task are read as another's labels (wrong answers, no error).
   */
  outputWidths: Map<string, number>;
}

/** The id tables and output widths of an ONNX model. Protobuf decoding keeps the tensors' bytes as views of `bytes`: no copy. */
export function graphShapes(bytes: Uint8Array, idsInput: string): GraphShapes {
  const graph = onnx.ModelProto.decode(bytes).graph;
  const dims = new Map((graph?.initializer ?? []).map((tensor) => [tensor.name ?? '', (tensor.dims ?? []).map(Number)]));
  const tables: IdTable[] = [];
  for (const node of graph?.node ?? []) {
    if (node.opType !== 'Gather' || node.input?.[1] !== idsInput) continue;
    const name = node.input[0];
    const shape = dims.get(name);
    if (shape !== undefined && shape.length > 0) tables.push({ name, rows: shape[0] });
  }
  const outputWidths = new Map<string, number>();
  for (const output of graph?.output ?? []) {
    const dim = output.type?.tensorType?.shape?.dim ?? [];
    // A symbolic or absent width (dimParam; dimValue then reads 0) says nothing to check.
    const width = dim.length === 2 ? Number(dim[1].dimValue ?? 0) : 0;
    if (output.name && width > 0) outputWidths.set(output.name, width);
  }
  return { tables, outputWidths };
}
