// The browser's side of benchmarks/elgamal.py under Node: prints JSON timings in ms.
//   node benchmarks/elgamal_js.mjs <subjects> <options> <repeats>
import * as bc from "../static/js/ballot_crypto.js";

const [subjects, options, repeats] = process.argv.slice(2).map(Number);
const layout = Array(subjects).fill(options);
const ballotId = "ballot:bench:1";
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (f) => {
  const t = performance.now();
  const result = f();
  return [performance.now() - t, result];
};

// Key ceremony: 3 tellers, any 2 (everything one teller's browser does, times 3).
const t0 = performance.now();
const starts = [1, 2, 3].map((index) => bc.tellerStart({ ballotId, n: 3, k: 2, index }));
const publics = starts.map((s) => bc.tellerPublicVerify(s.published, { ballotId, n: 3, k: 2 }));
const secrets = {};
for (let j = 1; j <= 3; j++) {
  const shares = [];
  for (let i = 1; i <= 3; i++) {
    const sealed = await bc.shareSeal({
      ballotId, sender: i, recipient: j, ephemeral: starts[j - 1].published.ephemeral,
      share: bc.polynomialAt(starts[i - 1].coefficients, j),
    });
    const share = await bc.shareOpen({
      ballotId, sender: i, recipient: j, ephemeralSecret: starts[j - 1].ephemeral, sealed,
    });
    if (!bc.shareVerify(publics[i - 1].commitments, j, share)) throw new Error("bad share");
    shares.push(share);
  }
  secrets[j] = bc.tellerSecret(shares);
}
const dkg = performance.now() - t0;
const jointKey = bc.jointKeyFrom(publics).toHex();

const [load] = time(() => bc.jointKeyLoad(jointKey));
const h = bc.jointKeyLoad(jointKey);
const encrypt = [];
const verify = [];
let sheet;
for (let r = 0; r < repeats; r++) {
  const choices = layout.map((n) => Math.floor(Math.random() * n));
  let ms;
  [ms, sheet] = time(() => bc.sheetEncrypt({ jointKey: h, ballotId, layout, choices }));
  encrypt.push(ms);
  [ms] = time(() => bc.sheetVerify(sheet, { jointKey: h, ballotId, layout }));
  verify.push(ms);
}
// A teller's partial decryption of a tally shaped like this ballot (the sheet stands in).
const tally = sheet.subjects.map((s) => s.slots.map(({ a, b }) => ({ a, b })));
const [partial] = time(() =>
  bc.tallyPartial({ secret: secrets[1], tally, jointKey, ballotId, teller: 1 }),
);
process.stdout.write(
  JSON.stringify({
    joint_key_load: load, encrypt: median(encrypt), verify: median(verify), partial, dkg,
    sheet_bytes: bc.canonicalJson(sheet).length,
  }),
);
