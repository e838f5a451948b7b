// The browser's ballot cryptography against the vectors written by Python
// (tests/ballots/elgamal_vectors.py): same bytes from the same seeds, and every forged
// sheet refused. Run by tests/ballots/test_elgamal_js.py, or alone:
//   node --test tests/js/
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import * as bc from "../../static/js/ballot_crypto.js";

const vectors = (name) =>
  JSON.parse(readFileSync(new URL(`../ballots/vectors/${name}.json`, import.meta.url)));
const group = vectors("group");
const dkg = vectors("dkg");
const sheets = vectors("sheets");
const negative = vectors("negative");

const hexToItem = (i) =>
  "hex" in i ? Uint8Array.from(Buffer.from(i.hex, "hex")) : "int" in i ? i.int : i.str;

test("hash-to-scalar and the seeded random source match Python", () => {
  for (const h of group.hashes) {
    assert.equal(bc.scalarHex(bc.hashToScalar(h.label, ...h.items.map(hexToItem))), h.scalar);
  }
  const rng = bc.seededRng(group.rng.seed);
  assert.deepEqual(group.rng.scalars.map(() => bc.scalarHex(rng())), group.rng.scalars);
});

test("every bad point is refused", () => {
  assert.equal(bc.pointFromHex(group.base).toHex(), group.base);
  for (const [why, hex] of Object.entries(group.bad_points)) {
    assert.throws(() => bc.pointFromHex(hex), bc.CryptoError, why);
  }
});

test("the tellers' key generation reproduces Python's bytes", async () => {
  const { ballot, n, k } = dkg;
  const publics = [];
  for (const [i, teller] of dkg.tellers.entries()) {
    const start = bc.tellerStart({ ballotId: ballot, n, k, index: i + 1, rng: bc.seededRng(`dkg-teller-${i + 1}`) });
    assert.deepEqual(start.published, teller.published);
    assert.deepEqual(start.coefficients.map(bc.scalarHex), teller.coefficients);
    publics.push(bc.tellerPublicVerify(teller.published, { ballotId: ballot, n, k }));
  }
  for (const s of dkg.shares) {
    const coefficients = dkg.tellers[s.sender - 1].coefficients.map((c) => bc.scalarFromHex(c));
    assert.equal(bc.scalarHex(bc.polynomialAt(coefficients, s.recipient)), s.share);
    const sealed = await bc.shareSeal({
      ballotId: ballot, sender: s.sender, recipient: s.recipient,
      ephemeral: dkg.tellers[s.recipient - 1].published.ephemeral,
      share: bc.scalarFromHex(s.share), rng: bc.seededRng(`share-${s.sender}-${s.recipient}`),
    });
    assert.equal(sealed, s.sealed);
    const opened = await bc.shareOpen({
      ballotId: ballot, sender: s.sender, recipient: s.recipient,
      ephemeralSecret: bc.scalarFromHex(dkg.tellers[s.recipient - 1].ephemeral_secret), sealed,
    });
    assert.equal(bc.scalarHex(opened), s.share);
    assert.ok(bc.shareVerify(publics[s.sender - 1].commitments, s.recipient, opened));
    assert.ok(!bc.shareVerify(publics[s.sender - 1].commitments, s.recipient % n + 1, opened));
  }
  assert.equal(bc.jointKeyFrom(publics).toHex(), dkg.joint_key);
  for (const [j, key] of Object.entries(dkg.verification_keys)) {
    assert.equal(bc.verificationKey(publics, Number(j)).toHex(), key);
  }
});

test("a share opened by the wrong teller, or a forged proof of knowledge, is refused", async () => {
  const s = dkg.shares.find((x) => x.sender === 1 && x.recipient === 2);
  await assert.rejects(
    bc.shareOpen({ ballotId: dkg.ballot, sender: 1, recipient: 2,
      ephemeralSecret: bc.scalarFromHex(dkg.tellers[2].ephemeral_secret), sealed: s.sealed }),
    /cannot be opened/,
  );
  const forged = structuredClone(dkg.tellers[0].published);
  forged.index = 2;
  assert.throws(() => bc.tellerPublicVerify(forged, { ballotId: dkg.ballot, n: dkg.n, k: dkg.k }), /proof of knowledge/);
});

