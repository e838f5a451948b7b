// Entry of static/vendor/noble/noble.js: only what static/js/ballot_crypto.js needs.
export { ristretto255 } from "@noble/curves/ed25519.js";
export { bytesToNumberLE, numberToBytesLE } from "@noble/curves/utils.js";
export { sha256, sha512 } from "@noble/hashes/sha2.js";
export { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
