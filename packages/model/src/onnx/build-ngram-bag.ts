import p from 'onnx-proto';
import type { DenseLayer, NgramBagHead, NgramBagWeights } from '../ngram-bag/weights.js';
import { temperatureOf } from '../ngram-bag/forward.js';

const { onnx } = p;

export const NGRAM_BAG_OPSET = 17;

export interface NgramBagOnnxNames {
  inputs: { ids: string; weights: string };
  /** Output name per task; its order is the order of the tasks in `combined`. */
  outputs: Record<string, string>;
  /** Every task's probabilities side by side in one more output (see the manifest's `onnx.combined`). */
  combined?: string;
}

/** Default tensor names: `ids`, `weights`, `probs_<task>` per task, and `probs` for all tasks together. */
export function ngramBagOnnxNames(tasks: readonly string[]): NgramBagOnnxNames {
  return { inputs: { ids: 'ids', weights: 'weights' }, outputs: Object.fromEntries(tasks.map((task) => [task, `probs_${task}`])), combined: 'probs' };
}

/** The values' bytes as a view (no copy: an embedding table can be 100+ MB); the proto is encoded before they change. */
function floatTensor(name: string, dims: number[], values: Float32Array): p.onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) };
}

function int32Tensor(name: string, dims: number[], values: Int32Array): p.onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.INT32, rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) };
}

function int64Tensor(name: string, values: number[]): p.onnx.ITensorProto {
  return { name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: values };
}

function valueInfo(name: string, elemType: number, dims: Array<string | number>): p.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

/**
 * A part's heads as one dense layer: their weights side by side (`[in][sum of outs]`), each head's
 * weights and bias divided by its task's temperature (softmax(xW/T + b/T) = softmax((xW + b)/T)).
 */
function scaledHeads(heads: readonly NgramBagHead[], temperatures: Record<string, number>): DenseLayer {
  const inSize = heads[0].inSize;
  const outSize = heads.reduce((sum, head) => sum + head.outSize, 0);
  const weight = new Float32Array(inSize * outSize);
  const bias = new Float32Array(outSize);
  let at = 0;
  for (const head of heads) {
    const t = temperatureOf(temperatures, head.task);
    for (let i = 0; i < inSize; i++) {
      for (let j = 0; j < head.outSize; j++) weight[i * outSize + at + j] = head.weight[i * head.outSize + j] / t;
    }
    for (let j = 0; j < head.outSize; j++) bias[at + j] = head.bias[j] / t;
    at += head.outSize;
  }
  return { inSize, outSize, weight, bias };
}

/**
 * Builds the ONNX graph of an `ngram-bag` model: per part, Gather(embedding, ids) (a compact table's
 * `rowOf` gathered first) pooled with the
 * weights (a batched MatMul) -> optional MatMul + Add + Relu -> the part's heads as one MatMul + Add (each
 * head's weights divided by its task's temperature) -> Split per task -> Softmax. Inputs `ids` int32 [batch, L] and `weights` float32 [batch, L]; one output per task, and with
 * `names.combined` one more: the tasks' outputs concatenated, in the order of `names.outputs`.
 */
