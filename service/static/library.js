// The document library: every indexed document (country, kind, pages, passages), each
// factsheet's references and which of them are ingested; any document opens in the document
// view. With a key entered, documents can be uploaded and removed through the write API:
//   POST /v1/documents (multipart `file`, `country`, `kind`) -> 202 {job id}
//   GET /v1/jobs/{id} -> queued | running | done | failed (+ reason)
//   DELETE /v1/documents/{doc_id}; 401: the key is refused, 403: writes are disabled.
"use strict";

(() => {
  const page = window.policyqaPage;
  const POLL_MS = 500;
  const POLL_LIMIT = 600; // five minutes of polling at most

  const el = (id) => document.getElementById(id);
  const view = el("library-view");
  const status = el("library-status");
  const keyInput = el("write-key");
  const keyForm = el("key-form");
  const uploadForm = el("upload-form");
  const fileInput = el("upload-file");
  const tableBody = el("library-body");

  let shown = false; // the list is on screen and current

  function setStatus(text, isError = false) {
    status.textContent = text;
    status.classList.toggle("error", isError);
  }

  const key = () => keyInput.value.trim();

  function showWriteControls() {
    const writable = Boolean(key());
    uploadForm.hidden = !writable;
    for (const cell of view.querySelectorAll(".write-only")) cell.hidden = !writable;
  }

  // --- the list --------------------------------------------------------------------------------

  function citesCell(item, byId) {
    const cell = page.node("td", "cites");
    if (item.kind !== "factsheet") return cell;
    const ingested = item.cites.filter((entry) => entry.doc_id).length;
    const details = page.node("details");
    details.append(
      page.node("summary", "", `${item.cites.length} references, ${ingested} ingested`)
    );
    const entries = page.node("ol", "reference-list");
    for (const entry of item.cites) {
      const li = page.node("li", entry.doc_id ? "reference ingested" : "reference");
      li.append(page.docLink({ doc_id: item.doc_id, start: entry.start, end: entry.end }, entry.text));
      if (entry.doc_id) {
        const cited = byId.get(entry.doc_id);
        li.append(" → ", page.docLink({ doc_id: entry.doc_id, start: null, end: null }, cited ? cited.title : entry.doc_id));
      }
      entries.append(li);
    }
    details.append(entries);
    cell.append(details);
    return cell;
  }

  function removeCell(item) {
    const cell = page.node("td", "write-only");
    cell.hidden = !key();
    const button = page.node("button", "remove", "Remove");
    button.type = "button";
    button.setAttribute("aria-label", `Remove ${item.title}`);
    button.addEventListener("click", () => {
      // two steps instead of a dialog: the first click asks, the second removes
      if (!button.classList.contains("confirm")) {
        button.classList.add("confirm");
        button.textContent = "Confirm removal";
        return;
      }
      remove(item, button);
    });
    cell.append(button);
    return cell;
  }

  async function render(force = false) {
    if (view.hidden || (shown && !force)) return;
    shown = true;
    setStatus("Loading the documents…");
    let body;
    try {
      body = await page.api("/v1/documents");
    } catch (error) {
      shown = false;
      setStatus(`Cannot list the documents: ${error.message}`, true);
      return;
    }
    const byId = new Map(body.documents.map((d) => [d.doc_id, d]));
    tableBody.replaceChildren();
    for (const item of body.documents) {
      const tr = page.node("tr");
      tr.dataset.doc = item.doc_id;
      const title = page.node("th");
      title.scope = "row";
      title.append(page.docLink({ doc_id: item.doc_id, start: null, end: null }, item.title));
      const meta = [item.doc_id, item.synthetic ? "synthetic" : ""].filter(Boolean).join(" · ");
      title.append(page.node("span", "row-meta", meta));
      tr.append(
        title,
        page.node("td", "", item.country || "—"),
        page.node("td", "", item.kind),
        page.node("td", "num", item.pages === null ? "—" : String(item.pages)),
        page.node("td", "num", String(item.chunks)),
        citesCell(item, byId),
        removeCell(item)
      );
      tableBody.append(tr);
    }
    const when = body.indexed_at ? ` · index written ${body.indexed_at.replace("T", " ")}` : "";
    setStatus(`${body.documents.length} documents${when}`);
  }

  async function refreshEverything() {
    await render(true);
    page.reloadDocuments();
    if (window.policyqaCompare) window.policyqaCompare.reload();
  }

  // --- writes ----------------------------------------------------------------------------------

  async function write(path, options) {
    const response = await fetch(path, {
      ...options,
      headers: { ...(options.headers || {}), authorization: `Bearer ${key()}` },
    });
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (response.ok) return body;
    const detail = body && typeof body.detail === "string" ? body.detail : `HTTP ${response.status}`;
    if (response.status === 401) throw new Error(`the key was refused (401): ${detail}`);
    if (response.status === 403) throw new Error(`writes are disabled on this server (403): ${detail}`);
    if (response.status === 404 || response.status === 405) {
      throw new Error(`this server has no write API (${response.status}): ${detail}`);
    }
    throw new Error(`${detail} (${response.status})`);
  }

  const jobId = (body) => body && (body.job_id || body.id || (body.job && body.job.id));

  async function waitForJob(id, name) {
    for (let polls = 0; polls < POLL_LIMIT; polls++) {
      const job = await write(`/v1/jobs/${encodeURIComponent(id)}`, { method: "GET" });
      if (job.status === "done") return;
      if (job.status === "failed") throw new Error(job.reason || job.error || "the job failed");
      setStatus(`Ingesting ${name}: ${job.status}…`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new Error("the job did not finish in five minutes");
  }

  uploadForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = fileInput.files[0];
    if (!file) {
      setStatus("Choose a file to upload.", true);
      return;
    }
    const form = new FormData();
    form.append("file", file);
    const country = el("upload-country").value.trim();
    if (country) form.append("country", country);
    if (el("upload-kind").value) form.append("kind", el("upload-kind").value);
    setStatus(`Uploading ${file.name}…`);
    try {
      const accepted = await write("/v1/documents", { method: "POST", body: form });
      const id = jobId(accepted);
      if (id) await waitForJob(id, file.name);
      await refreshEverything();
      setStatus(`${file.name} is ingested.`);
      uploadForm.reset();
    } catch (error) {
      setStatus(`Cannot upload ${file.name}: ${error.message}`, true);
    }
  });

  async function remove(item, button) {
    button.disabled = true;
    setStatus(`Removing ${item.title}…`);
    try {
      const accepted = await write(`/v1/documents/${encodeURIComponent(item.doc_id)}`, {
        method: "DELETE",
      });
      const id = jobId(accepted);
      if (id) await waitForJob(id, item.title);
      await refreshEverything();
      setStatus(`${item.title} is removed.`);
    } catch (error) {
      button.disabled = false;
      setStatus(`Cannot remove ${item.title}: ${error.message}`, true);
    }
  }

  keyInput.addEventListener("input", showWriteControls);
  keyForm.addEventListener("submit", (event) => event.preventDefault());
  window.addEventListener("policyqa:view", () => render());
  showWriteControls();
  render();
})();
