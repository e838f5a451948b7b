// The teller's (监票人) page, issue #22. Everything secret stays in this browser: the seed
// that makes the teller's polynomial and ephemeral key is sealed into the key file under
// the teller's passphrase; the server receives only public commitments, shares sealed to
// the other tellers, and partial decryptions of the sums with their proofs.

import {
  CryptoError,
  WrongKeyFile,
  WrongPassphrase,
  keyFileOpen,
  keyFileSeal,
  seedNew,
  sharesFor,
  tallyPartial,
  tellerFromSeed,
  tellerSecretFrom,
} from "./ballot_crypto.js";

const data = JSON.parse(document.getElementById("teller-data").textContent);
const box = document.querySelector("[data-teller-message]");
document.querySelector("[data-needs-js-message]").hidden = true;
const section = document.querySelector("[data-teller-task]");
if (section) section.hidden = false;

function say(text, ok) {
  box.textContent = text;
  box.classList.remove("d-none", "alert-success", "alert-danger");
  box.classList.add(ok ? "alert-success" : "alert-danger");
  box.scrollIntoView({ block: "nearest" });
}

function csrf(form) {
  return form.querySelector("input[name=csrfmiddlewaretoken]").value;
}

async function post(form, action, body) {
  const response = await fetch(`${window.location.pathname}${action}/`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(form) },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
  let reply = {};
  try { reply = await response.json(); } catch (e) { reply = {}; }
  if (!response.ok || !reply.ok) throw new Error(reply.message || "提交失败，请稍后重试。");
  return reply.message;
}

function busy(form, on, label) {
  const button = form.querySelector("button[type=submit]");
  if (on) {
    button.dataset.label = button.textContent;
    button.textContent = label;
  } else {
    button.textContent = button.dataset.label || button.textContent;
  }
  button.disabled = on;
}

function others(publics) {
  return Object.fromEntries(Object.entries(publics).filter(([j]) => Number(j) !== data.index));
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function makeKeys(form) {
  const pass = form.elements.pass1.value;
  if (pass.length < 8) throw new Error("口令至少 8 位。");
  if (pass !== form.elements.pass2.value) throw new Error("两次输入的口令不一致。");
  const seed = seedNew();
  const base = { ballotId: data.ballot_id, n: data.n, k: data.k, index: data.index };
  const { published } = tellerFromSeed({ seed, ...base });
  const shares = await sharesFor({ seed, ...base, publics: others(data.publics) });
  const file = await keyFileSeal({ ballotId: data.ballot_id, teller: data.index, secret: seed, passphrase: pass });
  const text = JSON.stringify(file, null, 1);
  const name = `监票密钥-${data.ballot_id}-监票人${data.index}.json`;
  // The file first: a teller whose key is registered must already hold it.
  download(name, text);
  document.querySelector("[data-backup-name]").textContent = name;
  document.querySelector("[data-backup-text]").textContent = text;
  document.querySelector("[data-teller-backup]").hidden = false;
  try {
    return await post(form, "publish", { public: published, shares });
  } catch (error) {
    document.querySelector("[data-teller-backup]").hidden = true;
    throw new Error(`${error.message} 刚下载的密钥文件没有登记，请删除它后重试。`);
  }
}

async function openKey(form) {
  let text = form.elements.backup.value.trim();
  const file = form.elements.keyfile.files[0];
  if (file) text = await file.text();
  if (!text) throw new Error("请选择您的监票密钥文件，或粘贴备份文字。");
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new WrongKeyFile("not json");
  }
  const { secret } = await keyFileOpen(parsed, {
    ballotId: data.ballot_id, passphrase: form.elements.passphrase.value, teller: data.index,
  });
  return secret;
}

async function sendShares(form) {
  const seed = await openKey(form);
  const owed = Object.fromEntries(data.owed.map((j) => [j, data.publics[j]]));
  const base = { ballotId: data.ballot_id, n: data.n, k: data.k, index: data.index };
  const { published } = tellerFromSeed({ seed, ...base });
  if (published.commitments.join() !== data.publics[data.index].commitments.join()) {
    throw new WrongKeyFile("another key");
  }
  return post(form, "shares", { shares: await sharesFor({ seed, ...base, publics: owed }) });
}

async function decrypt(form) {
  const seed = await openKey(form);
  const base = { ballotId: data.ballot_id, n: data.n, k: data.k, index: data.index };
  const secret = await tellerSecretFrom({ seed, ...base, publics: data.publics, sealed: data.sealed });
  const partial = tallyPartial({
    secret, tally: data.tally, jointKey: data.joint_key, ballotId: data.ballot_id, teller: data.index,
  });
  return post(form, "decrypt", { partial });
}

function explain(error) {
  if (error instanceof WrongPassphrase) return "口令不正确，密钥文件没有打开。请重新输入口令。";
  if (error instanceof WrongKeyFile) {
    return "这不是您在本次测评的监票密钥文件（可能是其他测评、其他监票人的文件，或文件已损坏）。请选择正确的文件。";
  }
  const match = error instanceof CryptoError && /share from teller (\d+)/.exec(error.message);
  if (match) {
    return `监票人 ${match[1]} 发来的份额校验未通过，无法解密。请立即告知评议办公室；其他监票人仍可完成计票。`;
  }
  if (error instanceof CryptoError) return "密钥与已登记的公开部分不符，未提交任何内容。请确认使用的是本次测评的密钥文件。";
  return error.message || "操作失败，请稍后重试。";
}

const form = document.querySelector("[data-teller-form]");
if (form) {
  const act = { keys: makeKeys, shares: sendShares, decrypt }[form.dataset.tellerForm];
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    busy(form, true, "正在计算…");
    try {
      say(await act(form), true);
      section.hidden = true;
    } catch (error) {
      say(explain(error), false);
    } finally {
      busy(form, false);
    }
  });
}

const print = document.querySelector("[data-print]");
if (print) print.addEventListener("click", () => window.print());

