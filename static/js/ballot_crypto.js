// Voter- and teller-side cryptography of the secret ballot (issue #22), in the browser.
//
// The same protocol as the Python package `ballots.elgamal` (read its docstrings for
// the why): exponential ElGamal on ristretto255 (RFC 9496), a 0/1 proof per
// (subject, option) slot, a proof that each subject's slots add up to 1, and the tellers'
// k-of-n key generation and partial decryption. Group arithmetic is @noble/curves' (the
// vendored bundle); this file only writes the protocols. Shared test vectors
// (tests/ballots/vectors/) check that both sides produce and accept the same bytes.
//
// An ES module served as a static file: no eval, no inline script, CSP-friendly.

import {
  bytesToHex,
  bytesToNumberLE,
  hexToBytes,
  numberToBytesLE,
  ristretto255,
  sha256,
  sha512,
  utf8ToBytes,
} from "../vendor/noble/noble.js";

const Point = ristretto255.Point;
const Fn = Point.Fn;
export const L = Fn.ORDER;
export const PROTOCOL = "shuzhi-pingyi/elgamal/v2";
const GROUP = "ristretto255";
const LABEL = {
  zeroOrOne: "slot-is-0-or-1",
  sumIsOne: "subject-sums-to-1",
  decryption: "partial-decryption",
  knowledge: "coefficient-knowledge",
  shareKey: "share-key",
};

export class CryptoError extends Error {}

// ---- the group ------------------------------------------------------------------

const HEX32 = /^[0-9a-f]{64}$/;

/**
 * A received point: the canonical ristretto255 encoding of an element other than the
 * identity (a prime-order group: no torsion to check). noble's decoding refuses a
 * non-canonical or negative field element and strings of no point; the round trip
 * through toHex is a second guard that only one spelling per element is accepted.
 */
export function pointFromHex(hex, what = "point") {
  if (typeof hex !== "string" || !HEX32.test(hex)) {
    throw new CryptoError(`${what}: expected 64 lowercase hex digits`);
  }
  let p;
  try {
    p = Point.fromHex(hex);
  } catch {
    throw new CryptoError(`${what}: not a point of ristretto255`);
  }
  const bytes = pointBytes(p);
  if (bytesToHex(bytes) !== hex || p.is0()) {
    throw new CryptoError(`${what}: not a point of ristretto255`);
  }
  return p;
}

// Encoding a ristretto255 point costs an inverse square root (about 0.3 ms under Node,
// as much as a base-point multiplication's third); a sheet hashes the joint key into
// every proof and each ciphertext into its proof and its JSON, so each point's bytes
// are computed once and kept beside it (points are immutable).
const ENCODED = new WeakMap();
function pointBytes(p) {
  let bytes = ENCODED.get(p);
  if (bytes === undefined) {
    bytes = p.toBytes();
    ENCODED.set(p, bytes);
  }
  return bytes;
}
const pointHex = (p) => bytesToHex(pointBytes(p));

/** A received scalar: little-endian, canonical (< L). */
export function scalarFromHex(hex, what = "scalar") {
  if (typeof hex !== "string" || !HEX32.test(hex)) {
    throw new CryptoError(`${what}: expected 64 lowercase hex digits`);
  }
  const s = bytesToNumberLE(hexToBytes(hex));
  if (s >= L) throw new CryptoError(`${what}: scalar not reduced modulo L`);
  return s;
}

export const scalarHex = (s) => bytesToHex(numberToBytesLE(s, 32));
const scalarBytes = (s) => numberToBytesLE(s, 32);

const baseMul = (s) => (s === 0n ? Point.ZERO : Point.BASE.multiply(s));
// libsodium refuses a zero scalar for a variable point; refuse it here too so that both
// sides accept exactly the same proofs.
function mul(s, p) {
  if (s === 0n) throw new CryptoError("scalar multiplication by zero");
  return p.multiply(s);
}
// Verifiers multiply public points by public scalars: noble's variable-time path is safe
// there and about twice as fast. Never used with a secret (r, w, a share, x_j).
function mulPublic(s, p) {
  if (s === 0n) throw new CryptoError("scalar multiplication by zero");
  return p.multiplyUnsafe(s);
}

