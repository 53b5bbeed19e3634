// The advisors' console: sign-in, the queue, one conversation at a time, live by /api/chatbot/events.
// Every text a customer or an advisor wrote is set as textContent, never as HTML.
"use strict";
const $ = (id) => document.getElementById(id);
const STATES = { WaitingForAgent: "esperando", WithAgent: "con asesor", Closed: "cerrada", Bot: "con el bot" };
const INTERESTS = { Callback: "que lo llamen", Price: "precio", Financing: "financiamiento", TradeIn: "vehículo como parte de pago", TestDrive: "prueba de manejo" };
let access = null, me = null, current = null, currentState = null;
let queue = [], unread = {}, shownIds = new Set(), lastEventId = null, stream = null, typingSent = 0;

const csrf = () => (document.cookie.split("; ").find((c) => c.startsWith("okla_csrf=")) || "").slice(10);
function el(tag, cls, text) { const d = document.createElement(tag); if (cls) d.className = cls; if (text !== undefined) d.textContent = text; return d; }
function say(text) { $("status").textContent = text; }
function line(cls, text) { const d = el("div", cls, text); $("log").appendChild(d); $("log").scrollTop = $("log").scrollHeight; return d; }
function ago(iso) {
  const s = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  if (s < 60) return "hace " + s + " s";
  const m = Math.floor(s / 60); return m < 60 ? "hace " + m + " min" : "hace " + Math.floor(m / 60) + " h " + (m % 60) + " min";
}
function money(amount, currency) { return (currency === "USD" ? "US$" : "RD$") + Number(amount).toLocaleString("en-US"); }

async function post(path, body, headers) {
  return fetch(path, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body || {}) });
}
function signedIn(data) {
  access = data.accessToken; me = data.user;
  $("name").textContent = me.name + " · " + (me.dealer || "todos los dealers");
  $("login").hidden = true; $("who").hidden = false; $("queues").hidden = false;
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
  if (r.status === 204) return null;
  const data = await r.json(); if (!r.ok) throw new Error(data.error ? data.error.message : "Error " + r.status); return data;
}

// The queue: waiting (with wait times), mine (with unread counts), with other advisors.
async function loadQueue() {
  try { queue = await api("/api/chatbot/transfers"); drawQueue(); } catch (e) { say(e.message); }
}
function drawQueue() {
  const lists = { waiting: $("waiting"), mine: $("mine"), others: $("others") };
  for (const l of Object.values(lists)) l.textContent = "";
  let waiting = 0, mine = 0;
  for (const t of queue) {
    const own = t.claimedBy && me && t.claimedBy.id === me.id;
    const where = t.handoff === "WaitingForAgent" ? "waiting" : own ? "mine" : "others";
    if (where === "waiting") waiting++; if (where === "mine") mine++;
    const b = el("button", "item" + (t.sessionId === current ? " current" : ""));
    b.type = "button"; b.setAttribute("role", "listitem"); b.dataset.session = t.sessionId;
    b.appendChild(el("strong", "", t.dealer));
    b.appendChild(el("span", "", " · " + (where === "others" ? (t.claimedBy ? t.claimedBy.name : "") : STATES[t.handoff] || t.handoff)));
    b.appendChild(el("span", "meta wait", " · " + ago(t.since)));
    b.dataset.since = t.since;
    if (unread[t.sessionId]) { const u = el("span", "unread", String(unread[t.sessionId])); u.setAttribute("aria-label", unread[t.sessionId] + " sin leer"); b.appendChild(u); }
    b.onclick = () => openSession(t.sessionId);
    lists[where].appendChild(b);
  }
  $("waiting-count").textContent = String(waiting); $("mine-count").textContent = String(mine);
}
setInterval(() => { for (const b of document.querySelectorAll(".item[data-since]")) { const w = b.querySelector(".wait"); if (w) w.textContent = " · " + ago(b.dataset.since); } }, 15000);

