"use strict";
const $ = (id) => document.getElementById(id);
let current = null;
$("jwt").value = sessionStorage.getItem("okla-admin-jwt") || "";
async function api(path, body) {
  sessionStorage.setItem("okla-admin-jwt", $("jwt").value);
  const r = await fetch(path, { method: body ? "POST" : "GET", headers: { "Authorization": "Bearer " + $("jwt").value, "Content-Type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
  const data = await r.json(); if (!r.ok) throw new Error(r.status + " " + (data.error ? data.error.message : "")); return data;
}
function line(cls, text) { const d = document.createElement("div"); d.className = cls; d.textContent = text; $("log").appendChild(d); }
async function open(id) {
  current = id; const s = await api("/api/chatbot/sessions/" + id); $("title").textContent = "Sesión " + id.slice(0, 8) + " · " + s.status; $("log").textContent = "";
  for (const m of s.messages) line(m.role, (m.role === "user" ? "Cliente: " : m.role === "agent" ? "Asesor: " : "") + m.content);
}
$("refresh").onclick = async () => {
  $("list").textContent = "";
  try { for (const t of await api("/api/chatbot/transfers")) { const b = document.createElement("button"); b.className = "item"; b.setAttribute("role", "listitem"); b.textContent = t.dealer + " · " + (t.reason || "sin motivo") + " · " + new Date(t.createdAt).toLocaleString(); b.onclick = () => open(t.sessionId); $("list").appendChild(b); } }
  catch (e) { line("meta", e.message); }
};
$("form").onsubmit = async (ev) => {
  ev.preventDefault(); const text = $("msg").value.trim(); if (!text || !current) return; $("msg").value = "";
  try { await api("/api/chatbot/sessions/" + current + "/reply", { message: text }); await open(current); } catch (e) { line("meta", e.message); }
};