function item(value) {
  const bytes =
    value instanceof Uint8Array
      ? value
      : typeof value === "number"
        ? utf8ToBytes(String(value))
        : typeof value === "string"
          ? utf8ToBytes(value)
          : pointBytes(value);
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

/** SHA-512 of length-prefixed items after the protocol, the label and the group. */
export function transcript(label, ...items) {
  const h = sha512.create();
  for (const value of [PROTOCOL, label, GROUP, ...items]) h.update(item(value));
  return h.digest();
}

export const hashToScalar = (label, ...items) =>
  Fn.create(bytesToNumberLE(transcript(label, ...items)));

export function randomScalar() {
  for (;;) {
    const s = Fn.create(bytesToNumberLE(crypto.getRandomValues(new Uint8Array(64))));
    if (s !== 0n) return s;
  }
}

/** Deterministic scalars for test vectors only: the i-th is H("test-rng", seed, i). */
export function seededRng(seed) {
  let counter = 0;
  return () => {
    for (;;) {
      const s = hashToScalar("test-rng", seed, counter++);
      if (s !== 0n) return s;
    }
  };
}

// ---- proofs (compact: challenges and responses; commitments are recomputed) -----------

function zeroOneProve(h, a, b, m, r, context, rng) {
  const j = 1 - m;
  const w = rng();
  const cFake = rng();
  const sFake = rng();
  const t = Fn.sub(sFake, Fn.mul(cFake, r));
  const shift = m < j ? cFake : Fn.neg(cFake);
  const fake = [baseMul(t), mul(t, h).add(baseMul(shift))];
  const real = [baseMul(w), mul(w, h)];
  const [c0s, c1s] = m === 0 ? [real, fake] : [fake, real];
  const c = hashToScalar(LABEL.zeroOrOne, ...context, a, b, ...c0s, ...c1s);
  const cReal = Fn.sub(c, cFake);
  const sReal = Fn.add(w, Fn.mul(cReal, r));
  return m === 0 ? [cReal, cFake, sReal, sFake] : [cFake, cReal, sFake, sReal];
}

function zeroOneVerify(h, a, b, [c0, c1, s0, s1], context) {
  try {
    const a0 = baseMul(s0).subtract(mulPublic(c0, a));
    const b0 = mulPublic(s0, h).subtract(mulPublic(c0, b));
    const a1 = baseMul(s1).subtract(mulPublic(c1, a));
    const b1 = mulPublic(s1, h).subtract(mulPublic(c1, b.subtract(Point.BASE)));
    return Fn.add(c0, c1) === hashToScalar(LABEL.zeroOrOne, ...context, a, b, a0, b0, a1, b1);
  } catch (error) {
    if (error instanceof CryptoError) return false;
    throw error;
  }
}

/** Chaum–Pedersen: x = g^secret and y = p^secret. */
function equalityProve(label, p, x, y, secret, context, rng) {
  const w = rng();
  const c = hashToScalar(label, ...context, x, p, y, baseMul(w), mul(w, p));
  return [c, Fn.add(w, Fn.mul(c, secret))];
}

function equalityVerify(label, p, x, y, [c, s], context) {
  try {
    const u = baseMul(s).subtract(mulPublic(c, x));
    const v = mulPublic(s, p).subtract(mulPublic(c, y));
    return hashToScalar(label, ...context, x, p, y, u, v) === c;
  } catch (error) {
    if (error instanceof CryptoError) return false;
    throw error;
  }
}

function knowledgeProve(secret, point, context, rng) {
  const w = rng();
  const c = hashToScalar(LABEL.knowledge, ...context, point, baseMul(w));
  return [c, Fn.add(w, Fn.mul(c, secret))];
}

function knowledgeVerify(point, [c, s], context) {
  try {
    const u = baseMul(s).subtract(mulPublic(c, point));
    return hashToScalar(LABEL.knowledge, ...context, point, u) === c;
  } catch (error) {
    if (error instanceof CryptoError) return false;
    throw error;
  }
}

// ---- sheets --------------------------------------------------------------------

const BALLOT_ID = /^[\x20-\x7e]{1,200}$/;

function ballotIdCheck(ballotId) {
  if (typeof ballotId !== "string" || !BALLOT_ID.test(ballotId)) {
    throw new CryptoError("ballot id: 1 to 200 printable ASCII characters");
  }
  return ballotId;
}

/** Sorted keys, no spaces; sheets hold only ASCII strings and arrays, as in Python. */
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The receipt (回执码): SHA-256 of the canonical sheet, in hex. */
export const tracker = (sheet) => bytesToHex(sha256(utf8ToBytes(canonicalJson(sheet))));

/** A joint key to encrypt under: checked once, with tables for fast multiplication. */
export function jointKeyLoad(hex) {
  const h = pointFromHex(hex, "joint key");
  h.precompute(8, false);
  return h;
}

/**
 * Encrypt one choice per subject: choices[i] indexes layout[i] options. `jointKey` is hex
 * or a point from jointKeyLoad. Random draws, per subject: for each slot r, w, c_fake,
 * s_fake; then the sum proof's w (as the Python encoder, for the test vectors).
 */
export function sheetEncrypt({ jointKey, ballotId, layout, choices, rng = randomScalar }) {
  const h = typeof jointKey === "string" ? jointKeyLoad(jointKey) : jointKey;
  ballotIdCheck(ballotId);
  if (
    choices.length !== layout.length ||
    !choices.every((c, i) => Number.isInteger(c) && c >= 0 && c < layout[i])
  ) {
    throw new CryptoError("one choice per subject, each a valid option index");
  }
  const subjects = layout.map((options, subject) => {
    const slots = [];
    let totalA = Point.ZERO;
    let totalB = Point.ZERO;
    let totalR = 0n;
    for (let slot = 0; slot < options; slot++) {
      const m = slot === choices[subject] ? 1 : 0;
      const r = rng();
      const a = baseMul(r);
      const b = m ? mul(r, h).add(Point.BASE) : mul(r, h);
      const [c0, c1, s0, s1] = zeroOneProve(h, a, b, m, r, [h, ballotId, subject, slot], rng);
      slots.push({ a: pointHex(a), b: pointHex(b), ...hexAll({ c0, c1, s0, s1 }) });
      totalA = totalA.add(a);
      totalB = totalB.add(b);
      totalR = Fn.add(totalR, r);
    }
    const [c, s] = equalityProve(
      LABEL.sumIsOne, h, totalA, totalB.subtract(Point.BASE), totalR, [h, ballotId, subject], rng,
    );
    return { slots, c: scalarHex(c), s: scalarHex(s) };
  });
  return { ballot: ballotId, subjects };
}

const hexAll = (scalars) =>
  Object.fromEntries(Object.entries(scalars).map(([k, v]) => [k, scalarHex(v)]));

function keysExactly(value, keys, what) {
  if (
    value === null ||
    typeof value !== "object" ||
    Array.isArray(value) ||
    Object.keys(value).sort().join() !== [...keys].sort().join()
  ) {
    throw new CryptoError(`${what}: expected exactly the keys ${[...keys].sort().join(", ")}`);
  }
}

/** Check every proof of a sheet; throws CryptoError naming the first thing wrong. */
export function sheetVerify(sheet, { jointKey, ballotId, layout }) {
  const h = typeof jointKey === "string" ? jointKeyLoad(jointKey) : jointKey;
  keysExactly(sheet, ["ballot", "subjects"], "sheet");
  if (sheet.ballot !== ballotId) throw new CryptoError("sheet: made for another ballot");
  if (!Array.isArray(sheet.subjects) || sheet.subjects.length !== layout.length) {
    throw new CryptoError(`sheet: expected ${layout.length} subjects`);
  }
  sheet.subjects.forEach((entry, i) => {
    const where = `subject ${i + 1}`;
    keysExactly(entry, ["slots", "c", "s"], where);
    if (!Array.isArray(entry.slots) || entry.slots.length !== layout[i]) {
      throw new CryptoError(`${where}: expected ${layout[i]} slots`);
    }
    let totalA = Point.ZERO;
    let totalB = Point.ZERO;
    entry.slots.forEach((raw, j) => {
      const at = `${where} slot ${j + 1}`;
      keysExactly(raw, ["a", "b", "c0", "c1", "s0", "s1"], at);
      const a = pointFromHex(raw.a, `${at}.a`);
      const b = pointFromHex(raw.b, `${at}.b`);
      const proof = ["c0", "c1", "s0", "s1"].map((k) => scalarFromHex(raw[k], `${at}.${k}`));
      if (!zeroOneVerify(h, a, b, proof, [h, ballotId, i, j])) {
        throw new CryptoError(`${at}: the proof that it holds 0 or 1 does not check`);
      }
      totalA = totalA.add(a);
      totalB = totalB.add(b);
    });
    const proof = [scalarFromHex(entry.c, `${where}.c`), scalarFromHex(entry.s, `${where}.s`)];
    const y = totalB.subtract(Point.BASE);
    if (!equalityVerify(LABEL.sumIsOne, h, totalA, y, proof, [h, ballotId, i])) {
      throw new CryptoError(`${where}: the proof of exactly one choice does not check`);
    }
  });
  return true;
}

// ---- tellers (监票人), k of n: see ballots/elgamal/tellers.py for the why ----------

/**
 * A teller's first round. Keep `coefficients` and `ephemeral` secret (in memory only);
 * post `published`. Random draws: k coefficients (constant first), the ephemeral secret,
 * the proof's w.
 */
export function tellerStart({ ballotId, n, k, index, rng = randomScalar }) {
  ballotIdCheck(ballotId);
  if (!(1 <= k && k <= n && 1 <= index && index <= n)) {
    throw new CryptoError("tellers: need 1 <= k <= n and 1 <= index <= n");
  }
  const coefficients = Array.from({ length: k }, () => rng());
  const ephemeral = rng();
  const commitments = coefficients.map(baseMul);
  const [c, s] = knowledgeProve(
    coefficients[0], commitments[0], [ballotId, n, k, index, ...commitments], rng,
  );
  const published = {
    index,
    commitments: commitments.map(pointHex),
    proof: { c: scalarHex(c), s: scalarHex(s) },
    ephemeral: baseMul(ephemeral).toHex(),
  };
  return { coefficients, ephemeral, published };
}

/** Parse and check what a teller published; returns its points. */
export function tellerPublicVerify(data, { ballotId, n, k }) {
  ballotIdCheck(ballotId);
  keysExactly(data, ["index", "commitments", "proof", "ephemeral"], "teller");
  const { index } = data;
  const where = `teller ${index}`;
  if (!Number.isInteger(index) || index < 1 || index > n) throw new CryptoError(`${where}: bad index`);
  if (!Array.isArray(data.commitments) || data.commitments.length !== k) {
    throw new CryptoError(`${where}: expected ${k} commitments`);
  }
  const commitments = data.commitments.map((p) => pointFromHex(p, `${where}.commitments`));
  keysExactly(data.proof, ["c", "s"], `${where}.proof`);
  const proof = [scalarFromHex(data.proof.c), scalarFromHex(data.proof.s)];
  if (!knowledgeVerify(commitments[0], proof, [ballotId, n, k, index, ...commitments])) {
    throw new CryptoError(`${where}: proof of knowledge does not check`);
  }
  return { index, commitments, ephemeral: pointFromHex(data.ephemeral, `${where}.ephemeral`) };
}

/** f(j) by Horner's rule modulo L. */
export function polynomialAt(coefficients, j) {
  let value = 0n;
  for (let i = coefficients.length - 1; i >= 0; i--) {
    value = Fn.add(Fn.mul(value, BigInt(j)), coefficients[i]);
  }
  return value;
}

/** g^(f(j)) from the commitments alone. */
export function commitmentsAt(commitments, j) {
  let value = commitments[commitments.length - 1];
  for (let i = commitments.length - 2; i >= 0; i--) {
    value = mulPublic(BigInt(j), value).add(commitments[i]);
  }
  return value;
}

export const shareVerify = (commitments, j, share) =>
  baseMul(share).equals(commitmentsAt(commitments, j));

/** x_j: the sum of the verified shares a teller received (its own included). */
export const tellerSecret = (shares) => shares.reduce((x, s) => Fn.add(x, s), 0n);

const NONCE = new Uint8Array(12);
const aad = (ballotId, sender, recipient) => utf8ToBytes(`${ballotId}|${sender}|${recipient}`);

async function shareKey(ballotId, sender, recipient, r, e, shared) {
  const raw = transcript(LABEL.shareKey, ballotId, sender, recipient, r, e, shared).slice(0, 32);
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** f_sender(recipient), sealed to the recipient's ephemeral key (hex). Draws: e. */
export async function shareSeal({ ballotId, sender, recipient, ephemeral, share, rng = randomScalar }) {
  const E = typeof ephemeral === "string" ? pointFromHex(ephemeral, "ephemeral key") : ephemeral;
  const e = rng();
  const R = baseMul(e);
  const key = await shareKey(ballotId, sender, recipient, R, E, mul(e, E));
  const box = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: NONCE, additionalData: aad(ballotId, sender, recipient) },
      key,
      scalarBytes(share),
    ),
  );
  return bytesToHex(R.toBytes()) + bytesToHex(box);
}