test("sheets encrypted from the same seeds are byte-identical, with the same tracker", () => {
  const { ballot, joint_key: jointKey, layout } = sheets;
  for (const s of sheets.sheets) {
    const sheet = bc.sheetEncrypt({ jointKey, ballotId: ballot, layout, choices: s.choices, rng: bc.seededRng(s.seed) });
    assert.equal(bc.canonicalJson(sheet), bc.canonicalJson(s.sheet));
    assert.equal(bc.tracker(sheet), s.tracker);
    assert.ok(bc.sheetVerify(s.sheet, { jointKey, ballotId: ballot, layout }));
  }
});

test("partial decryptions match Python's and verify against the verification keys", () => {
  const { ballot, joint_key: jointKey } = sheets;
  for (const [t, { seed, partial }] of Object.entries(sheets.partials)) {
    const secret = bc.scalarFromHex(dkg.secrets[t]);
    const made = bc.tallyPartial({ secret, tally: sheets.tally, jointKey, ballotId: ballot, teller: Number(t), rng: bc.seededRng(seed) });
    assert.deepEqual(made, partial);
    const key = bc.pointFromHex(dkg.verification_keys[t]);
    assert.ok(bc.tallyPartialVerify({ key, tally: sheets.tally, partial, jointKey, ballotId: ballot, teller: Number(t) }));
    const other = bc.pointFromHex(dkg.verification_keys[t === "1" ? "2" : "1"]);
    assert.throws(
      () => bc.tallyPartialVerify({ key: other, tally: sheets.tally, partial, jointKey, ballotId: ballot, teller: Number(t) }),
      /proof of correct decryption/,
    );
  }
});

test("the key file written by Python opens here, and only with its passphrase", async () => {
  const { passphrase, file } = dkg.key_file;
  const opened = await bc.keyFileOpen(file, { ballotId: dkg.ballot, passphrase, teller: 1 });
  assert.equal(bc.scalarHex(opened.secret), dkg.secrets["1"]);
  await assert.rejects(bc.keyFileOpen(file, { ballotId: dkg.ballot, passphrase: "demo12346" }), bc.WrongPassphrase);
  await assert.rejects(bc.keyFileOpen(file, { ballotId: "other", passphrase }), /another ballot/);
  await assert.rejects(bc.keyFileOpen(file, { ballotId: dkg.ballot, passphrase, teller: 2 }), /teller 1's, not teller 2's/);
  await assert.rejects(bc.keyFileOpen({ hello: 1 }, { ballotId: dkg.ballot, passphrase }), bc.WrongKeyFile);
});

for (const c of negative.cases) {
  test(`refused: ${c.name}`, () => {
    const ballotId = c.verify_with.ballot ?? negative.ballot;
    const jointKey = c.verify_with.joint_key ?? negative.joint_key;
    assert.throws(
      () => bc.sheetVerify(c.sheet, { jointKey, ballotId, layout: negative.layout }),
      (error) => error instanceof bc.CryptoError && error.message.includes(c.error),
    );
  });
}

test("random sheets verify, and each random sheet is different", () => {
  const { ballot, joint_key: jointKey, layout } = sheets;
  const a = bc.sheetEncrypt({ jointKey, ballotId: ballot, layout, choices: [0, 0, 0] });
  const b = bc.sheetEncrypt({ jointKey, ballotId: ballot, layout, choices: [0, 0, 0] });
  assert.notEqual(bc.tracker(a), bc.tracker(b));
  assert.equal(bc.canonicalJson(a).length, bc.canonicalJson(b).length);
  assert.ok(bc.sheetVerify(a, { jointKey, ballotId: ballot, layout }));
  assert.throws(() => bc.sheetEncrypt({ jointKey, ballotId: ballot, layout, choices: [0, 4, 0] }), bc.CryptoError);
});
