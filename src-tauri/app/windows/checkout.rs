//! The `bkash-checkout` window: our own local page that hosts bKash's
//! checkout script and frame for the desk's open payment (Checkout), or
//! bKash's own payment page (Tokenized).

use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

use std::sync::Arc;

use super::{main_window, CHECKOUT_LABEL};
use crate::app::{CommandError, ErrorCode};
use pos_core::bkash::{navigation, BkashConfig, Navigation};
use pos_core::payment::CheckoutDesk;

/// The checkout window's size, title and load log, for either product.
fn checkout_window<R: Runtime>(app: &AppHandle<R>, url: WebviewUrl) -> WebviewWindowBuilder<'_, R, AppHandle<R>> {
    WebviewWindowBuilder::new(app, CHECKOUT_LABEL, url)
        .title("Pay with bKash")
        .inner_size(460.0, 680.0)
        .min_inner_size(400.0, 600.0)
        .center()
        .focused(true)
        // The customer types their PIN here: nothing the counter does (a
        // second launch bringing the main window forward) may hide it.
        .always_on_top(true)
        .on_page_load(|window, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Finished {
                tracing::info!(window = window.label(), "page loaded");
            }
        })
}

/// Opens (or re-focuses) the checkout window.
///
/// Its CSP comes in two layers. tauri.conf.json's policy admits only bKash's
/// hosts and loopback (for Training's simulator on a free port); the page
/// then narrows it to the configured origins with a `<meta>` policy from
/// `checkout_context` before it loads anything. A per-window response header
/// is not an option on Linux: every window shares one WebKit context, whose
/// `tauri:` scheme handler is the first window's.
pub fn open_checkout<R: Runtime>(app: &AppHandle<R>, config: &BkashConfig) -> tauri::Result<()> {
    if let Some(window) = app.get_webview_window(CHECKOUT_LABEL) {
        window.set_focus()?;
        return Ok(());
    }
    tracing::info!("opening the checkout window");
    let allowed = config.clone();
    checkout_window(app, WebviewUrl::App("checkout.html".into()))
        // Tauri asks this for the window and for its frames alike (WebKit's
        // navigation policy), so it admits our own page and bKash's frame
        // origins; anything else (a redirect to a look-alike page) is stopped.
        .on_navigation(move |url| {
            let own_page = url.scheme() == "tauri" || url.host_str() == Some("tauri.localhost");
            own_page || url.as_str() == "about:blank" || pos_core::bkash::origins::frame_origin_allowed(url.as_str(), &allowed)
        })
        .build()?;
    Ok(())
}

/// Opens the checkout window on bKash's own payment page (Tokenized
/// Checkout). The window may only show that page's origin; the one
/// navigation it stops and reads is bKash's return to the shop's callback
/// URL, which it never loads: the payment's next step (Execute, or closing
/// it as not charged) follows from the paymentID and status bKash put in it.
/// The window closes when the payment settles (`events`).
pub fn open_bkash_page<R: Runtime>(app: &AppHandle<R>, desk: Arc<CheckoutDesk>, config: &BkashConfig, page: &str) -> tauri::Result<()> {
    let page = tauri::Url::parse(page).map_err(tauri::Error::InvalidUrl)?;
    let callback_url = config.callback_url.clone();
    tracing::info!("opening the checkout window on bKash's page");
    checkout_window(app, WebviewUrl::External(page.clone()))
        .on_navigation(move |url| match navigation(url, &page, &callback_url) {
            Navigation::Load => true,
            Navigation::Refuse => {
                tracing::warn!(host = url.host_str().unwrap_or(""), "the checkout window refused to leave bKash's page");
                false
            }
            Navigation::Returned(returned) => {
                let desk = desk.clone();
                tauri::async_runtime::spawn(async move {
                    let acted = match returned {
                        Ok(callback) => {
                            tracing::info!(status = callback.status.as_str(), "bKash's page returned to the shop");
                            desk.callback(callback).await.map(drop)
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "cancelling, not executing");
                            desk.cancel("bKash's page returned with something unreadable").await.map(drop)
                        }
                    };
                    if let Err(e) = acted {
                        tracing::warn!(error = %e, "bKash's return could not be acted on");
                    }
                });
                false
            }
        })
        .build()?;
    Ok(())
}

pub fn close_checkout<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(CHECKOUT_LABEL) {
        let _ = window.close();
    }
    main_window::focus(app);
}

/// The window could not be built: the payment it was for is cancelled (no
/// request has left yet) and the desk is free again.
pub async fn checkout_not_opened(desk: &CheckoutDesk, error: tauri::Error) -> CommandError {
    tracing::error!(%error, "the bKash checkout window could not be opened");
    if let Ok(Some(row)) = desk.cancel("the checkout window could not be opened").await {
        desk.release(row.id);
    }
    CommandError::detailed(ErrorCode::CheckoutWindow, format!("The bKash window could not be opened: {error}"))
}