export async function shareOpen({ ballotId, sender, recipient, ephemeralSecret, sealed }) {
  const what = `share from teller ${sender}`;
  if (typeof sealed !== "string" || !/^[0-9a-f]{160}$/.test(sealed)) {
    throw new CryptoError(`${what}: malformed`);
  }
  const R = pointFromHex(sealed.slice(0, 64), what);
  const E = baseMul(ephemeralSecret);
  const key = await shareKey(ballotId, sender, recipient, R, E, mul(ephemeralSecret, R));
  let plain;
  try {
    plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: NONCE, additionalData: aad(ballotId, sender, recipient) },
      key,
      hexToBytes(sealed.slice(64)),
    );
  } catch {
    throw new CryptoError(`${what}: cannot be opened with this key`);
  }
  return scalarFromHex(bytesToHex(new Uint8Array(plain)), what);
}

/** The joint key: the sum of every teller's constant commitment (parsed publics). */
export const jointKeyFrom = (publics) =>
  publics.reduce((sum, p) => sum.add(p.commitments[0]), Point.ZERO);

/** g^(x_j), computable by anyone from the commitments. */
export const verificationKey = (publics, j) =>
  publics.reduce((sum, p) => sum.add(commitmentsAt(p.commitments, j)), Point.ZERO);