// One conversation: its transcript with the cards the customer saw, its lead and bookings.
function showMessage(m) {
  if (m.id && shownIds.has(m.id)) return; if (m.id) shownIds.add(m.id);
  const who = m.role === "user" ? "Cliente: " : m.role === "agent" ? (m.author ? m.author.name : "Asesor") + ": " : m.role === "assistant" ? "Bot: " : "";
  line(m.role, who + m.content);
  for (const v of m.vehicles || []) line("card", v.year + " " + v.make + " " + v.model + (v.trim ? " " + v.trim : "") + " · " + money(v.price, v.currency) + (v.status && v.status !== "Available" ? " · " + v.status : ""));
}
function drawFacts(s) {
  $("lead").textContent = s.lead ? "Contacto: " + s.lead.name + " · " + s.lead.phone + (s.lead.email ? " · " + s.lead.email : "") + " · " + (INTERESTS[s.lead.interest] || s.lead.interest) : "";
  $("bookings").textContent = (s.bookings || []).map((b) => "Prueba de manejo " + new Date(b.start).toLocaleString("es-DO") + (b.vehicle ? " · " + b.vehicle : "") + (b.status === "Cancelled" ? " (cancelada)" : "")).join("\n");
  $("facts").hidden = !s.lead && !(s.bookings || []).length;
}
function drawActions(s) {
  const mineNow = s.handoff === "WithAgent" && s.claimedBy && me && s.claimedBy.id === me.id;
  const manager = me && me.role !== "agent";
  const enable = { claim: s.handoff === "WaitingForAgent", release: s.handoff === "WithAgent" && (mineNow || manager),
    close: (s.handoff === "WithAgent" && (mineNow || manager)) || (s.handoff === "WaitingForAgent"), return: (s.handoff === "WithAgent" && (mineNow || manager)) || s.handoff === "WaitingForAgent" };
  for (const b of document.querySelectorAll("[data-action]")) b.disabled = !enable[b.dataset.action];
  $("msg").disabled = !mineNow; $("form").querySelector("button").disabled = !mineNow;
  $("msg").placeholder = mineNow ? "Escribe tu respuesta…" : "Toma la conversación para responder";
}
async function openSession(id) {
  current = id; delete unread[id]; shownIds = new Set();
  try {
    const s = await api("/api/chatbot/sessions/" + id); currentState = s;
    $("title").textContent = "Conversación " + id.slice(0, 8) + " · " + (STATES[s.handoff] || s.handoff) + (s.claimedBy ? " · " + s.claimedBy.name : "");
    $("actions").hidden = false; $("log").textContent = "";
    for (const m of s.messages) showMessage(m);
    drawFacts(s); drawActions(s); drawQueue();
  } catch (e) { say(e.message); }
}

// Live: the dealer's events over a fetch stream (an EventSource can't send the token).
async function follow() {
  if (stream || !access) return;
  const controller = new AbortController(); stream = controller;
  try {
    const headers = { "Authorization": "Bearer " + access, "Accept": "text/event-stream" };
    if (lastEventId) headers["Last-Event-ID"] = lastEventId;
    const r = await fetch("/api/chatbot/events", { headers, signal: controller.signal });
    if (r.status === 401) { stream = null; if (await renew()) return follow(); return; }
    if (!r.ok) throw new Error("Error " + r.status);
    say("En vivo"); loadQueue();
    const reader = r.body.getReader(), decoder = new TextDecoder(); let buffer = "";
    for (;;) {
      const { value, done } = await reader.read(); if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, end); buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
        let name = "message", data = "", id = null;
        for (const l of block.split(/\r?\n/)) {
          if (l.startsWith("event:")) name = l.slice(6).trim(); else if (l.startsWith("data:")) data += l.slice(5).trim(); else if (l.startsWith("id:")) id = l.slice(3).trim();
        }
        if (id) lastEventId = id;
        if (data) onEvent(name, JSON.parse(data));
      }
    }
  } catch (e) { if (e.name !== "AbortError") say("Reconectando…"); }
  if (stream === controller) { stream = null; if (access) setTimeout(follow, 1000); }
}
function onEvent(name, data) {
  if (name === "waiting") notify();
  if (["waiting", "claimed", "released", "closed", "returned", "resync"].includes(name)) {
    loadQueue(); if (current && (data.sessionId === current || name === "resync")) openSession(current); return;
  }
  if (name === "message") {
    if (data.sessionId === current) { showMessage({ id: data.messageId, role: data.role, content: data.content, vehicles: data.vehicles, author: data.author }); return; }
    const t = queue.find((q) => q.sessionId === data.sessionId);
    if (t && t.claimedBy && me && t.claimedBy.id === me.id && data.role === "user") { unread[data.sessionId] = (unread[data.sessionId] || 0) + 1; drawQueue(); }
    return;
  }
  if ((name === "lead" || name === "booking") && data.sessionId && data.sessionId === current) openSession(current);
}

