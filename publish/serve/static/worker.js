// publish serve: one event stream shared by every open preview page of a browser.
// Browsers open at most six connections to one server; a stream per page would stall
// the seventh tab. Each message is the state of every article; pages take their own.
"use strict";
const ports = new Set();
let last = null;
const events = new EventSource("/_serve/events");
events.onmessage = (event) => {
  last = event.data;
  for (const port of ports) port.postMessage(last);
};
onconnect = (event) => {
  const port = event.ports[0];
  ports.add(port);
  port.onmessage = (message) => {
    if (message.data === "bye") ports.delete(port);
  };
  if (last !== null) port.postMessage(last);
};
