// kgpub SPARQL query page: optional conveniences on top of a form that works without script.
// Clicking an example fills the editor instead of running it; Ctrl/Cmd+Enter submits the form.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var editor = document.getElementById("sparql-query");
  if (!editor) { return; }
  document.querySelectorAll(".sparql-examples a[data-query]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      editor.value = link.getAttribute("data-query");
      editor.focus();
    });
  });
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      editor.form.submit();
    }
    if (event.key === "Tab" && !event.shiftKey) {
      event.preventDefault();
      var start = editor.selectionStart;
      editor.setRangeText("  ", start, editor.selectionEnd, "end");
    }
  });
});
