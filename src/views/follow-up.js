// Rådhus: progressive reveal of follow-up questions on a form step.
//
// Optional. Without this file every follow-up question is on the page with a sentence saying when to
// answer it, and the server decides from the posted answers whether an answer counts. With it, a
// follow-up is hidden until the answer it depends on is given, and the sentence is no longer needed.
(function () {
  "use strict";
  var form = document.getElementById("step-form");
  if (!form) {
    return;
  }
  var items = form.querySelectorAll("[data-follow-up]");
  if (!items.length) {
    return;
  }

  // The answers given to the input(s) named `name`: checked boxes and radios, a select's or a text's value.
  function given(name) {
    var out = [];
    var inputs = form.querySelectorAll("[name]");
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (el.name !== name) {
        continue;
      }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) {
        continue;
      }
      if (el.value !== "") {
        out.push(el.value.trim().toLowerCase());
      }
    }
    return out;
  }

  function holds(item) {
    var wanted;
    try {
      wanted = JSON.parse(item.getAttribute("data-follow-values")).map(function (v) {
        return String(v).trim().toLowerCase();
      });
    } catch (e) {
      return true;
    }
    var answers = given(item.getAttribute("data-follow-up"));
    var hit = answers.some(function (a) {
      return wanted.indexOf(a) >= 0;
    });
    if (item.hasAttribute("data-follow-negated")) {
      return answers.length > 0 && !hit;
    }
    return hit;
  }

  function update() {
    for (var i = 0; i < items.length; i++) {
      items[i].hidden = !holds(items[i]);
    }
  }

  var sentences = form.querySelectorAll(".follow-up .field__condition");
  for (var i = 0; i < sentences.length; i++) {
    sentences[i].hidden = true;
  }
  form.addEventListener("change", update);
  update();
})();

// Rådhus: the warning before a login's idle time ends (WCAG 2.2.1). The page already says when the
// login ends and has a button that saves the step and extends it; two minutes before the end this
// makes the notice an alert, so a screen reader announces it and it is seen wherever the citizen is.
(function () {
  "use strict";
  var notice = document.querySelector(".idle-notice[data-idle-left]");
  if (!notice) {
    return;
  }
  var left = parseInt(notice.getAttribute("data-idle-left"), 10);
  if (!(left > 0)) {
    return;
  }
  window.setTimeout(function () {
    var soon = notice.querySelector(".idle-notice__soon");
    if (soon) {
      soon.hidden = false;
    }
    notice.setAttribute("role", "alert");
    notice.classList.add("idle-notice--soon");
  }, Math.max(0, left - 120) * 1000);
})();
