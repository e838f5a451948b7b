"""Voter-side encryption for the satisfaction ballot (issue #22): exponential ElGamal on
ristretto255 (RFC 9496), validity proofs, and tellers' k-of-n keys.

Why a package apart from the app: it holds no Django, no database and no key, only the
protocol, so the browser (`static/js/ballot_crypto.js`) and the independent verifier
(`verifier/verify_record.py`) can be checked against it with shared test vectors
(`tests/ballots/vectors/`). Modules, lowest first: `group` (libsodium calls, parsing,
hash-to-scalar), `elgamal`, `proofs`, `sheet`, `tellers`, `keyfile`, `tally`, `record`.
"""
