// List editors (reviews.forms.ListWidget): one text box per item; 添加 appends an empty
// row, 删除 removes one (the last row is emptied instead, so the list is always sent).
(function () {
  function renumber(list) {
    list.querySelectorAll(".list-editor-row").forEach(function (row, i) {
      row.querySelector("input").setAttribute("aria-label", "第 " + (i + 1) + " 项");
      row.querySelector(".list-editor-remove").setAttribute("aria-label", "删除第 " + (i + 1) + " 项");
    });
  }
  document.addEventListener("click", function (event) {
    const add = event.target.closest(".list-editor-add");
    const remove = event.target.closest(".list-editor-remove");
    if (add) {
      const list = add.closest(".list-editor").querySelector("ol");
      const rows = list.querySelectorAll(".list-editor-row");
      const row = rows[rows.length - 1].cloneNode(true);
      row.querySelector("input").value = "";
      list.appendChild(row);
      renumber(list);
      row.querySelector("input").focus();
    } else if (remove) {
      const list = remove.closest("ol");
      const row = remove.closest(".list-editor-row");
      if (list.querySelectorAll(".list-editor-row").length > 1) row.remove();
      else row.querySelector("input").value = "";
      renumber(list);
    }
  });
})();
