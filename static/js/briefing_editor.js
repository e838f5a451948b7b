// The briefing editor (workbench.views.briefings.BriefingForm): a toolbar over the articles
// box — 标题, 加粗, 列表, 表格 — that writes the formatting for the clerk, and a live preview
// below it rendered by the server exactly as the PDF renders it (articles_html). No inline
// script: the box carries the preview URL in data-articles-editor.
(function () {
  const box = document.querySelector("textarea[data-articles-editor]");
  if (!box) return;
  const form = box.form;

  function lineBounds(text, start, end) {
    const from = text.lastIndexOf("\n", start - 1) + 1;
    let to = text.indexOf("\n", end);
    if (to === -1) to = text.length;
    return [from, to];
  }

  function replace(from, to, text, selectFrom, selectTo) {
    box.focus();
    box.setRangeText(text, from, to, "end");
    if (selectFrom !== undefined) box.setSelectionRange(selectFrom, selectTo);
    box.dispatchEvent(new Event("input", {bubbles: true}));
  }

  // Each line of the selection (or the caret's line) gets `prefix`; taken off if all have it.
  function prefixLines(prefixFor, pattern) {
    const text = box.value;
    const [from, to] = lineBounds(text, box.selectionStart, box.selectionEnd);
    const lines = text.slice(from, to).split("\n");
    const all = lines.every(function (l) { return pattern.test(l); });
    const out = lines.map(function (l, i) {
      const bare = l.replace(pattern, "");
      return all ? bare : prefixFor(i) + bare;
    });
    const joined = out.join("\n");
    replace(from, to, joined, from, from + joined.length);
  }

  const actions = {
    heading: function () { prefixLines(function () { return "## "; }, /^#{2,3} /); },
    bold: function () {
      const start = box.selectionStart, end = box.selectionEnd;
      const chosen = box.value.slice(start, end) || "加粗文字";
      replace(start, end, "**" + chosen + "**", start + 2, start + 2 + chosen.length);
    },
    list: function () { prefixLines(function (i) { return (i + 1) + ". "; }, /^\d+\. /); },
    table: function () {
      const start = box.selectionStart;
      const before = box.value.slice(0, start);
      const gap = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
      const table = "| 项目 | 情况 |\n| --- | --- |\n| 第一项 |  |\n| 第二项 |  |\n\n";
      replace(start, box.selectionEnd, gap + table, start + gap.length + 2, start + gap.length + 4);
    },
  };

  const bar = document.createElement("div");
  bar.className = "btn-toolbar gap-1 mb-1";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "正文格式");
  [["heading", "标题"], ["bold", "加粗"], ["list", "列表"], ["table", "表格"]].forEach(function (pair) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary btn-sm";
    button.dataset.action = pair[0];
    button.textContent = pair[1];
    button.addEventListener("click", actions[pair[0]]);
    bar.appendChild(button);
  });
  box.parentNode.insertBefore(bar, box);

  const preview = document.createElement("div");
  preview.className = "briefing-preview border rounded bg-white p-3 mt-2";
  preview.setAttribute("aria-live", "polite");
  preview.dataset.testid = "articles-preview";
  const label = document.createElement("div");
  label.className = "small text-muted mt-2";
  label.textContent = "预览（与 PDF 排版一致）";
  box.parentNode.insertBefore(preview, box.nextSibling);
  box.parentNode.insertBefore(label, preview);

  let timer = null;
  let sent = 0;
  async function refresh() {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("articles", box.value);
    const ticket = ++sent;
    try {
      const response = await fetch(box.dataset.articlesEditor, {method: "POST", body: data});
      const answer = await response.json();
      if (ticket !== sent) return; // a newer preview is on its way
      // Sanitised by the server (nh3, the articles' tag list): the PDF's own HTML.
      preview.innerHTML = answer.html || "<p class=\"text-muted\">（正文为空）</p>";
    } catch (error) {
      preview.textContent = "预览暂时不可用，保存不受影响。";
    }
  }
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
  refresh();
})();
