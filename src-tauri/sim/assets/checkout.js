/*
 * bKash Checkout 1.2.0-beta, as simulated by bkash-sim.
 * Same surface as bKash's script: bKash.init, bKash.reconfigure,
 * bKash.create().onSuccess/onError, bKash.execute().onError, started by a
 * click on #bKash_button, ending with onClose. Needs jQuery loaded first,
 * like bKash's own script.
 */
(function () {
  "use strict";
  var ORIGIN = "__SIM_ORIGIN__";
  if (typeof window.jQuery === "undefined") {
    throw new Error("bKash checkout needs jQuery: load jQuery before bKash-checkout.js");
  }
  var $ = window.jQuery;
  var config = null;
  var overlay = null;
  var frame = null;
  var paymentID = null;

  function openOverlay() {
    closeOverlay();
    overlay = document.createElement("div");
    overlay.id = "bKashFrameWrapper";
    overlay.setAttribute("style", "position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.55);display:flex;align-items:center;justify-content:center");
    frame = document.createElement("iframe");
    frame.id = "bKashFrame";
    frame.title = "bKash payment";
    frame.setAttribute("style", "width:380px;height:560px;max-height:96vh;border:0;border-radius:8px;background:#fff");
    frame.setAttribute("srcdoc", "<p style='font:16px sans-serif;text-align:center;margin-top:45%;color:#e2136e'>Loading bKash…</p>");
    overlay.appendChild(frame);
    document.body.appendChild(overlay);
  }

  function closeOverlay() {
    if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
    overlay = null;
    frame = null;
  }

  function toFrame(message) {
    if (frame && frame.contentWindow) frame.contentWindow.postMessage(message, ORIGIN);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== ORIGIN || !event.data || typeof event.data !== "object" || !config) return;
    if (event.data.bkash === "authorized" && event.data.paymentID === paymentID) {
      config.executeRequestOnAuthorization();
    } else if (event.data.bkash === "close") {
      closeOverlay();
      if (typeof config.onClose === "function") config.onClose();
    }
  });

  function start(event) {
    if (event) event.preventDefault();
    if (!config) throw new Error("bKash.init must be called before #bKash_button is clicked");
    paymentID = null;
    openOverlay();
    config.createRequest(config.paymentRequest);
  }

  window.bKash = {
    version: "1.2.0-beta-sim",
    init: function (options) {
      if (!options || options.paymentMode !== "checkout") throw new Error("bKash.init: paymentMode must be 'checkout'");
      if (typeof options.createRequest !== "function" || typeof options.executeRequestOnAuthorization !== "function") {
        throw new Error("bKash.init: createRequest and executeRequestOnAuthorization are required");
      }
      config = options;
      $(document).off("click.bKash").on("click.bKash", "#bKash_button", start);
    },
    reconfigure: function (options) {
      if (config && options && options.paymentRequest) config.paymentRequest = options.paymentRequest;
    },
    create: function () {
      return {
        onSuccess: function (data) {
          if (!data || !data.paymentID) {
            closeOverlay();
            throw new Error("bKash.create().onSuccess needs the create-payment response with a paymentID");
          }
          paymentID = data.paymentID;
          if (!overlay) openOverlay();
          frame.removeAttribute("srcdoc");
          frame.src = ORIGIN + "/frame/checkout/" + encodeURIComponent(paymentID);
        },
        onError: function () {
          closeOverlay();
        },
      };
    },
    execute: function () {
      return {
        onError: function () {
          toFrame({ bkash: "execute-failed" });
          closeOverlay();
        },
      };
    },
  };
})();
