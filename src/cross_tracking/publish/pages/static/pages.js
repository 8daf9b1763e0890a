// The dashboards' and query builder's only script besides the vendored
// Vega libraries: draw each chart from the spec the page carries, submit the
// filter form when a choice changes, copy a URL. Nothing is fetched.
(function () {
  "use strict";
  var drawing = [];
  document.querySelectorAll("script[data-spec-for]").forEach(function (holder) {
    var target = document.getElementById(holder.getAttribute("data-spec-for"));
    var spec = JSON.parse(holder.textContent);
    // actions off: the export menu links to the online Vega editor
    drawing.push(vegaEmbed(target, spec, { actions: false, renderer: "svg" }).then(function () {
      target.setAttribute("data-rendered", "1");
    }).catch(function (error) {
      target.textContent = "This chart could not be drawn (" + error + "); the table beside it holds the same figures.";
      target.setAttribute("data-rendered", "error");
    }));
  });
  // when the last chart is drawn (ms since navigation start): the page-load measurement reads it
  Promise.all(drawing).then(function () { window.pagesChartsDrawn = performance.now(); });
  document.querySelectorAll("form.pages-filters select").forEach(function (select) {
    select.addEventListener("change", function () {
      var form = select.form;
      var resets = select.getAttribute("data-resets");
      if (resets === "group") {
        // a new demographic: the old group value belongs to the old one
        form.querySelectorAll("select[data-group]").forEach(function (g) { g.disabled = true; });
      } else if (resets === "all") {
        // a new table: its dimensions differ, keep only the table
        form.querySelectorAll("select").forEach(function (s) { if (s !== select) { s.disabled = true; } });
      }
      tidy(form);
      form.submit();
    });
  });
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-copy"));
      input.select();
      var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
  // the builder: a breakdown chosen disables that dimension's filter, and an
  // empty choice is left out of the URL
  function tidy(form) {
    if (form.classList.contains("builder")) {
      form.querySelectorAll("select").forEach(function (s) { if (!s.value) { s.disabled = true; } });
    }
  }
  document.querySelectorAll("form.pages-filters").forEach(function (form) {
    form.addEventListener("submit", function () { tidy(form); });
  });
})();