function tallyParse(tally) {
  return tally.map((row, i) =>
    row.map((ct, j) => {
      keysExactly(ct, ["a", "b"], `sum ${i + 1}.${j + 1}`);
      return { a: pointFromHex(ct.a, "sum.a"), b: pointFromHex(ct.b, "sum.b") };
    }),
  );
}

/** Teller `teller`'s partial decryption of every summed slot ([[{a, b}]] hex), with proofs. */
export function tallyPartial({ secret, tally, jointKey, ballotId, teller, rng = randomScalar }) {
  const h = typeof jointKey === "string" ? pointFromHex(jointKey, "joint key") : jointKey;
  const key = baseMul(secret);
  return tallyParse(tally).map((row, i) =>
    row.map(({ a }, j) => {
      const d = mul(secret, a);
      const [c, s] = equalityProve(
        LABEL.decryption, a, key, d, secret, [h, ballotId, i, j, teller], rng,
      );
      return { d: pointHex(d), c: scalarHex(c), s: scalarHex(s) };
    }),
  );
}

/** Check one teller's partials against its verification key (a point). */
export function tallyPartialVerify({ key, tally, partial, jointKey, ballotId, teller }) {
  const h = typeof jointKey === "string" ? pointFromHex(jointKey, "joint key") : jointKey;
  tallyParse(tally).forEach((row, i) =>
    row.forEach(({ a }, j) => {
      const at = `teller ${teller} subject ${i + 1} slot ${j + 1}`;
      const entry = partial?.[i]?.[j];
      keysExactly(entry, ["d", "c", "s"], at);
      const d = pointFromHex(entry.d, at);
      const proof = [scalarFromHex(entry.c, at), scalarFromHex(entry.s, at)];
      if (!equalityVerify(LABEL.decryption, a, key, d, proof, [h, ballotId, i, j, teller])) {
        throw new CryptoError(`${at}: the proof of correct decryption does not check`);
      }
    }),
  );
  return true;
}

