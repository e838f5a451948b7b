// 操作记录's 评议对象 box: suggestions (name and unit) fetched as one types, at most 20,
// in the chosen campaign. Without JavaScript the box still filters by what is typed.
(function () {
  "use strict";
  var box = document.getElementById("id_subject");
  var list = document.getElementById("audit-subject-suggestions");
  var campaign = document.getElementById("id_campaign");
  if (!box || !list) return;
  var timer = null;
  var asked = "";
  function suggest() {
    var text = box.value.trim();
    if (!text || text === asked) return;
    asked = text;
    var params = new URLSearchParams({ q: text });
    if (campaign && campaign.value) params.set("campaign", campaign.value);
    fetch(list.dataset.url + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { subjects: [] }; })
      .then(function (data) {
        list.replaceChildren();
        data.subjects.forEach(function (s) {
          var option = document.createElement("option");
          option.value = s.value;
          option.label = s.label;
          list.appendChild(option);
        });
      })
      .catch(function () { /* suggestions are a convenience; typing still filters */ });
  }
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 250);
  });
})();
