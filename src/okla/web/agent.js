const $ = (id) => document.getElementById(id);
const STATES = { WaitingForAgent: "esperando", WithAgent: "con asesor", Closed: "cerrada", Bot: "con el bot" };
let current = null, access = null;
const csrf = () => (document.cookie.split("; ").find((c) => c.startsWith("okla_csrf=")) || "").slice(10);
function line(cls, text) { const d = document.createElement("div"); d.className = cls; d.textContent = text; $("log").appendChild(d); }
function signedIn(data) {
  access = data.accessToken; $("name").textContent = data.user.name + " · " + (data.user.dealer || "todos los dealers");
  $("login").hidden = true; $("who").hidden = false; $("refresh").hidden = false;
}
async function post(path, body, headers) {
  return fetch(path, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body || {}) });
}
async function renew() {
  const r = await post("/api/chatbot/auth/refresh", {}, { "X-CSRF-Token": csrf() });
  if (!r.ok) { access = null; return false; }
  signedIn(await r.json()); return true;
}
async function api(path, body, retried) {
  const r = body === undefined
    ? await fetch(path, { headers: { "Authorization": "Bearer " + access } })
    : await post(path, body, { "Authorization": "Bearer " + access });
  if (r.status === 401 && !retried && await renew()) return api(path, body, true);
  const data = await r.json(); if (!r.ok) throw new Error(r.status + " " + (data.error ? data.error.message : "")); return data;
}
async function open(id) {
  current = id; const s = await api("/api/chatbot/sessions/" + id);
  $("title").textContent = "Sesión " + id.slice(0, 8) + " · " + (STATES[s.handoff] || s.handoff) + (s.claimedBy ? " · " + s.claimedBy.name : "");
  $("actions").hidden = false; $("log").textContent = "";
  for (const m of s.messages) line(m.role, (m.role === "user" ? "Cliente: " : m.role === "agent" ? (m.author ? m.author.name : "Asesor") + ": " : "") + m.content);
}
$("login").onsubmit = async (ev) => {
  ev.preventDefault();
  const r = await post("/api/chatbot/auth/login", { email: $("email").value, password: $("password").value });
  $("password").value = "";
  const data = await r.json();
  if (r.ok) { signedIn(data); $("refresh").click(); } else line("meta", data.error ? data.error.message : "No se pudo entrar.");
};
$("logout").onclick = async () => {
  await post("/api/chatbot/auth/logout", {}, { "X-CSRF-Token": csrf() }); access = null;
  $("login").hidden = false; $("who").hidden = true; $("refresh").hidden = true; $("actions").hidden = true; $("list").textContent = "";
};
$("refresh").onclick = async () => {
  $("list").textContent = "";
  try { for (const t of await api("/api/chatbot/transfers")) { const b = document.createElement("button"); b.className = "item"; b.setAttribute("role", "listitem"); b.textContent = t.dealer + " · " + (STATES[t.handoff] || t.handoff) + (t.claimedBy ? " (" + t.claimedBy.name + ")" : "") + " · " + (t.reason || "sin motivo") + " · desde " + new Date(t.since).toLocaleTimeString(); b.onclick = () => open(t.sessionId); $("list").appendChild(b); } }
  catch (e) { line("meta", e.message); }
};
for (const b of document.querySelectorAll("[data-action]")) b.onclick = async () => {
  if (!current) return;
  try { await api("/api/chatbot/sessions/" + current + "/" + b.dataset.action, {}); await open(current); } catch (e) { line("meta", e.message); }
};
$("form").onsubmit = async (ev) => {
  ev.preventDefault(); const text = $("msg").value.trim(); if (!text || !current) return; $("msg").value = "";
  try { await api("/api/chatbot/sessions/" + current + "/reply", { message: text }); await open(current); } catch (e) { line("meta", e.message); }
};
renew().then((ok) => { if (ok) $("refresh").click(); });
