// What a render worker is executing, kept in memory it shares with its pool: the worker records the
// name of every template it starts (a chart has tens to hundreds), and the pool reads it only when a
// render hits a limit, to name that template in the error. A message per template cost the worker a
// structured clone and the pool's thread a wake-up each (bitnami-redis: about 5 % of the command's
// CPU). Names longer than a slot still travel as messages (the pool keeps the last one).
//
// Layout: Int32 header [published, job of slot 0, length of slot 0, job of slot 1, length of slot 1],
// then two slots of UTF-16 code units. The worker writes the slot the reader is not told about and
// then publishes it (a sequentially consistent store), so a reader that sees the same `published`
// before and after copying a slot has read it whole.

const HEADER_INTS = 5;
const HEADER_BYTES = HEADER_INTS * 4;
/** Code units per slot: far above a template's path in any chart. */
export const PROGRESS_SLOT_CHARS = 4096;
/** The length recorded for a name that did not fit (it was posted as a message instead). */
const POSTED = -1;

export function newProgressBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + 2 * PROGRESS_SLOT_CHARS * 2);
}

/** The worker's side: records that job `id` now executes `what`; false when the name must be posted instead. */
export function writeProgress(buffer: SharedArrayBuffer, id: number, what: string): boolean {
  const header = new Int32Array(buffer, 0, HEADER_INTS);
  const next = (Atomics.load(header, 0) + 1) | 0;
  const slot = next & 1;
  const fits = what.length <= PROGRESS_SLOT_CHARS;
  if (fits) {
    const text = new Uint16Array(buffer, HEADER_BYTES + slot * PROGRESS_SLOT_CHARS * 2, PROGRESS_SLOT_CHARS);
    for (let i = 0; i < what.length; i++) text[i] = what.charCodeAt(i);
  }
  Atomics.store(header, 1 + 2 * slot, id);
  Atomics.store(header, 2 + 2 * slot, fits ? what.length : POSTED);
  Atomics.store(header, 0, next);
  return fits;
}

/**
 * The pool's side: what job `id` executes now: '' when it recorded nothing yet, `posted` when its
 * latest name was too long for a slot (and came as a message).
 */
export function readProgress(buffer: SharedArrayBuffer, id: number, posted: string): string {
  const header = new Int32Array(buffer, 0, HEADER_INTS);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const published = Atomics.load(header, 0);
    const slot = published & 1;
    const job = Atomics.load(header, 1 + 2 * slot);
    const length = Atomics.load(header, 2 + 2 * slot);
    let name = '';
    if (published !== 0 && job === id) {
      if (length === POSTED) name = posted;
      else {
        const text = new Uint16Array(buffer, HEADER_BYTES + slot * PROGRESS_SLOT_CHARS * 2, length);
        for (let i = 0; i < length; i += 1024) name += String.fromCharCode(...text.subarray(i, Math.min(length, i + 1024)));
      }
    }
    if (Atomics.load(header, 0) === published) return name;
  }
  return '';
}
