// The claim page: the verdict form asks for a rationale when the verdict needs one, and the check
// state and findings update without a reload while the duplicate/contradiction check runs.

import { replaceContent } from "./fragments.js";
import { watchLive } from "./live.js";

function wireVerdictForm() {
  const form = document.getElementById("verdict-form");
  if (!form) return;
  const required = new Set(JSON.parse(document.getElementById("rationale-required").textContent));
  const rationale = document.getElementById("verdict-rationale");
  const marker = document.getElementById("rationale-req");
  const chosen = () => form.querySelector("input[name=verdict]:checked")?.value || "";
  // Corroborating over open contradictions needs a rationale and a second press of Record.
  const conflicts = Number(form.dataset.openContradictions || 0);
  const risky = () => chosen() === "corroborated" && conflicts > 0;
  let armed = false;
  const errorSlot = () => {
    let error = form.querySelector("[data-error-for=rationale]");
    if (!error) {
      error = document.createElement("p");
      error.className = "field-error";
      error.dataset.errorFor = "rationale";
      error.setAttribute("role", "alert");
      rationale.after(error);
    }
    return error;
  };
  const update = () => {
    const needed = required.has(chosen()) || risky();
    rationale.required = needed;
    marker.hidden = !needed;
  };
  form.addEventListener("change", () => {
    armed = false;
    update();
  });
  form.addEventListener("submit", (event) => {
    update();
    if (risky() && rationale.value.trim() && !armed) {
      event.preventDefault();
      armed = true;
      errorSlot().textContent =
        `This claim has ${conflicts} open contradiction${conflicts === 1 ? "" : "s"}. ` +
        "Press Record again to confirm it is corroborated anyway.";
      form.querySelector("button[type=submit], input[type=submit]")?.focus();
      return;
    }
    if (rationale.required && !rationale.value.trim()) {
      // The server refuses it too; saying so here saves a round trip and keeps focus on the field.
      event.preventDefault();
      rationale.setAttribute("aria-invalid", "true");
      errorSlot().textContent = risky()
        ? "This claim has open contradictions: say why it is corroborated anyway."
        : `Say why the claim is ${chosen()}: a rationale is required.`;
      rationale.focus();
    }
  });
  update();
}

function watchChecks() {
  const live = document.getElementById("claim-live");
  if (!live || live.dataset.livePending !== "1") return;
  watchLive({
    url: live.dataset.liveUrl,
    token: live.dataset.liveToken,
    onUpdate: (payload) => {
      replaceContent(document.getElementById("claim-check"), payload.html.check);
      replaceContent(document.getElementById("findings"), payload.html.findings);
      live.dataset.livePending = payload.pending ? "1" : "0";
    },
  });
}

// The ClaimReview snippet comes from the API (the same escaped JSON-LD a client gets); it is shown in
// a read-only box too, for browsers that refuse the clipboard.
function wireSnippetCopy() {
  const button = document.getElementById("claimreview-copy");
  if (!button) return;
  const box = document.getElementById("claimreview-snippet");
  const status = document.getElementById("claimreview-copy-status");
  button.addEventListener("click", async () => {
    const response = await fetch(button.dataset.snippetUrl, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    });
    if (!response.ok) {
      status.textContent = `The snippet could not be made (${response.status}).`;
      return;
    }
    box.value = await response.text();
    box.hidden = false;
    try {
      await navigator.clipboard.writeText(box.value);
      status.textContent = "Copied: paste it into the page of your fact-check.";
    } catch {
      box.select();
      status.textContent = "Select the snippet below and copy it.";
    }
  });
}

wireVerdictForm();
wireSnippetCopy();
watchChecks();
document.body.dataset.claimReady = "1";