// ---- the teller's key file (监票密钥文件): see ballots/elgamal/keyfile.py ------------

const KEY_FILE = "shuzhi-pingyi/teller-key/v1";
export const KEY_FILE_ITERATIONS = 600000;
const KEY_FILE_MIN_ITERATIONS = 100000;

export class WrongKeyFile extends CryptoError {}
export class WrongPassphrase extends CryptoError {}

async function passphraseKey(passphrase, salt, iterations) {
  const base = await crypto.subtle.importKey("raw", utf8ToBytes(passphrase), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations }, base, 256,
  );
  return crypto.subtle.importKey("raw", bits, "AES-GCM", false, ["encrypt", "decrypt"]);
}

const keyFileAad = (ballotId, teller, keyHex) =>
  utf8ToBytes(`${KEY_FILE}|${ballotId}|${teller}|${keyHex}`);

/** x_j sealed under the teller's passphrase, as a JSON-ready object (save it as a file). */
export async function keyFileSeal({ ballotId, teller, secret, passphrase, iterations = KEY_FILE_ITERATIONS }) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const keyHex = baseMul(secret).toHex();
  const box = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: nonce, additionalData: keyFileAad(ballotId, teller, keyHex) },
    await passphraseKey(passphrase, salt, iterations),
    scalarBytes(secret),
  );
  return {
    format: KEY_FILE, ballot: ballotId, teller, verification_key: keyHex,
    kdf: { name: "PBKDF2-SHA256", iterations, salt: bytesToHex(salt) },
    nonce: bytesToHex(nonce), box: bytesToHex(new Uint8Array(box)),
  };
}

