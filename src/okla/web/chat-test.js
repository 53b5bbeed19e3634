"use strict";
const $ = (id) => document.getElementById(id);
// Always this page's own origin: an address taken from the URL would send a visitor's chat
// wherever a link pointed it.
let token = null;
function line(cls, text) { const d = document.createElement("div"); d.className = cls; d.textContent = text; $("log").appendChild(d); $("log").scrollTop = 1e9; }
async function call(path, body) {
  const r = await fetch(path, body ? { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) } : {});
  const data = await r.json(); if (!r.ok) throw new Error(r.status + " " + (data.error ? data.error.message : "")); return data;
}
async function dealers() {
  try { for (const d of await call("/api/chat/dealers")) { const o = document.createElement("option"); o.value = d.slug; o.textContent = d.name + " (" + d.assistantName + ")"; $("dealer").appendChild(o); } }
  catch (e) { line("meta", "No se pudo leer la lista de dealers: " + e.message); }
}
$("start").onclick = async () => {
  try { const s = await call("/api/chat/start", { dealerId: $("dealer").value, sessionType: "WebChat", metadata: { source: "chat-test" } }); token = s.sessionToken; $("log").textContent = ""; line("bot", s.greeting); }
  catch (e) { line("meta", e.message); }
};
$("form").onsubmit = async (ev) => {
  ev.preventDefault(); const text = $("msg").value.trim(); if (!text || !token) return; $("msg").value = ""; line("user", "Tú: " + text);
  try { const r = await call("/api/chat/message", { sessionToken: token, message: text }); if (r.reply) { line("bot", r.reply.content); line("meta", "fuente: " + r.reply.source + " · " + r.reply.vehicles.length + " vehículos"); } else line("meta", "Un asesor responderá."); }
  catch (e) { line("meta", e.message); }
};
dealers();