export function buildNgramBagOnnx(
  weights: NgramBagWeights,
  temperatures: Record<string, number>,
  names: NgramBagOnnxNames = ngramBagOnnxNames(weights.parts.flatMap((part) => part.heads.map((h) => h.task))),
): Uint8Array {
  const nodes: p.onnx.INodeProto[] = [];
  const initializers: p.onnx.ITensorProto[] = [int64Tensor('axes_1', [1])];
  const outputs: p.onnx.IValueInfoProto[] = [];
  /** Labels per task, as the heads are built. */
  const labelCounts = new Map<string, number>();
  const node = (opType: string, input: string[], output: string, attribute: p.onnx.IAttributeProto[] = []): string => {
    nodes.push({ opType, input, output: [output], name: `${opType}_${nodes.length}`, attribute });
    return output;
  };
  const dense = (prefix: string, layer: DenseLayer, x: string): string => {
    initializers.push(floatTensor(`${prefix}_w`, [layer.inSize, layer.outSize], layer.weight));
    initializers.push(floatTensor(`${prefix}_b`, [layer.outSize], layer.bias));
    return node('Add', [node('MatMul', [x, `${prefix}_w`], `${prefix}_xw`), `${prefix}_b`], `${prefix}_out`);
  };
  // Pooling as a batched MatMul, [batch, 1, L] x [batch, L, dim]: one pass over the gathered rows.
  const w3 = node('Unsqueeze', [names.inputs.weights, 'axes_1'], 'weights_row');
  weights.parts.forEach((part, pi) => {
    const axis0 = [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }];
    initializers.push(floatTensor(`p${pi}_embedding`, [part.embedding.length / part.dim, part.dim], part.embedding));
    let rows = names.inputs.ids;
    if (part.rowOf) {
      // A compact table: the ids become its rows first.
      initializers.push(int32Tensor(`p${pi}_row_of`, [part.buckets], part.rowOf));
      rows = node('Gather', [`p${pi}_row_of`, names.inputs.ids], `p${pi}_rows`, axis0);
    }
    const gathered = node('Gather', [`p${pi}_embedding`, rows], `p${pi}_gathered`, axis0);
    const summed = node('MatMul', [w3, gathered], `p${pi}_summed`);
    let features = node('Squeeze', [summed, 'axes_1'], `p${pi}_pooled`);
    if (part.hidden) features = node('Relu', [dense(`p${pi}_hidden`, part.hidden, features)], `p${pi}_hidden_relu`);
    // The part's heads as one MatMul + Add over their weights side by side, each divided by its task's
    // temperature beforehand; Split gives each task its logits for its own Softmax. Fewer nodes: a run's
    // cost at small batches is mostly per node, not arithmetic.
    if (part.heads.length === 0) return;
    for (const head of part.heads) if (!names.outputs[head.task]) throw new Error(`no output name for task ${head.task}`);
    const headsOut = `p${pi}_heads`;
    const logits = dense(headsOut, scaledHeads(part.heads, temperatures), features);
    const taskOutputs = part.heads.map((head) => names.outputs[head.task]);
    // Named by the part and the head's place, not the task: `${output}_logits` of a task `queue` was the output
    // `probs_queue_logits` of a task `queue_logits`, and onnxruntime refused the graph.
    const taskLogits = part.heads.length === 1 ? [logits] : part.heads.map((_head, hi) => `p${pi}_logits_${hi}`);
    if (part.heads.length > 1) {
      initializers.push(int64Tensor(`${headsOut}_sizes`, part.heads.map((head) => head.outSize)));
      nodes.push({ opType: 'Split', input: [logits, `${headsOut}_sizes`], output: taskLogits, name: `Split_${nodes.length}`, attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] });
    }
    part.heads.forEach((head, hi) => {
      node('Softmax', [taskLogits[hi]], taskOutputs[hi], [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 }]);
      outputs.push(valueInfo(taskOutputs[hi], onnx.TensorProto.DataType.FLOAT, ['batch', head.outSize]));
      labelCounts.set(head.task, head.outSize);
    });
  });
  if (names.combined !== undefined) {
    const tasks = Object.keys(names.outputs);
    let width = 0;
    for (const task of tasks) {
      const count = labelCounts.get(task);
      if (count === undefined) throw new Error(`no head for task ${task}`);
      width += count;
    }
    node('Concat', tasks.map((task) => names.outputs[task]), names.combined, [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]);
    outputs.push(valueInfo(names.combined, onnx.TensorProto.DataType.FLOAT, ['batch', width]));
  }
  const model: p.onnx.IModelProto = {
    irVersion: 8,
    producerName: 'mailroute',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: NGRAM_BAG_OPSET }],
    graph: {
      name: 'ngram_bag',
      node: nodes,
      initializer: initializers,
      input: [
        valueInfo(names.inputs.ids, onnx.TensorProto.DataType.INT32, ['batch', 'bag']),
        valueInfo(names.inputs.weights, onnx.TensorProto.DataType.FLOAT, ['batch', 'bag']),
      ],
      output: outputs,
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
