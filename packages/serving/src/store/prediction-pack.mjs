// Prediction records packed for the SQLite writer thread. Plain JavaScript, as the writer thread loads it
// without a TS loader.
//
// A structured clone costs per value. Cloning ten values and three JSON strings per record (and a
// promise per queued write) took the request thread about 8-10 us per record under load (a scratch
// loop; without the store a single-email request cost it 108-112 instead of 120-130 us). Packed, a group
// crosses as three objects: one string (each distinct string of the group once, joined), their lengths,
// and one Float64Array (numbers and string indexes). Labels, task names, the model id and the timestamp
// repeat from record to record, so they are sent once per group; the JSON columns are built on the
// writer thread.

const NO_TEXT = -1;
const STRING_FIELDS = ['predictionId', 'emailId', 'modelId', 'createdAt', 'queue'];
/** Kept only with `--store-text` (automated: only for automated mail); NO_TEXT in the pack when absent. */
const OPTIONAL_STRINGS = ['text', 'bank', 'receivedAt', 'automated'];

/** Throws (before anything is packed) unless every value of the records has the type it is packed as. */
export function checkPredictionRecords(list) {
  const fail = (what) => {
    throw new TypeError(`a prediction record needs ${what}`);
  };
  const mapOf = (map, type, what) => {
    if (typeof map !== 'object' || map === null) fail(what);
    for (const task in map) if (typeof map[task] !== type) fail(what);
  };
  for (const r of list) {
    if (r.attachmentNames !== undefined && !(Array.isArray(r.attachmentNames) && r.attachmentNames.every((n) => typeof n === 'string'))) fail('attachmentNames of strings or none');
    for (const key of STRING_FIELDS) if (typeof r[key] !== 'string') fail(`a string ${key}`);
    if (typeof r.latencyMs !== 'number') fail('a number latencyMs');
    for (const key of OPTIONAL_STRINGS) if (r[key] !== undefined && typeof r[key] !== 'string') fail(`a string ${key} or none`);
    mapOf(r.labels, 'string', 'labels of strings');
    mapOf(r.confidences, 'number', 'confidences of numbers');
    mapOf(r.abstained, 'boolean', 'abstained of booleans');
  }
}

/** Appends records as they are queued; `take()` hands over what was added and starts a new pack. */
export function createPredictionPacker() {
  let strings = [];
  let index = new Map();
  let nums = new Float64Array(4096);
  let at = 0;
  let records = 0;

  const room = (n) => {
    if (at + n <= nums.length) return;
    let size = nums.length * 2;
    while (size < at + n) size *= 2;
    const grown = new Float64Array(size);
    grown.set(nums.subarray(0, at));
    nums = grown;
  };
  /** A string that repeats across records (label, task, model id, timestamp): sent once. */
  const shared = (s) => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const unique = (s) => strings.push(s) - 1;
  /** A per-task map: its size, then (task, value) pairs; string values are shared strings. */
  const putMap = (map, kind) => {
    room(1);
    const countAt = at++;
    let n = 0;
    for (const task in map) {
      room(2);
      const value = map[task];
      nums[at++] = shared(task);
      nums[at++] = kind === 'string' ? shared(value) : kind === 'boolean' ? (value ? 1 : 0) : value;
      n++;
    }
    nums[countAt] = n;
  };

  return {
    /** Records added since the last `take()`. */
    get size() {
      return records;
    },
    /** Adds all the records, or (a TypeError) none of them. */
    add(list) {
      checkPredictionRecords(list);
      for (const r of list) {
        room(12);
        nums[at++] = unique(r.predictionId);
        nums[at++] = unique(r.emailId);
        nums[at++] = shared(r.modelId);
        nums[at++] = shared(r.createdAt);
        nums[at++] = shared(r.queue);
        nums[at++] = r.latencyMs;
        nums[at++] = r.text === undefined ? NO_TEXT : unique(r.text);
        nums[at++] = r.bank === undefined ? NO_TEXT : shared(r.bank);
        nums[at++] = r.receivedAt === undefined ? NO_TEXT : unique(r.receivedAt);
        nums[at++] = r.automated === undefined ? NO_TEXT : shared(r.automated);
        nums[at++] = r.attachmentNames === undefined ? NO_TEXT : unique(JSON.stringify(r.attachmentNames));
        putMap(r.labels, 'string');
        putMap(r.confidences, 'number');
        putMap(r.abstained, 'boolean');
        records++;
      }
    },
    /** The pack of everything added (buffers to transfer: `lengths.buffer`, `nums.buffer`). */
    take() {
      const lengths = new Uint32Array(strings.length);
      for (let i = 0; i < strings.length; i++) lengths[i] = strings[i].length;
      const pack = { text: strings.join(''), lengths, nums: nums.slice(0, at) };
      strings = [];
      index = new Map();
      at = 0;
      records = 0;
      return pack;
    },
  };
}

/** Reads a pack back in order: `next()` gives the following record. */
export function createPredictionUnpacker(pack) {
  const strings = new Array(pack.lengths.length);
  let from = 0;
  for (let i = 0; i < strings.length; i++) {
    strings[i] = pack.text.slice(from, from + pack.lengths[i]);
    from += pack.lengths[i];
  }
  const nums = pack.nums;
  let at = 0;
  const getMap = (kind) => {
    const map = {};
    const n = nums[at++];
    for (let k = 0; k < n; k++) {
      const task = strings[nums[at++]];
      const value = nums[at++];
      map[task] = kind === 'string' ? strings[value] : kind === 'boolean' ? value === 1 : value;
    }
    return map;
  };
  return {
    next() {
      if (at >= nums.length) throw new RangeError('the prediction pack has no more records');
      const predictionId = strings[nums[at++]];
      const emailId = strings[nums[at++]];
      const modelId = strings[nums[at++]];
      const createdAt = strings[nums[at++]];
      const queue = strings[nums[at++]];
      const latencyMs = nums[at++];
      const textAt = nums[at++];
      const bankAt = nums[at++];
      const receivedAt = nums[at++];
      const automatedAt = nums[at++];
      const attachmentsAt = nums[at++];
      const labels = getMap('string');
      const confidences = getMap('number');
      const abstained = getMap('boolean');
      const record = { predictionId, emailId, modelId, createdAt, labels, confidences, abstained, queue, latencyMs };
      if (textAt !== NO_TEXT) record.text = strings[textAt];
      if (bankAt !== NO_TEXT) record.bank = strings[bankAt];
      if (receivedAt !== NO_TEXT) record.receivedAt = strings[receivedAt];
      if (automatedAt !== NO_TEXT) record.automated = strings[automatedAt];
      if (attachmentsAt !== NO_TEXT) record.attachmentNames = JSON.parse(strings[attachmentsAt]);
      return record;
    },
  };
}
