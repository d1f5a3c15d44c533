/* The listen page: parts jump the player, the sentence being spoken is marked and kept in view,
   and a sentence plays from its start when chosen (click, or Enter or Space). No framework. */
(function () {
  "use strict";
  var audio = document.getElementById("player");
  var text = document.getElementById("text");
  var follow = document.getElementById("follow");
  var nowPart = document.getElementById("now-part");
  var sentences = Array.prototype.slice.call(text.querySelectorAll(".s"));
  var begins = sentences.map(function (s) { return parseFloat(s.getAttribute("data-begin")); });
  var parts = Array.prototype.slice.call(document.querySelectorAll("button.part"));
  var reduce = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  var current = -1;
  var roving = sentences[0];
  if (roving) roving.tabIndex = 0;

  function at(time) { /* the last sentence that begins at or before `time` */
    var lo = 0, hi = begins.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (begins[mid] <= time + 0.001) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    if (found >= 0 && time >= parseFloat(sentences[found].getAttribute("data-end"))) return -1;
    return found;
  }

  function setRoving(el) {
    if (roving === el) return;
    if (roving) roving.tabIndex = -1;
    roving = el;
    el.tabIndex = 0;
  }

  function inView(el) {
    var r = el.getBoundingClientRect();
    var player = document.querySelector(".player");
    var top = player && getComputedStyle(player).position === "sticky" ? player.getBoundingClientRect().bottom : 0;
    return r.top >= top && r.bottom <= window.innerHeight;
  }

  function show(index) {
    if (index === current) return;
    if (current >= 0) sentences[current].classList.remove("now");
    current = index;
    if (index < 0) return;
    var el = sentences[index];
    el.classList.add("now");
    if (!text.contains(document.activeElement)) setRoving(el);
    if (follow.checked && !inView(el)) {
      el.scrollIntoView({ block: "center", behavior: reduce && reduce.matches ? "auto" : "smooth" });
    }
  }

  function markPart(time) {
    parts.forEach(function (button) {
      var on = time >= parseFloat(button.getAttribute("data-begin")) - 0.001 &&
        time < parseFloat(button.getAttribute("data-end"));
      if (on) {
        button.setAttribute("aria-current", "true");
        nowPart.textContent = button.firstChild.textContent.trim();
      } else {
        button.removeAttribute("aria-current");
      }
    });
  }

  function update() { show(at(audio.currentTime)); markPart(audio.currentTime); }

  function playFrom(seconds) {
    audio.currentTime = seconds;
    update();
    var playing = audio.play();
    if (playing && playing.catch) playing.catch(function () { /* the user can press play */ });
  }

  audio.addEventListener("timeupdate", update);
  audio.addEventListener("seeked", update);

  parts.forEach(function (button) {
    button.addEventListener("click", function () { playFrom(parseFloat(button.getAttribute("data-begin"))); });
  });

  text.addEventListener("click", function (event) {
    if (event.target.closest("a")) return; /* a link inside a sentence goes where it points */
    var el = event.target.closest(".s");
    if (!el) return;
    setRoving(el);
    playFrom(parseFloat(el.getAttribute("data-begin")));
  });

  text.addEventListener("keydown", function (event) {
    var el = event.target.closest(".s");
    if (!el || event.altKey || event.ctrlKey || event.metaKey) return;
    var index = sentences.indexOf(el), next = null;
    switch (event.key) {
      case "ArrowDown": case "ArrowRight": next = sentences[index + 1]; break;
      case "ArrowUp": case "ArrowLeft": next = sentences[index - 1]; break;
      case "Home": next = sentences[0]; break;
      case "End": next = sentences[sentences.length - 1]; break;
      case "Enter": case " ":
        event.preventDefault();
        playFrom(parseFloat(el.getAttribute("data-begin")));
        return;
      default: return;
    }
    event.preventDefault();
    if (next) { setRoving(next); next.focus(); }
  });

  text.addEventListener("focusin", function (event) {
    var el = event.target.closest(".s");
    if (el) setRoving(el);
  });

  update();
})();
