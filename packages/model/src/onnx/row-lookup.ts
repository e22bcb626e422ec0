import p from 'onnx-proto';

const { onnx } = p;

/** A graph without its compact table's row lookup, and that lookup, which the caller applies to the ids instead. */
export interface LiftedRowLookup {
  /** The model's bytes with the lookup's Gather and its table removed: the embedding is gathered by the ids input itself. */
  model: Uint8Array;
  /** Per bucket id: the embedding row the graph gathered for it (the `row_of` table, as it was). */
  rowOf: Int32Array;
}

/**
 * Takes a compact table's row lookup (`Gather(row_of, ids)`, see `buildNgramBagOnnx`) out of an ONNX model,
 * so the caller maps each id to its row (`rowOf[id]`) before the run. The embedding then gets the same
 * rows, so the probabilities are the same to the bit; onnxruntime's Gather costs about 10 ns per index
 * (measured: a fifth of a run of 100 emails), the lookup in TypeScript 1 or 2. Only the plain case is
 * taken: the ids input read by that one Gather alone, its table a raw int32 vector, and its rows read only
 * as the indices of other Gathers (a model with several compact parts, each with its own table, stays as
 * it is). Returns undefined when there is nothing to take.
 */
export function liftRowLookup(bytes: Uint8Array, idsInput: string): LiftedRowLookup | undefined {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!graph) return undefined;
  const nodes = graph.node ?? [];
  const readers = nodes.filter((node) => (node.input ?? []).includes(idsInput));
  if (readers.length !== 1) return undefined;
  const lookup = readers[0];
  const [tableName, indices] = lookup.input ?? [];
  const axis = (lookup.attribute ?? []).find((a) => a.name === 'axis');
  if (lookup.opType !== 'Gather' || (lookup.domain ?? '') !== '' || lookup.input?.length !== 2 || indices !== idsInput || Number(axis?.i ?? 0) !== 0) return undefined;
  if (lookup.output?.length !== 1) return undefined;
  const rows = lookup.output[0];
  const table = (graph.initializer ?? []).find((tensor) => tensor.name === tableName);
  const size = Number(table?.dims?.[0] ?? -1);
  const raw = table?.rawData;
  if (!table || table.dataType !== onnx.TensorProto.DataType.INT32 || table.dims?.length !== 1 || !raw || raw.byteLength !== size * 4) return undefined;
  // The table and its rows belong to the lookup alone: no graph input overrides the table, no output is its rows.
  if ((graph.input ?? []).some((input) => input.name === tableName) || (graph.output ?? []).some((output) => output.name === rows)) return undefined;
  for (const node of nodes) {
    if (node === lookup) continue;
    const inputs = node.input ?? [];
    if (inputs.includes(tableName)) return undefined;
    if (inputs.includes(rows) && !(node.opType === 'Gather' && (node.domain ?? '') === '' && inputs.length === 2 && inputs[0] !== rows && inputs[1] === rows)) return undefined;
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const rowOf = new Int32Array(size);
  for (let b = 0; b < size; b++) rowOf[b] = view.getInt32(b * 4, true);
  graph.node = nodes.filter((node) => node !== lookup);
  for (const node of graph.node) node.input = (node.input ?? []).map((name) => (name === rows ? idsInput : name));
  graph.initializer = (graph.initializer ?? []).filter((tensor) => tensor !== table);
  graph.valueInfo = (graph.valueInfo ?? []).filter((info) => info.name !== rows);
  return { model: onnx.ModelProto.encode(model).finish(), rowOf };
}
