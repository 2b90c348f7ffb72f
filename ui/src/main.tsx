import "./locale";
import { render } from "preact";
import { App } from "./App";
import { appInfo } from "./ipc";

// Asked before the first render, not from an effect after it: the counter is
// usable one round trip sooner on every start.
// Settled at once, so a refusal is never an unhandled rejection before App mounts.
const info = appInfo().then(
  (ok) => ({ ok }),
  (err: unknown) => ({ err }),
);
const root = document.getElementById("app");
if (root) render(<App info={info} />, root);
