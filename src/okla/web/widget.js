/*
 * OKLA Chat widget. Embed with one tag (it loads widget.css from beside itself):
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

  // A stylesheet file, not a <style> element: pages with a Content-Security-Policy (ours
  // among them) allow no inline style. The widget shows once its styles are in.
  var root = el("div", "okla-root");
  root.hidden = true;
  var style = el("link");
  style.rel = "stylesheet";
  style.href = new URL("widget.css", script.src).href;
  style.addEventListener("load", function () { root.hidden = false; });
  style.addEventListener("error", function () { root.hidden = false; });
  document.head.appendChild(style);

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
  var live = null; // the session's event stream while a person is coming or there
  var seen = {}; // ids of messages the stream or the poll showed (both may bring one)
  var typing = null;

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

  // While a salesperson is coming or there, show what they write as it happens: the session's
  // event stream when the browser keeps one open, else (and to catch up) a poll every 5 s.
  function showOnce(m, id) {
    if (seen[id]) return;
    seen[id] = true;
    render(m);
  }

  function catchUp() {
    if (!token) return Promise.resolve();
    return request("/api/chat/session/" + encodeURIComponent(token)).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data) return;
      data.messages.slice(shown).forEach(function (m) {
        if (m.role !== "user") showOnce(m, m.id);
      });
      shown = Math.max(shown, data.messages.length);
      if (data.status !== "PendingTransfer") backToBot();
    }).catch(function () {});
  }

  function clearTyping() {
    if (typing) typing.remove();
    typing = null;
  }

  function showTyping(name) {
    clearTyping();
    typing = addMessage("typing", name + " está escribiendo…");
    var node = typing;
    setTimeout(function () { if (typing === node) clearTyping(); }, 4000);
  }

  function follow() {
    if (live || !window.EventSource || !token) return;
    live = new EventSource(api + "/api/chat/session/" + encodeURIComponent(token) + "/events");
    live.onopen = catchUp; // what came before the stream opened
    ["joined", "message", "closed", "returned"].forEach(function (kind) {
      live.addEventListener(kind, function (event) {
        var m = JSON.parse(event.data);
        clearTyping();
        if (m.role !== "user" && !seen[m.messageId]) {
          showOnce(m, m.messageId);
          shown += 1;
        }
        if (kind === "closed" || kind === "returned") backToBot();
      });
    });
    live.addEventListener("typing", function (event) {
      showTyping(JSON.parse(event.data).advisor.name);
    });
    live.addEventListener("resync", catchUp);
    live.onerror = function () {
      // The browser reconnects by itself (with Last-Event-ID); a closed stream leaves the poll.
      if (live && live.readyState === 2) live = null;
    };
  }

  function backToBot() {
    // The advisor closed or returned the conversation, or nobody came: the assistant answers.
    clearTyping();
    if (polling) clearInterval(polling);
    polling = null;
    if (live) live.close();
    live = null;
    human.disabled = false;
  }

  function waitForAdvisor() {
    human.disabled = true;
    follow();
    if (polling) return;
    polling = setInterval(function () {
      if (!token || busy || (live && live.readyState === 1)) return;
      catchUp();
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
