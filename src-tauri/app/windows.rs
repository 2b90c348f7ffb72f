//! The `bkash-checkout` window: our own local page that hosts bKash's
//! checkout script and frame for the desk's open payment.

use tauri::{AppHandle, Emitter, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

use std::sync::Arc;

use super::customer_display::{CustomerScreen, CUSTOMER_DISPLAY_LABEL, CUSTOMER_SCREEN_EVENT};
use super::startup::AppState;
use super::{CommandError, ErrorCode};
use pos_core::bkash::{navigation, BkashConfig, Navigation};
use pos_core::payment::CheckoutDesk;

pub const CHECKOUT_LABEL: &str = "bkash-checkout";

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
            own_page || url.as_str() == "about:blank" || pos_core::settings::frame_origin_allowed(url.as_str(), &allowed)
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
    super::events::focus_main(app);
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

/// Opens the customer display (`customer.html`): full screen on a monitor
/// other than the cashier's when there is one, else a window beside it.
pub fn open_customer_display<R: Runtime>(app: &AppHandle<R>) {
    if app.get_webview_window(CUSTOMER_DISPLAY_LABEL).is_some() {
        return;
    }
    let main_monitor = app.get_webview_window("main").and_then(|w| w.current_monitor().ok().flatten());
    let second = app
        .available_monitors()
        .unwrap_or_default()
        .into_iter()
        .find(|m| main_monitor.as_ref().is_none_or(|main| m.position() != main.position()));
    let mut builder = WebviewWindowBuilder::new(app, CUSTOMER_DISPLAY_LABEL, WebviewUrl::App("customer.html".into()))
        .title("Customer display")
        .inner_size(480.0, 640.0)
        .focused(false)
        .on_navigation(|url| url.scheme() == "tauri" || url.host_str() == Some("tauri.localhost"));
    if let Some(monitor) = &second {
        let at = monitor.position().to_logical::<f64>(monitor.scale_factor());
        builder = builder.position(at.x, at.y).fullscreen(true);
    }
    match builder.build() {
        Ok(_) => tracing::info!(second_screen = second.is_some(), "customer display opened"),
        Err(e) => tracing::warn!(error = %e, "the customer display could not be opened"),
    }
    // Opening it must never take the keyboard from the cashier.
    super::events::focus_main(app);
}

/// Shows `screen` on the customer display, when the shop has one.
pub fn show_on_customer_display<R: Runtime>(app: &AppHandle<R>, screen: CustomerScreen) {
    // Events can arrive while start-up is still managing the state.
    let Some(state) = app.try_state::<AppState>() else { return };
    if !state.settings.customer_display {
        return;
    }
    state.customer_display.set(screen.clone());
    open_customer_display(app);
    let _ = app.emit_to(CUSTOMER_DISPLAY_LABEL, CUSTOMER_SCREEN_EVENT, screen);
}

/// The title of the notice a refused second launch shows.
pub const ALREADY_RUNNING_TITLE: &str = "bKash Counter POS is already running";

/// A second launch was refused: a dialog, in English and Bangla (the shop's
/// language is in the running app, not here), until the person closes it.
#[cfg(target_os = "linux")]
pub fn tell_already_running(detail: &str) {
    use gtk::prelude::*;
    let text = "bKash Counter POS is already open on this computer. Use the window that is open (look in the taskbar).\n\n\
                বিকাশ কাউন্টার পিওএস এই কম্পিউটারে আগেই খোলা আছে। খোলা উইন্ডোটি ব্যবহার করুন (টাস্কবারে দেখুন)।";
    let dialog =
        gtk::MessageDialog::new(None::<&gtk::Window>, gtk::DialogFlags::MODAL, gtk::MessageType::Info, gtk::ButtonsType::Close, text);
    dialog.set_title(ALREADY_RUNNING_TITLE);
    dialog.set_secondary_text(Some(detail));
    dialog.set_keep_above(true);
    dialog.run();
    dialog.close();
}

#[cfg(not(target_os = "linux"))]
pub fn tell_already_running(_detail: &str) {}
