import { render } from "preact";
import { App } from "./App";
import { appInfo } from "./ipc";

// Asked before the first render, not from an effect after it: the counter is
// usable one round trip sooner on every start.
const info = appInfo();
const root = document.getElementById("app");
if (root) render(<App info={info} />, root);