// A new conversation: a short tone (and a notification) unless turned off.
function notify() {
  if (!$("sound").checked) return;
  try {
    const ctx = new AudioContext(), osc = ctx.createOscillator(), gain = ctx.createGain();
    osc.frequency.value = 880; gain.gain.value = 0.08; osc.connect(gain); gain.connect(ctx.destination);
    osc.start(); osc.stop(ctx.currentTime + 0.2);
  } catch (e) { /* no audio: the queue shows it */ }
  if (window.Notification && Notification.permission === "granted") new Notification("Nueva conversación esperando un asesor");
}
$("sound").checked = localStorage.getItem("okla-agent-sound") !== "off";
$("sound").onchange = () => {
  localStorage.setItem("okla-agent-sound", $("sound").checked ? "on" : "off");
  if ($("sound").checked && window.Notification && Notification.permission === "default") Notification.requestPermission();
};

async function loadCanned() {
  $("canned").textContent = "";
  try {
    const c = await api("/api/chatbot/canned-replies");
    for (const text of c.replies) {
      const b = el("button", "", text.length > 40 ? text.slice(0, 40) + "…" : text); b.type = "button"; b.title = text;
      b.onclick = () => { $("msg").value = text; $("msg").focus(); };
      $("canned").appendChild(b);
    }
  } catch (e) { /* an operator of every dealer has no list of its own */ }
}
function start() { loadQueue(); loadCanned(); follow(); }

$("login").onsubmit = async (ev) => {
  ev.preventDefault();
  const r = await post("/api/chatbot/auth/login", { email: $("email").value, password: $("password").value });
  $("password").value = "";
  const data = await r.json();
  if (r.ok) { signedIn(data); start(); } else line("meta", data.error ? data.error.message : "No se pudo entrar.");
};
$("logout").onclick = async () => {
  await post("/api/chatbot/auth/logout", {}, { "X-CSRF-Token": csrf() }); access = null; me = null; current = null;
  if (stream) { const s = stream; stream = null; s.abort(); }
  $("login").hidden = false; $("who").hidden = true; $("queues").hidden = true; $("actions").hidden = true; $("facts").hidden = true;
  $("log").textContent = ""; $("canned").textContent = ""; $("title").textContent = "Elige una conversación";
};
for (const b of document.querySelectorAll("[data-action]")) b.onclick = async () => {
  if (!current) return;
  try { await api("/api/chatbot/sessions/" + current + "/" + b.dataset.action, {}); await openSession(current); loadQueue(); } catch (e) { say(e.message); }
};
$("form").onsubmit = async (ev) => {
  ev.preventDefault(); const text = $("msg").value.trim(); if (!text || !current) return; $("msg").value = "";
  try {
    const r = await api("/api/chatbot/sessions/" + current + "/reply", { message: text });
    showMessage({ id: r.messageId, role: "agent", content: text, author: me }); // the stream may bring it first
  } catch (e) { say(e.message); $("msg").value = text; }
};
$("msg").oninput = () => {
  if (!current || Date.now() - typingSent < 3000) return; typingSent = Date.now();
  api("/api/chatbot/sessions/" + current + "/typing", {}).catch(() => {});
};
renew().then((ok) => { if (ok) start(); });
