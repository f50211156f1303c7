// Ticket payload parsing and Ed25519 verification in the browser, following
// the format documented in internal/ticket (version 1):
//   "DA1:" BASE32(body || sig), body = version, event id, ticket id (uvarints),
//   4-byte key id, first day (uvarint, days since 1970-01-01), 3-byte day mask.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export const PREFIX = "DA1:";
const MAX_LEN = 200;

function base32Decode(s) {
  const out = [];
  let bits = 0, value = 0;
  for (const ch of s) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  // Canonical form only: leftover bits must be zero and fewer than 5.
  if (bits >= 5 || value !== 0) return null;
  return new Uint8Array(out);
}

function readUvarint(b, pos) {
  let x = 0n, shift = 0n, i = pos;
  for (; i < b.length && i - pos < 10; i++) {
    const c = b[i];
    x |= BigInt(c & 0x7f) << shift;
    if (c < 0x80) {
      // shortest form only: a final zero byte after the first is not canonical
      if (c === 0 && i > pos) return null;
      return { value: x, next: i + 1 };
    }
    shift += 7n;
  }
  return null;
}

// parse returns the claims and the signed parts, or null when malformed.
export function parse(payload) {
  if (typeof payload !== "string" || payload.length > MAX_LEN || !payload.startsWith(PREFIX)) return null;
  const data = base32Decode(payload.slice(PREFIX.length));
  if (!data || data.length < 64 + 11) return null;
  const body = data.subarray(0, data.length - 64);
  const sig = data.subarray(data.length - 64);
  if (body[0] !== 1) return null;
  const ev = readUvarint(body, 1);
  if (!ev || ev.value === 0n) return null;
  const tk = readUvarint(body, ev.next);
  if (!tk || tk.value === 0n) return null;
  let p = tk.next;
  if (p + 4 > body.length) return null;
  const kid = String.fromCharCode(...body.subarray(p, p + 4));
  if (![...kid].every((c) => ALPHABET.includes(c))) return null;
  p += 4;
  const first = readUvarint(body, p);
  if (!first) return null;
  p = first.next;
  if (p + 3 !== body.length) return null;
  const mask = body[p] | (body[p + 1] << 8) | (body[p + 2] << 16);
  if ((mask & 1) === 0 || mask >>> 21 !== 0) return null;
  const days = [];
  for (let i = 0; i < 21; i++) {
    if (mask & (1 << i)) {
      const d = new Date((Number(first.value) + i) * 86400000);
      days.push(d.toISOString().slice(0, 10));
    }
  }
  return { eventId: Number(ev.value), ticketId: Number(tk.value), kid, days, body, sig };
}

let edSupported = null;

// importKeys turns the bundle's keys into WebCrypto keys; null when the
// browser has no Ed25519 (then the server must decide).
export async function importKeys(keys) {
  const out = new Map();
  for (const k of keys || []) {
    try {
      const raw = Uint8Array.from(atob(k.public_key), (c) => c.charCodeAt(0));
      out.set(k.kid, await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]));
      edSupported = true;
    } catch (e) {
      edSupported = false;
      return null;
    }
  }
  return out;
}

export function canVerify() { return edSupported !== false && !!(globalThis.crypto && crypto.subtle); }

// verify checks a payload against an event and its keys. It answers
//   {result: "invalid", reason} | {result: "wrong_event"} | {ok: true, claims}
// in the server's order: malformed, wrong event, unknown key, bad signature.
export async function verify(payload, eventId, keys) {
  const c = parse(payload);
  if (!c) return { result: "invalid", reason: "malformed" };
  if (c.eventId !== eventId) return { result: "wrong_event", claims: c };
  const key = keys && keys.get(c.kid);
  if (!key) return { result: "invalid", reason: "unknown_key" };
  const ok = await crypto.subtle.verify({ name: "Ed25519" }, key, c.sig, c.body);
  if (!ok) return { result: "invalid", reason: "bad_signature" };
  return { ok: true, claims: c };
}
