// The browser side of a whole ballot, with real randomness, for Python to verify
// (tests/ballots/test_elgamal_js.py). Reads a JSON request on stdin, writes JSON:
//   keys    {ballot, n, k}                   -> every teller's published data, its sealed
//                                               shares, and (test only) its secrets
//   sheets  {ballot, joint_key, layout, choices: [[...]]}  -> sheets with their trackers
//   partial {ballot, joint_key, tally, teller, secret}     -> that teller's partials
//   keyfile {ballot, teller, secret, passphrase}           -> the teller's key file
import { readFileSync } from "node:fs";

import * as bc from "../../static/js/ballot_crypto.js";

const request = JSON.parse(readFileSync(0, "utf8"));
const command = process.argv[2];

async function keys({ ballot, n, k }) {
  const starts = [];
  for (let i = 1; i <= n; i++) starts.push(bc.tellerStart({ ballotId: ballot, n, k, index: i }));
  const publics = starts.map((s) => bc.tellerPublicVerify(s.published, { ballotId: ballot, n, k }));
  const sealed = [];
  const secrets = {};
  for (let j = 1; j <= n; j++) {
    const received = [];
    for (let i = 1; i <= n; i++) {
      const share = bc.polynomialAt(starts[i - 1].coefficients, j);
      const box = await bc.shareSeal({
        ballotId: ballot, sender: i, recipient: j, ephemeral: starts[j - 1].published.ephemeral, share,
      });
      sealed.push({ sender: i, recipient: j, sealed: box });
      const opened = await bc.shareOpen({
        ballotId: ballot, sender: i, recipient: j, ephemeralSecret: starts[j - 1].ephemeral, sealed: box,
      });
      if (!bc.shareVerify(publics[i - 1].commitments, j, opened)) throw new Error("share refused");
      received.push(opened);
    }
    secrets[j] = bc.scalarHex(bc.tellerSecret(received));
  }
  return {
    published: starts.map((s) => s.published),
    ephemeral_secrets: starts.map((s) => bc.scalarHex(s.ephemeral)),
    sealed,
    secrets,
    joint_key: bc.jointKeyFrom(publics).toHex(),
  };
}

function sheets({ ballot, joint_key: jointKey, layout, choices }) {
  const h = bc.jointKeyLoad(jointKey);
  return choices.map((chosen) => {
    const sheet = bc.sheetEncrypt({ jointKey: h, ballotId: ballot, layout, choices: chosen });
    return { sheet, tracker: bc.tracker(sheet) };
  });
}

function partial({ ballot, joint_key: jointKey, tally, teller, secret }) {
  return bc.tallyPartial({ secret: bc.scalarFromHex(secret), tally, jointKey, ballotId: ballot, teller });
}

async function keyfile({ ballot, teller, secret, passphrase }) {
  return bc.keyFileSeal({ ballotId: ballot, teller, secret: bc.scalarFromHex(secret), passphrase, iterations: 100000 });
}

const commands = { keys, sheets, partial, keyfile };
process.stdout.write(JSON.stringify(await commands[command](request)));
