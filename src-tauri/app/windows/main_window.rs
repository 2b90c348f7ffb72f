//! The main window (the counter's screens): bringing it forward, and the
//! notice a refused second launch shows instead of a window of its own.

use tauri::{AppHandle, Manager, Runtime};

use super::{CHECKOUT_LABEL, MAIN_LABEL};

/// A second launch: the running app comes forward, with the customer's
/// checkout window, if one is open, in front of the main window.
pub fn bring_forward<R: Runtime>(app: &AppHandle<R>) {
    focus(app);
    if let Some(checkout) = app.get_webview_window(CHECKOUT_LABEL) {
        let _ = checkout.unminimize();
        let _ = checkout.show();
        let _ = checkout.set_focus();
    }
}

/// The main window, focused, for when a checkout ends.
pub fn focus<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN_LABEL) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
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