/** Returns { teller, secret }; WrongKeyFile or WrongPassphrase say which problem it is. */
export async function keyFileOpen(data, { ballotId, passphrase, teller = null }) {
  let parsed;
  try {
    const { kdf } = data;
    parsed = {
      salt: hexToBytes(kdf.salt), nonce: hexToBytes(data.nonce), box: hexToBytes(data.box),
      key: pointFromHex(data.verification_key), iterations: kdf.iterations,
    };
    if (
      data.format !== KEY_FILE || kdf.name !== "PBKDF2-SHA256" ||
      !Number.isInteger(kdf.iterations) || kdf.iterations < KEY_FILE_MIN_ITERATIONS ||
      !Number.isInteger(data.teller) || parsed.nonce.length !== 12
    ) parsed = null;
  } catch {
    parsed = null;
  }
  if (!parsed) throw new WrongKeyFile("not a teller's key file");
  if (data.ballot !== ballotId) throw new WrongKeyFile("this key file is for another ballot");
  if (teller !== null && data.teller !== teller) {
    throw new WrongKeyFile(`this key file is teller ${data.teller}'s, not teller ${teller}'s`);
  }
  let plain;
  try {
    plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: parsed.nonce, additionalData: keyFileAad(ballotId, data.teller, data.verification_key) },
      await passphraseKey(passphrase, parsed.salt, parsed.iterations),
      parsed.box,
    );
  } catch {
    throw new WrongPassphrase("the passphrase does not open this key file");
  }
  const secret = scalarFromHex(bytesToHex(new Uint8Array(plain)), "key file");
  if (!baseMul(secret).equals(parsed.key)) throw new WrongKeyFile("the key file is damaged");
  return { teller: data.teller, secret };
}

// ---- a teller's part from one seed: see ballots/elgamal/ceremony.py for the why ------

function seedRng(seed) {
  const bytes = scalarBytes(seed);
  let counter = 0;
  return () => {
    for (;;) {
      const s = hashToScalar("teller-seed", bytes, counter++);
      if (s !== 0n) return s;
    }
  };
}

/** The teller's polynomial, ephemeral secret and what it publishes, all from `seed`. */
export const tellerFromSeed = ({ seed, ballotId, n, k, index }) =>
  tellerStart({ ballotId, n, k, index, rng: seedRng(seed) });

/** {recipient: sealed hex} for every other teller in `publics` ({index: published JSON}). */
export async function sharesFor({ seed, ballotId, n, k, index, publics }) {
  const { coefficients } = tellerFromSeed({ seed, ballotId, n, k, index });
  const out = {};
  for (const [j, data] of Object.entries(publics)) {
    if (Number(j) === index) continue;
    out[j] = await shareSeal({
      ballotId, sender: index, recipient: Number(j), ephemeral: data.ephemeral,
      share: polynomialAt(coefficients, Number(j)),
    });
  }
  return out;
}

/** x_index from the seed and the shares sealed to this teller ({sender: hex}). */
export async function tellerSecretFrom({ seed, ballotId, n, k, index, publics, sealed }) {
  const { coefficients, ephemeral, published } = tellerFromSeed({ seed, ballotId, n, k, index });
  const mine = publics[index];
  if (!mine || mine.commitments.join() !== published.commitments.join()) {
    throw new CryptoError(`teller ${index}: this key file does not match what was published`);
  }
  let x = polynomialAt(coefficients, index);
  for (let sender = 1; sender <= n; sender++) {
    if (sender === index) continue;
    if (!(sender in sealed)) throw new CryptoError(`share from teller ${sender}: missing`);
    const share = await shareOpen({
      ballotId, sender, recipient: index, ephemeralSecret: ephemeral, sealed: sealed[sender],
    });
    const commitments = publics[sender].commitments.map((p) => pointFromHex(p, "commitment"));
    if (!shareVerify(commitments, index, share)) {
      throw new CryptoError(`share from teller ${sender}: does not match its commitments`);
    }
    x = Fn.add(x, share);
  }
  return x;
}

/** A fresh seed (a random non-zero scalar). */
export const seedNew = randomScalar;
