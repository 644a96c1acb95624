// The coding page: keyboard shortcuts and saving each tick at once.
// j/k next/previous answer, 1-9 tick a theme, 0 coded without theme, q/Q quote, o mode.
(function () {
  "use strict";
  const list = document.getElementById("answers");
  if (!list) return;
  const status = document.getElementById("coding-status");
  const cards = () => Array.from(list.querySelectorAll(".coding-answer"));
  const say = (text) => { if (status) status.textContent = text; };

  function current() {
    return list.querySelector(".coding-answer.current") || cards()[0] || null;
  }

  function select(card, focus) {
    if (!card) return;
    cards().forEach((c) => c.classList.toggle("current", c === card));
    if (focus) {
      card.focus({ preventScroll: true });
      card.scrollIntoView({ block: "nearest" });
    }
  }

  function token(card) {
    const input = card.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(card, url, body, json) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: Object.assign(
        { Accept: "application/json", "X-CSRFToken": token(card) },
        json ? { "Content-Type": "application/json" } : {}
      ),
      body: json ? JSON.stringify(body) : body,
    }).then((answer) => answer.json().then((data) => {
      if (!answer.ok) throw new Error(data.error || String(answer.status));
      return data;
    }));
  }

  function showThemes(card, data) {
    const ticked = new Set(data.themes.map(String));
    card.querySelectorAll("input[name=theme]").forEach((box) => {
      box.checked = ticked.has(box.value);
    });
    const form = card.querySelector(".coding-form");
    form.querySelectorAll("input[name=before]").forEach((i) => i.remove());
    ticked.forEach((value) => {
      const hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = "before"; hidden.value = value;
      form.appendChild(hidden);
    });
    card.querySelector(".coded-badge").hidden = !data.coded;
    card.dataset.saved = String(Number(card.dataset.saved || 0) + 1);
  }

  function tick(card, box) {
    const body = box.checked ? { add: [box.value] } : { remove: [box.value] };
    post(card, card.dataset.url, body, true)
      .then((data) => { showThemes(card, data); say("Sparat."); })
      .catch((error) => { box.checked = !box.checked; say("Kunde inte spara: " + error.message); });
  }

  function quote(card, choice) {
    const form = new FormData();
    form.append("quote", choice);
    post(card, card.dataset.quoteUrl, form, false)
      .then(() => {
        card.dataset.quote = choice;
        card.querySelector(".quote-badge").hidden = choice === "none";
        card.querySelector(".quote-shown").hidden = choice !== "shown";
        say(choice === "none" ? "Citatet borttaget." : "Markerat som citat.");
      })
      .catch((error) => say("Kunde inte spara: " + error.message));
  }

  // A phone has no keyboard to speak of: its shortcuts start folded away.
  const shortcuts = document.getElementById("shortcuts");
  if (shortcuts && window.matchMedia("(max-width: 767.98px)").matches) {
    shortcuts.open = false;
  }

  // With the script, a tick is saved at once: the save buttons are not needed.
  list.querySelectorAll(".save-button").forEach((b) => { b.hidden = true; });
  list.addEventListener("change", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.name !== "theme") return;
    const card = box.closest(".coding-answer");
    select(card, false);
    tick(card, box);
  });
  list.addEventListener("click", (event) => {
    const card = event.target.closest(".coding-answer");
    if (card) select(card, false);
    const button = event.target.closest(".quote-form button");
    if (button) {
      event.preventDefault();
      quote(card, button.value);
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest && target.closest("input:not([type=checkbox]), textarea, select")) return;
    const card = current();
    const all = cards();
    const index = all.indexOf(card);
    const key = event.key;
    if (key === "j" || key === "k") {
      const next = all[index + (key === "j" ? 1 : -1)];
      if (next) select(next, true);
    } else if (/^[1-9]$/.test(key) && card) {
      const box = card.querySelector("input[name=theme][data-key='" + key + "']");
      if (!box) return;
      box.checked = !box.checked;
      tick(card, box);
    } else if (key === "0" && card) {
      // None of the themes applies: the answer is coded and its ticks go.
      const ticked = Array.from(card.querySelectorAll("input[name=theme]:checked"));
      post(card, card.dataset.url, { add: [], remove: ticked.map((b) => b.value) }, true)
        .then((data) => { showThemes(card, data); say("Kodat utan tema."); })
        .catch((error) => say("Kunde inte spara: " + error.message));
    } else if ((key === "q" || key === "Q") && card) {
      const wanted = key === "Q" ? "shown" : "hidden";
      quote(card, card.dataset.quote === wanted ? "none" : wanted);
    } else if (key === "o") {
      list.classList.toggle("coding-one");
      select(card, true);
    } else {
      return;
    }
    event.preventDefault();
  });
  select(current(), false);
})();
