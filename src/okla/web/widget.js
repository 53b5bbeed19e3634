/*
 * OKLA Chat widget. Embed with one tag:
 *   <script src="https://YOUR-GATEWAY/widget.js" data-dealer="auto-dominicana-premium" defer></script>
 * Optional: data-api="https://YOUR-GATEWAY" (default: where widget.js came from).
 * All text from the model or the customer is rendered as text, never as HTML.
 * The widget never re-sends on its own: a failed send offers a retry button, and a retry
 * re-sends with the same Idempotency-Key, so the server stores the message once.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__oklaChat) return;
  window.__oklaChat = true;
  var dealer = script.getAttribute("data-dealer") || "";
  var api = (script.getAttribute("data-api") || new URL(script.src).origin).replace(/\/$/, "");
  var storageKey = "okla-chat:" + (dealer || "default");
  var TIMEOUT_MS = 60000;

  var css = [
    ".okla-root{position:fixed;right:20px;bottom:20px;z-index:2147483000;font:15px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2733}",
    ".okla-bubble{width:60px;height:60px;border-radius:50%;border:0;background:#0b5cad;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.3);display:flex;align-items:center;justify-content:center}",
    ".okla-bubble:focus-visible,.okla-panel button:focus-visible,.okla-input:focus-visible{outline:3px solid #f5a623;outline-offset:2px}",
    ".okla-panel{position:fixed;right:20px;bottom:90px;width:380px;max-width:calc(100vw - 24px);height:560px;max-height:calc(100vh - 110px);display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden}",
    ".okla-panel[hidden]{display:none}",
    ".okla-head{display:flex;align-items:center;gap:8px;padding:12px 14px;background:#0b5cad;color:#fff}",
    ".okla-head h2{flex:1;margin:0;font-size:16px}",
    ".okla-head button{background:transparent;border:0;color:#fff;font-size:22px;cursor:pointer}",
    ".okla-log{flex:1;overflow-y:auto;padding:12px;background:#f4f6f9;display:flex;flex-direction:column;gap:8px}",
    ".okla-msg{max-width:85%;padding:8px 11px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}",
    ".okla-user{align-self:flex-end;background:#0b5cad;color:#fff}",
    ".okla-bot{align-self:flex-start;background:#fff;border:1px solid #dde3ea}",
    ".okla-system{align-self:center;background:#fff6dd;border:1px solid #f1d78b;font-size:13px}",
    ".okla-error{align-self:stretch;background:#fdecec;border:1px solid #f3b4b4;font-size:13px}",
    ".okla-error button{margin-left:8px}",
    ".okla-cards{display:flex;flex-direction:column;gap:6px;align-self:stretch}",
    ".okla-card{display:flex;gap:10px;align-items:center;background:#fff;border:1px solid #dde3ea;border-radius:10px;padding:8px}",
    ".okla-photo{width:64px;height:48px;border-radius:6px;background:#dfe7f1;color:#7d93ad;display:flex;align-items:center;justify-content:center;flex:none}",
    ".okla-card strong{display:block}",
    ".okla-price{color:#0b5cad;font-weight:600}",
    ".okla-card a{font-size:13px}",
    ".okla-appt{align-self:stretch;background:#eef6ee;border:1px solid #9fd0a3;border-radius:10px;padding:9px 11px}",
    ".okla-appt strong{display:block;margin-bottom:2px}",
    ".okla-appt span{display:block}",
    ".okla-appt a{display:inline-block;margin-top:6px;font-weight:600;color:#0b5cad}",
    ".okla-appt-cancelled{background:#f6f6f6;border-color:#cfd5dc;color:#5b6570}",
    ".okla-appt-note{font-size:13px;color:#5b6570}",
    ".okla-actions{padding:6px 10px 0;background:#fff}",
    ".okla-actions button{background:#fff;border:1px solid #0b5cad;color:#0b5cad;border-radius:16px;padding:4px 12px;cursor:pointer}",
    ".okla-form{display:flex;gap:8px;padding:10px;background:#fff;border-top:1px solid #e5e9ef}",
    ".okla-input{flex:1;padding:9px 10px;border:1px solid #c7d0db;border-radius:8px;font:inherit}",
    ".okla-send{background:#0b5cad;color:#fff;border:0;border-radius:8px;padding:0 14px;cursor:pointer}",
    ".okla-send[disabled]{opacity:.5;cursor:default}",
    ".okla-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}",
    "@media (max-width:480px){.okla-panel{right:0;bottom:0;width:100vw;max-width:100vw;height:100vh;max-height:100vh;border-radius:0}}",
  ].join("\n");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  var SVG = "http://www.w3.org/2000/svg";
  function icon(path, size) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", size);
    svg.setAttribute("height", size);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var shape = document.createElementNS(SVG, "path");
    shape.setAttribute("d", path);
    shape.setAttribute("fill", "currentColor");
    svg.appendChild(shape);
    return svg;
  }
  var CHAT_ICON = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z";
  var CAR_ICON = "M5 11l1.5-4.5A2 2 0 0 1 8.4 5h7.2a2 2 0 0 1 1.9 1.5L19 11a2 2 0 0 1 2 2v4h-2a2 2 0 0 1-4 0H9a2 2 0 0 1-4 0H3v-4a2 2 0 0 1 2-2zm2.1 0h9.8l-1.1-3.4a1 1 0 0 0-1-.6H9.2a1 1 0 0 0-1 .6z";

  function formatPrice(amount, currency) {
    var digits = Math.round(Number(amount)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (currency === "USD" ? "US$" : "RD$") + digits;
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  var style = el("style");
  style.textContent = css;
  document.head.appendChild(style);

  var root = el("div", "okla-root");
  var bubble = el("button", "okla-bubble");
  bubble.appendChild(icon(CHAT_ICON, 28));
  bubble.type = "button";
  bubble.setAttribute("aria-label", "Abrir chat con un asesor de ventas");
  bubble.setAttribute("aria-expanded", "false");
  bubble.setAttribute("aria-controls", "okla-panel");

  var panel = el("section", "okla-panel");
  panel.id = "okla-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-modal", "false");
  panel.setAttribute("aria-labelledby", "okla-title");

  var head = el("div", "okla-head");
  var title = el("h2", null, "Chat de ventas");
  title.id = "okla-title";
  var close = el("button", null, "×");
  close.type = "button";
  close.setAttribute("aria-label", "Cerrar chat");
  head.appendChild(title);
  head.appendChild(close);

  var log = el("div", "okla-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-label", "Conversación");

  var actions = el("div", "okla-actions");
  var human = el("button", null, "Hablar con un asesor");
  human.type = "button";
  actions.appendChild(human);

  var form = el("form", "okla-form");
  var label = el("label", "okla-sr", "Escribe tu mensaje");
  label.setAttribute("for", "okla-input");
  var input = el("input", "okla-input");
  input.id = "okla-input";
  input.type = "text";
  input.maxLength = 2000;
  input.autocomplete = "off";
  input.placeholder = "Escribe tu mensaje…";
  var send = el("button", "okla-send", "Enviar");
  send.type = "submit";
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);

  panel.appendChild(head);
  panel.appendChild(log);
  panel.appendChild(actions);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(bubble);
  document.body.appendChild(root);

  var token = null;
  var busy = false;
  var loaded = false;
  var shown = 0; // transcript messages already on screen, for advisor replies
  var polling = null;

  function scroll() {
    log.scrollTop = log.scrollHeight;
  }

  function addMessage(kind, text) {
    var node = el("div", "okla-msg okla-" + kind, text);
    log.appendChild(node);
    scroll();
    return node;
  }

  function addCards(vehicles) {
    if (!vehicles || !vehicles.length) return;
    var list = el("div", "okla-cards");
    list.setAttribute("role", "list");
    vehicles.forEach(function (v) {
      var card = el("div", "okla-card");
      card.setAttribute("role", "listitem");
      var photo = el("div", "okla-photo");
      photo.appendChild(icon(CAR_ICON, 30));
      photo.setAttribute("aria-hidden", "true");
      var info = el("div");
      info.appendChild(el("strong", null, v.make + " " + v.model + " " + v.year + (v.trim ? " " + v.trim : "")));
      info.appendChild(el("span", "okla-price", formatPrice(v.price, v.currency)));
      if (v.url) {
        var link = el("a", null, "Ver vehículo");
        link.href = v.url;
        link.target = "_blank";
        link.rel = "noopener";
        info.appendChild(el("br"));
        info.appendChild(link);
      }
      card.appendChild(photo);
      card.appendChild(info);
      list.appendChild(card);
    });
    log.appendChild(list);
    scroll();
  }

  // Confirmation cards of test drives, by appointment: a newer card of the same one (moved,
  // cancelled) retires the older ones' calendar links, which no longer open.
  var appointmentCards = {};
  var ICS_PATH = "/api/chat/appointments/";

  function addAppointment(a) {
    if (!a || !a.appointmentId) return;
    var cancelled = a.status === "Cancelled";
    (appointmentCards[a.appointmentId] || []).forEach(function (old) {
      var link = old.querySelector("a");
      if (link) link.remove();
      if (!old.querySelector(".okla-appt-note")) {
        old.appendChild(el("span", "okla-appt-note", cancelled ? "Cancelada más abajo." : "Cambiada más abajo."));
      }
    });
    var card = el("div", "okla-appt" + (cancelled ? " okla-appt-cancelled" : ""));
    card.setAttribute("role", "group");
    card.setAttribute("aria-label", cancelled ? "Prueba de manejo cancelada" : "Prueba de manejo agendada");
    card.appendChild(el("strong", null, cancelled ? "Prueba de manejo cancelada" : "Prueba de manejo confirmada"));
    card.appendChild(el("span", "okla-appt-when", a.startText));
    if (a.vehicle) card.appendChild(el("span", null, a.vehicle.make + " " + a.vehicle.model + " " + a.vehicle.year));
    if (a.dealer) card.appendChild(el("span", null, a.dealer.name));
    // Only the chat's own calendar path is linked, whatever the data says.
    if (!cancelled && typeof a.icsUrl === "string" && a.icsUrl.indexOf(ICS_PATH) === 0) {
      var link = el("a", null, "Agregar al calendario");
      link.href = api + a.icsUrl;
      link.setAttribute("download", "prueba-de-manejo.ics");
      link.rel = "noopener";
      card.appendChild(link);
    }
    (appointmentCards[a.appointmentId] = appointmentCards[a.appointmentId] || []).push(card);
    log.appendChild(card);
    scroll();
  }

  function setBusy(value) {
    busy = value;
    send.disabled = value;
  }

  function request(path, options) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    options = options || {};
    options.signal = controller.signal;
    options.credentials = "omit";
    return fetch(api + path, options).finally(function () { clearTimeout(timer); });
  }

  function postJson(path, body, extraHeaders) {
    var headers = { "Content-Type": "application/json" };
    Object.keys(extraHeaders || {}).forEach(function (k) { headers[k] = extraHeaders[k]; });
    return request(path, { method: "POST", headers: headers, body: JSON.stringify(body) });
  }

  function describeFailure(error, response) {
    if (response) {
      var wait = response.headers.get("Retry-After");
      if (response.status === 429) return "Estás enviando mensajes muy rápido. Intenta de nuevo" + (wait ? " en " + wait + " s." : " en un momento.");
      if (response.status === 503) return "El servicio está ocupado. Intenta de nuevo" + (wait ? " en " + wait + " s." : " en un momento.");
      if (response.status === 404) return "Tu conversación expiró. Recarga la página para empezar una nueva.";
      if (response.status === 409) return "Todavía estoy respondiendo tu mensaje anterior.";
      return "No se pudo enviar el mensaje (error " + response.status + ").";
    }
    if (!navigator.onLine) return "Parece que no tienes conexión a internet.";
    if (error && error.name === "AbortError") return "La respuesta tardó demasiado (60 s).";
    return "No se pudo conectar con el chat.";
  }

  function showError(text, retry) {
    var box = el("div", "okla-msg okla-error");
    box.setAttribute("role", "alert");
    box.appendChild(document.createTextNode(text));
    if (retry) {
      var again = el("button", null, "Reintentar");
      again.type = "button";
      again.addEventListener("click", function () {
        box.remove();
        retry();
      });
      box.appendChild(again);
    }
    log.appendChild(box);
    scroll();
  }

  function startSession() {
    var body = { sessionType: "WebChat", metadata: { page: location.pathname } };
    if (dealer) body.dealerId = dealer;
    return postJson("/api/chat/start", body).then(function (response) {
      if (!response.ok) throw { response: response };
      return response.json();
    }).then(function (data) {
      token = data.sessionToken;
      localStorage.setItem(storageKey, token);
      title.textContent = data.dealer.assistantName + " · " + data.dealer.name;
      addMessage("bot", data.greeting);
      shown = 1;
    });
  }

  function restore(saved) {
    return request("/api/chat/session/" + encodeURIComponent(saved)).then(function (response) {
      if (response.status === 404) {
        localStorage.removeItem(storageKey);
        return startSession();
      }
      if (!response.ok) throw { response: response };
      return response.json().then(function (data) {
        token = saved;
        title.textContent = data.dealer.assistantName + " · " + data.dealer.name;
        data.messages.forEach(render);
        shown = data.messages.length;
        if (data.status === "PendingTransfer") waitForAdvisor();
        if (data.status === "Ended") {
          localStorage.removeItem(storageKey);
          token = null;
          return startSession();
        }
      });
    });
  }

  function render(m) {
    var kind = m.role === "user" ? "user" : m.role === "system" ? "system" : "bot";
    var node = addMessage(kind, m.content);
    if (m.role === "agent") node.setAttribute("aria-label", "Asesor: " + m.content);
    addCards(m.vehicles);
    addAppointment(m.appointment);
  }

  // While a salesperson has the conversation, show their replies as they arrive.
  function waitForAdvisor() {
    human.disabled = true;
    if (polling) return;
    polling = setInterval(function () {
      if (!token || busy) return;
      request("/api/chat/session/" + encodeURIComponent(token)).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (!data) return;
        data.messages.slice(shown).forEach(function (m) {
          if (m.role === "agent" || m.role === "system") render(m);
        });
        shown = data.messages.length;
        if (data.status !== "PendingTransfer") {
          // The advisor closed or returned the conversation: the assistant answers again.
          clearInterval(polling);
          polling = null;
          human.disabled = false;
        }
      }).catch(function () {});
    }, 5000);
  }

  function load() {
    if (loaded) return Promise.resolve();
    loaded = true;
    var saved = localStorage.getItem(storageKey);
    var work = saved ? restore(saved) : startSession();
    return work.catch(function (failure) {
      loaded = false;
      showError(describeFailure(failure, failure && failure.response), load);
    });
  }

  function readEvents(response, onEvent) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) return;
        buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n/g, "\n");
        var parts = buffer.split("\n\n");
        buffer = parts.pop();
        parts.forEach(function (part) {
          var name = "message";
          var data = "";
          part.split("\n").forEach(function (line) {
            if (line.indexOf("event:") === 0) name = line.slice(6).trim();
            else if (line.indexOf("data:") === 0) data += line.slice(5).replace(/^ /, "");
          });
          if (data) onEvent(name, JSON.parse(data));
        });
        return pump();
      });
    }
    return pump();
  }

  function deliver(text, key, bubbleNode) {
    setBusy(true);
    var reply = null;
    var finished = false;
    return postJson("/api/chat/message", { sessionToken: token, message: text },
      { "Idempotency-Key": key, Accept: "text/event-stream" })
      .then(function (response) {
        if (!response.ok) throw { response: response };
        return readEvents(response, function (name, data) {
          if (name === "delta") {
            if (!reply) reply = addMessage("bot", "");
            reply.textContent += data.text;
            scroll();
          } else if (name === "vehicles") {
            addCards(data.vehicles);
          } else if (name === "appointment") {
            addAppointment(data.appointment);
          } else if (name === "notice") {
            addMessage("system", data.message);
          } else if (name === "done") {
            finished = true;
            shown += data.reply ? 2 : 1;
            if (data.sessionStatus === "PendingTransfer") waitForAdvisor();
          } else if (name === "error") {
            throw { message: data.error && data.error.message };
          }
        });
      })
      .then(function () {
        if (!finished) throw { message: "incomplete" };
      })
      .catch(function (failure) {
        if (reply && !finished) reply.remove();
        var response = failure && failure.response;
        showError(describeFailure(failure, response), function () { deliver(text, key, bubbleNode); });
      })
      .finally(function () { setBusy(false); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || busy || !token) return;
    input.value = "";
    var node = addMessage("user", text);
    deliver(text, newKey(), node);
  });

  human.addEventListener("click", function () {
    if (!token) return;
    human.disabled = true;
    postJson("/api/chat/transfer", { sessionToken: token, reason: "Solicitado desde el chat" })
      .then(function (response) {
        if (!response.ok) throw { response: response };
        return response.json();
      })
      .then(function (data) {
        addMessage("system", data.message);
        shown += 1;
        waitForAdvisor();
      })
      .catch(function (failure) {
        human.disabled = false;
        showError(describeFailure(failure, failure && failure.response));
      });
  });

  function open() {
    panel.hidden = false;
    bubble.setAttribute("aria-expanded", "true");
    bubble.setAttribute("aria-label", "Cerrar chat");
    load();
    input.focus();
  }

  function shut() {
    panel.hidden = true;
    bubble.setAttribute("aria-expanded", "false");
    bubble.setAttribute("aria-label", "Abrir chat con un asesor de ventas");
    bubble.focus();
  }

  bubble.addEventListener("click", function () { panel.hidden ? open() : shut(); });
  close.addEventListener("click", shut);
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") shut(); });
  window.addEventListener("offline", function () { showError("Sin conexión a internet."); });
})();
