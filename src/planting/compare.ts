// Verify compares what a connector wrote with what the target holds now. Databases hand values
// back in their own shapes (numbers as text, timestamps re-zoned, booleans as 1/0), so equality is
// "the same value", not "the same string".

const NUMBER = /^-?\d+(\.\d+)?$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2})?)(\.\d+)?\s*(Z|[+-]\d{2}(:?\d{2})?)?$/;

function asText(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}

/** Epoch milliseconds when the text carries a zone, else the wall-clock "YYYY-MM-DD HH:MM:SS". */
function instant(text: string): { epoch: number } | { wall: string } | null {
  const m = DATETIME.exec(text);
  if (!m) return null;
  const time = m[3] ? m[2]! : `${m[2]}:00`;
  if (!m[5]) return { wall: `${m[1]} ${time}` };
  const zone = m[5] === 'Z' ? 'Z' : m[5].length === 3 ? `${m[5]}:00` : m[5].includes(':') ? m[5] : `${m[5].slice(0, 3)}:${m[5].slice(3)}`;
  return { epoch: Date.parse(`${m[1]}T${time}${m[4] ?? ''}${zone}`) };
}

export function sameValue(written: unknown, found: unknown): boolean {
  const wNull = written === null || written === undefined;
  const fNull = found === null || found === undefined;
  if (wNull || fNull) return wNull && fNull;
  const w = asText(written);
  const f = asText(found);
  if (w === f || w.trimEnd() === f.trimEnd()) return true;
  if (typeof written === 'boolean' || typeof found === 'boolean') return Number(written) === Number(found);
  if (NUMBER.test(w) && NUMBER.test(f)) return Number(w) === Number(f);
  const a = instant(w);
  const b = instant(f);
  if (a && b) {
    if ('epoch' in a && 'epoch' in b) return a.epoch === b.epoch;
    if ('wall' in a && 'wall' in b) return a.wall === b.wall;
  }
  return false;
}
